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

import collections
import functools
import math
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import numpy as np

from .. import audio as audio_io
from ..errors import TextError
from ..runtime.transfers import copied_ms
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
# A step this much slower than predicted is a hiccup (another program, a GC pause): the margin grows at once.
# Measured with one core kept busy, 10 runs each (docs/streaming.md): 1.5 let one 12 ms underrun through (TTFA
# median 0.8 s), 1.25 none but waited 3.4 s, 1.35 none with 1.4 s.
HICCUP_RATIO = 1.35
# A segment's BERT stage under this took its features from the cache (a hit is ~0.01 ms, a computation ≥ 5 ms).
BERT_COMPUTED_MS = 1.0


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
    # the start buffer: playback waits until the audio handed out covers the rest of the text's predicted work,
    # each step's cost taken as the measured one × rtf_safety (× the hiccup factor after a slow step), so the
    # queue cannot empty before the text ends while RTF × rtf_safety < 1
    hold_start: bool = True
    # and, the speed being known, it is one chunk: the fewest frames with which playback can start (one chunk's
    # context paid instead of a small first chunk's and the next ones', a lower time to first audio), up to
    # max_start_chunk_frames; a slow or busy machine (one that needs more, or was just slower than predicted) fills
    # it chunk by chunk, re-measuring as it goes (one large chunk decoded at a busy moment overshoots: measured
    # with a core kept busy, TTFA 1.8–1.9 s against 0.8–1.4 s)
    start_in_one_chunk: bool = True
    max_start_chunk_frames: int = 48
    rtf_safety: float = 1.3
    lookahead_segments: int = 4  # segments read ahead for the prediction (the rest of a str text: by its length)
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
        base = cls(
            segmenting="line", max_segment_chars=LONG_LINE_CHARS, first_segment_chars=None, chunked=False,
            hold_start=False,
        )  # fmt: skip
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

    @functools.cached_property
    def chunk_buckets(self) -> tuple[int, ...]:
        """The sizes an adaptive schedule picks its chunks from: the smallest and largest chunk, and the first
        chunk × 2^k and × 1.5·2^k between them. Sizes that repeat keep an engine that prepares its kernels per
        input shape on shapes it has seen: an OpenVINO decoder part at a new length took 31 ms, 15 ms the next
        time, and steps slower than predicted grow the start buffer (a new size every chunk: streamed requests
        waited 0.5–1 s to start playback instead of 0.15–0.25 s)."""
        sizes = {self.min_chunk_frames, self.max_chunk_frames}
        size = float(max(1, self.first_chunk_frames))
        while size <= self.max_chunk_frames:
            sizes.update(int(v) for v in (size, 1.5 * size) if self.min_chunk_frames <= v <= self.max_chunk_frames)
            size *= 2.0
        return tuple(sorted(sizes))

    def bucket_below(self, frames: float) -> int:
        """The largest of `chunk_buckets` that is at most `frames` (the smallest when none is)."""
        return max((b for b in self.chunk_buckets if b <= frames), default=self.chunk_buckets[0])

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
    copy_ms: float = 0.0  # of `ms`: tensors copied between host and a GPU (runtime.backends.BOUND_DEVICES)


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
    buffering: bool = False  # part of the start buffer: a player holds it (and those before) until a later chunk
    reason: str = ""  # why it has its size / why playback waited or started with it (the chunk timeline's text)

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
    pending_samples: int = 0  # samples of the segment still to come after this piece (its schedule's prediction)
    decode_ms: float = 0.0  # chunked: the time decoding this piece took (the rest of a first piece: preparation)
    reason: str = ""  # why the piece has its size (the chunk scheduler's word)


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
                "headroom_ms": round(play_from - c.ready_ms, 3),
                "buffering": c.buffering,
                "reason": c.reason,
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
    ttfa_ms: float | None = None  # request start → playback may begin (the start buffer is ready)
    first_chunk_ms: float | None = None  # request start → first speech chunk ready (= ttfa_ms when nothing waited)
    start_buffer_ms: float | None = None  # audio handed out when playback began
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
    take_id: int | None = None  # the take the application layer kept it as (app/takes.py), if any
    underruns: int | None = None  # filled by whoever played it
    underrun_ms: float | None = None
    finished: bool = False
    copies_ms: dict[str, float] = field(default_factory=dict)  # stage → of its ms, host↔GPU copies (GPU stages)

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

    def headrooms_ms(self) -> list[float]:
        """How early each chunk after the start buffer was ready before a player that began at `ttfa_ms` needed
        it (negative: that player starved)."""
        if self.ttfa_ms is None:
            return []
        rows = []
        for c in self.chunks:
            if c.start_sample == 0 or c.buffering:
                continue  # the start buffer is there before playback begins: never late
            rows.append(self.ttfa_ms + c.start_sample * 1000.0 / self.sample_rate - c.ready_ms)
        return rows

    def min_headroom_ms(self) -> float | None:
        """The worst of `headrooms_ms` (negative: a player would have starved). None before a second chunk."""
        rows = self.headrooms_ms()
        return min(rows) if rows else None

    def median_headroom_ms(self) -> float | None:
        rows = self.headrooms_ms()
        return float(np.median(rows)) if rows else None

    def timeline(self) -> list[dict]:
        """One row per chunk for a timeline chart (see `timeline_rows`)."""
        return timeline_rows(self.chunks, self.ttfa_ms, self.sample_rate)

    def save(self, path: str | Path) -> Path:
        return audio_io.save(path, self.pcm16, self.sample_rate)

    def report(self) -> dict:
        """The request as JSON-ready data (timings, providers, chunks)."""
        headroom, median = self.min_headroom_ms(), self.median_headroom_ms()
        rounded = lambda v: None if v is None else round(v, 3)
        return {
            "voice": self.voice,
            "mode": self.mode,
            "stages_ms": {k: round(v, 3) for k, v in self.timings_ms.items()},
            "ran_on": dict(self.ran_on),
            "copies_ms": {k: round(v, 3) for k, v in self.copies_ms.items()},
            "total_ms": round(self.total_ms, 3),
            "ttfa_ms": rounded(self.ttfa_ms),
            "first_chunk_ms": rounded(self.first_chunk_ms),
            "start_buffer_ms": rounded(self.start_buffer_ms),
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
            "min_headroom_ms": rounded(headroom),
            "median_headroom_ms": rounded(median),
            "underruns": self.underruns,
            "underrun_ms": self.underrun_ms,
            "fallbacks": [e.describe() for e in self.fallbacks],
            "chunks": [c.to_dict(self.sample_rate) for c in self.chunks],
        }


# --- the playback schedule -------------------------------------------------------------------------------------


def _ema(old: float | None, new: float, weight: float = 0.5) -> float:
    return new if old is None else (1.0 - weight) * old + weight * new


@dataclass
class MachineSpeed:
    """What this machine was measured to do with this voice, kept by the voice across requests (a busy or slow
    machine is known from the second request on; the first learns from its own first segment and chunk)."""

    # a segment's preparation before its first audio (front end, tokenizer, BERT, latent: everything but the
    # decoding of its first chunk) ≈ prep_fixed_ms + prep_ms_per_char × characters, and BERT's computation ≈
    # bert_fixed_ms + bert_ms_per_char × characters, each fitted over recent segments. BERT apart, because a
    # segment whose features were ready (read ahead, a text seen before) says nothing of its speed: after such
    # segments, a segment that computes BERT was predicted too fast, and each is now predicted as computing it.
    # Not predicted faster for a segment read ahead: tried (113-character paragraph, OpenVINO bf16, 2-core CPU),
    # playback started on 93-100 ms of audio and 5 of 16 such requests played a 23-70 ms gap (1 of 16 without),
    # measured before the small starts were warmed (StreamingSynthesizer.warm_chunk_shapes); not tried since.
    prep_fixed_ms: float = 0.0
    prep_ms_per_char: float | None = None
    bert_fixed_ms: float = 0.0
    bert_ms_per_char: float = 0.0
    samples_per_char: float | None = None  # audio a character of text gives
    decode_ms_per_frame: float | None = None  # chunked voices: decoding one latent frame (the chunk scheduler's)
    overhead_frames: float = 0.0  # chunked voices: a chunk's recomputed context, in frames of decoding
    hop: int = 0  # chunked voices: samples per latent frame (0: the voice renders segments whole)
    hiccup: float = 1.0  # > 1 after a step took longer than predicted; decays back towards 1 step by step
    chunk_sizes_seen: set = field(default_factory=set)  # chunked voices: (frames, where in its segment) decoded so far
    # recent (characters, preparation ms but BERT's, measured in a cold request, in a chunked one, BERT ms or None
    # where its features were ready)
    segments: list = field(default_factory=list)
    cold: bool = False  # the request being measured is cold (its sessions' first runs)
    chunked: bool = True  # … and decodes in chunks (else a segment's "preparation" is its whole synthesis)

    def start_request(self, cold: bool, chunked: bool = True) -> None:
        """A request begins. Its segments' preparation predicts only requests of its own kind: a whole request's
        includes the decoding, a chunked one's does not (measured: with whole requests in between, streamed ones
        waited 480–800 ms to start playback instead of 140–210). And the first request through a voice's sessions
        pays for their first runs (OpenVINO prepares its kernels then: BERT's first run took 350–420 ms against 50
        ms warm): its measurements predict only for itself, so the first warm request starts from its own, not
        from a prediction slowed by them (measured: after a cold streamed request, the next three waited 0.5–1.6
        s to start playback instead of 0.14–0.21 s)."""
        if not cold and self.cold:  # the first warm request after a cold one
            self.segments = [seg for seg in self.segments if not seg[2]]
            self.hiccup = 1.0  # a first run's slowness was no hiccup of the machine
            self.decode_ms_per_frame = None  # measured again from this request's first chunk
        self.cold, self.chunked = cold, chunked
        self._refit()

    def note_step(self, predicted_ms: float | None, took_ms: float) -> None:
        """Grow the margin at once when a step was slower than predicted (another program, a GC pause), and let
        it shrink back over the next steps that keep to the prediction."""
        if predicted_ms and predicted_ms > 0 and took_ms > HICCUP_RATIO * predicted_ms:
            self.hiccup = min(2.0, max(self.hiccup, took_ms / predicted_ms))
        else:
            self.hiccup = max(1.0, 1.0 + 0.85 * (self.hiccup - 1.0))

    def prep_ms(self, chars: int) -> float:
        bert = self.bert_fixed_ms + self.bert_ms_per_char * chars
        return self.prep_fixed_ms + (self.prep_ms_per_char or 0.0) * chars + bert

    def note_segment(self, chars: int, prep_ms: float, samples: int | None, bert_ms: float = 0.0) -> None:
        """A segment's preparation took `prep_ms`, of which `bert_ms` computing BERT features (under 1 ms: they
        were ready, and say nothing of BERT's speed)."""
        chars = max(1, chars)
        bert = bert_ms if bert_ms >= BERT_COMPUTED_MS else None
        entry = (chars, max(0.0, prep_ms - (bert or 0.0)), self.cold, self.chunked, bert)
        self.segments = [*self.segments[-15:], entry]
        self._refit()
        if samples:
            self.samples_per_char = _ema(self.samples_per_char, samples / chars, 0.3)

    def _refit(self) -> None:
        """prep_ms from the last 8 segments of the current request's kind (none yet: as it was), BERT from the
        last 8 of those that computed it (none: no BERT time)."""
        mine = [seg for seg in self.segments if seg[3] == self.chunked]
        if not mine:
            return
        self.prep_fixed_ms, self.prep_ms_per_char = _line([(seg[0], seg[1]) for seg in mine[-8:]])
        computed = [(seg[0], seg[4]) for seg in mine if seg[4] is not None][-8:]
        # none (every segment's features were ready, or those that computed them were a cold request's, dropped):
        # nothing to add, as when BERT was not told apart (a cold request's 23 ms a character, kept, made a warm
        # request after a hiccup wait 0.8 s to start)
        self.bert_fixed_ms, self.bert_ms_per_char = _line(computed) if computed else (0.0, 0.0)


def _line(points: list[tuple[float, float]]) -> tuple[float, float]:
    """(fixed, per character) fitted to (characters, ms) points; all of it per character where too few or too
    scattered for a line."""
    xs = np.array([x for x, _ in points], float)
    ys = np.array([y for _, y in points], float)
    slope, fixed = (0.0, 0.0)
    if len(set(xs.tolist())) >= 2:
        slope, fixed = np.polyfit(xs, ys, 1)
    if slope <= 0.0 or fixed < 0.0:
        slope, fixed = float(ys.sum() / xs.sum()), 0.0
    return float(fixed), float(slope)


class PlaybackSchedule:
    """The run loop's playback model for one request: when a player may start (the start buffer) and how much
    headroom there is once it plays (the chunk scheduler's input, as `schedule()`).

    Before playback starts, after every chunk it predicts the rest of the text's work at the measured speed ×
    rtf_safety × hiccup: the current segment's remaining chunks, the next segments' preparation (front end, BERT,
    latent: not divisible into chunks) and their chunks, and the rest of a str text by its length. Playback
    starts once that prediction never lets the queue run dry (slack ≥ margin_ms); until then the chunk is marked
    `buffering`, with the reason."""

    def __init__(self, plan: SynthesisPlan, sample_rate: int, clock: StageClock, result: SynthesisResult, speed):
        self.plan = plan
        self.rate = sample_rate
        self.clock = clock
        self.result = result
        self.speed: MachineSpeed = speed
        self.position = 0  # samples handed out
        self.started = not plan.hold_start
        self.ahead: list[Segment] = []  # the segments after the current one, read ahead
        self.rest_chars: int | None = None  # characters of the text after those (None: not known)

    def __call__(self) -> float | None:
        """Headroom: audio handed out but not yet played by a player that started at `ttfa_ms` (None before)."""
        if self.result.ttfa_ms is None:
            return None
        return self.result.ttfa_ms + self.position * 1000.0 / self.rate - self.clock.now_ms()

    @property
    def factor(self) -> float:
        return self.plan.rtf_safety * self.speed.hiccup

    def predict_slack(self, buffered_ms: float, pending_samples: int, previous_frames: float | None = None) -> float:
        """For a player starting now with `buffered_ms` queued: the least time by which the rest of the text's
        pieces would be ready before they are due (negative: the queue would empty; inf: nothing ahead), at the
        measured speed × `factor`. The current segment's `pending_samples` and the next segments' are decoded in
        chunks sized as the chunk scheduler sizes them (up to ×growth, within safety × headroom − margin); each
        next segment first pays its preparation (front end, BERT, latent), which no chunk size can shorten."""
        speed, plan, k = self.speed, self.plan, self.factor
        ms_per_sample = 1000.0 / self.rate
        rate = speed.decode_ms_per_frame * k if speed.decode_ms_per_frame is not None else None
        chunked = bool(speed.hop and plan.chunked and rate)
        now, due, worst = 0.0, buffered_ms, math.inf
        previous = previous_frames

        def piece(cost: float, samples: float) -> None:
            nonlocal now, due, worst
            now += cost
            worst = min(worst, due - now)
            due += samples * ms_per_sample

        def chunks(samples: float) -> None:
            nonlocal previous
            while samples > 0:
                n = plan.first_chunk_frames if previous is None else previous * plan.growth
                fits = (plan.safety * (due - now) - plan.margin_ms) / rate - speed.overhead_frames
                n = min(max(n if fits >= n else fits, plan.min_chunk_frames), plan.max_chunk_frames)
                n = min(n, samples / speed.hop)
                piece(rate * (n + speed.overhead_frames), n * speed.hop)
                samples -= n * speed.hop
                previous = n

        def segment(chars: int) -> None:
            nonlocal now
            samples = 0.85 * (speed.samples_per_char or 0.0) * chars  # a little less audio than usual
            prep = speed.prep_ms(chars) * k
            if not chunked:
                piece(prep, samples)
                return
            now += prep  # its first chunk, ready after it, is checked against its due time
            chunks(samples)

        if chunked:
            chunks(float(pending_samples))
        for seg in self.ahead:
            segment(len(seg.text))
        rest = self.rest_chars or 0
        typical = max(10, plan.max_segment_chars // 2)
        while rest > 0:  # the rest of the text, in segments of a typical length
            segment(min(rest, typical))
            rest -= typical
        return worst

    def start_chunk_frames(self, remaining_frames: int, smallest: int) -> int | None:
        """Before playback starts, with the decoding speed known: the fewest frames (≥ `smallest`) of the segment's
        next chunk with which playback could start, so the start buffer is one chunk, paying one chunk's context
        instead of several (a lower time to first audio than small chunks and a wait). None when no chunk up to
        the segment's `remaining_frames` and `max_start_chunk_frames` would do (a slow or busy machine: the chunks
        then fill the buffer as before)."""
        speed, plan = self.speed, self.plan
        if self.started or not (plan.start_in_one_chunk and plan.chunked and speed.decode_ms_per_frame and speed.hop):
            return None
        if speed.hiccup > 1.2:  # just slower than predicted (a busy machine): re-measure chunk by chunk instead
            return None
        for n in plan.chunk_buckets:  # sizes that repeat (see SynthesisPlan.chunk_buckets)
            if n < smallest:
                continue
            if n > min(remaining_frames, plan.max_start_chunk_frames):
                break
            buffered = (self.position + n * speed.hop) * 1000.0 / self.rate
            if self.predict_slack(buffered, (remaining_frames - n) * speed.hop, n) >= plan.margin_ms:
                return n
        return None

    def handed_out(
        self, samples: int, kind: str, pending_samples: int, reason: str, previous_frames: float | None = None
    ) -> tuple[bool, str]:
        """A chunk of `samples` is handed out: (buffering, its reason with the start decision when one was made)."""
        self.position += samples
        if self.started:
            return False, reason
        if kind != "speech":
            return True, _join(reason, "start buffer: a pause is not worth starting on")
        buffered = self.position * 1000.0 / self.rate
        slack = self.predict_slack(buffered, pending_samples, previous_frames)
        if slack >= self.plan.margin_ms:
            self.started = True
            why = (
                f"playback starts: {buffered:.0f} ms buffered, the rest predicted to keep "
                f"{'all' if slack == math.inf else f'≥ {slack:.0f} ms'} ahead at ×{self.factor:.2f} the measured speed"
            )
            return False, _join(reason, why)
        short = self.plan.margin_ms - slack
        why = f"start buffer: waiting ({buffered:.0f} ms buffered would run {short:.0f} ms short at ×{self.factor:.2f})"
        return True, _join(reason, why)


def _join(a: str, b: str) -> str:
    return f"{a}; {b}" if a and b else (a or b)


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
        copies: dict[str, float] | None = None,
    ):
        """`copies`: stage → ms of host↔GPU copies within its time, summed like `totals`."""
        self.started = time.perf_counter()
        self.totals = totals
        self.copies = copies if copies is not None else {}
        self.pending: dict[str, float] = {}
        self.segment = 0
        self.cancelled = False
        self._on_stage = on_stage
        self._ran_on = ran_on

    def now_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000.0

    def add(self, stage: str, ms: float, copy_ms: float = 0.0) -> None:
        self.totals[stage] = self.totals.get(stage, 0.0) + ms
        self.pending[stage] = self.pending.get(stage, 0.0) + ms
        if copy_ms:
            self.copies[stage] = self.copies.get(stage, 0.0) + copy_ms
        if self._on_stage is not None:
            self._on_stage(StageTiming(stage, ms, self._ran_on(stage), self.segment, copy_ms))

    def __call__(self, stage: str, fn, *args, **kwargs):
        if self.cancelled:
            raise Cancelled(stage)
        t0, copied = time.perf_counter(), copied_ms()
        value = fn(*args, **kwargs)
        self.add(stage, (time.perf_counter() - t0) * 1000.0, copied_ms() - copied)
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

    @property
    def machine_speed(self) -> MachineSpeed:
        """This voice's measured speed on this machine (the playback schedule's prediction, across requests)."""
        speed = self.__dict__.get("_machine_speed")
        if speed is None:
            speed = self.__dict__["_machine_speed"] = MachineSpeed()
        return speed

    def warm_streaming(self, plan: SynthesisPlan, requests: int = 2, stop: Callable[[], bool] | None = None) -> None:
        """Streamed requests under `plan`, with the chunk shapes warmed after the first (`warm_chunk_shapes`, ended
        early when `stop()` says so). More than one request: the first pays for the first runs and predicts only
        for itself (MachineSpeed.start_request); the next leaves a warm speed from which a person's first request
        decides when playback can start."""
        for i in range(requests):
            self.stream(WARM_UP_TEXT, plan=plan).collect()
            if i == 0:
                self.warm_chunk_shapes(plan, stop)

    def read_ahead(
        self,
        text: str | Iterable[str | AudioQuery] | AudioQuery,
        params: SynthesisParams | None = None,
        plan: SynthesisPlan | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> int:
        """Prepare what a request for `text` under `plan` would compute first and keeps (an SBV2 voice's BERT
        features, in its feature cache), segment by segment in the order it speaks them, so that the request,
        when it comes, starts sooner. Segments it cannot read are left to the request (it says why). Stops
        before the next segment once `stop()` is true. Returns the segments prepared."""
        params = params or SynthesisParams()
        plan = plan or SynthesisPlan.streaming()
        check_text(text)
        clock = StageClock({})  # its own: a request's timings are not touched
        done = 0
        for seg in plan.segments(text, params.split_lines):
            if stop is not None and stop():
                break
            try:
                prepared = analyze_segment(self, seg, clock)
            except TextError:
                continue
            done += self.prepare_ahead(prepared)
        return done

    def prepare_ahead(self, prepared) -> int:
        """What `read_ahead` computes for one analyzed segment: 1 when something was kept, else 0 (a voice
        that keeps nothing between requests)."""
        return 0

    def warm_chunk_shapes(self, plan: SynthesisPlan, stop: Callable[[], bool] | None = None) -> None:
        """Voices whose engine prepares its kernels per input shape decode the chunk sizes a request starts with
        (Pipeline); the others have nothing to do."""

    def warm_up(self, runs: int = 2, on_progress: Callable[[int, int, float], None] | None = None) -> list[float]:
        """Short requests through every stage so the first real one is as fast as the next. Returns each run's
        total ms; `on_progress(done, total, ms)` after each."""
        totals = []
        for i in range(runs):
            totals.append(self.synthesize(WARM_UP_TEXT, SynthesisParams(noise=0.0, sdp_ratio=0.0)).total_ms)
            if on_progress is not None:
                on_progress(i + 1, runs, totals[-1])
        return totals


def analyze_segment(voice, seg: Segment, clock: StageClock):
    """A segment's analysis by `voice`: its text, or its edited query (TextError where it cannot be read)."""
    if seg.query is None:
        return voice.analyze(seg.text, clock)
    if hasattr(voice, "analyze_query"):
        return voice.analyze_query(seg.query, clock)
    raise TextError(f"{voice.label} speaks text only, not an edited query: choose an SBV2 voice")


def _read_ahead(segments: Iterator[Segment], schedule: PlaybackSchedule, text) -> Iterator[Segment]:
    """The segments one by one, with the next few (and the characters after them) known to the schedule."""
    if not schedule.plan.hold_start:
        yield from segments
        return
    total = len(text) if isinstance(text, str) else None
    ahead: collections.deque[Segment] = collections.deque()
    read = 0
    for seg in segments:
        ahead.append(seg)
        read += len(seg.text)
        if len(ahead) <= schedule.plan.lookahead_segments:
            continue
        current = ahead.popleft()
        schedule.ahead = list(ahead)
        schedule.rest_chars = None if total is None else max(0, total - read)
        yield current
    while ahead:
        current = ahead.popleft()
        schedule.ahead = list(ahead)
        schedule.rest_chars = 0 if total is not None else None
        yield current


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
    clock = StageClock(result.timings_ms, on_stage, voice.stage_provider, result.copies_ms)
    return Stream(_run(voice, text, params, plan, clock, result, on_chunk), result, clock)


def _run(voice, text, params: SynthesisParams, plan: SynthesisPlan, clock: StageClock, result, on_chunk):
    rate = result.sample_rate
    position = 0
    kept: list[np.ndarray] | None = [] if plan.keep_audio else None
    errors: list[TextError] = []
    speed = getattr(voice, "machine_speed", None) or MachineSpeed()
    speed.start_request(bool(result.first_request), plan.chunked)
    schedule = PlaybackSchedule(plan, rate, clock, result, speed)

    def emit(audio: np.ndarray, kind: str, seg: Segment | None, started: float, piece: Rendered | None = None):
        nonlocal position
        ready = clock.now_ms()
        pending = piece.pending_samples if piece else 0
        frames = piece.frames[1] - piece.frames[0] if piece is not None and piece.frames else None
        buffering, reason = schedule.handed_out(
            int(audio.size), kind, pending, piece.reason if piece else "pause", frames
        )
        timing = ChunkTiming(
            index=len(result.chunks), kind=kind, segment=seg.index if seg else -1, line=seg.line if seg else -1,
            start_sample=position, samples=int(audio.size), stages_ms=clock.take_pending(), started_ms=started,
            ready_ms=ready, frames=piece.frames if piece else None,
            decoded_frames=piece.decoded_frames if piece else None, last_in_segment=piece.last if piece else True,
            buffering=buffering, reason=reason,
        )  # fmt: skip
        if kind == "speech" and result.first_chunk_ms is None:
            result.first_chunk_ms = ready
        position += int(audio.size)
        if result.ttfa_ms is None and not buffering and result.first_chunk_ms is not None:
            result.ttfa_ms = ready  # playback may begin: the first audio a person hears
            result.start_buffer_ms = position * 1000.0 / rate
        result.chunks.append(timing)
        result.audio_samples = position
        result.total_ms = ready
        if kept is not None:
            kept.append(audio)
        if on_chunk is not None:
            on_chunk(timing)
        return AudioChunk(audio, timing, rate)

    state = voice.begin(params, plan, clock, result)
    previous: Segment | None = None
    lines_spoken: set[int] = set()
    for seg in _read_ahead(plan.segments(text, params.split_lines), schedule, text):
        started = clock.now_ms()
        bert_before = clock.totals.get("bert", 0.0)
        clock.segment = seg.index
        try:
            prepared = analyze_segment(voice, seg, clock)
        except TextError as exc:
            if plan.on_unreadable == RAISE:
                raise
            errors.append(exc)
            result.skipped_lines.append(seg.text)
            result.skip_reasons.append(str(exc))
            continue
        # The silence before this segment, now that it is known to be spoken: the request's lead-in before the
        # first, the sentence or line pause before the others.
        if previous is None:
            gap_s = params.pre_silence
        else:
            gap_s = plan.sentence_interval if seg.line == previous.line else params.line_interval
        gap = np.zeros(int(round(rate * gap_s)), np.float32)
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
        first = True
        for piece in voice.render(prepared, state, seg_params, plan, clock, schedule):
            if first:  # the segment's preparation: what the next segments are predicted from
                samples = int(np.asarray(piece.audio).size) + piece.pending_samples
                bert_ms = clock.totals.get("bert", 0.0) - bert_before
                speed.note_segment(len(seg.text), clock.now_ms() - started - piece.decode_ms, samples, bert_ms)
                first = False
            audio = np.asarray(piece.audio, np.float32).reshape(-1)
            if params.volume != 1.0:  # in the stream, so whole, streamed and exported audio agree
                audio = audio * np.float32(params.volume)
            yield emit(audio, "speech", seg, started, piece)
            started = clock.now_ms()
    if result.ttfa_ms is None and result.first_chunk_ms is not None:  # all of it was start buffer: it plays now
        result.ttfa_ms = clock.now_ms()
        result.start_buffer_ms = position * 1000.0 / rate
    if not result.segments:
        if len(errors) == 1:
            raise errors[0]  # the one segment's own reason is the clearest message
        if errors:
            raise TextError("nothing in the text is readable: " + " / ".join(repr(s) for s in result.skipped_lines[:3]))
        raise TextError("the text is empty: type some Japanese to speak")
    tail = np.zeros(int(round(rate * params.post_silence)), np.float32)
    if tail.size:
        yield emit(tail, "gap", None, clock.now_ms())

    def postprocess() -> None:
        if kept is not None:
            result.audio = np.concatenate(kept) if kept else np.zeros(0, np.float32)
            result.pcm16 = audio_io.to_pcm16(result.audio, gain=params.volume)

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
    "MachineSpeed",
    "PlaybackSchedule",
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
