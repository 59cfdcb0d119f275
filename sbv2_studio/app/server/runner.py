"""Where the HTTP API's jobs run, and the API server's own thread.

`JobRunner` puts a job on a Studio's queue and wakes whoever drains it. The headless engine (`sbv2-studio serve`)
uses `StudioThread`: a Studio of its own draining on a background thread. The window passes the runner of its
worker (ui/worker.py: `Worker.api_runner()`), so API requests wait in the same queue as the person's and the
latency panel sees them. Either way there is one Studio, one queue and one synthesis path.

`ApiServer` runs uvicorn with the FastAPI app on a thread of its own (start / stop), for the window's toggle and
for tests; `sbv2-studio serve` runs the same server in the foreground.
"""

from __future__ import annotations

import errno
import itertools
import logging
import socket
import sys
import threading
from collections.abc import Callable

from ..jobs import Job, JobQueue
from ..studio import Studio

log = logging.getLogger(__name__)


class JobRunner:
    """Submit jobs to a Studio that some thread drains (`wake` asks that thread to drain)."""

    def __init__(self, studio: Studio, wake: Callable[[], None], ids=None, on_submit=None):
        self.studio = studio
        self._on_submit = on_submit  # told of each job before it is queued (the window tells its jobs apart)
        self.queue: JobQueue = studio.queue
        self._wake = wake
        self._ids = ids if ids is not None else itertools.count(1)

    def submit(self, kind: str, **fields) -> Job:
        job = Job(next(self._ids), kind, **fields)
        if self._on_submit is not None:
            self._on_submit(job)
        self.queue.put(job)
        self._wake()
        return job

    def withdraw(self, job: Job) -> None:
        """The client went away: drop the job if it waits, stop it at its next stage if it runs."""
        if not self.queue.withdraw(job):
            job.cancelled = True


class StudioThread(JobRunner):
    """A Studio of its own, draining its queue on a daemon thread (the headless engine)."""

    def __init__(self, studio: Studio | None = None, **studio_kwargs):
        studio = studio or Studio(JobQueue(), **studio_kwargs)
        self._pending = threading.Event()
        self._closing = False
        super().__init__(studio, self._pending.set)
        self._thread = threading.Thread(target=self._loop, name="sbv2-api-studio", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while True:
            self._pending.wait()
            self._pending.clear()
            if self._closing:
                return
            self.studio.drain()

    def close(self, timeout: float = 30.0) -> None:
        self.queue.cancel_all()
        self._closing = True
        self._pending.set()
        self._thread.join(timeout)


def listening_server(app, host: str, port: int, on_listening: Callable[[], None], **options):
    """uvicorn's Server for `app` that calls `on_listening()` once its sockets accept connections (uvicorn offers
    no event for it: a line printed before `run()` reached a client that connected on reading it, and was
    refused)."""
    import uvicorn

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets)
            if self.started:
                on_listening()

    return Server(uvicorn.Config(app, host=host, port=port, log_level="warning", **options))


class ApiServer:
    """The API on a background thread: `start()` returns once it listens (or raises naming the address),
    `stop()` ends it; requests in flight are cancelled through their jobs."""

    def __init__(self, runner: JobRunner, config=None):
        from .config import ServerConfig

        self.runner = runner
        self.config = config or ServerConfig()
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def url(self) -> str:
        return f"http://{self.config.host}:{self.config.port}"

    def start(self, timeout: float = 15.0) -> str:
        from ...errors import StudioError
        from .app import create_app

        if self.running:
            return self.url
        check_port_free(self.config.host, self.config.port)
        app = create_app(self.runner, self.config)
        listening = threading.Event()
        self._server = listening_server(app, self.config.host, self.config.port, listening.set,
                                        timeout_graceful_shutdown=5)  # fmt: skip
        self._server.install_signal_handlers = lambda: None  # not the main thread: the window owns signals

        def serve() -> None:
            try:
                self._server.run()
            finally:
                listening.set()  # it ended (a failed start exits): stop waiting

        self._thread = threading.Thread(target=serve, name="sbv2-api-server", daemon=True)
        self._thread.start()
        listening.wait(timeout)
        if not self._server.started:
            self.stop()
            raise StudioError(f"the API server could not start on {self.url} (see the log)")
        return self.url

    def stop(self, timeout: float = 10.0) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(timeout)
        self._server = self._thread = None


def check_port_free(host: str, port: int) -> None:
    """Refuse, with one clear line, an address that is taken (uvicorn would only log it and exit)."""
    from ...errors import StudioError

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        if sys.platform != "win32":  # as uvicorn binds: a port in TIME_WAIT is free (on Windows it would steal)
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except socket.gaierror as exc:  # a name that does not resolve: the port is not the problem
            raise StudioError(f"cannot serve on {host}: {exc.strerror or exc} (check --host)") from None
        except OSError as exc:
            hint = ("--host must be an address of this machine" if exc.errno == errno.EADDRNOTAVAIL
                    else "choose another --port")  # fmt: skip
            raise StudioError(f"cannot serve on {host}:{port}: {exc.strerror or exc} ({hint})") from None


__all__ = ["ApiServer", "JobRunner", "StudioThread", "check_port_free", "listening_server"]
