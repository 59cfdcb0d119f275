"""The one path from text to sound: a plan, one loop, one stream of chunks, one result.

Every request, whichever voice and whatever the caller wants, runs `run_plan`:

    segments (plan) → analyze (front end, tokenize; unreadable → skip or raise, per plan)
                    → gap before it (silence between sentences / lines) → render (BERT, align, synthesize)
                    → audio chunks → postprocess (join, 16-bit) → SynthesisResult

What differs between "speak now" (`SynthesisPlan.streaming()`), "whole result" (`SynthesisPlan.whole()`) and
"export" (`SynthesisPlan.export()`) is only the plan: how text is segmented, whether a segment's latent is decoded
in chunks, the pauses, what an unreadable segment does, and whether the audio is kept. `voice.synthesize` is
`voice.stream(..., plan=SynthesisPlan.whole()).collect()`, so streamed and whole audio come from the same code,
with the same timer and the same stage names (STAGES) in the latency panel.

A voice ("renderer") gives the loop `sample_rate`, `label`, `is_cold(plan)`, `stage_provider(stage)` and four
steps: `begin(params, plan, clock, result)` (per-request state), `analyze(text, clock)` (front end and tokenizer;
raises TextError for a segment it cannot read), `render(prepared, state, params, plan, clock, headroom)` (an
iterator of `Rendered` pieces), and `finish()` (which providers ran, fallbacks). The SBV2 pipeline and the
built-in OpenJTalk voice both do.
"""

from __future__ import annotations

import math
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from .. import audio as audio_io
from ..errors import TextError
from .params import SEED_LIMIT, SynthesisParams
from .query import AudioQuery
from .text.segments import DEFAULT_MAX_CHARS, Segment, iter_segments, split_long_line

# One set of stage names for every request and voice (a voice without a stage simply never reports it).
STAGES = ("frontend", "tokenize", "bert", "align", "synthesize", "postprocess")
MAX_TEXT_CHARS = 20_000
# A line is synthesized in one piece up to this length, as the reference does. Longer ones go sentence by sentence
# (packed up to this length): BERT's attention and the decoder's activations grow with a piece's length, and one
# 20,000-character line in one piece would need tens of GB. 200 characters is about 20 s of speech.
LONG_LINE_CHARS = 200
SKIP, RAISE = "skip", "raise"


# --- the plan --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SynthesisPlan:
    """How a request is cut and what it hands back. Frames are latent frames (hop 512: 11.6 ms at 44.1 kHz)."""

    # segmenting: "line" keeps each line whole up to max_segment_chars (longer ones in packed sentences), as the
    # reference synthesizes; "sentence" speaks sentence by sentence (over-long ones split at commas).
    segmenting: str = "sentence"
    max_segment_chars: int = DEFAULT_MAX_CHARS
    first_segment_chars: int | None = 20  # split a longer first sentence once, at a comma (lower TTFA)
    sentence_interval: float = (
        0.0  # seconds of silence between segments of one line (params.line_interval between lines)
    )
    # decoding: chunked decodes each segment's latent chunk by chunk (time to first audio); else segments whole
    chunked: bool = True
    decoder: str = "cascade"  # "cascade": part by part (little recomputation); "overlap": whole decoder per chunk
    first_chunk_frames: int = 12  # the first chunk: small, for time to first audio (12 frames: 139 ms of audio)
    min_chunk_frames: int = 8
    growth: float = 2.0  # each chunk at most this many times the one before
    max_chunk_frames: int = 256
    adaptive: bool = True  # keep each chunk small enough to be ready before the audio in front of it has played
    safety: float = 0.7  # share of that headroom a chunk may use …
    margin_ms: float = 30.0  # … less this (scheduling jitter)
    overlap: int | None = None  # "overlap" decoder: context frames per side (None: receptive field + margin)
    # what an unreadable segment does: "skip" (reported in result.skipped_lines; the rest is spoken) or "raise"
    on_unreadable: str = SKIP
    keep_audio: bool = True  # False: chunks are handed out only (export writes them; memory stays bounded)

    def __post_init__(self) -> None:
        if self.segmenting not in ("line", "sentence"):
            raise ValueError(f"segmenting must be 'line' or 'sentence', not {self.segmenting!r}")
        if self.on_unreadable not in (SKIP, RAISE):
            raise ValueError(f"on_unreadable must be 'skip' or 'raise', not {self.on_unreadable!r}")
        if self.decoder not in ("cascade", "overlap"):
            raise ValueError(f"decoder must be 'cascade' or 'overlap', not {self.decoder!r}")

    @classmethod
    def whole(cls, **changes) -> SynthesisPlan:
        """The whole result at once: each line in one piece as the reference makes it, segments decoded whole."""
        base = cls(segmenting="line", max_segment_chars=LONG_LINE_CHARS, first_segment_chars=None, chunked=False)
        return replace(base, **changes)

    @classmethod
    def streaming(cls, **changes) -> SynthesisPlan:
        """Speak now: sentence by sentence, a short first chunk, chunks sized to keep ahead of playback."""
        return replace(cls(), **changes)

    @classmethod
    def export(cls, **changes) -> SynthesisPlan:
        """Line-by-line export: segmented and decoded as the whole result, the audio written, not kept."""
        return cls.whole(keep_audio=False, **changes)

    def segments(
        self, text: str | Iterable[str | AudioQuery] | AudioQuery, split_lines: bool = True
    ) -> Iterator[Segment]:
        """The request's segments. An AudioQuery (alone, or as a line among text lines) is one segment of its own
        line, spoken as it says: a query is one analysis, already made."""
        if isinstance(text, AudioQuery):
            return _query_segments(self, [text])
        if isinstance(text, (list, tuple)) and any(isinstance(item, AudioQuery) for item in text):
            return _query_segments(self, list(text))
        if self.segmenting == "sentence":
            return iter_segments(text, self.max_segment_chars, self.first_segment_chars, split_lines)
        return _line_segments(text, split_lines, self.max_segment_chars)

    def chunk_sizes(self) -> Iterator[int]:
        """The fixed schedule: first, then ×growth up to max (what the adaptive one does with ample headroom)."""
        size = float(max(1, self.first_chunk_frames))
        while True:
            yield int(min(size, self.max_chunk_frames))
            size = min(size * self.growth, float(self.max_chunk_frames))


def _query_segments(plan: SynthesisPlan, items: list) -> Iterator[Segment]:
    """Lines of which some are queries: each query one segment of its line, text lines segmented by the plan."""
    index = 0
    for number, item in enumerate(item for item in items if isinstance(item, AudioQuery) or str(item).strip()):
        if isinstance(item, AudioQuery):
            pieces = [Segment(item.text, 0, 0, True, True, query=item)]
        else:
            pieces = list(plan.segments(str(item).rstrip("\r\n"), split_lines=False))
        for seg in pieces:
            yield replace(seg, index=index, line=number)
            index += 1


def _line_segments(text: str | Iterable[str], split_lines: bool, max_chars: int) -> Iterator[Segment]:
    """Lines as they are (blank ones dropped); a line longer than max_chars in packed sentences."""
    if isinstance(text, str):
        lines: Iterable[str] = text.split("\n") if split_lines else [text]
    else:
        lines = (line.rstrip("\r\n") for line in text)
    index = 0
    for number, line in enumerate(line for line in lines if line.strip()):
        pieces = split_long_line(line, max_chars)
        for j, piece in enumerate(pieces):
            yield Segment(piece, index, number, j == 0, j == len(pieces) - 1)
            index += 1


def check_text(text: str | Iterable[str] | AudioQuery) -> None:
    """Refuse empty or oversized text before anything runs (an iterable of lines is read lazily: not checked; a
    query is checked as it is spoken)."""
    if isinstance(text, AudioQuery):
        text.validate()
        return
    if not isinstance(text, str):
        return
    if not text or not text.strip():
        raise TextError("the text is empty: type some Japanese to speak")
    if len(text) > MAX_TEXT_CHARS:
        raise TextError(f"the text has {len(text):,} characters; at most {MAX_TEXT_CHARS:,} fit in one request")


# --- records ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageTiming:
    """One stage run, as it completes (the latency panel's live bars)."""

    stage: str
    ms: float
    ran_on: str | None  # the provider that really executed an onnxruntime stage
    line: int = 0  # the segment it ran for


@dataclass(frozen=True)
class ChunkTiming:
    """What the latency panel draws for one chunk. Times are milliseconds since the request started."""

    index: int
    kind: str  # "speech", or "gap" (silence between sentences / lines)
    segment: int  # -1 for gaps
    line: int
    start_sample: int  # where the chunk begins in the stream
    samples: int
    frames: tuple[int, int] | None  # latent frames of its segment it holds [start, end)
    decoded_frames: tuple[int, int] | None  # latent frames decoded for it (with overlap)
    stages_ms: dict[str, float]  # processing spent on this chunk, per stage
    started_ms: float  # its processing began
    ready_ms: float  # it was handed out
    last_in_segment: bool = True

    @property
    def proc_ms(self) -> float:
        return float(sum(self.stages_ms.values()))

    def to_dict(self, sample_rate: int) -> dict:
        d = asdict(self)
        d["proc_ms"] = round(self.proc_ms, 3)
        d["stages_ms"] = {k: round(v, 3) for k, v in self.stages_ms.items()}
        d["audio_start_ms"] = round(self.start_sample * 1000.0 / sample_rate, 3)
        d["audio_ms"] = round(self.samples * 1000.0 / sample_rate, 3)
        for key in ("started_ms", "ready_ms"):
            d[key] = round(d[key], 3)
        return d


@dataclass(frozen=True)
class AudioChunk:
    audio: np.ndarray  # float32 mono, as the synthesizer produced it (not normalized)
    timing: ChunkTiming
    sample_rate: int

    @property
    def seconds(self) -> float:
        return len(self.audio) / self.sample_rate


@dataclass(frozen=True)
class Rendered:
    """One piece of a segment's audio from a voice's `render`, with where it lies in the segment's latent."""

    audio: np.ndarray
    frames: tuple[int, int] | None = None
    decoded_frames: tuple[int, int] | None = None
    last: bool = True


def timeline_rows(chunks: Iterable[ChunkTiming], ttfa_ms: float | None, sample_rate: int) -> list[dict]:
    """One row per chunk: when its processing ran (started → ready) and when a player that started with the
    first chunk plays it (play_from → play_to), all in ms since the request began; `late_ms` > 0 where it was
    ready after it was due (that player would have starved)."""
    rows = []
    ttfa = ttfa_ms or 0.0
    for c in chunks:
        play_from = ttfa + c.start_sample * 1000.0 / sample_rate
        rows.append(
            {
                "index": c.index,
                "kind": c.kind,
                "segment": c.segment,
                "started_ms": round(c.started_ms, 3),
                "ready_ms": round(c.ready_ms, 3),
                "play_from_ms": round(play_from, 3),
                "play_to_ms": round(play_from + c.samples * 1000.0 / sample_rate, 3),
                "late_ms": round(max(0.0, c.ready_ms - play_from), 3) if c.start_sample else 0.0,
                "stages_ms": {k: round(v, 3) for k, v in c.stages_ms.items()},
            }
        )
    return rows


@dataclass
class SynthesisResult:
    """Everything about one request, whole or streamed (filled in while it runs; complete when `finished`)."""

    sample_rate: int
    voice: str = ""
    audio: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))  # float32, as synthesized
    pcm16: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int16))  # peak-normalized int16 of audio
    timings_ms: dict[str, float] = field(default_factory=dict)  # stage → ms, summed over the request
    ran_on: dict[str, str] = field(default_factory=dict)  # stage → provider that really ran
    total_ms: float = 0.0
    ttfa_ms: float | None = None  # request start → first speech chunk ready
    first_request: bool = False  # nothing ran through the voice's sessions before this: a cold request
    chunks: list[ChunkTiming] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)  # the segments spoken
    lines: list = field(default_factory=list)  # frontend.FrontendResult per spoken segment (SBV2 voices)
    line_count: int = 0  # lines spoken
    skipped_lines: list[str] = field(default_factory=list)  # unreadable segments, skipped
    skip_reasons: list[str] = field(default_factory=list)  # why, in the same order
    fallbacks: list = field(default_factory=list)  # runtime.FallbackEvent: a GPU stage that finished on CPU
    audio_samples: int = 0
    mode: str = "whole"  # "cascade" / "overlap" (chunked decoding) or "whole" (segments decoded whole)
    overlap_frames: int = 0  # "overlap" mode: latent frames of context on each side of a chunk
    part_context: list = field(default_factory=list)  # "cascade" mode: (upsampling, left, right) per decoder part
    receptive_field: int = 0
    seed: int | None = None  # the noise's seed (SynthesisParams.seed): the same seed gives this take again
    underruns: int | None = None  # filled by whoever played it
    underrun_ms: float | None = None
    finished: bool = False

    @property
    def audio_seconds(self) -> float:
        return self.audio_samples / self.sample_rate if self.sample_rate else 0.0

    @property
    def rtf(self) -> float:
        """Real-time factor: processing time / audio time (below 1 is faster than real time)."""
        return (self.total_ms / 1000.0) / self.audio_seconds if self.audio_samples else float("inf")

    def decode_overhead(self) -> float:
        """ "overlap" mode: decoded latent frames / kept latent frames (1.0: no recomputation)."""
        kept = sum(c.frames[1] - c.frames[0] for c in self.chunks if c.frames)
        done = sum(c.decoded_frames[1] - c.decoded_frames[0] for c in self.chunks if c.decoded_frames)
        return done / kept if kept else 1.0

    def min_headroom_ms(self) -> float | None:
        """How early, at worst, a chunk was ready before a player that started at the first chunk needed it
        (negative: it would have starved). None before any audio."""
        if self.ttfa_ms is None:
            return None
        worst = math.inf
        for c in self.chunks:
            if c.start_sample == 0:
                continue  # the first chunk starts playback: it is never late
            due = self.ttfa_ms + c.start_sample * 1000.0 / self.sample_rate
            worst = min(worst, due - c.ready_ms)
        return worst if worst != math.inf else None

    def timeline(self) -> list[dict]:
        """One row per chunk for a timeline chart (see `timeline_rows`)."""
        return timeline_rows(self.chunks, self.ttfa_ms, self.sample_rate)

    def save(self, path: str | Path) -> Path:
        return audio_io.save(path, self.pcm16, self.sample_rate)

    def report(self) -> dict:
        """The request as JSON-ready data (timings, providers, chunks)."""
        headroom = self.min_headroom_ms()
        return {
            "voice": self.voice,
            "mode": self.mode,
            "stages_ms": {k: round(v, 3) for k, v in self.timings_ms.items()},
            "ran_on": dict(self.ran_on),
            "total_ms": round(self.total_ms, 3),
            "ttfa_ms": None if self.ttfa_ms is None else round(self.ttfa_ms, 3),
            "audio_seconds": round(self.audio_seconds, 4),
            "rtf": round(self.rtf, 4) if self.audio_samples else None,
            "sample_rate": self.sample_rate,
            "first_request": self.first_request,
            "seed": self.seed,
            "lines": self.line_count,
            "segments": len(self.segments),
            "skipped_lines": list(self.skipped_lines),
            "overlap_frames": self.overlap_frames,
            "part_context": [list(p) for p in self.part_context],
            "receptive_field_frames": self.receptive_field,
            "decode_overhead": round(self.decode_overhead(), 4) if self.mode == "overlap" else None,
            "min_headroom_ms": None if headroom is None else round(headroom, 3),
            "underruns": self.underruns,
            "underrun_ms": self.underrun_ms,
            "fallbacks": [e.describe() for e in self.fallbacks],
            "chunks": [c.to_dict(self.sample_rate) for c in self.chunks],
        }


# --- the timer -------------------------------------------------------------------------------------------------


class Cancelled(Exception):
    """A cancelled request stops at the start of its next stage (raised by StageClock, ended quietly by Stream)."""


class StageClock:
    """The one timer: runs stage functions, adds each stage's ms to the request's totals and to what the next
    chunk will carry, and reports each stage as it completes. Once `cancelled`, the next stage does not start."""

    def __init__(
        self,
        totals: dict[str, float],
        on_stage: Callable[[StageTiming], None] | None = None,
        ran_on: Callable[[str], str | None] = lambda stage: None,
    ):
        self.started = time.perf_counter()
        self.totals = totals
        self.pending: dict[str, float] = {}
        self.segment = 0
        self.cancelled = False
        self._on_stage = on_stage
        self._ran_on = ran_on

    def now_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000.0

    def add(self, stage: str, ms: float) -> None:
        self.totals[stage] = self.totals.get(stage, 0.0) + ms
        self.pending[stage] = self.pending.get(stage, 0.0) + ms
        if self._on_stage is not None:
            self._on_stage(StageTiming(stage, ms, self._ran_on(stage), self.segment))

    def __call__(self, stage: str, fn, *args, **kwargs):
        if self.cancelled:
            raise Cancelled(stage)
        t0 = time.perf_counter()
        value = fn(*args, **kwargs)
        self.add(stage, (time.perf_counter() - t0) * 1000.0)
        return value

    def take_pending(self) -> dict[str, float]:
        pending, self.pending = self.pending, {}
        return pending


# --- the stream ------------------------------------------------------------------------------------------------


class Stream:
    """One request in progress: iterate it for AudioChunks as they are ready; `result` fills in as it goes;
    `cancel()` stops it at the next stage or chunk; `collect()` runs it to the end and returns the result."""

    def __init__(self, chunks: Iterator[AudioChunk], result: SynthesisResult, clock: StageClock | None = None):
        self._chunks = chunks
        self.result = result
        self.cancelled = False
        self._clock = clock
        self._spent = False

    def __iter__(self) -> Iterator[AudioChunk]:
        if self._spent:
            raise RuntimeError("a Stream can be iterated once")
        self._spent = True
        try:
            for chunk in self._chunks:
                yield chunk
                if self.cancelled:
                    break
        except Cancelled:
            pass  # stopped between two stages: the result stays unfinished
        finally:
            self._chunks.close()

    def cancel(self) -> None:
        """Stop at the start of the next stage or before the next chunk, whichever comes first (safe to call from
        another thread or from a stage callback: it only sets flags)."""
        self.cancelled = True
        if self._clock is not None:
            self._clock.cancelled = True

    def collect(self) -> SynthesisResult:
        """Run to the end; the result holds the whole audio (when the plan keeps it)."""
        for _ in self:
            pass
        return self.result


WARM_UP_TEXT = "こんにちは、今日はいい天気ですね。"


class PlannedVoice:
    """What every voice offers on top of its steps (see the module's docstring): `stream` (the one path),
    `synthesize` (that stream under SynthesisPlan.whole(), collected) and `warm_up`."""

    def stream(
        self,
        text: str | Iterable[str | AudioQuery] | AudioQuery,
        params: SynthesisParams | None = None,
        plan: SynthesisPlan | None = None,
        *,
        on_chunk: Callable[[ChunkTiming], None] | None = None,
        on_stage: Callable[[StageTiming], None] | None = None,
    ) -> Stream:
        """Start a request: iterate the returned Stream for audio chunks as they are ready (default plan:
        SynthesisPlan.streaming()); `stream.result` is the request's SynthesisResult."""
        return run_plan(self, text, params, plan, on_chunk=on_chunk, on_stage=on_stage)

    def is_cold(self, plan: SynthesisPlan) -> bool:
        """Whether nothing ran through the sessions `plan` uses yet (its request pays their first-run cost)."""
        return self.requests_done == 0

    def synthesize(
        self,
        text: str | AudioQuery,
        params: SynthesisParams | None = None,
        on_stage: Callable[[StageTiming], None] | None = None,
    ) -> SynthesisResult:
        """The whole result: each line as the reference makes it (or an edited query, spoken as it says)."""
        return self.stream(text, params, SynthesisPlan.whole(), on_stage=on_stage).collect()

    def warm_up(self, runs: int = 2, on_progress: Callable[[int, int, float], None] | None = None) -> list[float]:
        """Short requests through every stage so the first real one is as fast as the next. Returns each run's
        total ms; `on_progress(done, total, ms)` after each."""
        totals = []
        for i in range(runs):
            totals.append(self.synthesize(WARM_UP_TEXT, SynthesisParams(noise=0.0, sdp_ratio=0.0)).total_ms)
            if on_progress is not None:
                on_progress(i + 1, runs, totals[-1])
        return totals


def run_plan(
    voice,
    text: str | Iterable[str | AudioQuery] | AudioQuery,
    params: SynthesisParams | None = None,
    plan: SynthesisPlan | None = None,
    *,
    on_chunk: Callable[[ChunkTiming], None] | None = None,
    on_stage: Callable[[StageTiming], None] | None = None,
    result: SynthesisResult | None = None,
) -> Stream:
    """Start a request on `voice` (see the module's docstring for what a voice provides). Checks the text and
    parameters at once; the work itself runs as the returned Stream is iterated."""
    params = params or SynthesisParams()
    params.validate()
    if params.seed is None:  # a new take: draw its seed, so that it can be had again
        params = replace(params, seed=secrets.randbelow(SEED_LIMIT))
    plan = plan or SynthesisPlan.streaming()
    check_text(text)
    result = result or SynthesisResult(sample_rate=int(voice.sample_rate), voice=voice.label)
    result.seed = params.seed
    result.first_request = voice.is_cold(plan)
    clock = StageClock(result.timings_ms, on_stage, voice.stage_provider)
    return Stream(_run(voice, text, params, plan, clock, result, on_chunk), result, clock)


def _run(voice, text, params: SynthesisParams, plan: SynthesisPlan, clock: StageClock, result, on_chunk):
    rate = result.sample_rate
    position = 0
    kept: list[np.ndarray] | None = [] if plan.keep_audio else None
    errors: list[TextError] = []

    def emit(audio: np.ndarray, kind: str, seg: Segment | None, started: float, piece: Rendered | None = None):
        nonlocal position
        ready = clock.now_ms()
        timing = ChunkTiming(
            index=len(result.chunks), kind=kind, segment=seg.index if seg else -1, line=seg.line if seg else -1,
            start_sample=position, samples=int(audio.size), stages_ms=clock.take_pending(), started_ms=started,
            ready_ms=ready, frames=piece.frames if piece else None,
            decoded_frames=piece.decoded_frames if piece else None, last_in_segment=piece.last if piece else True,
        )  # fmt: skip
        if kind == "speech" and result.ttfa_ms is None:
            result.ttfa_ms = ready
        position += int(audio.size)
        result.chunks.append(timing)
        result.audio_samples = position
        result.total_ms = ready
        if kept is not None:
            kept.append(audio)
        if on_chunk is not None:
            on_chunk(timing)
        return AudioChunk(audio, timing, rate)

    def headroom() -> float | None:
        """Audio handed out but not yet played by a player that started at the first chunk (ms)."""
        if result.ttfa_ms is None:
            return None
        return result.ttfa_ms + position * 1000.0 / rate - clock.now_ms()

    state = voice.begin(params, plan, clock, result)
    previous: Segment | None = None
    lines_spoken: set[int] = set()
    for seg in plan.segments(text, params.split_lines):
        started = clock.now_ms()
        clock.segment = seg.index
        try:
            if seg.query is None:
                prepared = voice.analyze(seg.text, clock)
            elif hasattr(voice, "analyze_query"):
                prepared = voice.analyze_query(seg.query, clock)
            else:
                raise TextError(f"{voice.label} speaks text only, not an edited query: choose an SBV2 voice")
        except TextError as exc:
            if plan.on_unreadable == RAISE:
                raise
            errors.append(exc)
            result.skipped_lines.append(seg.text)
            result.skip_reasons.append(str(exc))
            continue
        if previous is not None:  # the silence before this segment, now that it is known to be spoken
            gap_s = plan.sentence_interval if seg.line == previous.line else params.line_interval
            gap = np.zeros(int(rate * gap_s), np.float32)
            if gap.size:
                yield emit(gap, "gap", None, clock.now_ms())
        previous = seg
        result.segments.append(seg.text)
        if getattr(prepared, "frontend", None) is not None:  # SBV2 voices: the front end's analysis
            result.lines.append(prepared.frontend)
        lines_spoken.add(seg.line)
        result.line_count = len(lines_spoken)
        # each segment its own noise, all from the request's seed
        seg_params = replace(params, seed=(params.seed + seg.index) % SEED_LIMIT)
        for piece in voice.render(prepared, state, seg_params, plan, clock, headroom):
            yield emit(np.asarray(piece.audio, np.float32).reshape(-1), "speech", seg, started, piece)
            started = clock.now_ms()
    if not result.segments:
        if len(errors) == 1:
            raise errors[0]  # the one segment's own reason is the clearest message
        if errors:
            raise TextError("nothing in the text is readable: " + " / ".join(repr(s) for s in result.skipped_lines[:3]))
        raise TextError("the text is empty: type some Japanese to speak")

    def postprocess() -> None:
        if kept is not None:
            result.audio = np.concatenate(kept) if kept else np.zeros(0, np.float32)
            result.pcm16 = audio_io.to_pcm16(result.audio)

    clock("postprocess", postprocess)
    clock.take_pending()
    ran_on, fallbacks = voice.finish()
    result.ran_on = dict(ran_on)
    result.fallbacks = list(fallbacks)
    result.total_ms = clock.now_ms()
    result.finished = True


__all__ = [
    "AudioChunk",
    "Cancelled",
    "ChunkTiming",
    "LONG_LINE_CHARS",
    "MAX_TEXT_CHARS",
    "PlannedVoice",
    "Rendered",
    "STAGES",
    "StageClock",
    "StageTiming",
    "Stream",
    "SynthesisPlan",
    "SynthesisResult",
    "check_text",
    "run_plan",
    "timeline_rows",
    "WARM_UP_TEXT",
]
