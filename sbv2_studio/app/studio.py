"""The application core (no Qt): it owns the current voice and runs jobs from a JobQueue, one at a time, on
whatever thread calls `drain()`, reporting what happens as named events.

The window's worker (ui/worker.py) runs it on a QThread and turns each event into a Qt signal; a headless front end
(an HTTP server, a test) passes any callable. Events, with their arguments (every one carries the job id where
there is a job):

    started(job) finished(job) progress(id, done, total, message) stage(id, StageTiming) result(id, SynthesisResult)
    loaded(id, VoiceInfo) warmed(id, [ms]) failed(id, kind, message) fallback(FallbackEvent) ranOn({stage: provider})
    scanned(id, [ModelEntry]) imported(id, ModelEntry) removed(id, ModelEntry) compared(id, CompareResult)
    chunk(id, ChunkTiming, ttfa_ms) streamed(id, SynthesisResult) exported(id, BatchResult)
    defaultsChosen(id, precision.Defaults)
    playbackProblem(message) cancelledJob(id)
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from ..audio import AudioDeviceError
from ..audio.player import StreamPlayer
from ..engine.params import SynthesisParams
from ..engine.synthesis import SynthesisPlan
from ..errors import StudioError
from ..models.library import BUILTIN_ID, Library
from ..runtime.backends import CPU, Backend, FallbackEvent, SessionConfig, SessionFactory
from .compare import CompareConfig, not_running, run_comparison
from .export import count_lines, export_lines, format_progress, read_lines
from .jobs import REQUEST, SPEECH, Job, JobQueue, VoiceInfo, message
from .precision import fastest_safe_defaults
from .takes import TakeHistory
from .voices import VOICE_CACHE, open_voice

log = logging.getLogger(__name__)
STREAM_WARM_UPS = 2  # streamed warm-up requests when a voice loads with streaming on (see _prepare_streaming)
EventSink = Callable[..., None]  # (event name, *arguments)


def default_cpu_threads() -> int | None:
    """CPU threads per session in the app: SBV2_STUDIO_CPU_THREADS where set, else None, the engine's own choice (one
    per physical core: onnxruntime and OpenVINO both count them). Sessions do not spin between operations
    (SessionConfig.allow_spinning), so the window keeps up with every core busy. Measured on a 2-core machine
    without SMT (the real window under Xvfb, full-size voice; this used to leave one core to the window): a
    44-character sentence 1.10 s with both cores against 1.77 s with one on OpenVINO bf16, 2.08 against 3.35-3.52 s
    on onnxruntime, a streamed paragraph RTF 0.42 against 0.61 with 0 underruns either way; the window's longest
    pause 40-45 ms against 36-40."""
    override = os.environ.get("SBV2_STUDIO_CPU_THREADS", "").strip()
    if override.isdigit() and int(override) > 0:
        return int(override)
    return None


def default_factory() -> SessionFactory:
    """The app's session factory (fault injection still comes from SBV2_STUDIO_FAULT)."""
    return SessionFactory(SessionConfig(cpu_threads=default_cpu_threads()))


class Studio:
    """Runs jobs against the current voice. Not thread-safe by itself: one thread calls `drain()`; others only
    put jobs on the queue and set `job.cancelled`."""

    def __init__(
        self,
        queue: JobQueue,
        emit: EventSink = lambda event, *args: None,
        *,
        factory_maker: Callable[[], SessionFactory] = default_factory,
        home: Path | None = None,
        stream_factory=None,
        streaming_plan: SynthesisPlan | None = None,
        keep_whole_graph: bool = False,
    ):
        self.queue = queue
        self.emit = emit
        self.factory_maker = factory_maker
        self.home = home
        self.voice = None
        self.info: VoiceInfo | None = None
        self.extra_roots: list[str] = []
        self.stream_factory = stream_factory  # None: sounddevice; tests and headless runs inject a clock
        self.streaming_plan = streaming_plan or SynthesisPlan.streaming()
        # Getting streaming ready frees the whole synthesizer's session (the window streams, or it does not); an
        # HTTP engine (or the window while it serves the API) is asked for whole and streamed requests alike and
        # keeps it (reopening takes seconds).
        self.keep_whole_graph = keep_whole_graph
        self.speaker: StreamPlayer | None = None  # one output stream, kept open between streamed requests
        self.takes = TakeHistory()  # every finished request, with its seed: replay, compare, restore

    def library(self, extra_roots: list[str] | None = None) -> Library:
        if extra_roots is not None:
            self.extra_roots = list(extra_roots)
        return Library(extra_roots=self.extra_roots, home=self.home)

    def _on_fallback(self, event: FallbackEvent) -> None:
        self.emit("fallback", event)

    def drain(self) -> None:
        """Run every queued job, in order, until the queue is empty."""
        while (job := self.queue.take()) is not None:
            self.run(job)

    def run(self, job: Job) -> None:
        self.emit("started", job)
        try:
            getattr(self, f"_do_{job.kind}")(job)
        except Exception as exc:
            if not isinstance(exc, StudioError):
                log.error("job %s failed:\n%s", job.kind, traceback.format_exc())
            job.error = exc
            if job.cancelled:
                self.emit("cancelledJob", job.id)
            else:
                self.emit("failed", job.id, job.kind, message(exc))
        finally:
            self.queue.done(job)
            job.done.set()
            self.emit("finished", job)

    def need_voice(self):
        if self.voice is None:
            raise StudioError("no voice is loaded yet")
        return self.voice

    # -- the library -----------------------------------------------------------------------------------------

    def _do_scan(self, job: Job) -> None:
        self.emit("scanned", job.id, self.library(job.extra_roots).scan())

    def _do_import(self, job: Job) -> None:
        def converting(fraction: float, what: str) -> None:  # safetensors voices are converted to ONNX first
            self.emit("progress", job.id, round(fraction * 100), 100, f"Converting {Path(job.path).name}: {what}…")

        self.emit("imported", job.id, self.library(job.extra_roots).import_model(job.path, progress=converting))

    def _do_remove(self, job: Job) -> None:
        # its sessions closed first: on Windows a file they hold open (its cached graphs) cannot be deleted
        VOICE_CACHE.forget(job.entry.path)
        self.library(job.extra_roots).remove(job.entry)
        self.emit("removed", job.id, job.entry)

    # -- the voice -------------------------------------------------------------------------------------------

    def _open(self, entry_id: str | None, bert_path: str | None, bert: Backend, synth: Backend, on_fallback=None):
        return open_voice(
            entry_id or BUILTIN_ID, library=self.library(), bert=bert_path, bert_backend=bert,
            synth_backend=synth, factory=self.factory_maker(), on_fallback=on_fallback,
        )  # fmt: skip

    def _do_load(self, job: Job) -> None:
        entry_id = job.entry_id or BUILTIN_ID
        self.emit("progress", job.id, 0, 0, f"Loading {Path(entry_id).name}…")
        voice = self._open(entry_id, job.bert_path, job.bert_backend, job.synth_backend, self._on_fallback)
        if job.cancelled:  # the person cancelled while it loaded: keep the voice they had
            self.emit("cancelledJob", job.id)
            return
        old, self.voice = self.voice, voice
        del old
        self.info = VoiceInfo.of(voice, entry_id, job.bert_backend, job.synth_backend)
        self.emit("loaded", job.id, self.info)
        self.emit("ranOn", self.info.ran_on)
        if job.runs > 0:
            self._warm(job)
        if job.prepare_stream and not job.cancelled:
            self._prepare_streaming(job, warm=job.runs > 0)

    def _warm(self, job: Job) -> None:
        def on_progress(done: int, total: int, ms: float) -> None:
            self.emit("progress", job.id, done, total, f"Warming up {done}/{total} ({ms:.0f} ms)")

        self.emit("progress", job.id, 0, job.runs, f"Warming up 0/{job.runs}")
        totals = self.voice.warm_up(job.runs, on_progress=on_progress)
        self.emit("warmed", job.id, totals)
        self.emit("ranOn", dict(self.voice.ran_on()))

    def _do_warmup(self, job: Job) -> None:
        self.need_voice()
        self._warm(job)

    def _prepare_streaming(self, job: Job, warm: bool = False) -> None:
        """Get the voice's chunked decoding ready (graph split and sessions: seconds on a model's first use)."""
        voice, decoder = self.voice, self.streaming_plan.decoder
        if voice.kind != "sbv2":
            return  # the built-in voice has nothing to open
        if not voice.streamer(decoder).ready:
            self.emit("progress", job.id, 0, 0, "Getting streaming ready (the first time splits the voice's graph)…")
        # also frees the whole graph again if a whole request reopened it
        voice.prepare_streaming(decoder, free_whole=not self.keep_whole_graph)
        # Warm while no streamed request has run, whether or not the split graphs were open already: a voice whose
        # synthesizer runs below FP32 opens them for whole requests too (its warm-up did), and its first streamed
        # request was then the cold one (OpenVINO's first runs, no measured speed): playback began after 1.1-1.7 s
        # instead of 0.2-0.4 s (real window, full-size voice, OpenVINO bf16, measured).
        if warm and voice.is_cold(self.streaming_plan):
            self.emit("progress", job.id, 0, 0, "Warming up streaming…")
            # the chunk shapes' warm-up gives way to a person's request: it would wait seconds for it
            voice.warm_streaming(self.streaming_plan, STREAM_WARM_UPS, stop=self._speech_waiting)

    def _speech_waiting(self) -> bool:
        return any(j.kind in SPEECH or j.kind == REQUEST for j in self.queue.waiting())

    def _do_prepare(self, job: Job) -> None:
        self.need_voice()
        self._prepare_streaming(job, warm=True)

    def _do_retry(self, job: Job) -> None:
        voice = self.need_voice()
        voice.retry_gpu()
        self.emit("ranOn", dict(voice.ran_on()))

    # -- speech ----------------------------------------------------------------------------------------------

    def _do_synth(self, job: Job) -> None:
        """The whole result (SynthesisPlan.whole()); Cancel stops it before the next stage's chunk."""
        self._speak(job, SynthesisPlan.whole(), play=False)

    def _do_stream(self, job: Job) -> None:
        """Speak while synthesizing (the streaming plan), and hand over the same result as a whole request."""
        self._prepare_streaming(job)
        self._speak(job, self.streaming_plan, play=job.play)

    def _do_read_ahead(self, job: Job) -> None:
        """Compute what the person's next request will need first (the loaded voice's BERT features of the text
        they paused typing), segment by segment as that request would speak them, until another job waits.
        It is no request: nothing is reported, and a text it cannot read is left to the request to say why.
        Measured (full-size voice, OpenVINO bf16, new paragraphs of 42-53 characters streamed, 2-core CPU): the
        first audio came 113-154 ms after the request in 11 of 12 with the text read ahead, 167-258 ms without."""
        voice = self.voice
        if voice is None or job.cancelled:
            return
        plan = self.streaming_plan if job.play else SynthesisPlan.whole()
        try:
            voice.read_ahead(job.text, job.params, plan, stop=lambda: job.cancelled or len(self.queue) > 0)
        except StudioError as exc:
            log.debug("reading ahead stopped: %s", exc)

    def _do_request(self, job: Job) -> None:
        """Another program's request (the HTTP API): its voice (the loaded one, or another from the voice cache,
        leaving the loaded one as it is), its plan, each chunk handed to `job.on_audio` as it is made."""
        if job.cancelled:  # its client went away while it waited
            self.emit("cancelledJob", job.id)
            return
        if job.call is not None:  # e.g. a dictionary change: OpenJTalk is not touched while a request reads text
            job.result = job.call()
            return
        info = self.info
        same = info is not None and job.entry_id in (None, info.entry_id)
        if same and (job.bert_backend, job.synth_backend) == (info.bert_backend, info.synth_backend):
            voice = self.voice
        elif job.entry_id is None and self.voice is None:
            raise StudioError("no voice is loaded yet")
        else:
            voice = self._open(job.entry_id, job.bert_path, job.bert_backend, job.synth_backend, self._on_fallback)
        speech = job.query if job.query is not None else job.text
        self._speak(job, job.plan or SynthesisPlan.whole(), play=False, voice=voice, speech=speech)

    def _speak(self, job: Job, plan: SynthesisPlan, play: bool, voice=None, speech=None) -> None:
        voice = voice or self.need_voice()
        streamed = plan.chunked or play

        def on_stage(timing) -> None:
            if job.cancelled:
                stream.cancel()  # Cancel stops the request at its next stage, streamed or not
            elif not streamed:  # a streamed request's stages come with its chunks
                self.emit("stage", job.id, timing)

        def on_chunk(timing) -> None:
            if job.cancelled:
                stream.cancel()
            elif streamed:
                self.emit("chunk", job.id, timing, stream.result.ttfa_ms)

        stream = voice.stream(job.text if speech is None else speech, job.params, plan, on_chunk=on_chunk,
                              on_stage=on_stage)  # fmt: skip
        speaker = self._open_speaker(job, voice.sample_rate) if play else None

        def stop() -> None:  # from another thread: silence at once, keep synthesizing
            job.muted = True
            if speaker is not None:
                speaker.clear()

        job.on_stop = stop
        if speaker is not None:
            speaker.begin()
        underruns = speaker.stats.underruns if speaker else 0
        silence = speaker.stats.underrun_frames if speaker else 0
        try:
            for chunk in stream:
                if job.cancelled:
                    stream.cancel()
                    continue  # the stream ends at once
                if job.on_audio is not None:
                    job.on_audio(chunk)
                if speaker is not None and not job.muted:
                    speaker.feed(chunk.audio, hold=chunk.timing.buffering)  # the start buffer waits
        finally:
            if speaker is not None:
                speaker.end()
                if job.cancelled or job.muted:
                    speaker.clear()
        result = stream.result
        if speaker is not None:
            # All audio is queued once the stream ends, so no underrun can come after this point.
            result.underruns = speaker.stats.underruns - underruns
            result.underrun_ms = (speaker.stats.underrun_frames - silence) * 1000.0 / speaker.sample_rate
        job.result = result
        if job.cancelled:
            self.emit("cancelledJob", job.id)
            return
        self.emit("ranOn", dict(result.ran_on) if result.ran_on else dict(voice.ran_on()))
        if result.finished and result.pcm16 is not None:
            result.take_id = self.takes.record(job.text, job.params or SynthesisParams(), result, voice).id
        if streamed:
            self.emit("streamed", job.id, result)
        self.emit("result", job.id, result)

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
                self.emit("playbackProblem", f"{exc}; the speech is still made, and you can save it")
                return None
            self.speaker = speaker
        return speaker

    def close_speaker(self) -> None:
        speaker, self.speaker = self.speaker, None
        if speaker is not None:
            speaker.close()

    def _do_export(self, job: Job) -> None:
        voice = self.need_voice()
        if job.path:
            try:
                total, last = count_lines(job.path), count_lines(job.path, blank=True)
            except (OSError, UnicodeDecodeError) as exc:
                raise StudioError(f"{job.path}: cannot read it as UTF-8 text ({exc})") from exc
            lines = read_lines(job.path)
        else:
            lines, last = list(job.lines), len(job.lines)
            total = sum(1 for line in lines if line.strip())
        started = time.perf_counter()

        def on_progress(done: int, total: int | None, line) -> None:
            text = format_progress(done, total, line, time.perf_counter() - started)
            self.emit("progress", job.id, done, total or 0, text)

        self.emit("progress", job.id, 0, total, f"Exporting {total} lines to {job.out_dir}…")
        result = export_lines(
            voice, lines, job.out_dir, job.params, total=total, last_number=last, on_progress=on_progress,
            should_stop=lambda: job.cancelled,
        )  # fmt: skip
        self.emit("exported", job.id, result)

    # -- comparison ------------------------------------------------------------------------------------------

    def _do_compare(self, job: Job) -> None:
        voice = self.need_voice()
        info = self.info

        def open_config(config: CompareConfig, on_fallback):
            return self._open(info.entry_id, job.bert_path, config.bert, config.synth, on_fallback)

        result = run_comparison(
            voice, job.configs, job.text, job.params, runs=job.runs, warmup_runs=job.warmup_runs,
            label=info.label, is_loaded=self.runs_config, open_config=open_config,
            progress=lambda done, total, text: self.emit("progress", job.id, done, total, text),
            cancelled=lambda: job.cancelled,
        )  # fmt: skip
        if job.cancelled:
            self.emit("cancelledJob", job.id)
            return
        self.emit("compared", job.id, result)

    def _do_defaults(self, job: Job) -> None:
        """Measure the fastest configuration within the fidelity limits on the loaded SBV2 voice and store it as this
        machine's defaults (app.precision.fastest_safe_defaults); the front end shows it and selects it."""
        info = self.info
        if info is None or info.kind != "sbv2":
            raise StudioError("finding the fastest backends needs an SBV2 voice loaded (the built-in voice runs on "
                              "OpenJTalk alone)")  # fmt: skip
        self.emit("progress", job.id, 0, 0, "Measuring the fastest backends within the fidelity limits…")
        # Measured with the loaded voice's own BERT. On the starting choice (onnxruntime's CPU at FP32) that voice
        # is the reference itself: measured against as it is, rather than beside a second copy (1.6 GB more at the
        # peak for a full-size voice).
        exact = (info.bert_backend, info.synth_backend) == (CPU, CPU)
        chosen = fastest_safe_defaults(info.entry_id, str(self.voice.bert_model.folder), library=self.library(),
                                       force=True, reference=self.voice if exact else None)  # fmt: skip
        self.emit("defaultsChosen", job.id, chosen)

    def runs_config(self, config: CompareConfig) -> bool:
        """True when the loaded voice already runs this configuration (so it is measured, not reloaded)."""
        info = self.info
        if (info.bert_backend, info.synth_backend) != (config.bert, config.synth):
            return False
        return not_running(config, self.voice.ran_on()) is None


__all__ = ["Studio", "default_cpu_threads", "default_factory"]
