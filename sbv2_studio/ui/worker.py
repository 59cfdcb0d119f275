"""The only place the window touches the core: a worker object on its own QThread that alone holds the Voice.

Two halves:

- `_WorkerCore` is moved to a QThread. It owns the Voice and runs one job at a time from a shared queue.
- `Worker` lives in the GUI thread. The window calls its methods (each returns a job id at once) and connects to
  its signals. It receives the core's signals through queued connections, drops what belongs to cancelled jobs,
  and re-emits them, so every public signal is delivered in the GUI thread.

Queue rules: jobs run in order. A new synthesize request replaces a synthesize request that is still waiting
(the person wants their latest text; the one already running finishes). A new load replaces a waiting load.
`cancel()` drops every waiting job and ignores the result of the running one (a running load keeps the previous
voice; a running comparison stops after its current run).
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from .. import audio as audio_io
from ..audio import AudioDeviceError
from ..runtime.backends import CPU, Backend, FallbackEvent, SessionConfig, SessionFactory
from ..app.export import count_lines, export_lines, format_progress, read_lines
from ..errors import StudioError
from ..models.library import BUILTIN_ID, Library
from ..engine.pipeline import Pipeline, SynthesisParams, SynthesisResult
from ..audio.player import StreamPlayer
from ..engine.streaming import StreamingSynthesizer, streamer_for
from ..app.voices import VOICE_CACHE, open_voice
from ..app.compare import TOTAL, CompareConfig, CompareResult, ConfigResult

log = logging.getLogger(__name__)

def default_cpu_threads() -> int:
    """CPU threads per onnxruntime session in the app: about the physical cores, but always one core left for
    the window. (onnxruntime's own default takes every physical core; on a 2-core machine that starves the GUI
    thread and, measured, makes synthesis itself 2x slower.) SBV2_STUDIO_CPU_THREADS overrides it."""
    override = os.environ.get("SBV2_STUDIO_CPU_THREADS", "").strip()
    if override.isdigit() and int(override) > 0:
        return int(override)
    logical = os.cpu_count() or 2
    return max(1, min(logical // 2, logical - 1))


def default_factory() -> SessionFactory:
    """The app's session factory (fault injection still comes from SBV2_STUDIO_FAULT)."""
    return SessionFactory(SessionConfig(cpu_threads=default_cpu_threads()))


SCAN, LOAD, WARMUP, PREPARE, SYNTH, STREAM, COMPARE, RETRY, IMPORT, REMOVE, EXPORT = (
    "scan", "load", "warmup", "prepare", "synth", "stream", "compare", "retry", "import", "remove", "export"
)
SPEECH = {SYNTH, STREAM}  # a new speech request replaces a waiting one: the person wants their latest text
SUPERSEDING = {LOAD}  # a new load replaces a waiting load


@dataclass
class Job:
    id: int
    kind: str
    text: str = ""
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
    play: bool = True  # stream: play while synthesizing (False: no audio device; still made and timed)
    prepare_stream: bool = False  # load: also get streaming ready (split graphs, sessions, one streamed warm-up)
    muted: bool = False  # stream: the person pressed Stop; keep synthesizing, stop feeding the speaker
    on_stop: Callable[[], None] | None = None  # stream: set by the worker; silences the speaker at once
    extra_roots: list[str] = field(default_factory=list)
    cancelled: bool = False  # set from the GUI thread; read by the worker between steps

    def describe(self) -> str:
        return {
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
        }.get(self.kind, self.kind)


@dataclass(frozen=True)
class VoiceInfo:
    """What the window may know about the loaded voice (the Voice object itself stays in the worker)."""

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


class JobQueue:
    """The jobs waiting for the worker, shared by both threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._jobs: deque[Job] = deque()
        self.running: Job | None = None

    def put(self, job: Job) -> list[Job]:
        """Queue `job`; returns the waiting jobs it superseded."""
        with self._lock:
            dropped = []
            group = SPEECH if job.kind in SPEECH else {job.kind} if job.kind in SUPERSEDING else set()
            if group:
                dropped = [j for j in self._jobs if j.kind in group]
                self._jobs = deque(j for j in self._jobs if j.kind not in group)
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

    def cancel_all(self, running_too: bool = True) -> tuple[list[Job], Job | None]:
        """Drop the waiting jobs (and flag the running one); returns them and the running job."""
        with self._lock:
            dropped = list(self._jobs)
            self._jobs.clear()
            for j in dropped:
                j.cancelled = True
            if running_too and self.running is not None:
                self.running.cancelled = True
            return dropped, self.running

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)

    def waiting(self) -> list[Job]:
        with self._lock:
            return list(self._jobs)


def _info(voice, entry_id: str, bert: Backend, synth: Backend) -> VoiceInfo:
    return VoiceInfo(
        entry_id=entry_id,
        kind=voice.kind,
        name=voice.name,
        label=voice.label,
        sample_rate=int(voice.sample_rate),
        speakers=dict(voice.speakers),
        styles=dict(voice.styles),
        supported_params=frozenset(voice.supported_params),
        stages=tuple(voice.stages),
        ran_on=dict(voice.ran_on()),
        bert_backend=bert,
        synth_backend=synth,
    )


def _message(exc: BaseException) -> str:
    if isinstance(exc, StudioError):
        return str(exc)
    return f"unexpected {type(exc).__name__}: {exc}"


class _ConfigCannotStart(Exception):
    """Raised from the fallback callback while a comparison configuration loads: its GPU did not start."""


def _stop_at_create_fallback(events: list[FallbackEvent]) -> Callable[[FallbackEvent], None]:
    def on_fallback(event: FallbackEvent) -> None:
        events.append(event)
        if event.during == "create":
            raise _ConfigCannotStart(event.describe())

    return on_fallback


def _not_running(config: CompareConfig, ran_on: dict[str, str]) -> str | None:
    """Why `config` is not what really runs (a requested GPU stage on the CPU), or None when it is."""
    wanted = {"bert": config.bert.label, "synthesize": config.synth.label}
    wrong = [f"{stage} asked for {label} but runs on {ran_on.get(stage, '?')}"
             for stage, label in wanted.items() if not ran_on.get(stage, "").startswith(label)]
    return "; ".join(wrong) or None


class _WorkerCore(QObject):
    """Runs in the worker thread. Every signal carries the job id so the GUI side can drop cancelled work."""

    started = Signal(object)  # Job
    finished = Signal(object)  # Job
    progress = Signal(int, int, int, str)  # job id, done, total (0: unknown), message
    stage = Signal(int, object)  # job id, StageTiming
    result = Signal(int, object)  # job id, SynthesisResult
    loaded = Signal(int, object)  # job id, VoiceInfo
    warmed = Signal(int, object)  # job id, list of ms
    failed = Signal(int, str, str)  # job id, job kind, message
    fallback = Signal(object)  # FallbackEvent
    ranOn = Signal(object)  # dict stage → provider label
    scanned = Signal(int, object)  # job id, list[ModelEntry]
    imported = Signal(int, object)  # job id, ModelEntry
    removed = Signal(int, object)  # job id, ModelEntry
    compared = Signal(int, object)  # job id, CompareResult
    chunk = Signal(int, object, object)  # job id, ChunkTiming, time to first audio so far (ms or None)
    streamed = Signal(int, object)  # job id, StreamReport (before its SynthesisResult)
    exported = Signal(int, object)  # job id, BatchResult (also when cancelled: the files so far are kept)
    playbackProblem = Signal(str)  # the speaker could not be used; the request still runs
    cancelledJob = Signal(int)

    def __init__(
        self,
        queue: JobQueue,
        factory_maker: Callable[[], SessionFactory],
        home: Path | None,
        stream_factory=None,
    ):
        super().__init__()
        self.queue = queue
        self.factory_maker = factory_maker
        self.home = home
        self.voice = None
        self.info: VoiceInfo | None = None
        self.extra_roots: list[str] = []
        self.stream_factory = stream_factory  # None: sounddevice; tests and headless runs inject a clock
        self.speaker: StreamPlayer | None = None  # one output stream, kept open between streamed requests

    def _library(self, extra_roots: list[str] | None = None) -> Library:
        if extra_roots is not None:
            self.extra_roots = list(extra_roots)
        return Library(extra_roots=self.extra_roots, home=self.home)

    def _on_fallback(self, event: FallbackEvent) -> None:
        self.fallback.emit(event)

    @Slot()
    def drain(self) -> None:
        while (job := self.queue.take()) is not None:
            self.started.emit(job)
            try:
                getattr(self, f"_do_{job.kind}")(job)
            except Exception as exc:  # noqa: BLE001 - every failure reaches the person as a message
                if not isinstance(exc, StudioError):
                    log.error("worker job %s failed:\n%s", job.kind, traceback.format_exc())
                if job.cancelled:
                    self.cancelledJob.emit(job.id)
                else:
                    self.failed.emit(job.id, job.kind, _message(exc))
            finally:
                self.queue.done(job)
                self.finished.emit(job)

    # -- jobs ---------------------------------------------------------------------------------------------------

    def _do_scan(self, job: Job) -> None:
        entries = self._library(job.extra_roots).scan()
        self.scanned.emit(job.id, entries)

    def _do_import(self, job: Job) -> None:
        entry = self._library(job.extra_roots).import_model(job.path)
        self.imported.emit(job.id, entry)

    def _do_remove(self, job: Job) -> None:
        entry = job.entry
        self._library(job.extra_roots).remove(entry)
        VOICE_CACHE.forget(entry.path)
        self.removed.emit(job.id, entry)

    def _open(self, job: Job, bert: Backend, synth: Backend, on_fallback=None):
        return open_voice(
            job.entry_id or BUILTIN_ID,
            library=self._library(),
            bert=job.bert_path,
            bert_backend=bert,
            synth_backend=synth,
            factory=self.factory_maker(),
            on_fallback=on_fallback,
        )

    def _do_load(self, job: Job) -> None:
        self.progress.emit(job.id, 0, 0, f"Loading {Path(job.entry_id or BUILTIN_ID).name}…")
        voice = self._open(job, job.bert_backend, job.synth_backend, self._on_fallback)
        if job.cancelled:  # the person cancelled while it loaded: keep the voice they had
            self.cancelledJob.emit(job.id)
            return
        old, self.voice = self.voice, voice
        del old
        self.info = _info(voice, job.entry_id or BUILTIN_ID, job.bert_backend, job.synth_backend)
        self.loaded.emit(job.id, self.info)
        self.ranOn.emit(self.info.ran_on)
        if job.runs > 0:
            self._warm(job)
        if job.prepare_stream and isinstance(voice, Pipeline) and not job.cancelled:
            self._streamer(job, warm=job.runs > 0)

    def _warm(self, job: Job) -> None:
        def on_progress(done: int, total: int, ms: float) -> None:
            self.progress.emit(job.id, done, total, f"Warming up {done}/{total} ({ms:.0f} ms)")

        self.progress.emit(job.id, 0, job.runs, f"Warming up 0/{job.runs}")
        totals = self.voice.warm_up(job.runs, on_progress=on_progress)
        self.warmed.emit(job.id, totals)
        self.ranOn.emit(dict(self.voice.ran_on()))

    def _need_voice(self):
        if self.voice is None:
            raise StudioError("no voice is loaded yet")
        return self.voice

    def _do_warmup(self, job: Job) -> None:
        self._need_voice()
        self._warm(job)

    def _do_synth(self, job: Job) -> None:
        voice = self._need_voice()

        def on_stage(timing) -> None:
            if not job.cancelled:
                self.stage.emit(job.id, timing)

        result = voice.synthesize(job.text, job.params, on_stage=on_stage)
        self.ranOn.emit(dict(result.ran_on) if result.ran_on else dict(voice.ran_on()))
        if job.cancelled:
            self.cancelledJob.emit(job.id)
        else:
            self.result.emit(job.id, result)

    def _streamer(self, job: Job, warm: bool = False) -> StreamingSynthesizer:
        """The loaded voice's streamer, made ready (graph split and sessions) the first time it is asked for."""
        streamer = streamer_for(self.voice)
        streamer.set_on_fallback(self._on_fallback)
        if not streamer.ready:
            self.progress.emit(job.id, 0, 0, "Getting streaming ready (the first time splits the voice's graph)…")
            streamer.prepare()
            if warm:
                self.progress.emit(job.id, 0, 0, "Warming up streaming…")
                streamer.warm_up(1)
        streamer.free_whole_graph()
        return streamer

    def _open_speaker(self, job: Job, sample_rate: int) -> StreamPlayer | None:
        """The output stream for a streamed request, or None (with a message) when there is nothing to play on."""
        speaker = self.speaker
        if speaker is not None and (speaker.sample_rate != sample_rate or speaker.device != job.device):
            speaker.close()
            speaker = self.speaker = None
        if speaker is None:
            speaker = StreamPlayer(sample_rate, device=job.device, stream_factory=self.stream_factory)
            try:
                speaker.open()
            except AudioDeviceError as exc:
                self.playbackProblem.emit(f"{exc}; the speech is still made, and you can save it")
                return None
            self.speaker = speaker
        return speaker

    def close_speaker(self) -> None:
        speaker, self.speaker = self.speaker, None
        if speaker is not None:
            speaker.close()

    def _do_prepare(self, job: Job) -> None:
        if isinstance(self._need_voice(), Pipeline):
            self._streamer(job, warm=True)

    def _do_stream(self, job: Job) -> None:
        voice = self._need_voice()
        if not isinstance(voice, Pipeline):  # the built-in voice is made whole (it takes milliseconds)
            return self._do_synth(job)
        streamer = self._streamer(job)
        run = streamer.stream(job.text, job.params, on_chunk=lambda t: self.chunk.emit(job.id, t, run.report.ttfa_ms))
        run.record()
        speaker = self._open_speaker(job, streamer.sample_rate) if job.play else None

        def stop() -> None:  # from the GUI thread
            job.muted = True
            if speaker is not None:
                speaker.clear()

        job.on_stop = stop
        if speaker is not None:
            speaker.begin()
        underruns = speaker.stats.underruns if speaker else 0
        silence = speaker.stats.underrun_frames if speaker else 0
        try:
            for chunk in run:
                if job.cancelled:
                    run.cancel()
                elif speaker is not None and not job.muted:
                    speaker.feed(chunk.audio)
        finally:
            if speaker is not None:
                speaker.end()
                if job.cancelled or job.muted:
                    speaker.clear()
        report = run.report
        if speaker is not None:
            # All audio is queued once the run ends, so no underrun can come after this point.
            report.underruns = speaker.stats.underruns - underruns
            report.underrun_ms = (speaker.stats.underrun_frames - silence) * 1000.0 / speaker.sample_rate
        if job.cancelled:
            self.cancelledJob.emit(job.id)
            return
        audio = run.recorded()
        result = SynthesisResult(
            audio=audio,
            pcm16=audio_io.to_pcm16(audio),
            sample_rate=streamer.sample_rate,
            timings_ms=report.stage_totals(),
            ran_on=dict(report.ran_on),
            total_ms=report.total_ms,
            first_request=False,
            line_count=len({c.line for c in report.chunks if c.kind == "speech"}),
            skipped_lines=list(report.skipped),
            fallbacks=list(report.fallbacks),
            voice=voice.label,
        )
        self.ranOn.emit(dict(report.ran_on))
        self.streamed.emit(job.id, report)
        self.result.emit(job.id, result)

    def _do_export(self, job: Job) -> None:
        voice = self._need_voice()
        if job.path:
            lines, total = read_lines(job.path), count_lines(job.path)
        else:
            lines, total = list(job.lines), len(job.lines)
        started = time.perf_counter()

        def on_progress(done: int, total: int | None, line) -> None:
            message = format_progress(done, total, line, time.perf_counter() - started)
            self.progress.emit(job.id, done, total or 0, message)

        self.progress.emit(job.id, 0, total, f"Exporting {total} lines to {job.out_dir}…")
        result = export_lines(
            voice, lines, job.out_dir, job.params, total=total, on_progress=on_progress,
            should_stop=lambda: job.cancelled,
        )  # fmt: skip
        self.exported.emit(job.id, result)

    def _do_retry(self, job: Job) -> None:
        voice = self._need_voice()
        voice.retry_gpu()
        self.ranOn.emit(dict(voice.ran_on()))

    def _do_compare(self, job: Job) -> None:
        voice = self._need_voice()
        info = self.info
        configs = job.configs if info.kind == "sbv2" else [CompareConfig(CPU, CPU)]
        result = CompareResult(job.text, job.runs, job.warmup_runs, info.label)
        steps_per_config = job.warmup_runs + job.runs + 1
        total_steps = max(1, steps_per_config * len(configs))
        step = 0

        def tick(message: str) -> None:
            nonlocal step
            step += 1
            self.progress.emit(job.id, step, total_steps, message)

        for config in configs:
            if job.cancelled:
                break
            entry = ConfigResult(config, tuple(voice.stages))
            result.configs.append(entry)
            temp = None
            events: list[FallbackEvent] = []
            try:
                if info.kind != "sbv2" or self._matches(config):
                    target = voice
                else:
                    self.progress.emit(job.id, step, total_steps, f"{config.label}: loading…")
                    try:
                        temp = target = self._open(
                            Job(0, LOAD, entry_id=info.entry_id, bert_path=job.bert_path),
                            config.bert,
                            config.synth,
                            _stop_at_create_fallback(events),
                        )
                    except _ConfigCannotStart:
                        # Its GPU did not start, so it would only measure the CPU again: report it as skipped
                        # (and stop before the rest of the pipeline's sessions are created, which takes seconds).
                        entry.skipped = "; ".join(e.describe() for e in events)
                        step += steps_per_config - 1
                        tick(f"{config.label}: skipped")
                        continue
                    not_running = _not_running(config, target.ran_on())
                    if not_running:  # e.g. a voice that fell back earlier, handed out again by a cache
                        entry.skipped = not_running
                        step += steps_per_config - 1
                        tick(f"{config.label}: skipped")
                        continue
                tick(f"{config.label}: ready")
                for i in range(job.warmup_runs):
                    if job.cancelled:
                        break
                    target.synthesize(job.text, job.params)
                    tick(f"{config.label}: warm-up {i + 1}/{job.warmup_runs}")
                for i in range(job.runs):
                    if job.cancelled:
                        break
                    r = target.synthesize(job.text, job.params)
                    entry.runs.append({**r.timings_ms, TOTAL: r.total_ms})
                    entry.ran_on = dict(r.ran_on) or {"all": "CPU"}
                    entry.audio_seconds = r.audio_seconds
                    entry.notes += [e.describe() for e in r.fallbacks]
                    tick(f"{config.label}: run {i + 1}/{job.runs}")
            finally:
                del temp
        if job.cancelled:
            self.cancelledJob.emit(job.id)
            return
        self.compared.emit(job.id, result)

    def _matches(self, config: CompareConfig) -> bool:
        """True when the loaded voice already runs this configuration (so it is measured, not reloaded)."""
        info = self.info
        if (info.bert_backend, info.synth_backend) != (config.bert, config.synth):
            return False
        return _not_running(config, self.voice.ran_on()) is None


class Worker(QObject):
    """The GUI-thread face of the worker. Methods return a job id at once; results come as signals."""

    jobStarted = Signal(object)  # Job
    jobFinished = Signal(object)  # Job
    busyChanged = Signal(bool)
    loadProgress = Signal(int, int, str)  # done, total (0: unknown), message
    loaded = Signal(object)  # VoiceInfo
    warmedUp = Signal(object)  # list of ms
    stageTimed = Signal(object)  # StageTiming, as each stage completes
    resultReady = Signal(object)  # SynthesisResult
    error = Signal(str)
    jobFailed = Signal(object, str)  # Job, message
    fallback = Signal(str)  # FallbackEvent.describe()
    fallbackEvent = Signal(object)  # the FallbackEvent itself
    ranOn = Signal(object)  # dict stage → provider label that really ran
    libraryScanned = Signal(object)  # list[ModelEntry]
    modelImported = Signal(object)  # ModelEntry
    modelRemoved = Signal(object)  # ModelEntry
    compareProgress = Signal(int, int, str)
    compareDone = Signal(object)  # CompareResult
    chunkReady = Signal(object, object)  # ChunkTiming of a streamed request, time to first audio so far (ms)
    streamDone = Signal(object)  # StreamReport, just before the request's resultReady
    exportProgress = Signal(int, int, str)  # lines done, total, message
    exportDone = Signal(object)  # BatchResult (cancelled ones too: their files are kept)
    playbackProblem = Signal(str)
    cancelled = Signal(int)  # job id whose result was dropped
    superseded = Signal(int)  # job id replaced by a newer request before it ran

    _wake = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        factory_maker: Callable[[], SessionFactory] | None = None,
        home: Path | None = None,
        stream_factory=None,
    ):
        super().__init__(parent)
        self.queue = JobQueue()
        self._ids = itertools.count(1)
        self._jobs: dict[int, Job] = {}
        self._dropped: set[int] = set()
        self._running: Job | None = None
        self._busy = False
        self.thread = QThread()
        self.thread.setObjectName("sbv2-worker")
        self.core = _WorkerCore(self.queue, factory_maker or default_factory, home, stream_factory)
        self.core.moveToThread(self.thread)
        self._wake.connect(self.core.drain)
        c = self.core
        c.started.connect(self._on_started)
        c.finished.connect(self._on_finished)
        c.progress.connect(self._on_progress)
        c.stage.connect(self._on_stage)
        c.result.connect(self._on_result)
        c.loaded.connect(self._on_loaded)
        c.warmed.connect(self._on_warmed)
        c.failed.connect(self._on_failed)
        c.fallback.connect(self._on_fallback)
        c.ranOn.connect(self.ranOn)
        c.scanned.connect(self._on_scanned)
        c.imported.connect(self._on_imported)
        c.removed.connect(self._on_removed)
        c.compared.connect(self._on_compared)
        c.chunk.connect(self._on_chunk)
        c.streamed.connect(self._on_streamed)
        c.exported.connect(self._on_exported)
        c.playbackProblem.connect(self.playbackProblem)
        c.cancelledJob.connect(self._on_cancelled)
        self.thread.start()

    # -- requests (GUI thread) ----------------------------------------------------------------------------------

    def _submit(self, kind: str, **kw) -> int:
        job = Job(next(self._ids), kind, **kw)
        self._jobs[job.id] = job
        for old in self.queue.put(job):
            self._dropped.add(old.id)
            self._jobs.pop(old.id, None)
            self.superseded.emit(old.id)
        self._set_busy(True)
        self._wake.emit()
        return job.id

    def scan(self, extra_roots: list[str] | None = None) -> int:
        return self._submit(SCAN, extra_roots=list(extra_roots or []))

    def import_model(self, path: str | Path, extra_roots: list[str] | None = None) -> int:
        return self._submit(IMPORT, path=str(path), extra_roots=list(extra_roots or []))

    def remove_model(self, entry, extra_roots: list[str] | None = None) -> int:
        """Delete a voice from the library folder (voices in added folders are refused by the library)."""
        return self._submit(REMOVE, entry=entry, extra_roots=list(extra_roots or []))

    def load(
        self,
        entry_id: str,
        bert_backend: Backend = CPU,
        synth_backend: Backend = CPU,
        *,
        warmup_runs: int = 1,
        bert_path: str | None = None,
        prepare_stream: bool = False,
    ) -> int:
        return self._submit(
            LOAD,
            entry_id=entry_id,
            bert_backend=bert_backend,
            synth_backend=synth_backend,
            runs=warmup_runs,
            bert_path=bert_path,
            prepare_stream=prepare_stream,
        )

    def warm_up(self, runs: int = 2) -> int:
        return self._submit(WARMUP, runs=runs)

    def prepare_streaming(self) -> int:
        """Get the loaded voice ready to stream (split graphs, sessions, one streamed warm-up)."""
        return self._submit(PREPARE)

    def synthesize(self, text: str, params: SynthesisParams) -> int:
        return self._submit(SYNTH, text=text, params=params)

    def stream(self, text: str, params: SynthesisParams, *, device: int | None = None, play: bool = True) -> int:
        """Speak while synthesizing (SBV2 voices; the built-in voice is made whole). A streamed request that is
        still speaking is interrupted: the person wants to hear their latest text now."""
        running = self.queue.running
        if running is not None and running.kind == STREAM and not running.cancelled:
            self._drop_running(running)
        return self._submit(STREAM, text=text, params=params, device=device, play=play)

    def stop_speaking(self) -> None:
        """Silence a streamed request at once; it still finishes (its audio can be played again and saved)."""
        running = self.queue.running
        if running is not None and running.kind == STREAM and running.on_stop is not None:
            running.on_stop()

    def export_lines(
        self, out_dir: str | Path, params: SynthesisParams, *, path: str | Path | None = None,
        lines: list[str] | None = None,
    ) -> int:  # fmt: skip
        """One WAV per line of a text file (or of `lines`) plus joined.wav, into `out_dir`."""
        return self._submit(
            EXPORT, out_dir=str(out_dir), params=params, path=str(path) if path else None, lines=list(lines or [])
        )

    def compare(
        self,
        text: str,
        params: SynthesisParams,
        configs: list[CompareConfig],
        runs: int = 5,
        warmup_runs: int = 2,
        bert_path: str | None = None,
    ) -> int:
        return self._submit(
            COMPARE, text=text, params=params, configs=list(configs), runs=runs, warmup_runs=warmup_runs,
            bert_path=bert_path,
        )

    def retry_gpu(self) -> int:
        return self._submit(RETRY)

    def cancel(self) -> list[int]:
        """Drop every waiting job and ignore the running one's result. Returns the affected job ids."""
        dropped, running = self.queue.cancel_all(running_too=False)
        ids = [j.id for j in dropped]
        for j in dropped:
            self._dropped.add(j.id)
            self._jobs.pop(j.id, None)
            self.cancelled.emit(j.id)
        if running is not None and running.kind not in (SCAN, IMPORT, REMOVE, RETRY):  # those finish: they change state
            self._drop_running(running)
            ids.append(running.id)
        if running is None:
            self._set_busy(False)
        return ids

    def _drop_running(self, running: Job) -> None:
        running.cancelled = True
        if running.kind != EXPORT:  # a cancelled export still reports the files it wrote
            self._dropped.add(running.id)
        if running.on_stop is not None:
            running.on_stop()

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def running(self) -> Job | None:
        return self._running

    def pending(self) -> list[Job]:
        return self.queue.waiting()

    def shutdown(self, timeout_ms: int = 60_000) -> None:
        """Cancel what is queued and stop the thread (waits for the running step to end)."""
        self.queue.cancel_all()
        self.stop_speaking()
        self.thread.quit()
        self.thread.wait(timeout_ms)
        self.core.close_speaker()  # the thread has stopped: nothing else touches the speaker

    # -- from the core (delivered in the GUI thread) ----------------------------------------------------------------

    def _live(self, job_id: int) -> bool:
        return job_id not in self._dropped

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busyChanged.emit(busy)

    @Slot(object)
    def _on_started(self, job: Job) -> None:
        self._running = job
        if self._live(job.id):
            self.jobStarted.emit(job)

    @Slot(object)
    def _on_finished(self, job: Job) -> None:
        self._running = None
        self._jobs.pop(job.id, None)
        self.jobFinished.emit(job)
        if not len(self.queue) and self.queue.running is None:
            self._set_busy(False)

    @Slot(int, int, int, str)
    def _on_progress(self, job_id: int, done: int, total: int, message: str) -> None:
        if not self._live(job_id):
            return
        job = self._jobs.get(job_id)
        if job is not None and job.kind == COMPARE:
            self.compareProgress.emit(done, total, message)
        elif job is not None and job.kind == EXPORT:
            self.exportProgress.emit(done, total, message)
        else:
            self.loadProgress.emit(done, total, message)

    @Slot(int, object)
    def _on_stage(self, job_id: int, timing) -> None:
        if self._live(job_id):
            self.stageTimed.emit(timing)

    @Slot(int, object)
    def _on_result(self, job_id: int, result) -> None:
        if self._live(job_id):
            self.resultReady.emit(result)
        else:
            self.cancelled.emit(job_id)

    @Slot(int, object)
    def _on_loaded(self, job_id: int, info: VoiceInfo) -> None:
        self.loaded.emit(info)  # state, not output: the core already kept the old voice if it was cancelled

    @Slot(int, object)
    def _on_warmed(self, job_id: int, totals) -> None:
        self.warmedUp.emit(totals)

    @Slot(int, str, str)
    def _on_failed(self, job_id: int, kind: str, message: str) -> None:
        if not self._live(job_id):
            self.cancelled.emit(job_id)
            return
        job = self._jobs.get(job_id) or Job(job_id, kind)
        self.jobFailed.emit(job, message)
        self.error.emit(message)

    @Slot(object)
    def _on_fallback(self, event: FallbackEvent) -> None:
        self.fallbackEvent.emit(event)
        self.fallback.emit(event.describe())

    @Slot(int, object)
    def _on_scanned(self, job_id: int, entries) -> None:
        self.libraryScanned.emit(entries)

    @Slot(int, object)
    def _on_imported(self, job_id: int, entry) -> None:
        self.modelImported.emit(entry)

    @Slot(int, object)
    def _on_removed(self, job_id: int, entry) -> None:
        self.modelRemoved.emit(entry)

    @Slot(int, object)
    def _on_compared(self, job_id: int, result: CompareResult) -> None:
        if self._live(job_id):
            self.compareDone.emit(result)
        else:
            self.cancelled.emit(job_id)

    @Slot(int, object, object)
    def _on_chunk(self, job_id: int, timing, ttfa_ms) -> None:
        if self._live(job_id):
            self.chunkReady.emit(timing, ttfa_ms)

    @Slot(int, object)
    def _on_streamed(self, job_id: int, report) -> None:
        if self._live(job_id):
            self.streamDone.emit(report)

    @Slot(int, object)
    def _on_exported(self, job_id: int, result) -> None:
        self.exportDone.emit(result)

    @Slot(int)
    def _on_cancelled(self, job_id: int) -> None:
        self.cancelled.emit(job_id)
