"""Jobs and the queue rules of the application layer (no Qt): what a request is, which requests replace which,
and what Cancel does. The window's worker thread and any other front end (an HTTP server) drive the same queue.

Rules: jobs run in order. A new speech request (synthesize or stream) replaces one that is still waiting (the
person wants their latest text; the one already running finishes, unless it is a stream that is still speaking:
a new stream interrupts it). A new load replaces a waiting load. Cancel stops what is being said or made: it
drops the waiting speech, warm-up, compare and export jobs and flags the running one. It keeps, waiting or
running, the jobs that change the library or the sessions (scan, import, remove, retry-GPU) and voice loads:
the window already shows the new voice in its picker, so dropping the load would leave the old voice speaking
under the new one's name.

Reading ahead (READ_AHEAD) is work done before a request the person is about to make (the window reads the text
they paused typing, and computes what the request will need first): a newer one replaces it, any other job drops it
while it waits and stops it between segments while it runs (the other job must not wait behind guesswork), and
Cancel stops it.

Requests from other programs (REQUEST: the HTTP API) are queued behind everything else and replace nothing: each
client waits for its own turn. The window's Cancel leaves them alone (they are not the person's); the client that
sent one withdraws it (`JobQueue.withdraw`) or flags it when it goes away.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from ..engine.params import SynthesisParams
from ..errors import StudioError
from ..runtime.backends import CPU, Backend
from .compare import CompareConfig

SCAN, LOAD, WARMUP, PREPARE, SYNTH, STREAM, COMPARE, RETRY, IMPORT, REMOVE, EXPORT, REQUEST, DEFAULTS, READ_AHEAD = (
    "scan", "load", "warmup", "prepare", "synth", "stream", "compare", "retry", "import", "remove", "export",
    "request", "defaults", "read_ahead",
)  # fmt: skip
SPEECH = {SYNTH, STREAM}  # a new speech request replaces a waiting one: the person wants their latest text
SUPERSEDING = {LOAD, READ_AHEAD}  # a new load replaces a waiting load (and a newer reading ahead the older)
UNCANCELLABLE = {SCAN, IMPORT, REMOVE, RETRY}  # they change state: once running, they finish
KEPT_ON_CANCEL = UNCANCELLABLE | {LOAD, REQUEST}  # Cancel neither drops nor stops them

DESCRIPTIONS = {
    SCAN: "Scanning voices",
    LOAD: "Loading voice",
    WARMUP: "Warming up",
    PREPARE: "Getting streaming ready",
    SYNTH: "Synthesizing",
    STREAM: "Speaking",
    COMPARE: "Comparing backends",
    RETRY: "Retrying the GPU",
    IMPORT: "Importing a voice",
    REMOVE: "Removing a voice",
    EXPORT: "Exporting lines",
    REQUEST: "Serving an API request",
    DEFAULTS: "Finding the fastest backends for this machine",
    READ_AHEAD: "Reading the text ahead",
}


@dataclass
class Job:
    id: int
    kind: str
    text: str | list = ""  # speech: the text, or its lines with edited ones as AudioQuery objects
    params: SynthesisParams | None = None
    entry_id: str | None = None
    bert_backend: Backend = CPU
    synth_backend: Backend = CPU
    bert_path: str | None = None
    runs: int = 0  # warm-up runs (load, warmup) or measured runs per configuration (compare)
    warmup_runs: int = 0  # compare: warm-up runs per configuration
    configs: list[CompareConfig] = field(default_factory=list)
    path: str | None = None  # import; export: the text file (None: `lines`)
    entry: object = None  # remove: the ModelEntry
    lines: list[str] = field(default_factory=list)  # export: the lines when there is no file
    out_dir: str | None = None  # export
    device: int | None = None  # stream: the output device (None: the system default)
    play: bool = True  # stream: play while synthesizing (False: no audio device; still made and timed); read
    # ahead: for a streamed request (False: a whole one)
    prepare_stream: bool = False  # load: also get streaming ready (split graphs, sessions, one streamed warm-up)
    muted: bool = False  # stream: the person pressed Stop; keep synthesizing, stop feeding the speaker
    on_stop: Callable[[], None] | None = None  # stream: set while it runs; silences the speaker at once
    extra_roots: list[str] = field(default_factory=list)
    cancelled: bool = False  # set by whoever cancels; read by the runner between steps and chunks
    # request: the speech is a text or an engine.query.AudioQuery, made under `plan` with the voice `entry_id`
    # (None: the loaded one) on bert_backend/synth_backend; each audio chunk goes to `on_audio` as it is made
    # (from the runner's thread), and the outcome is left on the job: `result` or `error`, then `done` is set.
    query: object = None
    plan: object = None  # engine.synthesis.SynthesisPlan (None: the whole result)
    on_audio: Callable[[object], None] | None = None
    call: Callable[[], object] | None = None  # request: work that must not overlap synthesis (the dictionary)
    result: object = None
    error: BaseException | None = None
    done: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)

    @property
    def chars(self) -> int:
        """Characters to speak: `text` is a string, or lines where edited ones are queries (their `text`)."""
        if isinstance(self.text, str):
            return len(self.text)
        return sum(len(getattr(line, "text", line)) for line in self.text)

    def describe(self) -> str:
        return DESCRIPTIONS.get(self.kind, self.kind)


class JobQueue:
    """The jobs waiting to run, and the one running; safe to share between threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: deque[Job] = deque()
        self.running: Job | None = None

    def put(self, job: Job) -> list[Job]:
        """Queue `job`; returns the waiting jobs it superseded (they will not run)."""
        with self._lock:
            dropped = []
            group = SPEECH if job.kind in SPEECH else {job.kind} if job.kind in SUPERSEDING else set()
            if job.kind != READ_AHEAD:
                group = group | {READ_AHEAD}  # it must not wait behind work done ahead
            if group:
                dropped = [j for j in self._jobs if j.kind in group]
                self._jobs = deque(j for j in self._jobs if j.kind not in group)
            for j in dropped:
                j.cancelled = True
            self._jobs.append(job)
            return dropped

    def take(self) -> Job | None:
        with self._lock:
            self.running = self._jobs.popleft() if self._jobs else None
            return self.running

    def done(self, job: Job) -> None:
        with self._lock:
            if self.running is job:
                self.running = None

    def withdraw(self, job: Job) -> bool:
        """Take a waiting job off the queue (its client went away); False when it is running or gone already."""
        with self._lock:
            job.cancelled = True
            waiting = [j for j in self._jobs if j is not job]
            if len(waiting) == len(self._jobs):
                return False
            self._jobs = deque(waiting)
            job.done.set()
            return True

    def interrupting(self, kind: str) -> Job | None:
        """The running job that a new job of `kind` interrupts (a stream still speaking), or None."""
        running = self.running
        if kind == STREAM and running is not None and running.kind == STREAM and not running.cancelled:
            return running
        return None

    def cancel(self) -> tuple[list[Job], Job | None]:
        """Cancel: drop the waiting jobs and flag the running one, except those in KEPT_ON_CANCEL. Returns the
        dropped jobs and the running job that was flagged (None when nothing runs or it must finish)."""
        with self._lock:
            dropped = [j for j in self._jobs if j.kind not in KEPT_ON_CANCEL]
            self._jobs = deque(j for j in self._jobs if j.kind in KEPT_ON_CANCEL)
            for j in dropped:
                j.cancelled = True
            running = self.running
            if running is None or running.kind in KEPT_ON_CANCEL:
                return dropped, None
            running.cancelled = True
            return dropped, running

    def cancel_all(self) -> None:
        """Shutting down: everything is cancelled, the running job too."""
        with self._lock:
            for j in self._jobs:
                j.cancelled = True
                j.done.set()  # nobody will run it: whoever waits for it stops waiting
            self._jobs.clear()
            if self.running is not None:
                self.running.cancelled = True

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)

    def waiting(self) -> list[Job]:
        with self._lock:
            return list(self._jobs)


@dataclass(frozen=True)
class VoiceInfo:
    """What a front end may know about the loaded voice (the Voice object itself stays with the runner)."""

    entry_id: str
    kind: str
    name: str
    label: str
    sample_rate: int
    speakers: dict[str, int]
    styles: dict[str, int]
    supported_params: frozenset[str]
    stages: tuple[str, ...]
    ran_on: dict[str, str]
    bert_backend: Backend
    synth_backend: Backend

    @classmethod
    def of(cls, voice, entry_id: str, bert: Backend, synth: Backend) -> VoiceInfo:
        return cls(
            entry_id=entry_id, kind=voice.kind, name=voice.name, label=voice.label,
            sample_rate=int(voice.sample_rate), speakers=dict(voice.speakers), styles=dict(voice.styles),
            supported_params=frozenset(voice.supported_params), stages=tuple(voice.stages),
            ran_on=dict(voice.ran_on()), bert_backend=bert, synth_backend=synth,
        )  # fmt: skip


def message(exc: BaseException) -> str:
    """What a person reads for a failure: a StudioError's own message, or a one-line summary (never a traceback)."""
    if isinstance(exc, StudioError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc}"


__all__ = [
    "COMPARE", "DESCRIPTIONS", "EXPORT", "IMPORT", "Job", "KEPT_ON_CANCEL", "JobQueue", "LOAD", "PREPARE", "READ_AHEAD",
    "REMOVE", "REQUEST",
    "RETRY", "SCAN", "SPEECH", "STREAM", "SUPERSEDING", "SYNTH", "UNCANCELLABLE", "VoiceInfo", "WARMUP", "message",
]  # fmt: skip
