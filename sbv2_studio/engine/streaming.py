"""Streaming and long-text synthesis: sentence by sentence, and inside a sentence the latent decoded in chunks.

Text → segments: lines (newlines), then sentences (after `。．！？!?…‥`, closing brackets kept with their
sentence), then over-long sentences at `、，,` (and, only if a piece is still too long, at spaces or hard at the
limit). Every segment runs through the front end, BERT and the "text → latent" graph on its own (graph_split);
its latent is then decoded chunk by chunk, so that the first audio is ready long before the sentence is.

Two chunked decoders, both giving the samples a whole-sentence run gives (to float rounding), whatever the chunk
sizes, because every output sample is computed with all the context it depends on:

- "cascade" (default): the decoder split into its parts (conv_pre, then one per upsampling level); each part
  computes only the outputs the next chunk needs that it has not computed yet, reading its own receptive field of
  context from the previous part's kept outputs. The recomputed context is small (about 8 frames' worth at the
  first level, fractions of a frame above), so small chunks cost little more than their share of a whole decode.
- "overlap": the whole decoder per chunk, on the chunk plus `overlap` latent frames on each side (at least the
  decoder's receptive field, 13 frames for every SBV2 config; the default adds 2), keeping the chunk's samples.

Chunk sizes (ChunkScheduler): the first is small (time to first audio); each next one up to `growth` times the
one before, but no larger than the measured decoding speed can finish before the audio already handed out has
played (for a player that started with the first chunk), so playback does not starve while the machine keeps up.

Accounting, as in the LLVC notes: time to first audio (request start → first chunk ready), per chunk the
milliseconds of each stage that produced it and when it was ready (the latency panel's chunk timeline), RTF
(processing time / audio time), the worst headroom, and the underruns a player reports (stream_player).
"""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import asdict, dataclass, field, replace
from typing import Callable, Iterable, Iterator

import numpy as np

from ..runtime.backends import ResilientSession, SessionFactory
from .bert import expand_to_phones
from ..errors import TextError
from ..graphs.split import AUDIO, LATENT, PartField, ReceptiveField, SplitGraphs, decoder_receptive_field
from ..models.formats import BERT_DIM
from .pipeline import SynthesisParams
from .text import frontend
from .text.g2p import text_to_words
from .text.segments import DEFAULT_MAX_CHARS, Segment, iter_segments, split_sentences

OVERLAP_MARGIN = 2  # latent frames of context beyond the decoder's exact receptive field


# --- chunk records -------------------------------------------------------------------------------------------


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
class StreamReport:
    """Accounting of one streamed request (filled in while it runs)."""

    sample_rate: int
    voice: str = ""
    chunks: list[ChunkTiming] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    ttfa_ms: float | None = None  # request start → first audio chunk ready
    total_ms: float = 0.0
    audio_samples: int = 0
    overlap_frames: int = 0  # "overlap" mode: latent frames of context on each side of a chunk
    part_context: list = field(default_factory=list)  # "cascade" mode: (upsampling, left, right) per decoder part
    receptive_field: int = 0
    mode: str = "cascade"  # "cascade" / "overlap" (chunked decoding) or "sentence" (whole segments)
    ran_on: dict[str, str] = field(default_factory=dict)
    fallbacks: list = field(default_factory=list)  # backends.FallbackEvent: a GPU stage that finished on CPU
    underruns: int | None = None  # filled by whoever played it
    underrun_ms: float | None = None
    finished: bool = False

    @property
    def audio_seconds(self) -> float:
        return self.audio_samples / self.sample_rate

    @property
    def rtf(self) -> float:
        return (self.total_ms / 1000.0) / self.audio_seconds if self.audio_samples else float("inf")

    def stage_totals(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for c in self.chunks:
            for k, v in c.stages_ms.items():
                totals[k] = totals.get(k, 0.0) + v
        return totals

    def decode_overhead(self) -> float:
        """"overlap" mode: decoded latent frames / kept latent frames (1.0: no recomputation)."""
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

    def to_dict(self) -> dict:
        return {
            "voice": self.voice,
            "mode": self.mode,
            "ttfa_ms": None if self.ttfa_ms is None else round(self.ttfa_ms, 3),
            "total_ms": round(self.total_ms, 3),
            "audio_seconds": round(self.audio_seconds, 4),
            "rtf": round(self.rtf, 4) if self.audio_samples else None,
            "sample_rate": self.sample_rate,
            "segments": len(self.segments),
            "skipped": list(self.skipped),
            "overlap_frames": self.overlap_frames,
            "part_context": [list(p) for p in self.part_context],
            "receptive_field_frames": self.receptive_field,
            "decode_overhead": round(self.decode_overhead(), 4) if self.mode == "overlap" else None,
            "min_headroom_ms": None if self.min_headroom_ms() is None else round(self.min_headroom_ms(), 3),
            "underruns": self.underruns,
            "underrun_ms": self.underrun_ms,
            "stages_ms": {k: round(v, 3) for k, v in self.stage_totals().items()},
            "ran_on": dict(self.ran_on),
            "fallbacks": [e.describe() for e in self.fallbacks],
            "chunks": [c.to_dict(self.sample_rate) for c in self.chunks],
        }


# --- chunked decoding ------------------------------------------------------------------------------------------


class DecoderPart:
    """One part of the split decoder: its session, receptive field and extra inputs (the first part's `g`)."""

    def __init__(self, session, field: PartField, extra: list[str], margin: int = 1):
        self.session = session
        self.field = field
        self.extra = list(extra)
        self.left = field.left + margin
        self.right = field.right + margin

    def run(self, x: np.ndarray, cond: dict[str, np.ndarray], first: bool) -> np.ndarray:
        feeds = {("z" if first else "x"): np.ascontiguousarray(x, dtype=np.float32)}
        feeds.update({k: cond[k] for k in self.extra})
        (y,) = self.session.run(["y"], feeds)
        return np.asarray(y, dtype=np.float32)


class CascadeDecoder:
    """Decodes one latent [1, C, T] left to right, chunk by chunk, part by part.

    Each part (conv_pre, then one per upsampling level) computes only the outputs the next chunk needs that it
    has not computed yet, reading its own left/right context from the previous part's kept outputs. So the
    recomputed context is each part's own receptive field at its own resolution (about 8 frames at the first
    level, a fraction of a frame above it), not the whole decoder's 13 frames on both sides of every chunk, and
    the result is the same samples as decoding the latent whole."""

    def __init__(self, parts: list[DecoderPart], z: np.ndarray, cond: dict[str, np.ndarray]):
        self.parts = parts
        self.cond = cond
        self.total = int(z.shape[-1])
        self.lengths = [self.total]
        for part in parts:
            self.lengths.append(self.lengths[-1] * part.field.up)
        self.hop = self.lengths[-1] // max(1, self.total)
        count = len(parts) + 1
        self.cache: list[np.ndarray | None] = [z] + [None] * len(parts)
        self.cache_start = [0] * count  # position of cache[i][..., 0] at boundary i
        self.done = [self.total] + [0] * len(parts)  # boundary i is computed up to (exclusive)
        self.pos = 0  # latent frames handed out
        self.processed = [0] * len(parts)  # input positions each part ran over (work, for the report)
        self.first_input: tuple[int, int] | None = None

    def _slice(self, i: int, a: int, b: int) -> np.ndarray:
        start = self.cache_start[i]
        data = self.cache[i]
        if a < start or b > start + data.shape[-1]:
            kept = f"[{start}, {start + data.shape[-1]})"
            raise RuntimeError(f"decoder part {i}: context [{a}, {b}) is not kept ({kept})")
        return data[:, :, a - start : b - start]

    def next(self, frames: int) -> np.ndarray:
        """Audio of the next `frames` latent frames (fewer at the end)."""
        q = min(self.total, self.pos + max(1, int(frames)))
        parts, n = self.parts, len(self.parts)
        need = [0] * (n + 1)
        need[n] = q * self.hop
        for i in reversed(range(n)):
            up = self.parts[i].field.up
            need[i] = min(self.lengths[i], (need[i + 1] - 1) // up + parts[i].right + 1)
        self.first_input = None
        for i, part in enumerate(parts):
            lo, hi = self.done[i + 1], need[i + 1]
            if hi <= lo:
                continue
            up = part.field.up
            a = max(0, lo // up - part.left)
            b = need[i]
            y = part.run(self._slice(i, a, b), self.cond, i == 0)
            if y.shape[-1] != (b - a) * up:
                raise RuntimeError(f"decoder part {i} gave {y.shape[-1]} outputs for {b - a} inputs (×{up})")
            if i == 0:
                self.first_input = (a, b)
            self.processed[i] += b - a
            new = y[..., lo - a * up : hi - a * up]
            if self.cache[i + 1] is None or self.cache[i + 1].shape[-1] == 0:
                self.cache[i + 1], self.cache_start[i + 1] = new, lo
            else:
                self.cache[i + 1] = np.concatenate([self.cache[i + 1], new], axis=-1)
            self.done[i + 1] = hi
            if i > 0:  # keep only the context the next chunk will read
                keep_from = max(self.cache_start[i], hi // up - part.left)
                self.cache[i] = self.cache[i][..., keep_from - self.cache_start[i] :]
                self.cache_start[i] = keep_from
        out = self._slice(n, self.pos * self.hop, q * self.hop).reshape(-1).copy()
        self.cache[n] = self.cache[n][..., q * self.hop - self.cache_start[n] :]
        self.cache_start[n] = q * self.hop
        self.pos = q
        return out


# --- the synthesizer -----------------------------------------------------------------------------------------


@dataclass
class StreamConfig:
    """How a request is cut. Frames are latent frames (hop 512 samples: 11.6 ms at 44.1 kHz)."""

    first_chunk_frames: int = 12  # the first chunk: small, for time to first audio (12 frames: 139 ms of audio)
    min_chunk_frames: int = 8
    growth: float = 2.0  # each chunk at most this many times the one before
    max_chunk_frames: int = 256
    adaptive: bool = True  # keep each chunk small enough to be ready before the audio in front of it has played
    safety: float = 0.7  # share of that headroom a chunk may use …
    margin_ms: float = 30.0  # … less this (scheduling jitter)
    overlap: int | None = None  # "overlap" decoder: context frames per side (None: receptive field + margin)
    max_sentence_chars: int = DEFAULT_MAX_CHARS
    first_sentence_chars: int | None = 20  # split a longer first sentence once, at a comma (lower TTFA)
    pack_sentences: bool = False  # join a line's sentences again while they fit in max_sentence_chars
    sentence_interval: float = 0.0  # seconds of silence between segments of one line
    chunked: bool = True  # False: each segment decoded whole by the pipeline's own graph (batch export)
    decoder: str = "cascade"  # "cascade": part by part (little recomputation); "overlap": whole decoder per chunk

    @classmethod
    def batch(cls) -> "StreamConfig":
        """For export: no chunking, no first-sentence split, and a line's sentences kept together up to 200
        characters (so an ordinary line is one request, as `sbv2-studio synth` would make it): the fastest."""
        return cls(chunked=False, first_sentence_chars=None, pack_sentences=True, max_sentence_chars=200)

    def chunk_sizes(self) -> Iterator[int]:
        """The fixed schedule: first, then ×growth up to max (what the adaptive one does with ample headroom)."""
        size = float(max(1, self.first_chunk_frames))
        while True:
            yield int(min(size, self.max_chunk_frames))
            size = min(size * self.growth, float(self.max_chunk_frames))


class ChunkScheduler:
    """Chooses each chunk's size: `first_chunk_frames`, then up to ×growth the previous one, but (adaptive) no
    more than what the measured decoding speed can finish within `safety` × the headroom (the audio already
    handed out that a player starting at the first chunk has not played yet), and never below min_chunk_frames.
    When even that is too late, chunks keep growing: fewer, larger chunks waste the least time on context."""

    def __init__(self, config: StreamConfig, overhead_frames: float):
        self.config = config
        self.overhead = max(0.0, float(overhead_frames))
        self.previous: int | None = None
        self.ms_per_frame: float | None = None
        self.limit = math.inf

    def next_size(self, headroom_ms: float | None) -> int:
        cfg = self.config
        self.limit = math.inf  # the most frames the headroom allows (for merging a short tail)
        if self.previous is None:
            n = float(cfg.first_chunk_frames)
        else:
            n = self.previous * cfg.growth
            if cfg.adaptive and headroom_ms is not None and self.ms_per_frame:
                budget = cfg.safety * headroom_ms - cfg.margin_ms
                fits = budget / self.ms_per_frame - self.overhead
                smallest = self.ms_per_frame * (cfg.min_chunk_frames + self.overhead)
                if fits >= cfg.min_chunk_frames:
                    n = min(n, fits)
                    self.limit = fits
                elif smallest <= headroom_ms:
                    n = cfg.min_chunk_frames  # tight: the smallest chunk still makes it
                # else not even the smallest chunk can be ready in time (the machine is slower than real time
                # just now): small chunks would only add overhead, so keep growing to catch up.
        return int(max(cfg.min_chunk_frames, min(n, cfg.max_chunk_frames), 1))

    def observe(self, frames: int, ms: float) -> None:
        rate = ms / (frames + self.overhead)
        self.ms_per_frame = rate if self.ms_per_frame is None else 0.5 * (self.ms_per_frame + rate)
        self.previous = frames


STREAM_STAGES = ("frontend", "tokenize", "bert", "align", "latent", "decode")


class StreamRun:
    """One request in progress: iterate it for AudioChunks; `report` fills in as it goes; `cancel()` stops it
    before the next chunk."""

    def __init__(self, chunks: Iterator[AudioChunk], report: StreamReport):
        self._chunks = chunks
        self.report = report
        self.cancelled = False
        self._kept: list[np.ndarray] | None = None

    def __iter__(self) -> Iterator[AudioChunk]:
        try:
            for chunk in self._chunks:
                if self._kept is not None:
                    self._kept.append(chunk.audio)
                yield chunk
                if self.cancelled:
                    break
        finally:
            if self.cancelled:
                self._chunks.close()

    def cancel(self) -> None:
        """Stop before the next chunk (safe to call from another thread: it only sets a flag)."""
        self.cancelled = True

    def record(self) -> "StreamRun":
        """Also keep every chunk handed out, for `recorded()` (saving what was played)."""
        self._kept = []
        return self

    def recorded(self) -> np.ndarray:
        """The audio handed out so far, joined (needs `record()` before iterating)."""
        parts = self._kept or []
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)

    def collect(self) -> np.ndarray:
        """Run to the end and return all audio joined (for tests and saving)."""
        parts = [c.audio for c in self]
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)


class StreamingSynthesizer:
    """Streams a loaded Pipeline's voice: its tokenizer, BERT and voice, plus the split synthesizer graphs in
    sessions of its own (created by the pipeline's factory on the synthesizer's backend, with the same CPU
    fallback). Not thread-safe, like the Pipeline: one worker owns both."""

    def __init__(
        self,
        pipeline,
        config: StreamConfig | None = None,
        *,
        split: SplitGraphs | None = None,
        cache_root=None,
        on_fallback=None,
    ):
        self.pipeline = pipeline
        self.voice = pipeline.voice
        self.config = config or StreamConfig()
        self._split = split
        self._cache_root = cache_root
        self._on_fallback = on_fallback
        self.latent_session: ResilientSession | None = None
        self.decoder_session: ResilientSession | None = None
        self.receptive_field: ReceptiveField = decoder_receptive_field(self.voice.config.get("model"))
        self.hop = self.receptive_field.hop
        self.decoder_mode = self.config.decoder
        self.decoder_parts: list[DecoderPart] = []
        self.cascade_error: str | None = None

    # -- setup ----------------------------------------------------------------------------------------------

    @property
    def sample_rate(self) -> int:
        return self.voice.sampling_rate

    @property
    def overlap(self) -> int:
        if self.config.overlap is not None:
            return int(self.config.overlap)
        return self.receptive_field.radius + OVERLAP_MARGIN

    @property
    def ready(self) -> bool:
        return self.latent_session is not None

    def free_whole_graph(self) -> None:
        """While requests stream through the split graphs, free the whole synthesizer's session (a second copy of
        the voice's weights, 275 MB for a full-size voice); it reopens by itself when a request needs it (streaming
        off, export, comparison). Kept when chunks are not decoded by the cascade (it does the work then)."""
        if self.ready and self.decoder_mode == "cascade" and self.config.chunked:
            self.pipeline.synth.session.release()

    def prepare(self) -> SplitGraphs:
        """Split the synthesizer (or read the cached split), open the sessions, and on a model's first use check
        the parts against the pipeline's whole graph and the receptive fields against the decoder. Seconds on a
        fresh model (the latent graph's session is as big as the whole graph's): call it off the UI thread."""
        if self.latent_session is not None:
            return self._split
        from ..graphs import split as gs

        split = self._split or gs.split_synthesizer(self.voice.onnx_path, self._cache_root, validate=False)
        backend = self.pipeline.synth.session.backend
        factory = self._factory()
        self.latent_session = ResilientSession(factory, split.latent_path, backend, "latent", self._on_fallback)
        self._split = split
        self.decoder_mode = "overlap"
        if self.config.decoder == "cascade":
            try:
                self._open_parts(split)
                self.decoder_mode = "cascade"
            except (gs.GraphSplitError, RuntimeError) as exc:
                self.cascade_error = str(exc)  # an unusual decoder: whole-decoder chunks still work
                self.decoder_parts = []
        if "validation" not in split.info or "measured_receptive_field" not in split.info:
            self._check_split(split)
        measured = split.info.get("measured_receptive_field")
        if measured and max(measured) > self.receptive_field.radius:
            self.receptive_field = ReceptiveField(int(measured[0]), int(measured[1]), self.hop)
        if self.decoder_mode == "cascade":
            self.decoder_session = None  # the whole decoder was only needed for the checks: free its memory
        return split

    @property
    def whole_decoder(self) -> ResilientSession:
        """A session of the whole "latent → audio" graph ("overlap" chunks; checks), opened when first needed."""
        if self.decoder_session is None:
            self.decoder_session = ResilientSession(
                self._factory(), self._split.decoder_path, self.pipeline.synth.session.backend, "decode",
                self._on_fallback,
            )  # fmt: skip
        return self.decoder_session

    def _factory(self):
        """The pipeline's session factory, with worker threads that do not spin between runs.

        A streamed request runs several sessions back to back (latent, then each decoder part); onnxruntime's
        worker threads spin for a while after a run by default, and on a machine with few cores a session that
        just finished then steals the CPU from the next one (measured: 1.7× slower chunked decoding)."""
        if self.__dict__.get("_own_factory") is None:
            base = self.pipeline.factory
            config = base.config
            if hasattr(config, "allow_spinning") and config.allow_spinning is not False:
                self._own_factory = SessionFactory(replace(config, allow_spinning=False), faults=base.faults)
            else:
                self._own_factory = base
        return self._own_factory

    def _open_parts(self, split: SplitGraphs) -> None:
        from ..graphs import split as gs

        paths = gs.decoder_level_paths(split)
        fields = gs.decoder_part_fields(self.voice.config.get("model"))
        if len(fields) != len(paths):
            raise gs.GraphSplitError(f"the decoder has {len(paths)} parts but its config describes {len(fields)}")
        extras = split.info.get("decoder_part_inputs") or [[] for _ in paths]
        backend = self.pipeline.synth.session.backend
        factory = self._factory()
        sessions = [ResilientSession(factory, path, backend, "decode", self._on_fallback) for path in paths]
        measured = split.info.get("measured_part_fields")
        if not measured:
            measured = []
            channels = None
            for i, (session, field) in enumerate(zip(sessions, fields)):
                if i == 0:
                    continue  # conv_pre: measured with the whole decoder's field below
                if channels is None:
                    channels = int(sessions[i].inputs["x"].shape[1])
                run = lambda x, s=session, e=extras[i]: s.run(["y"], {"x": x, **self._cond_for(e)})[0]  # noqa: E731
                length = max(32, 4 * (field.left + field.right + 2))
                measured.append(list(gs.measure_part_field(run, int(session.inputs["x"].shape[1]), field.up, length)))
            gs.update_split_info(split, measured_part_fields=measured)
        parts = [DecoderPart(sessions[0], fields[0], extras[0])]
        for session, field, extra, (left, right) in zip(sessions[1:], fields[1:], extras[1:], measured):
            if left > field.left or right > field.right:  # the graph knows better than the config
                field = PartField(field.up, max(left, field.left), max(right, field.right))
            parts.append(DecoderPart(session, field, extra))
        self.decoder_parts = parts

    def _cond_for(self, names: list[str]) -> dict[str, np.ndarray]:
        return {k: v for k, v in self._conditioning(0).items() if k in names} if names else {}

    def _check_split(self, split: SplitGraphs) -> None:
        from ..graphs import split as gs

        whole = self.pipeline.synth.session
        result = gs.compare_parts(
            whole.run, self.latent_session.run, self.whole_decoder.run, whole.inputs,
            set(self.latent_session.inputs), split,
        )  # fmt: skip
        if not result["max_abs_diff"] <= 1e-4:
            raise gs.GraphSplitError(
                f"{split.source}: the split graphs differ from the whole graph by {result['max_abs_diff']:.3g}"
            )
        g = self._conditioning(0)
        left, right = gs.measure_receptive_field(
            lambda z: self._decode(z, g), result["latent_channels"], result["hop"],
            frames=max(64, 4 * self.receptive_field.radius + 8),
        )  # fmt: skip
        gs.update_split_info(split, validation=result, measured_receptive_field=[left, right])

    # -- pieces ------------------------------------------------------------------------------------------------

    def _conditioning(self, sid: int) -> dict[str, np.ndarray]:
        """The decoder's extra inputs for a speaker, from a one-phone latent run (cached per speaker)."""
        cache = self.__dict__.setdefault("_cond_cache", {})
        if sid not in cache:
            feeds = self._latent_feeds(
                np.zeros(3, np.int64), np.zeros(3, np.int64), np.zeros(3, np.int64),
                np.zeros((BERT_DIM, 3), np.float32), sid, self.voice.style_vector(None, 1.0),
                SynthesisParams(noise=0.0, sdp_ratio=0.0),
            )  # fmt: skip
            outs = self.latent_session.run(self._split.conditioning, feeds)
            cache[sid] = dict(zip(self._split.conditioning, outs))
        return cache[sid]

    def _latent_feeds(self, x_tst, tone_ids, language_ids, bert, sid, style_vec, params) -> dict[str, np.ndarray]:
        """The latent graph's inputs: the pipeline's own synthesizer feeds (SynthStage.feeds), those it declares."""
        feeds = self.pipeline.synth.feeds(
            x_tst, tone_ids, language_ids, bert, sid=sid, style_vec=style_vec, length_scale=params.length,
            sdp_ratio=params.sdp_ratio, noise_scale=params.noise, noise_scale_w=params.noise_w,
        )  # fmt: skip
        declared = self.latent_session.inputs
        return {k: v for k, v in feeds.items() if k in declared}

    def _decode(self, z: np.ndarray, cond: dict[str, np.ndarray], sid: int | None = None) -> np.ndarray:
        """The whole decoder on a latent slice."""
        feeds = {LATENT: np.ascontiguousarray(z, dtype=np.float32), **cond}
        if self._split.decoder_graph_inputs:
            feeds.update({"sid": np.array([sid or 0], np.int64)})
        (audio,) = self.whole_decoder.run([AUDIO], feeds)
        return np.asarray(audio, np.float32).reshape(-1)

    def latent(self, text: str, params: SynthesisParams | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """One segment's latent z·y_mask [1, C, frames] and decoder conditioning (tests, tools)."""
        self.prepare()
        params = params or SynthesisParams()
        fe = frontend.analyze(text, use_jp_extra=self.voice.is_jp_extra)
        ids = self.pipeline.tokenizer.encode(fe.bert_text)
        bert = expand_to_phones(self.pipeline.bert.run(ids), fe.word2ph_blank)
        sid = self.voice.speaker_id(params.speaker)
        style_vec = self.voice.style_vector(params.style, params.style_weight)
        outs = self.latent_session.run(
            [LATENT, *self._split.conditioning],
            self._latent_feeds(fe.x_tst, fe.tone_ids, fe.language_ids, bert, sid, style_vec, params),
        )
        return outs[0], dict(zip(self._split.conditioning, outs[1:]))

    @property
    def overhead_frames(self) -> float:
        """Rough cost of a chunk's recomputed context, in latent frames of decoding (for the scheduler)."""
        if self.decoder_mode != "cascade" or len(self.decoder_parts) < 2:
            return 2.0 * self.overlap
        # the first level holds ~20 % of the decoder's work; parts above it read fractions of a frame
        res, extra = 1, 0.0
        for i, part in enumerate(self.decoder_parts):
            share = 0.05 if i == 0 else (0.25 if i == 1 else 1.0)
            extra += share * (part.left + part.right) / res
            res *= part.field.up
        return extra

    def decode_chunks(
        self,
        z: np.ndarray,
        cond: dict[str, np.ndarray],
        sizes: Iterator[int] | ChunkScheduler | None = None,
        sid: int = 0,
        headroom: Callable[[], float | None] | None = None,
    ) -> Iterator[tuple[np.ndarray, tuple[int, int], tuple[int, int] | None, float]]:
        """Decode a latent [1, C, T] chunk by chunk: (audio, kept frames, latent frames read, ms) per chunk. The
        joined audio equals decoding z whole (the same samples, to float rounding). `sizes`: a fixed schedule
        (an iterator of frame counts) or a ChunkScheduler asked with `headroom()` before each chunk."""
        self.prepare()
        total = int(z.shape[-1])
        if sizes is None:
            sizes = ChunkScheduler(self.config, self.overhead_frames)
        cascade = CascadeDecoder(self.decoder_parts, z, cond) if self.decoder_mode == "cascade" else None
        ov, hop, pos = self.overlap, self.hop, 0
        while pos < total:
            limit = math.inf
            if isinstance(sizes, ChunkScheduler):
                n = sizes.next_size(headroom() if headroom is not None else None)
                limit = sizes.limit
            else:
                n = max(1, int(next(sizes)))
            rest = total - pos
            # no short last chunk (it would cost a whole chunk's context) when the headroom allows
            if rest - n < 4 or (rest - n < n // 2 and rest <= limit):
                n = rest
            n = min(n, total - pos)
            t0 = time.perf_counter()
            if cascade is not None:
                keep = cascade.next(n)
                read = cascade.first_input
            else:
                a, b = max(0, pos - ov), min(total, pos + n + ov)
                audio = self._decode(z[:, :, a:b], cond, sid)
                keep = audio[(pos - a) * hop : (pos - a + n) * hop]
                read = (a, b)
            ms = (time.perf_counter() - t0) * 1000.0
            if isinstance(sizes, ChunkScheduler):
                sizes.observe(n, ms)
            yield keep, (pos, pos + n), read, ms
            pos += n

    # -- requests --------------------------------------------------------------------------------------------

    def stream(
        self,
        text: str | Iterable[str],
        params: SynthesisParams | None = None,
        *,
        on_chunk: Callable[[ChunkTiming], None] | None = None,
    ) -> StreamRun:
        """Start a request: iterate the returned StreamRun for audio chunks as they are ready."""
        params = params or SynthesisParams()
        params.validate()
        if isinstance(text, str) and not text.strip():
            raise TextError("the text is empty: type some Japanese to speak")
        if self.config.chunked:
            self.prepare()
        report = StreamReport(
            sample_rate=self.sample_rate,
            voice=self.voice.name,
            overlap_frames=self.overlap if self.config.chunked and self.decoder_mode == "overlap" else 0,
            part_context=[(p.field.up, p.left, p.right) for p in self.decoder_parts]
            if self.config.chunked and self.decoder_mode == "cascade"
            else [],
            receptive_field=self.receptive_field.radius,
            mode=self.decoder_mode if self.config.chunked else "sentence",
        )
        return StreamRun(self._run(text, params, report, on_chunk), report)

    def synthesize(self, text: str | Iterable[str], params: SynthesisParams | None = None):
        """The whole request as one array, and its report."""
        run = self.stream(text, params)
        return run.collect(), run.report

    def _run(self, text, params: SynthesisParams, report: StreamReport, on_chunk) -> Iterator[AudioChunk]:
        cfg = self.config
        t_start = time.perf_counter()
        now_ms = lambda: (time.perf_counter() - t_start) * 1000.0  # noqa: E731
        sid = self.voice.speaker_id(params.speaker)
        style_vec = self.voice.style_vector(params.style, params.style_weight)
        scheduler = ChunkScheduler(cfg, self.overhead_frames) if cfg.chunked else None
        position = 0
        index = 0
        pending_ms: dict[str, float] = {}

        def emit(audio: np.ndarray, kind: str, seg: Segment | None, stages: dict, started: float, **extra):
            nonlocal position, index
            ready = now_ms()
            timing = ChunkTiming(
                index=index, kind=kind, segment=seg.index if seg else -1, line=seg.line if seg else -1,
                start_sample=position, samples=int(audio.size), stages_ms=stages, started_ms=started,
                ready_ms=ready, frames=extra.get("frames"), decoded_frames=extra.get("decoded"),
                last_in_segment=extra.get("last", True),
            )  # fmt: skip
            if kind == "speech" and report.ttfa_ms is None:
                report.ttfa_ms = ready
            index += 1
            position += int(audio.size)
            report.chunks.append(timing)
            report.audio_samples = position
            report.total_ms = ready
            if on_chunk is not None:
                on_chunk(timing)
            return AudioChunk(audio, timing, self.sample_rate)

        def headroom() -> float | None:
            """Audio handed out but not yet played by a player that started at the first chunk (ms)."""
            if report.ttfa_ms is None:
                return None
            return report.ttfa_ms + position * 1000.0 / self.sample_rate - now_ms()

        def timed(stage: str, fn, *args):
            t0 = time.perf_counter()
            value = fn(*args)
            pending_ms[stage] = pending_ms.get(stage, 0.0) + (time.perf_counter() - t0) * 1000.0
            return value

        assist_mean = None
        if params.assist_text and params.assist_text.strip():
            assist_mean = timed("bert", self.pipeline.assist_mean, params.assist_text)

        segments = iter_segments(
            text, cfg.max_sentence_chars, cfg.first_sentence_chars, params.split_lines, cfg.pack_sentences
        )
        previous: Segment | None = None
        spoken = 0
        for seg in segments:
            started = now_ms()
            try:
                fe = self._analyze(seg.text, timed)
            except TextError:
                report.skipped.append(seg.text)
                continue
            ids = timed("tokenize", self.pipeline.tokenizer.encode, fe.bert_text)
            if len(ids) != len(fe.word2ph_blank):
                report.skipped.append(seg.text)
                continue
            # the silence before this segment, now that it is known to be spoken
            if previous is not None:
                gap_s = cfg.sentence_interval if seg.line == previous.line else params.line_interval
                gap = np.zeros(int(round(gap_s * self.sample_rate)), np.float32)
                if gap.size:
                    yield emit(gap, "gap", None, {}, now_ms())
            features = timed("bert", self.pipeline.bert.run, ids)
            bert = timed("align", expand_to_phones, features, fe.word2ph_blank, assist_mean, params.assist_text_weight)
            report.segments.append(seg.text)
            spoken += 1
            previous = seg
            if not cfg.chunked:
                audio = self._whole(fe, bert, sid, style_vec, params, timed)
                stages, pending_ms = pending_ms, {}
                yield emit(audio, "speech", seg, stages, started, frames=None, decoded=None)
                continue
            feeds = self._latent_feeds(fe.x_tst, fe.tone_ids, fe.language_ids, bert, sid, style_vec, params)
            names = [LATENT, *self._split.conditioning]
            outs = timed("latent", self.latent_session.run, names, feeds)
            z, cond = outs[0], dict(zip(self._split.conditioning, outs[1:]))
            total = int(z.shape[-1])
            chunk_started = started
            for audio, kept, decoded, ms in self.decode_chunks(z, cond, scheduler, sid, headroom):
                pending_ms["decode"] = pending_ms.get("decode", 0.0) + ms
                stages, pending_ms = pending_ms, {}
                yield emit(audio, "speech", seg, stages, chunk_started, frames=kept, decoded=decoded,
                           last=kept[1] == total)  # fmt: skip
                chunk_started = now_ms()
        if spoken == 0:
            raise TextError(
                "nothing in the text is readable: " + " / ".join(repr(s) for s in report.skipped[:3])
                if report.skipped
                else "the text is empty: type some Japanese to speak"
            )
        report.total_ms = now_ms()
        report.ran_on = self.ran_on()
        report.fallbacks = [e for session in self._sessions() for e in session.take_events()]
        report.finished = True

    def _analyze(self, text: str, timed):
        return timed("frontend", lambda: frontend.analyze(text, use_jp_extra=self.voice.is_jp_extra))

    def _whole(self, fe, bert, sid, style_vec, params, timed) -> np.ndarray:
        return timed(
            "synthesize",
            lambda: self.pipeline.synth.run(
                fe.x_tst, fe.tone_ids, fe.language_ids, bert, sid=sid, style_vec=style_vec,
                length_scale=params.length, sdp_ratio=params.sdp_ratio, noise_scale=params.noise,
                noise_scale_w=params.noise_w,
            ),  # fmt: skip
        )

    def set_on_fallback(self, callback) -> None:
        """Who hears of a GPU stage that fell back to the CPU (the streaming sessions and the pipeline's)."""
        self._on_fallback = callback
        for session in self._sessions():
            session.set_on_fallback(callback)

    def _sessions(self) -> list[ResilientSession]:
        found = [self.pipeline.bert.session, self.pipeline.synth.session, self.latent_session, self.decoder_session]
        found += [p.session for p in self.decoder_parts]
        return [s for s in found if s is not None and hasattr(s, "take_events")]

    def ran_on(self) -> dict[str, str]:
        out = {"bert": self.pipeline.bert.session.ran_on}
        if self.latent_session is not None and self.config.chunked:
            out["latent"] = self.latent_session.ran_on
            out["decode"] = (
                self.decoder_parts[0].session.ran_on if self.decoder_parts else self.whole_decoder.ran_on
            )
        else:
            out["synthesize"] = self.pipeline.synth.session.ran_on
        return out

    def warm_up(self, runs: int = 1) -> list[float]:
        """Short streamed requests so the first real one pays no first-run costs; returns each one's TTFA."""
        out = []
        for _ in range(runs):
            run = self.stream("こんにちは、今日はいい天気ですね。", SynthesisParams(noise=0.0, sdp_ratio=0.0))
            run.collect()
            out.append(run.report.ttfa_ms or 0.0)
        return out


_STREAMERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def streamer_for(pipeline, config: StreamConfig | None = None) -> StreamingSynthesizer:
    """The StreamingSynthesizer of a loaded Pipeline, made once and kept as long as the pipeline lives (its
    sessions take seconds to open). `config`, when given, replaces the kept one's. prepare() it off the UI
    thread before the first request."""
    streamer = _STREAMERS.get(pipeline)
    if streamer is None or (config is not None and config.decoder != streamer.config.decoder):
        streamer = StreamingSynthesizer(pipeline, config)
        _STREAMERS[pipeline] = streamer
    elif config is not None:
        streamer.config = config  # chunk sizes, sentence limits: read per request
    return streamer


__all__ = [
    "AudioChunk",
    "CascadeDecoder",
    "ChunkScheduler",
    "ChunkTiming",
    "Segment",
    "StreamConfig",
    "StreamReport",
    "StreamRun",
    "STREAM_STAGES",
    "StreamingSynthesizer",
    "iter_segments",
    "split_sentences",
    "streamer_for",
    "timeline_rows",
]
