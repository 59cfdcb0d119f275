"""Batch export that scales out: the lines of one export synthesized by several workers at once, each holding its
own loaded voice, while this process writes every file in line order (app/export.py), so the files are the same
as a plain run's and resuming works the same.

- `ProcessLines`: a local pool of N worker processes (spawned, not forked: onnxruntime's threads do not survive
  a fork), each with its own sessions.
- `RayLines`: N Ray actors, each holding a loaded voice, on a local Ray instance or a cluster (the optional
  `cluster` extra). Audio comes back to this process, so only the voice files need to be on every machine, at
  the same path (docs/batch.md has the recipe).

Threads: each worker's sessions run with as many threads as a plain run's (onnxruntime's default) unless told
otherwise, because onnxruntime's CPU convolutions round differently with another thread count (the synthesizer's
output moves by up to 4e-6, 1 in 32767 of the peak: measured with 1, 2, 3, 4, 6 threads), and the files must be
the very same as a plain batch's (the issue's promise). What that costs, measured on 2 cores with the full-size
voice (docs/batch.md): the synthesizer alone ran as fast with 2 workers × 2 threads as × 1 thread (idle session
threads sleep rather than spin: SessionConfig.allow_spinning), a whole batch with the FP32 BERT about 15 % slower.
`threads=` (`batch --threads`, e.g. cores ÷ N) gives each worker a fixed count instead.

Both send the lines ahead to keep every worker busy (at most two lines per worker in flight) and hand them back
in order; a worker answers ("ok", float32 audio) or ("error", the message), so a line that cannot be spoken is
skipped as in a plain run and nothing but plain values crosses a process boundary.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

import numpy as np

from ..errors import StudioError
from .export import LineTask, voice_identity

IN_FLIGHT_PER_WORKER = 2  # lines handed to each worker ahead: one running, one waiting (no idle gap between lines)
RAY_START_TIMEOUT_S = 600.0  # the first actor to load its voice (a cluster may have to start workers first)
RAY_OTHERS_TIMEOUT_S = 120.0  # the rest, after the first: an actor the cluster cannot place is given up


@dataclass(frozen=True)
class VoiceSpec:
    """How a worker opens the voice: app.voices.open_voice's arguments, as plain values (they cross processes)."""

    model: str
    bert: str | None = None
    bert_backend: str = "cpu"
    synth_backend: str = "cpu"
    bert_precision: str | None = None
    synth_precision: str | None = None
    bert_variant: str | None = None

    def open(self, cpu_threads: int | None):
        from ..runtime.backends import SessionConfig, SessionFactory
        from .voices import open_voice

        return open_voice(
            self.model, bert=self.bert, bert_backend=self.bert_backend, synth_backend=self.synth_backend,
            bert_precision=self.bert_precision, synth_precision=self.synth_precision, bert_variant=self.bert_variant,
            factory=SessionFactory(SessionConfig(cpu_threads=cpu_threads)),
        )  # fmt: skip


def threads_per_worker(jobs: int, cores: int | None = None) -> int:
    """Each of `jobs` workers' share of the cores (at least one): what a Ray actor reserves."""
    return max(1, (cores or os.cpu_count() or 1) // max(1, jobs))


def _workers_text(jobs: int, kind: str, threads: int | None) -> str:
    return f"{jobs} {kind} ({f'{threads} thread(s) each' if threads else 'threads as a plain run'})"


class LineWorker:
    """What every worker holds: one loaded voice. Its answers are plain values (see the module)."""

    def __init__(self, spec: VoiceSpec, cpu_threads: int | None):
        self.spec, self.cpu_threads = spec, cpu_threads
        self.voice = None

    def describe(self) -> tuple[str, object]:
        """("ok", (sample rate, voice_identity, label)) once the voice is loaded, or ("error", why not)."""
        try:
            if self.voice is None:
                self.voice = self.spec.open(self.cpu_threads)
        except StudioError as exc:
            return "error", str(exc)
        return "ok", (int(self.voice.sample_rate), voice_identity(self.voice), self.voice.label)

    def render(self, text: str, params, plan) -> tuple[str, object]:
        """("ok", the line's float32 audio) or ("error", why it cannot be spoken)."""
        state, value = self.describe()
        if state != "ok":
            return state, value
        try:
            parts = [chunk.audio for chunk in self.voice.stream(text, params, plan)]
        except StudioError as exc:
            return "error", str(exc)
        return "ok", np.concatenate(parts).astype(np.float32, copy=False) if parts else np.zeros(0, np.float32)


def _outcome_chunks(outcome: tuple[str, object]) -> Iterator[np.ndarray]:
    """A worker's answer as the chunks export_lines writes: the audio, or the line's error raised."""
    state, value = outcome
    if state != "ok":
        raise StudioError(str(value))
    yield value


def in_order(
    tasks: Iterable[LineTask], start: Callable[[LineTask], object], finish: Callable[[object], tuple], window: int
) -> Iterator[tuple[LineTask, Iterable[np.ndarray]]]:
    """Start each task that needs synthesis as soon as fewer than `window` lines wait, and hand (task, chunks)
    back in the tasks' order. `start(task)` returns a handle, `finish(handle)` waits for its answer."""
    waiting: deque = deque()
    for task in tasks:
        waiting.append((task, None if task.earlier is not None else start(task)))
        while len(waiting) > window:
            yield _answer(waiting.popleft(), finish)
    while waiting:
        yield _answer(waiting.popleft(), finish)


def _answer(item, finish) -> tuple[LineTask, Iterable[np.ndarray]]:
    task, handle = item
    return task, () if handle is None else _outcome_chunks(finish(handle))


# -- local worker processes -------------------------------------------------------------------------------------

_worker: LineWorker | None = None  # the worker of this process (a pool's child)


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Ctrl+C reaches the whole process group: the parent stops the batch (and says so), while a worker that
    raised KeyboardInterrupt itself would print a traceback at the person. Processes started in here get SIGINT
    blocked (or, on Windows, ignored) from their first instruction, not only once their imports are done."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no signal mask; ignore it meanwhile
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous)
        return
    # POSIX: block it instead of ignoring it. A spawned worker inherits the blocked mask (so it never sees a
    # Ctrl+C before its initializer ignores it), and the parent's Ctrl+C is not lost: it waits in the mask, or,
    # delivered to another thread meanwhile, is noted, and either way reaches the person's handler on the way out.
    # (Ignoring it here lost a Ctrl+C that came while a submit started a worker: the batch ran on to the end.)
    noted: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        # The mask first: a Ctrl+C pending in it then still reaches the noting handler. The other order let one
        # that another thread had taken reach `previous` between the two calls, whose KeyboardInterrupt left SIGINT
        # blocked for good.
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        signal.signal(signal.SIGINT, previous)
        if noted:
            signal.raise_signal(signal.SIGINT)


def _init_process(spec: VoiceSpec, cpu_threads: int | None) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # where it is not inherited (Windows): from here on
    _worker = LineWorker(spec, cpu_threads)


def _describe_in_process() -> tuple[str, object]:
    return _worker.describe()


def _render_in_process(text: str, params, plan) -> tuple[str, object]:
    return _worker.render(text, params, plan)


class ProcessLines:
    """`jobs` local worker processes, each holding the voice (loaded once, on its first line)."""

    def __init__(self, spec: VoiceSpec, jobs: int, threads: int | None = None):
        self.jobs = jobs
        self.cpu_threads = threads
        self.pool = ProcessPoolExecutor(
            jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init_process,
            initargs=(spec, self.cpu_threads),
        )  # fmt: skip
        try:
            with _workers_ignore_ctrl_c():
                first = self.pool.submit(_describe_in_process)
            state, value = first.result()
        except BrokenProcessPool as exc:
            self.close()
            raise StudioError(f"a batch worker process could not start ({exc})") from None
        except BaseException:
            self.close()
            raise
        if state != "ok":
            self.close()
            raise StudioError(str(value))
        self.sample_rate, self.identity, self.label = value

    def __str__(self) -> str:
        return _workers_text(self.jobs, "worker processes", self.cpu_threads)

    def render_lines(self, tasks: Iterable[LineTask], params, plan) -> Iterator[tuple[LineTask, Iterable[np.ndarray]]]:
        def finish(future) -> tuple:
            try:
                return future.result()
            except BrokenProcessPool:
                raise StudioError(
                    "a batch worker process stopped unexpectedly (out of memory?); the files written so far are "
                    "kept: run the same command again to resume"
                ) from None

        def start(task: LineTask):
            with _workers_ignore_ctrl_c():  # a submit may start a worker process
                return self.pool.submit(_render_in_process, task.text, params, plan)

        yield from in_order(tasks, start, finish, IN_FLIGHT_PER_WORKER * self.jobs)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


# -- Ray ---------------------------------------------------------------------------------------------------------


def _import_ray():
    try:
        import ray
    except ImportError:
        raise StudioError(
            "--ray needs Ray, which is not installed: python -m pip install 'sbv2-studio[cluster]' "
            "(on every machine of the cluster)"
        ) from None
    return ray


def _check_reachable(address: str, timeout_s: float = 5.0) -> None:
    """A cluster address that answers nothing is refused at once (Ray itself would retry for minutes)."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not (host and port.isdigit()):
        return  # "auto", a name Ray resolves itself
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s).close()
    except OSError as exc:
        raise StudioError(
            f"--ray {address}: no Ray cluster answers there ({exc.strerror or exc}); start one with "
            "`ray start --head` on that machine, or leave the address out for a local instance"
        ) from None


class RayLines:
    """`jobs` Ray actors, each holding the voice, on the Ray instance at `address` (None: RAY_ADDRESS, else a
    local instance started here and stopped at close). Each actor reserves its share of the cluster's CPUs; its
    sessions run with `threads` threads (None: as a plain run on that machine, see the module)."""

    def __init__(
        self, spec: VoiceSpec, jobs: int | None = None, address: str | None = None, threads: int | None = None
    ):
        ray = self.ray = _import_ray()
        from ray.util import ActorPool

        self.started_here = not ray.is_initialized()
        if self.started_here:
            address = address or os.environ.get("RAY_ADDRESS") or None
            if address is not None:
                _check_reachable(address)
            # A local instance of our own listens on loopback only (Ray has no authentication of its own).
            local = {} if address is not None else {"_node_ip_address": "127.0.0.1"}
            try:
                ray.init(address=address, include_dashboard=False, log_to_driver=False, logging_level="ERROR",
                         configure_logging=False, **local)  # fmt: skip
            except Exception as exc:  # ConnectionError, a bad address, Ray's own errors: a message, not a trace
                where = f"at {address}" if address else "here"
                raise StudioError(f"--ray: cannot start or reach a Ray instance {where} ({exc})") from None
        try:
            cpus = int(ray.cluster_resources().get("CPU", 1))
            # By default an actor per two CPUs (each loads its own copy of the voice: memory, not CPUs, is what
            # runs out first); never more actors than CPUs, which could not all be placed.
            self.jobs = max(1, min(jobs or cpus // 2, cpus))
            self.cpu_threads = threads
            remote = ray.remote(num_cpus=threads_per_worker(self.jobs, cpus))(LineWorker)
            actors = [remote.remote(spec, self.cpu_threads) for _ in range(self.jobs)]
            self.actors = self._ready(actors)
            self.pool = ActorPool(self.actors)
        except BaseException:
            self.close()
            raise

    def _ready(self, actors: list) -> list:
        """The actors that loaded the voice: the first within RAY_START_TIMEOUT_S, the others soon after; an actor
        the cluster cannot place in time is given up (fewer workers, same files)."""
        ray = self.ray
        pending = {actor.describe.remote(): actor for actor in actors}
        ready: list = []
        timeout = RAY_START_TIMEOUT_S
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1, timeout=timeout)
            if not done:
                break
            actor = pending.pop(done[0])
            try:
                state, value = ray.get(done[0])
            except Exception as exc:  # the actor died while loading
                state, value = "error", f"a Ray worker stopped while loading the voice ({exc})"
            if state != "ok":
                raise StudioError(str(value))
            self.sample_rate, self.identity, self.label = value
            ready.append(actor)
            timeout = RAY_OTHERS_TIMEOUT_S
        for actor in pending.values():
            ray.kill(actor)
        if not ready:
            raise StudioError("--ray: no Ray worker started in time (does the cluster have a free CPU?)")
        self.jobs = len(ready)
        return ready

    def __str__(self) -> str:
        return _workers_text(self.jobs, "Ray actors", self.cpu_threads)

    def render_lines(self, tasks: Iterable[LineTask], params, plan) -> Iterator[tuple[LineTask, Iterable[np.ndarray]]]:
        ray, pool = self.ray, self.pool
        params_ref, plan_ref = ray.put(params), ray.put(plan)

        def finish(_handle) -> tuple:  # the pool answers in the order the lines were submitted
            try:
                return pool.get_next()
            except Exception as exc:  # an actor or node lost mid-line
                raise StudioError(
                    f"a Ray worker failed ({type(exc).__name__}); the files written so far are kept: run the same "
                    "command again to resume"
                ) from None

        def start(task: LineTask) -> bool:
            pool.submit(lambda actor, text: actor.render.remote(text, params_ref, plan_ref), task.text)
            return True

        yield from in_order(tasks, start, finish, IN_FLIGHT_PER_WORKER * self.jobs)

    def close(self) -> None:
        ray = self.ray
        for actor in getattr(self, "actors", []):
            ray.kill(actor)
        self.actors = []
        if self.started_here and ray.is_initialized():
            ray.shutdown()


def line_workers(
    spec: VoiceSpec,
    jobs: int | None,
    *,
    threads: int | None = None,
    ray_address: str | None = None,
    use_ray: bool = False,
):
    """The workers for `sbv2-studio batch --jobs N [--threads T] [--ray [ADDRESS]]`: Ray actors, or local
    processes."""
    if jobs is not None and jobs < 1:
        raise StudioError(f"--jobs {jobs}: give at least 1 worker")
    if threads is not None and threads < 1:
        raise StudioError(f"--threads {threads}: give at least 1 thread")
    if use_ray:
        return RayLines(spec, jobs, ray_address, threads)
    return ProcessLines(spec, jobs or 1, threads)


__all__ = [
    "LineWorker",
    "ProcessLines",
    "RayLines",
    "VoiceSpec",
    "in_order",
    "line_workers",
    "threads_per_worker",
]
