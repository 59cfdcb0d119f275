"""The window's side of the application core: `app.studio.Studio` on its own QThread, its events as signals.

Two halves:

- `_WorkerCore` is moved to a QThread. It holds the Studio (which alone holds the Voice) and turns each of the
  Studio's events into the signal of the same name.
- `Worker` lives in the GUI thread. The window calls its methods (each returns a job id at once) and connects to
  its signals. It receives the core's signals through queued connections, drops what belongs to cancelled jobs,
  and re-emits them, so every public signal is delivered in the GUI thread.

The queue rules (what replaces what, what Cancel stops) are the application layer's: see app/jobs.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..app import CPU, Backend, FallbackEvent, SessionFactory, SynthesisParams
from ..app.compare import CompareConfig, CompareResult
from ..app.jobs import (
    COMPARE,
    DEFAULTS,
    EXPORT,
    IMPORT,
    LOAD,
    PREPARE,
    READ_AHEAD,
    REMOVE,
    RETRY,
    SCAN,
    STREAM,
    SYNTH,
    WARMUP,
    Job,
    JobQueue,
    VoiceInfo,
)
from ..app.studio import Studio, default_cpu_threads, default_factory


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
    defaultsChosen = Signal(int, object)  # job id, app.precision.Defaults
    chunk = Signal(int, object, object)  # job id, ChunkTiming, time to first audio so far (ms or None)
    streamed = Signal(int, object)  # job id, SynthesisResult of a streamed request (just before `result`)
    exported = Signal(int, object)  # job id, BatchResult (also when cancelled: the files so far are kept)
    playbackProblem = Signal(str)  # the speaker could not be used; the request still runs
    cancelledJob = Signal(int)

    def __init__(self, queue: JobQueue, factory_maker: Callable[[], SessionFactory], home: Path | None,
                 stream_factory=None):  # fmt: skip
        super().__init__()
        self.studio = Studio(queue, self._emit, factory_maker=factory_maker, home=home, stream_factory=stream_factory)

    def _emit(self, event: str, *args) -> None:
        getattr(self, event).emit(*args)

    @property
    def voice(self):
        return self.studio.voice

    @property
    def home(self) -> Path | None:
        return self.studio.home

    @Slot()
    def drain(self) -> None:
        self.studio.drain()

    def close_speaker(self) -> None:
        self.studio.close_speaker()


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
    apiResult = Signal(object)  # SynthesisResult of an HTTP API request (not the person's: kept out of resultReady)
    apiFailed = Signal(str)  # an HTTP API request failed (its client got the message)
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
    defaultsChosen = Signal(object)  # app.precision.Defaults: measured and stored for this machine
    chunkReady = Signal(object, object)  # ChunkTiming of a streamed request, time to first audio so far (ms)
    streamDone = Signal(object)  # SynthesisResult of a streamed request, just before its resultReady
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
        self._api_ids: set[int] = set()  # jobs of the HTTP API (api_runner), added from the server's thread
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
        c.defaultsChosen.connect(self._on_defaults)
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
        running = self.queue.interrupting(STREAM)
        if running is not None:
            self._drop_running(running)
        return self._submit(STREAM, text=text, params=params, device=device, play=play)

    def read_ahead(self, text, params: SynthesisParams, *, streamed: bool) -> int | None:
        """Compute, while nothing else runs, what a request for `text` will need first (Studio._do_read_ahead).
        Not a request: the window does not show it as work (not busy, no status), and any job the person or a
        program starts stops it. None when the worker is busy (its work comes first)."""
        if self.queue.running is not None or len(self.queue):
            return None
        job = Job(next(self._ids), READ_AHEAD, text=text, params=params, play=streamed)
        self.queue.put(job)
        self._wake.emit()
        return job.id

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
            COMPARE,
            text=text,
            params=params,
            configs=list(configs),
            runs=runs,
            warmup_runs=warmup_runs,
            bert_path=bert_path,
        )

    def retry_gpu(self) -> int:
        return self._submit(RETRY)

    def choose_defaults(self) -> int:
        """Measure, on the loaded SBV2 voice (with its BERT), the fastest backends within the fidelity limits
        (defaultsChosen)."""
        return self._submit(DEFAULTS)

    def api_runner(self):
        """The HTTP API's runner on this worker's Studio and queue (app/server/runner.py): Tools → Serve the API
        passes it to app.server.ApiServer, so API requests wait in the person's queue (kind REQUEST)."""
        from ..app.server.runner import JobRunner

        return JobRunner(self.core.studio, self._wake.emit, self._ids, on_submit=lambda job: self._api_ids.add(job.id))

    def set_serving(self, on: bool) -> None:
        """While the window serves the API, other programs' whole requests come between the person's streamed
        ones: the whole synthesizer's session stays open (Studio.keep_whole_graph). Freed at each streamed request,
        every API whole request reopened it: 1.55-1.65 s each instead of 0.77-0.84 s (full-size voice,
        onnxruntime FP32, measured)."""
        self.core.studio.keep_whole_graph = on

    def cancel(self) -> list[int]:
        """Drop every waiting job and ignore the running one's result. Returns the affected job ids."""
        dropped, running = self.queue.cancel()
        ids = [j.id for j in dropped]
        for j in dropped:
            self._dropped.add(j.id)
            self._jobs.pop(j.id, None)
            self.cancelled.emit(j.id)
        if running is not None:
            self._drop_running(running)
            ids.append(running.id)
        if self.queue.running is None:
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
        if self._live(job.id) and job.kind != READ_AHEAD:
            self.jobStarted.emit(job)

    @Slot(object)
    def _on_finished(self, job: Job) -> None:
        self._api_ids.discard(job.id)
        self._running = None
        self._jobs.pop(job.id, None)
        if job.kind != READ_AHEAD:
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
        if job_id in self._api_ids:
            self.apiResult.emit(result)
        elif self._live(job_id):
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
        if job_id in self._api_ids:
            self.apiFailed.emit(message)
            return
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

    @Slot(int, object)
    def _on_defaults(self, job_id: int, defaults) -> None:
        if self._live(job_id):
            self.defaultsChosen.emit(defaults)
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
        if job_id not in self._api_ids:  # an API client that went away is not the person's cancel
            self.cancelled.emit(job_id)


__all__ = ["Job", "JobQueue", "VoiceInfo", "Worker", "default_cpu_threads", "default_factory"]
