"""Chunked decoding: a segment's latent decoded chunk by chunk, so the first audio is ready long before the
sentence is. The synthesis loop (engine/synthesis.py) calls it for a plan with `chunked=True`; text segmenting,
timing and the result are that loop's.

Two chunked decoders, both giving the samples a whole-sentence run gives (to float rounding), whatever the chunk
sizes, because every output sample is computed with all the context it depends on:

- "cascade" (default): the decoder split into its parts (conv_pre, then one per upsampling level); each part
  computes only the outputs the next chunk needs that it has not computed yet, reading its own receptive field of
  context from the previous part's kept outputs. The recomputed context is small (about 8 frames' worth at the
  first level, fractions of a frame above), so small chunks cost little more than their share of a whole decode.
- "overlap": the whole decoder per chunk, on the chunk plus `overlap` latent frames on each side (at least the
  decoder's receptive field, 13 frames for every SBV2 config; the default adds 2), keeping the chunk's samples.

Input lengths (OpenVINO at a reduced precision, on a CPU with AMX): the CPU plug-in prepares its kernels for every
new input length, and with AMX that costs several times the decoding (`padded_length`). So there the decoder runs
at a few fixed lengths (`run_padded`): its inputs padded at their end and its outputs cut back, the segment's last
receptive field from a fixed-length window that ends with the segment. The samples are the same.

Chunk sizes (ChunkScheduler): the first is small (time to first audio); each next one up to `growth` times the
one before, but no larger than the measured decoding speed can finish before the audio already handed out has
played (for a player that started with the first chunk), so playback does not starve while the machine keeps up.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np

from ..graphs.split import AUDIO, LATENT, PartField, ReceptiveField, SplitGraphs, decoder_receptive_field
from ..models.formats import BERT_DIM
from ..runtime import ov_backend
from ..runtime.backends import ResilientSession, SessionFactory
from .bert import expand_to_phones
from .params import SynthesisParams
from .synthesis import MachineSpeed, SynthesisPlan, _ema
from .text import frontend

OVERLAP_MARGIN = 2  # latent frames of context beyond the decoder's exact receptive field


def padded_length(n: int) -> int:
    """`n` rounded up to a multiple of the largest power of two that is at most n / 8: at most 12.5 % more, and
    8 lengths an octave. Why: on a Xeon with AMX (OpenVINO 2026.4, bf16), the bench voice's decoder took 1.9 s at a
    200-frame length it had not seen and 0.21 s at one it had, and six new sentences in a row 2.0 s each to
    synthesize against 0.25 s for the same six again (docs/benchmarks.md, "A CPU with AMX")."""
    step = 1 << max(0, int(n).bit_length() - 4)
    return -(-int(n) // step) * step


def run_padded(run, x: np.ndarray, up: int, left: int, right: int, at_end: bool) -> np.ndarray:
    """`run` (inputs [..., m] → outputs [..., m·up], each output reading `left`/`right` input positions around its
    own) on x padded with zeros to `padded_length`, cut back to n·up. The outputs that read the padding (those of
    the last `right` positions) are wrong only where x ends at the segment's end (elsewhere the caller keeps none of
    them): there they come from a second run on a fixed-length window ending where x ends, whose own edge is the
    segment's. So the samples are those of one run on x, from two lengths seen before."""
    n = x.shape[-1]
    padded = padded_length(n)
    window = 1 << (left + right).bit_length()  # a power of two above left + right: its last `right` are exact
    if padded == n or (at_end and n <= window):
        return run(x)  # a length of its own: already one of the few, or short (at most `window` such)
    y = run(np.pad(x, [(0, 0)] * (x.ndim - 1) + [(0, padded - n)]))[..., : n * up]
    if not at_end:
        return y
    tail = run(x[..., n - window :])
    return np.concatenate([y[..., : (n - right) * up], tail[..., (window - right) * up :]], axis=-1)


# --- the latent at a reduced precision ---------------------------------------------------------------------------


class PriorThenFlow:
    """The latent graph as two sessions, for a reduced-precision synthesizer: the prior (text encoder, durations,
    noise) in FP32, so the audio's length never changes, then the flow at the reduced precision (graphs/split.py
    `prior_flow_paths`). Runs like the latent graph's session: the same inputs, outputs z·y_mask and `g`."""

    def __init__(self, prior: ResilientSession, flow: ResilientSession, flow_inputs: list[str], conditioning):
        self.prior = prior
        self.flow = flow
        self.flow_inputs = list(flow_inputs)
        self.prior_outputs = [*self.flow_inputs, *(c for c in conditioning if c not in self.flow_inputs)]

    @property
    def inputs(self):
        return self.prior.inputs

    @property
    def ran_on(self) -> str:
        """Where the durations ran (the flow's device is `flow.ran_on`)."""
        return self.prior.ran_on

    def run(self, outputs, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        names = list(outputs)
        if LATENT not in names:  # the conditioning only: the prior alone computes it
            return self.prior.run(names, feeds)
        made = dict(zip(self.prior_outputs, self.prior.run(self.prior_outputs, feeds)))
        (made[LATENT],) = self.flow.run([LATENT], {k: made[k] for k in self.flow_inputs})
        return [made[n] for n in names]

    def sessions(self) -> list[ResilientSession]:
        return [self.prior, self.flow]


# --- chunked decoding ------------------------------------------------------------------------------------------


class DecoderPart:
    """One part of the split decoder: its session, receptive field and extra inputs (the first part's `g`)."""

    def __init__(self, session, field: PartField, extra: list[str], margin: int = 1, pad_lengths: bool = False):
        self.session = session
        self.field = field
        self.extra = list(extra)
        self.left = field.left + margin
        self.right = field.right + margin
        self.pad_lengths = pad_lengths  # inputs padded to `padded_length` (outputs cut back)

    def run(self, x: np.ndarray, cond: dict[str, np.ndarray], first: bool, at_end: bool = True) -> np.ndarray:
        """The part's outputs for inputs x [1, C, n]; `at_end`: x ends where the segment does."""

        def once(inputs: np.ndarray) -> np.ndarray:
            feeds = {("z" if first else "x"): np.ascontiguousarray(inputs, dtype=np.float32)}
            feeds.update({k: cond[k] for k in self.extra})
            (y,) = self.session.run(["y"], feeds)
            return np.asarray(y, dtype=np.float32)

        if not self.pad_lengths:
            return once(x)
        return run_padded(once, x, self.field.up, self.left, self.right, at_end)


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
            y = part.run(self._slice(i, a, b), self.cond, i == 0, at_end=b == self.lengths[i])
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


def chunk_place(pos: int, frames: int, total: int) -> str:
    """Where a chunk of `frames` from `pos` lies in its segment of `total` frames: "first", "inside", "last" or
    "whole". Each place decodes inputs of its own length (context on the right only, on both sides, on the left,
    none), so an engine that prepares kernels per shape sees a new shape for each."""
    more = pos + frames < total
    if pos == 0:
        return "first" if more else "whole"
    return "inside" if more else "last"


class ChunkScheduler:
    """Chooses each chunk's size: `first_chunk_frames`, then up to ×growth the previous one, but (adaptive) no
    more than what the measured decoding speed (× the hiccup factor after a slow chunk) can finish within
    `safety` × the headroom (the audio handed out that the player has not played yet) less `margin_ms`, and
    never below min_chunk_frames. When even that is too late, chunks keep growing: fewer, larger chunks waste the
    least time on context. The speed it measures is the machine's (`speed`, kept by the voice across requests);
    `reason` says why the last size was chosen (the chunk timeline's text)."""

    def __init__(
        self,
        plan: SynthesisPlan,
        overhead_frames: float,
        speed: MachineSpeed | None = None,
        new_shapes_slow: bool = True,
    ):
        """`new_shapes_slow`: the engine prepares kernels for each input shape (OpenVINO), so a chunk shape's
        first run says nothing of the machine's speed; otherwise (onnxruntime's CPU provider) every chunk does."""
        self.config = plan
        self.overhead = max(0.0, float(overhead_frames))
        self.speed = speed if speed is not None else MachineSpeed()
        self.new_shapes_slow = new_shapes_slow
        self.previous: int | None = None
        self.ms_per_frame: float | None = None  # this request's measurement (the machine's seeds the first chunk)
        self.limit = math.inf
        self.reason = ""
        self._rate: float | None = None

    def next_size(self, headroom_ms: float | None, start_frames: int | None = None) -> int:
        """`start_frames`: before playback starts, the fewest frames with which it could start
        (PlaybackSchedule.start_chunk_frames); such a chunk is made at once instead of small ones and a wait."""
        cfg = self.config
        self.limit = math.inf  # the most frames the headroom allows (for merging a short tail)
        rate = self.ms_per_frame or self.speed.decode_ms_per_frame
        self._rate = rate  # what this chunk is predicted to cost per frame (a hiccup is measured against it)
        if start_frames is not None and cfg.adaptive:
            n = float(start_frames)
            self.reason = "start buffer in one chunk: playback can start with it"
        elif self.previous is None:
            n = float(cfg.first_chunk_frames)
            self.reason = "first chunk: small, for time to first audio"
        else:
            n = self.previous * cfg.growth
            self.reason = f"×{cfg.growth:g} the last one"
            if not cfg.adaptive:
                self.reason = "fixed schedule"
            elif headroom_ms is None:
                self.reason += " (start buffer filling: larger chunks cost less context)"
            elif rate:
                rate *= self.speed.hiccup
                budget = cfg.safety * headroom_ms - cfg.margin_ms
                fits = budget / rate - self.overhead
                smallest = rate * (cfg.min_chunk_frames + self.overhead)
                if fits >= cfg.min_chunk_frames:
                    if fits < n:
                        self.reason = f"sized to the headroom ({headroom_ms:.0f} ms ahead)"
                    else:
                        self.reason += f" (headroom {headroom_ms:.0f} ms allows it)"
                    n = min(n, fits)
                    self.limit = fits
                elif smallest <= headroom_ms:
                    n = cfg.min_chunk_frames  # tight: the smallest chunk still makes it
                    self.reason = f"smallest: only {headroom_ms:.0f} ms ahead"
                else:
                    # not even the smallest chunk can be ready in time (the machine is slower than real time
                    # just now): small chunks would only add overhead, so keep growing to catch up.
                    self.reason += f" to catch up ({headroom_ms:.0f} ms ahead, slower than real time)"
        if cfg.adaptive:
            n = cfg.bucket_below(n)  # a size seen before: the engine's kernels for it are ready
        return int(max(cfg.min_chunk_frames, min(n, cfg.max_chunk_frames), 1))

    def observe(self, frames: int, ms: float, where: str = "inside") -> None:
        """A chunk of `frames` took `ms`; `where`: its place in its segment (`chunk_place`)."""
        rate = ms / (frames + self.overhead)
        # A shape decoded for the first time (a segment's tail) is slow on an engine that prepares its kernels per
        # input shape (OpenVINO: 1.4–1.7× the prediction, measured): neither a hiccup nor the machine's speed.
        shape = (frames, where)
        seen = shape in self.speed.chunk_sizes_seen or not self.new_shapes_slow
        self.speed.chunk_sizes_seen.add(shape)
        if self.previous is not None and self._rate and seen:  # (a request's first chunk also pays for warming up)
            self.speed.note_step(self._rate * (frames + self.overhead), ms)
        if seen or self.ms_per_frame is None:
            self.ms_per_frame = _ema(self.ms_per_frame, rate)
        if seen or self.speed.decode_ms_per_frame is None:
            self.speed.decode_ms_per_frame = _ema(self.speed.decode_ms_per_frame, rate)
        self.previous = frames


class StreamingSynthesizer:
    """A loaded Pipeline's synthesizer as split graphs (text → latent, then the decoder in parts), in sessions of
    its own (created by the pipeline's factory on the synthesizer's backend, with the same CPU fallback), for
    chunked decoding. Get it from `Pipeline.streamer()`. Not thread-safe, like the Pipeline: one worker owns both."""

    def __init__(
        self,
        pipeline,
        decoder: str = "cascade",
        *,
        split: SplitGraphs | None = None,
        cache_root=None,
        on_fallback=None,
    ):
        if decoder not in ("cascade", "overlap"):
            raise ValueError(f"decoder must be 'cascade' or 'overlap', not {decoder!r}")
        self.pipeline = pipeline
        self.voice = pipeline.voice
        self.requested_decoder = decoder
        self.overlap_frames: int | None = None  # "overlap" decoder: context per side (None: field + margin)
        self._split = split
        self._cache_root = cache_root
        self._on_fallback = on_fallback
        self.latent_session: ResilientSession | PriorThenFlow | None = None
        self.flow_error: str | None = None  # why a reduced-precision latent could not run its flow apart
        self.decoder_session: ResilientSession | None = None
        self.receptive_field: ReceptiveField = decoder_receptive_field(self.voice.config.get("model"))
        self.hop = self.receptive_field.hop
        self.decoder_mode = decoder
        self.decoder_parts: list[DecoderPart] = []
        self._parts_tried = False  # the cascade's parts are opened by the first chunked request
        self._whole_decodes = 0  # runs of the whole decoder so far (the first is not padded: see decode)
        self.cascade_error: str | None = None

    # -- setup ----------------------------------------------------------------------------------------------

    @property
    def sample_rate(self) -> int:
        return self.voice.sampling_rate

    @property
    def overlap(self) -> int:
        if self.overlap_frames is not None:
            return int(self.overlap_frames)
        return self.receptive_field.radius + OVERLAP_MARGIN

    @property
    def ready(self) -> bool:
        return self.latent_session is not None

    @property
    def pads_lengths(self) -> bool:
        """Whether the decoder runs at a few fixed lengths (`run_padded`): OpenVINO at a reduced precision on a
        device where a new input length costs more than decoding it (a CPU with AMX)."""
        backend = self.pipeline.synth_backend
        return (
            self.pipeline.new_shapes_slow
            and backend.precision != "fp32"
            and ov_backend.new_lengths_costly(backend.device)
        )

    def free_whole_graph(self) -> None:
        """While requests stream through the split graphs, free the whole synthesizer's session (a second copy of
        the voice's weights, 275 MB for a full-size voice); it reopens by itself when a request needs it (streaming
        off, export, comparison). Kept at FP32 when chunks are not decoded by the cascade (it does the work then);
        at a reduced precision no request runs it."""
        if self.ready and (self.decoder_mode == "cascade" or self.pipeline.reduced_synth):
            self.pipeline.synth.session.release()

    def prepare(self, chunked: bool = True) -> SplitGraphs:
        """Split the synthesizer (or read the cached split), open the sessions, and on a model's first use check
        the parts against the pipeline's whole graph and the receptive fields against the decoder. Seconds on a
        fresh model (the latent graph's session is as big as the whole graph's): call it off the UI thread.
        `chunked=False`: for whole segments (a reduced-precision synthesizer's whole requests): the latent only,
        the decoder parts are opened by the first chunked request."""
        from ..graphs import split as gs

        if self.latent_session is None:
            split = self._split or gs.split_synthesizer(self.pipeline.synth_graph, self._cache_root, validate=False)
            self.latent_session = self._open_latent(split)
            self._split = split
            if "validation" not in split.info or "measured_receptive_field" not in split.info:
                self._check_split(split)
            measured = split.info.get("measured_receptive_field")
            if measured and max(measured) > self.receptive_field.radius:
                self.receptive_field = ReceptiveField(int(measured[0]), int(measured[1]), self.hop)
        if chunked and not self._parts_tried:
            self._parts_tried = True
            self.decoder_mode = "overlap"
            if self.requested_decoder == "cascade":
                try:
                    self._open_parts(self._split)
                    self.decoder_mode = "cascade"
                except (gs.GraphSplitError, RuntimeError) as exc:
                    self.cascade_error = str(exc)  # an unusual decoder: whole-decoder chunks still work
                    self.decoder_parts = []
            if self.decoder_mode == "cascade":
                self.decoder_session = None  # the parts do the work: free the whole decoder (reopened on demand)
        return self._split

    def _open_latent(self, split: SplitGraphs) -> ResilientSession | PriorThenFlow:
        """The latent graph's session. Durations are computed there: they always run in FP32, so a reduced
        precision never changes the audio's length (bf16 over the whole graph changed a predicted duration); at a
        reduced precision the flow after them runs at that precision (PriorThenFlow)."""
        from ..graphs import split as gs

        backend = self.pipeline.synth_backend
        factory = self._factory()
        fp32 = backend.at("fp32")
        if backend.precision != "fp32":
            try:
                paths = gs.prior_flow_paths(split)
            except (gs.GraphSplitError, OSError) as exc:
                paths, self.flow_error = None, str(exc)
            if paths is not None:
                prior = ResilientSession(factory, paths[0], fp32, "latent", self._on_fallback)
                flow = ResilientSession(factory, paths[1], backend, "latent", self._on_fallback)
                return PriorThenFlow(prior, flow, split.info["flow_inputs"], split.conditioning)
        return ResilientSession(factory, split.latent_path, fp32, "latent", self._on_fallback)

    @property
    def whole_decoder(self) -> ResilientSession:
        """A session of the whole "latent → audio" graph ("overlap" chunks; checks), opened when first needed."""
        if self.decoder_session is None:
            self.decoder_session = ResilientSession(
                self._factory(), self._split.decoder_path, self.pipeline.synth_backend, "decode", self._on_fallback
            )
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
        backend = self.pipeline.synth_backend
        factory = self._factory()
        sessions = [ResilientSession(factory, path, backend, "decoder part", self._on_fallback) for path in paths]
        measured = split.info.get("measured_part_fields")
        if not measured:
            measured = []
            channels = None
            for i, (session, field) in enumerate(zip(sessions, fields)):
                if i == 0:
                    continue  # conv_pre: measured with the whole decoder's field below
                if channels is None:
                    channels = int(sessions[i].inputs["x"].shape[1])
                run = lambda x, s=session, e=extras[i]: s.run(["y"], {"x": x, **self._cond_for(e)})[0]
                length = max(32, 4 * (field.left + field.right + 2))
                measured.append(list(gs.measure_part_field(run, int(session.inputs["x"].shape[1]), field.up, length)))
            gs.update_split_info(split, measured_part_fields=measured)
        pad = self.pads_lengths
        parts = [DecoderPart(sessions[0], fields[0], extras[0], pad_lengths=pad)]
        for session, field, extra, (left, right) in zip(sessions[1:], fields[1:], extras[1:], measured):
            if left > field.left or right > field.right:  # the graph knows better than the config
                field = PartField(field.up, max(left, field.left), max(right, field.right))
            parts.append(DecoderPart(session, field, extra, pad_lengths=pad))
        self.decoder_parts = parts

    def _cond_for(self, names: list[str]) -> dict[str, np.ndarray]:
        return {k: v for k, v in self._conditioning(0).items() if k in names} if names else {}

    def _check_split(self, split: SplitGraphs) -> None:
        from ..graphs import split as gs

        whole = self.pipeline.synth.session
        latent, decoder = self.latent_session, self.whole_decoder
        if self.pipeline.synth_backend.precision != "fp32":  # the split is checked exactly, at FP32
            fp32 = self.pipeline.synth_backend.at("fp32")
            decoder = ResilientSession(self._factory(), split.decoder_path, fp32, "decode", self._on_fallback)
            latent = ResilientSession(self._factory(), split.latent_path, fp32, "latent", self._on_fallback)
        result = gs.compare_parts(whole.run, latent.run, decoder.run, whole.inputs, set(latent.inputs), split)
        if not result["max_abs_diff"] <= 1e-4:
            raise gs.GraphSplitError(
                f"{split.source}: the split graphs differ from the whole graph by {result['max_abs_diff']:.3g}"
            )
        g = self._conditioning(0)
        left, right = gs.measure_receptive_field(
            lambda z: self.decode(z, g, pad=False), result["latent_channels"], result["hop"],
            frames=max(64, 4 * self.receptive_field.radius + 8),
        )  # fmt: skip
        gs.update_split_info(split, validation=result, measured_receptive_field=[left, right])

    # -- pieces ------------------------------------------------------------------------------------------------

    def _conditioning(self, sid: int) -> dict[str, np.ndarray]:
        """The decoder's extra inputs for a speaker, from a one-phone latent run (cached per speaker)."""
        cache = self.__dict__.setdefault("_cond_cache", {})
        if sid not in cache:
            # g depends on the speaker only; 16 phones keep every engine's shape checks happy (OpenVINO refuses
            # relative attention over fewer phones than its window)
            zeros = np.zeros(16, np.int64)
            feeds = self.latent_feeds(self.pipeline.synth.feeds(
                zeros, zeros, zeros, np.zeros((BERT_DIM, 16), np.float32), sid=sid,
                style_vec=self.voice.style_vector(None, 1.0), length_scale=1.0, sdp_ratio=0.0, noise_scale=0.0,
                noise_scale_w=0.0,
            ))  # fmt: skip
            outs = self.latent_session.run(self._split.conditioning, feeds)
            cache[sid] = dict(zip(self._split.conditioning, outs))
        return cache[sid]

    def latent_feeds(self, synth_feeds: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """The latent graph's inputs: of the whole graph's feeds (SynthStage.feeds), those it declares."""
        declared = self.latent_session.inputs
        return {k: v for k, v in synth_feeds.items() if k in declared}

    @property
    def conditioning_names(self) -> list[str]:
        """The latent graph's outputs besides the latent that the decoder also reads (the speaker's `g`)."""
        return list(self._split.conditioning)

    def decode(
        self,
        z: np.ndarray,
        cond: dict[str, np.ndarray],
        sid: int | None = None,
        pad: bool | None = None,
        at_end: bool = True,
    ) -> np.ndarray:
        """The whole decoder on a latent (or a slice of it: `at_end`, whether it ends where the segment does);
        `pad`: at one of few lengths (`run_padded`; default: `pads_lengths`, from the second run on: the first has
        no length to reuse, and padded it would prepare two, the padded one and the end's window, which cost a
        one-shot `synth` 0.3 s more with AMX)."""
        first, self._whole_decodes = self._whole_decodes == 0, self._whole_decodes + 1
        if pad is None:
            pad = self.pads_lengths and not first

        def once(latent: np.ndarray) -> np.ndarray:
            feeds = {LATENT: np.ascontiguousarray(latent, dtype=np.float32), **cond}
            if self._split.decoder_graph_inputs:
                feeds.update({"sid": np.array([sid or 0], np.int64)})
            (audio,) = self.whole_decoder.run([AUDIO], feeds)
            return np.asarray(audio, np.float32).reshape(1, 1, -1)

        if not pad:
            return once(z).reshape(-1)
        field = self.receptive_field
        return run_padded(once, z, self.hop, field.left + 1, field.right + 1, at_end).reshape(-1)

    def latent(self, text: str, params: SynthesisParams | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """One segment's latent z·y_mask [1, C, frames] and decoder conditioning (tests, tools)."""
        self.prepare()
        params = params or SynthesisParams()
        fe = frontend.analyze(text, use_jp_extra=self.voice.is_jp_extra)
        ids = self.pipeline.tokenizer.encode(fe.bert_text)
        bert = expand_to_phones(self.pipeline.bert.run(ids), fe.word2ph_blank)
        sid = self.voice.speaker_id(params.speaker)
        style_vec = self.voice.style_vector(params.style, params.style_weight)
        feeds = self.pipeline.synth.feeds(
            fe.x_tst, fe.tone_ids, fe.language_ids, bert, sid=sid, style_vec=style_vec, length_scale=params.length,
            sdp_ratio=params.sdp_ratio, noise_scale=params.noise, noise_scale_w=params.noise_w,
        )  # fmt: skip
        outs = self.latent_session.run([LATENT, *self._split.conditioning], self.latent_feeds(feeds))
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
        sizes: Iterator[int] | ChunkScheduler,
        sid: int = 0,
        headroom: Callable[[], float | None] | None = None,
    ) -> Iterator[tuple[np.ndarray, tuple[int, int], tuple[int, int] | None, float]]:
        """Decode a latent [1, C, T] chunk by chunk: (audio, kept frames, latent frames read, ms) per chunk. The
        joined audio equals decoding z whole (the same samples, to float rounding). `sizes`: a fixed schedule
        (an iterator of frame counts) or a ChunkScheduler asked with `headroom()` before each chunk."""
        self.prepare()
        total = int(z.shape[-1])
        cascade = CascadeDecoder(self.decoder_parts, z, cond) if self.decoder_mode == "cascade" else None
        ov, hop, pos = self.overlap, self.hop, 0
        while pos < total:
            limit = math.inf
            if isinstance(sizes, ChunkScheduler):
                start = getattr(headroom, "start_chunk_frames", None)  # the run loop's PlaybackSchedule
                start_frames = start(total - pos, sizes.config.min_chunk_frames) if start is not None else None
                n = sizes.next_size(headroom() if headroom is not None else None, start_frames)
                limit = sizes.limit
            else:
                n = max(1, int(next(sizes)))
            rest = total - pos
            # no short last chunk (it would cost a whole chunk's context) when the headroom allows
            if rest - n < 4 or (rest - n < n // 2 and rest <= limit):
                if rest > n and isinstance(sizes, ChunkScheduler):
                    sizes.reason += "; with the segment's short tail"
                n = rest
            n = min(n, total - pos)
            t0 = time.perf_counter()
            if cascade is not None:
                keep = cascade.next(n)
                read = cascade.first_input
            else:
                a, b = max(0, pos - ov), min(total, pos + n + ov)
                audio = self.decode(z[:, :, a:b], cond, sid, at_end=b == total)
                keep = audio[(pos - a) * hop : (pos - a + n) * hop]
                read = (a, b)
            ms = (time.perf_counter() - t0) * 1000.0
            if isinstance(sizes, ChunkScheduler):
                sizes.observe(n, ms, chunk_place(pos, n, total))
            yield keep, (pos, pos + n), read, ms
            pos += n

    # -- sessions -------------------------------------------------------------------------------------------

    def warm_chunk_shapes(
        self, plan: SynthesisPlan, sid: int = 0, stop: Callable[[], bool] | None = None, seen: set | None = None
    ) -> int:
        """Decode, once, each chunk shape the start of a streamed request can ask for, from a silent latent: chunks
        inside a segment up to ×growth the largest start chunk, then a segment's first chunk at each size playback
        may start with (`max_start_chunk_frames`). OpenVINO prepares kernels per input shape, and a request paid
        for each shape it decoded first: measured on the full-size voice at bf16 (2-core AMD EPYC), the first
        request after the streamed warm-up took 105-120 ms for 8-12-frame chunks that take 30-46 ms once seen,
        and played 23-93 ms of silence in 8 runs of 13. The sizes are the scheduler's (`plan.chunk_buckets`); a
        segment's last chunk (any length) pays for its own, and so do the chunks of the "overlap" decoder (the
        cascade's fallback) that start within its overlap of the segment's start (they read fewer frames).
        `seen`: the (frames, where) shapes decoded already (MachineSpeed.chunk_sizes_seen), skipped; those decoded
        here are added. `stop()`, asked before each chunk, ends it (a person's request is waiting). Returns the
        frames decoded."""
        seen = set() if seen is None else seen
        limit = plan.max_start_chunk_frames
        inside = [n for n in plan.chunk_buckets if n <= limit * plan.growth and (n, "inside") not in seen]
        starts = sorted({plan.first_chunk_frames, *(n for n in plan.chunk_buckets if n <= limit)})
        schedules = ([[plan.first_chunk_frames, *inside]] if inside else []) + [[n] for n in starts]
        # A start chunk smaller than the first chunk, and the chunks right after it, decoded in that order: with
        # the least audio buffered, those chunks were slow the first times although every input length they read
        # is one the runs above read too (checked on the full-size voice): after an 8-frame start (OpenVINO bf16,
        # 2-core AMD EPYC) the next 8- and 12-frame chunks took 100-150 ms against 30-70 ms with these warmed,
        # and 5 of 24 such requests played a 23-70 ms gap against none of 32.
        for n in (n for n in starts if n < plan.first_chunk_frames):
            for follow in (b for b in plan.chunk_buckets if n <= b <= n * 1.5):
                schedules.append([n, follow, plan.bucket_below(follow * plan.growth)])
        self.prepare()
        cond = self._conditioning(sid)
        first_part = self.decoder_parts[0].session if self.decoder_parts else self.whole_decoder
        channels = int(first_part.inputs[LATENT].shape[1])
        after = 2 * self.overlap + 8  # frames after the last chunk asked for: none of them ends the segment
        decoded = 0
        for schedule in schedules:
            if len(schedule) == 1 and (schedule[0], "first") in seen:  # a start size seen already
                continue
            if (tuple(schedule), "start") in seen:  # a small start and its next chunks, decoded already
                continue
            z = np.zeros((1, channels, sum(schedule) + max(schedule) + after), np.float32)
            chunks = self.decode_chunks(z, cond, iter(schedule), sid)
            for _ in schedule:
                if stop is not None and stop():
                    return decoded
                _, (a, b), _, _ = next(chunks)
                seen.add((b - a, chunk_place(a, b - a, z.shape[-1])))
                decoded += b - a
            if len(schedule) > 1 and schedule[0] < plan.first_chunk_frames:
                seen.add((tuple(schedule), "start"))
        return decoded

    def set_on_fallback(self, callback) -> None:
        """Who hears of a GPU stage of the split graphs that fell back to the CPU."""
        self._on_fallback = callback
        for session in self.sessions():
            session.set_on_fallback(callback)

    def sessions(self) -> list[ResilientSession]:
        """The split graphs' open sessions (the pipeline's own are the pipeline's)."""
        latent = (
            self.latent_session.sessions() if isinstance(self.latent_session, PriorThenFlow) else [self.latent_session]
        )
        found = [*latent, self.decoder_session, *(p.session for p in self.decoder_parts)]
        return [s for s in found if s is not None and hasattr(s, "take_events")]


__all__ = [
    "CascadeDecoder",
    "ChunkScheduler",
    "chunk_place",
    "DecoderPart",
    "OVERLAP_MARGIN",
    "PriorThenFlow",
    "StreamingSynthesizer",
]
