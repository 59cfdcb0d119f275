"""The SBV2 voice: a loaded model + BERT, and its steps of the one synthesis path (engine/synthesis.py).

Stages, in order, timed per request by the one clock: frontend (normalize + G2P) → tokenize → bert →
align (word2ph) → synthesize → postprocess. Whether a segment is synthesized whole (the reference's graph) or its
latent is decoded chunk by chunk (the split graphs of graphs/split.py, engine/streaming.py) is the plan's choice;
both report their work as "synthesize" and give the same samples.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import TextError
from ..graphs.seeded import seeded_graph
from ..graphs.split import LATENT
from ..models.formats import BertModel, VoiceModel, load_bert_folder, load_voice_model
from ..paths import cache_dir, tidy_cache_in_background
from ..runtime.backends import CPU, Backend, FallbackEvent, ResilientSession, SessionFactory
from .bert import DEFAULT_FEATURE_CACHE, BertStage, FeatureCache, expand_to_phones
from .params import ALL_PARAMS, SynthesisParams
from .synth import SynthStage
from .synthesis import (
    LONG_LINE_CHARS,
    MAX_TEXT_CHARS,
    STAGES,
    PlannedVoice,
    Rendered,
    StageClock,
    StageTiming,
    SynthesisPlan,
    SynthesisResult,
)
from .text import frontend
from .text.g2p import text_to_words
from .text.segments import split_long_line
from .tokenizer import CharTokenizer


@dataclass
class _Prepared:
    """One segment after the front end and the tokenizer."""

    frontend: frontend.FrontendResult
    ids: list[int]


ASSIST_PIECE_CHARS = 500  # an assist text longer than this is read in pieces (see Pipeline.assist_mean)


@dataclass
class _RequestState:
    sid: int
    style_vec: np.ndarray
    assist_mean: np.ndarray | None
    scheduler: object | None  # streaming.ChunkScheduler when the plan decodes in chunks
    streamer: object | None
    whole_split: object | None = None  # the split graphs that render a whole segment at a reduced precision


class Pipeline(PlannedVoice):
    """A loaded SBV2 voice + BERT, ready to synthesize (`stream`, `synthesize`, `warm_up`: PlannedVoice's).
    Not thread-safe: one worker owns it."""

    kind = "sbv2"
    stages = STAGES
    supported_params = ALL_PARAMS

    def __init__(
        self,
        voice: VoiceModel,
        bert: BertModel,
        *,
        bert_backend: Backend = CPU,
        synth_backend: Backend = CPU,
        factory: SessionFactory | None = None,
        on_fallback: Callable[[FallbackEvent], None] | None = None,
        bert_variant: str | None = None,
        feature_cache: FeatureCache | int | None = DEFAULT_FEATURE_CACHE,
        variant_cache_dir: str | Path | None = None,
        shared_bert: BertStage | None = None,
        split_cache_root: str | Path | None = None,
        seeded_cache_root: str | Path | None = None,
    ):
        """`bert_variant` (see graphs.bert_variants.VARIANTS) picks a transformed BERT graph, built once and
        cached on disk; None runs `bert.onnx_path` as it is. `feature_cache`: a FeatureCache (it may be shared),
        a size (entries), or 0/None for none. `shared_bert`: a BertStage of another pipeline to reuse (one BERT
        session for several voices). `split_cache_root`: where the split graphs for chunked decoding are kept
        (default: the user cache folder)."""
        self.voice = voice
        self.bert_model = bert
        self.factory = factory or SessionFactory()
        self.tokenizer = CharTokenizer.from_folder(bert.folder)
        self.bert_variant_info = None
        self.split_cache_root = split_cache_root
        self._on_fallback = on_fallback
        # A reduced-precision synthesizer runs its decoder at that precision and its text → latent part (where
        # the durations come from) in FP32, through the split graphs; the whole graph stays at FP32.
        self.synth_backend = synth_backend
        if shared_bert is not None:
            self.bert = shared_bert
        else:
            graph: Path = bert.onnx_path
            variant = bert.variant
            if bert_variant is not None:
                from ..graphs import bert_variants

                self.bert_variant_info = bert_variants.prepare(bert, bert_variant, variant_cache_dir)
                graph, variant = self.bert_variant_info.path, self.bert_variant_info.variant
            if isinstance(feature_cache, FeatureCache):
                cache = feature_cache
            else:
                cache = FeatureCache(feature_cache) if feature_cache else None
            session = ResilientSession(self.factory, graph, bert_backend, "bert", on_fallback)
            self.bert = BertStage(bert, session, cache=cache, variant=variant, graph_path=graph)
        tidy_cache_in_background()  # what was derived from voices deleted since (0.7 GB each) goes
        # The synthesizer with seeded noise (graphs/seeded.py): a take's seed gives its samples again.
        self.synth_graph = seeded_graph(voice.onnx_path, seeded_cache_root or cache_dir() / "seeded")
        # At a reduced precision every request runs the split graphs: the whole FP32 graph is opened only when
        # something needs it (checking a new split, an FP32 comparison); measured, a second launch at bf16 spent
        # 0.75–0.87 s compiling it.
        whole = ResilientSession(
            self.factory, self.synth_graph, synth_backend.at("fp32"), "synthesize", on_fallback,
            lazy=self.reduced_synth,
        )  # fmt: skip
        self.synth = SynthStage(voice, whole)
        self._streamers: dict = {}
        self._chunked_by = None  # the streamer of the last request when it decoded in chunks (what "synthesize" ran on)
        self.requests_done = 0
        # Whole and chunked requests run different sessions (the full synthesizer; the split latent and decoder
        # graphs), so each is cold until a request of its own kind ran.
        self._warm_paths: set[tuple] = set()
        self._path = None

    @classmethod
    def load(cls, model: str | Path, bert: str | Path, *, bert_variant: str = "fp32", **kwargs) -> Pipeline:
        prefer = "fp16" if bert_variant == "fp16" else "fp32"
        return cls(load_voice_model(model), load_bert_folder(bert, prefer=prefer), bert_variant=bert_variant, **kwargs)

    @property
    def name(self) -> str:
        return self.voice.name

    @property
    def label(self) -> str:
        return f"{self.voice.name} (SBV2 {self.voice.version or self.voice.source})"

    @property
    def sample_rate(self) -> int:
        return self.voice.sampling_rate

    @property
    def speakers(self) -> dict[str, int]:
        return self.voice.speakers

    @property
    def styles(self) -> dict[str, int]:
        return self.voice.styles

    @property
    def bert_variant(self) -> str:
        return self.bert.variant

    # -- sessions ---------------------------------------------------------------------------------------------

    def streamer(self, decoder: str = "cascade", overlap: int | None = None):
        """The chunked decoder of this voice (engine.streaming.StreamingSynthesizer), one per decoder kind, made
        once and kept as long as the pipeline lives (its sessions take seconds to open)."""
        from .streaming import StreamingSynthesizer

        streamer = self._streamers.get(decoder)
        if streamer is None:
            streamer = StreamingSynthesizer(
                self, decoder, cache_root=self.split_cache_root, on_fallback=self._on_fallback
            )
            self._streamers[decoder] = streamer
        streamer.overlap_frames = overlap
        return streamer

    def prepare_streaming(self, decoder: str = "cascade", free_whole: bool = True) -> None:
        """Open the split graphs for chunked decoding now (seconds on a model's first use: off the UI thread),
        and free the whole graph's session while requests stream (it reopens by itself when one needs it);
        `free_whole=False` keeps it for whoever asks for whole requests as often (the HTTP engine)."""
        streamer = self.streamer(decoder)
        streamer.prepare()
        if free_whole:
            streamer.free_whole_graph()

    @property
    def new_shapes_slow(self) -> bool:
        """The synthesizer's engine prepares kernels for each new input shape (OpenVINO's plug-ins; onnxruntime's
        CPU provider has no such cost): a decoder's first run at a length is slower than the next ones."""
        return self.synth_backend.kind == "openvino"

    def warm_chunk_shapes(self, plan: SynthesisPlan, stop: Callable[[], bool] | None = None) -> None:
        """Where new shapes are slow, decode once each chunk shape a streamed request starts with
        (StreamingSynthesizer.warm_chunk_shapes)."""
        if plan.chunked and self.new_shapes_slow:
            self.streamer(plan.decoder).warm_chunk_shapes(plan, stop=stop, seen=self.machine_speed.chunk_sizes_seen)

    @property
    def reduced_synth(self) -> bool:
        """The synthesizer's decoder runs below FP32 (bf16, fp16): every request goes through the split graphs."""
        return self.synth_backend.precision != "fp32"

    @property
    def sessions(self) -> dict[str, ResilientSession]:
        return {"bert": self.bert.session, "synthesize": self.synth.session}

    def _all_sessions(self) -> list[ResilientSession]:
        found = list(self.sessions.values())
        for streamer in self._streamers.values():
            found += streamer.sessions()
        return found

    def set_on_fallback(self, callback: Callable[[FallbackEvent], None] | None) -> None:
        self._on_fallback = callback
        for session in self._all_sessions():
            session.set_on_fallback(callback)

    def stage_provider(self, stage: str) -> str | None:
        """The provider that really ran an onnxruntime stage (None for the others)."""
        if stage == "bert":
            return self.bert.session.ran_on
        if stage == "synthesize":
            split = self._chunked_by
            if split is not None and split.ready:
                chunked = self._path is not None and self._path[0] == "chunked"
                decoders = (chunked and [p.session for p in split.decoder_parts]) or [split.whole_decoder]
                latent, decoder = split.latent_session.ran_on, decoders[-1].ran_on
                flow = getattr(split.latent_session, "flow", None)
                if flow is not None and flow.ran_on != decoder:  # the flow fell back on its own
                    return f"{latent} + flow {flow.ran_on} + decoder {decoder}"
                if latent == decoder:
                    return latent
                if decoder.startswith(latent):  # the same device, the decoder at a reduced precision
                    return f"{decoder} (durations fp32)"
                return f"{latent} + decoder {decoder}"
            whole = self.synth.session.ran_on
            if self.reduced_synth and whole == self.synth_backend.at("fp32").label:
                # No request yet: the split graphs open on the first one, on this device (the FP32 whole graph
                # already started there); saying "OpenVINO:CPU" here would read as a fall-back from bf16.
                return f"{self.synth_backend.label} (durations fp32)"
            return whole
        return None

    def ran_on(self) -> dict[str, str]:
        return {stage: self.stage_provider(stage) for stage in ("bert", "synthesize")}

    def retry_gpu(self) -> dict[str, bool]:
        return {stage: s.retry_gpu() for stage, s in self.sessions.items()}

    # -- requests --------------------------------------------------------------------------------------------

    # -- the steps of engine.synthesis.run_plan -------------------------------------------------------------------

    def assist_mean(self, assist_text: str) -> np.ndarray:
        """The mean BERT row of an assist text (its feel, blended into every row by the assist weight).

        Up to ASSIST_PIECE_CHARS the text is read whole, as the reference does; a longer one sentence by sentence
        (BERT's attention grows with the square of the length, OpenJTalk refuses 5,462 characters), its mean
        taken over the rows of all pieces."""
        pieces = [
            self.bert.run(self.tokenizer.encode("".join(text_to_words(piece)[0])))
            for piece in split_long_line(assist_text, ASSIST_PIECE_CHARS)
        ]
        if len(pieces) == 1:
            return pieces[0].mean(axis=0)
        return np.concatenate(pieces).mean(axis=0)

    def begin(self, params: SynthesisParams, plan: SynthesisPlan, clock: StageClock, result: SynthesisResult):
        from .streaming import ChunkScheduler

        sid = self.voice.speaker_id(params.speaker)
        style_vec = self.voice.style_vector(params.style, params.style_weight)
        streamer = scheduler = None
        whole_split = None
        if not plan.chunked and self.reduced_synth:
            whole_split = self.streamer(plan.decoder)
            whole_split.prepare(chunked=False)
            whole_split.free_whole_graph()  # the FP32 whole graph was needed only to check the split
        if plan.chunked:
            streamer = self.streamer(plan.decoder, plan.overlap)
            streamer.prepare()
            speed = self.machine_speed
            speed.hop, speed.overhead_frames = streamer.hop, streamer.overhead_frames
            scheduler = ChunkScheduler(plan, streamer.overhead_frames, speed, self.new_shapes_slow)
            result.mode = streamer.decoder_mode
            result.receptive_field = streamer.receptive_field.radius
            if streamer.decoder_mode == "overlap":
                result.overlap_frames = streamer.overlap
            else:
                result.part_context = [(p.field.up, p.left, p.right) for p in streamer.decoder_parts]
        assist_mean = None
        if params.assist_text and params.assist_text.strip():
            assist_mean = clock("bert", self.assist_mean, params.assist_text)
        self._chunked_by = streamer or whole_split
        self._path = self._path_of(plan)
        return _RequestState(sid, style_vec, assist_mean, scheduler, streamer, whole_split)

    def read_ahead(self, text, params=None, plan=None, stop=None) -> int:
        """PlannedVoice.read_ahead, and the assist text's rows first (every segment of the request blends them)."""
        if params is not None and params.assist_text and params.assist_text.strip():
            try:
                self.assist_mean(params.assist_text)
            except TextError:
                pass  # the request says why
        return super().read_ahead(text, params, plan, stop)

    def prepare_ahead(self, prepared: _Prepared) -> int:
        if self.bert.cache is None:
            return 0  # nothing would be kept for the request
        self.bert.run(prepared.ids)
        return 1

    def analyze(self, text: str, clock: StageClock) -> _Prepared:
        return self._tokenized(clock("frontend", frontend.analyze, text, use_jp_extra=self.voice.is_jp_extra), clock)

    def analyze_query(self, query, clock: StageClock) -> _Prepared:
        """An edited query (engine.query.AudioQuery): its phones and tones, the BERT reading its text."""
        return self._tokenized(
            clock("frontend", frontend.from_query, query, use_jp_extra=self.voice.is_jp_extra), clock
        )

    def _tokenized(self, fe: frontend.FrontendResult, clock: StageClock) -> _Prepared:
        ids = clock("tokenize", self.tokenizer.encode, fe.bert_text)
        if len(ids) != len(fe.word2ph_blank):
            raise TextError(
                f"the tokenizer split {fe.bert_text!r} into {len(ids) - 2} tokens but the text front end "
                f"aligned {len(fe.word2ph_blank) - 2} characters; this text cannot be aligned"
            )
        return _Prepared(fe, ids)

    def render(
        self, prepared: _Prepared, state: _RequestState, params: SynthesisParams, plan: SynthesisPlan,
        clock: StageClock, headroom: Callable[[], float | None],
    ) -> Iterator[Rendered]:  # fmt: skip
        fe = prepared.frontend
        features = clock("bert", self.bert.run, prepared.ids)
        bert = clock(
            "align", expand_to_phones, features, fe.word2ph_blank, state.assist_mean, params.assist_text_weight
        )
        synth_args = dict(
            sid=state.sid, style_vec=state.style_vec, length_scale=params.length, sdp_ratio=params.sdp_ratio,
            noise_scale=params.noise, noise_scale_w=params.noise_w, seed=params.seed or 0,
        )  # fmt: skip
        if state.streamer is None and state.whole_split is not None:
            split = state.whole_split
            feeds = split.latent_feeds(self.synth.feeds(fe.x_tst, fe.tone_ids, fe.language_ids, bert, **synth_args))
            yield Rendered(clock("synthesize", self._latent_then_decoder, split, feeds, state.sid))
            return
        if state.streamer is None:
            yield Rendered(
                clock("synthesize", self.synth.run, fe.x_tst, fe.tone_ids, fe.language_ids, bert, **synth_args)
            )
            return
        streamer = state.streamer
        feeds = streamer.latent_feeds(self.synth.feeds(fe.x_tst, fe.tone_ids, fe.language_ids, bert, **synth_args))
        names = [LATENT, *streamer.conditioning_names]
        outs = clock("synthesize", streamer.latent_session.run, names, feeds)
        z, cond = outs[0], dict(zip(streamer.conditioning_names, outs[1:]))
        total = int(z.shape[-1])
        hop = streamer.hop
        for audio, kept, decoded, ms in streamer.decode_chunks(z, cond, state.scheduler, state.sid, headroom):
            clock.add("synthesize", ms)
            pending = (total - kept[1]) * hop
            yield Rendered(audio, kept, decoded, kept[1] == total, pending, ms, state.scheduler.reason)

    @staticmethod
    def _path_of(plan: SynthesisPlan) -> tuple:
        return ("chunked", plan.decoder, plan.overlap) if plan.chunked else ("whole",)

    def is_cold(self, plan: SynthesisPlan) -> bool:
        return self._path_of(plan) not in self._warm_paths

    @staticmethod
    def _latent_then_decoder(split, feeds: dict[str, np.ndarray], sid: int) -> np.ndarray:
        """A whole segment through the split graphs: the latent (durations in FP32), then the whole decoder in one
        run (one session: measured at bf16 on the full-size voice, 9–12 % faster than the cascade's six parts over
        the same latent, 409 vs 466 ms for 25 characters, 1,952 vs 2,189 ms for 113)."""
        outs = split.latent_session.run([LATENT, *split.conditioning_names], feeds)
        z, cond = outs[0], dict(zip(split.conditioning_names, outs[1:]))
        return split.decode(z, cond, sid)

    def finish(self) -> tuple[dict[str, str], list[FallbackEvent]]:
        self.requests_done += 1
        self._warm_paths.add(self._path)
        fallbacks = [e for s in self._all_sessions() for e in s.take_events()]
        return self.ran_on(), fallbacks


__all__ = [
    "ALL_PARAMS",
    "LONG_LINE_CHARS",
    "MAX_TEXT_CHARS",
    "Pipeline",
    "STAGES",
    "StageTiming",
    "SynthesisParams",
    "SynthesisPlan",
    "SynthesisResult",
]
