"""The SBV2 pipeline: stages composed and timed, from text + parameters to audio.

Stages, in order, each timed per request (summed over lines):
frontend (normalize + G2P) → tokenize → bert → align (word2ph) → synthesize → postprocess.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from .. import audio as audio_io
from ..runtime.backends import CPU, Backend, FallbackEvent, ResilientSession, SessionFactory
from .bert import DEFAULT_FEATURE_CACHE, BertStage, FeatureCache, expand_to_phones
from ..errors import ParameterError, TextError
from ..models.formats import BertModel, VoiceModel, load_bert_folder, load_voice_model
from .synth import SynthStage
from .text import frontend
from .text.g2p import text_to_words
from .text.segments import split_long_line
from .tokenizer import CharTokenizer

STAGES = ("frontend", "tokenize", "bert", "align", "synthesize", "postprocess")
ORT_STAGES = ("bert", "synthesize")
MAX_TEXT_CHARS = 20_000
# A line is synthesized in one piece up to this length, as the reference does. Longer ones go sentence by sentence
# (packed up to this length): BERT's attention and the decoder's activations grow with a piece's length, and one
# 20,000-character line in one piece would need tens of GB. 200 characters is about 20 s of speech.
LONG_LINE_CHARS = 200
# Parameters a person can set; each voice says which of them it honours (the UI disables the rest).
ALL_PARAMS = frozenset(
    {"speaker", "style", "style_weight", "sdp_ratio", "noise", "noise_w", "length", "assist_text", "backends"}
)


@dataclass
class SynthesisParams:
    """What a person sets; defaults are the reference's."""

    speaker: int | str = 0
    style: str | None = None  # None: the model's default style (Neutral)
    style_weight: float = 1.0
    sdp_ratio: float = 0.2
    noise: float = 0.6
    noise_w: float = 0.8
    length: float = 1.0
    assist_text: str | None = None
    assist_text_weight: float = 1.0
    split_lines: bool = True
    line_interval: float = 0.5

    def validate(self) -> None:
        checks = {
            "style_weight": (self.style_weight, 0.0, 20.0),
            "sdp_ratio": (self.sdp_ratio, 0.0, 1.0),
            "noise": (self.noise, 0.0, 2.0),
            "noise_w": (self.noise_w, 0.0, 2.0),
            "length": (self.length, 0.1, 5.0),
            "assist_text_weight": (self.assist_text_weight, 0.0, 1.0),
            "line_interval": (self.line_interval, 0.0, 10.0),
        }
        for name, (value, lo, hi) in checks.items():
            if not (lo <= float(value) <= hi):
                raise ParameterError(f"{name}={value} is outside {lo}..{hi}")


@dataclass(frozen=True)
class StageTiming:
    stage: str
    ms: float
    ran_on: str | None  # the provider that really executed an ORT stage
    line: int = 0


@dataclass
class SynthesisResult:
    audio: np.ndarray  # float32, lines joined, as the synthesizer produced it
    pcm16: np.ndarray  # peak-normalized int16 of the same
    sample_rate: int
    timings_ms: dict[str, float]
    ran_on: dict[str, str]
    total_ms: float
    first_request: bool  # nothing ran through the sessions before this (no warm-up): a cold request
    lines: list = field(default_factory=list)  # frontend.FrontendResult per spoken line (SBV2 voices)
    line_count: int = 0  # lines spoken
    skipped_lines: list[str] = field(default_factory=list)
    fallbacks: list[FallbackEvent] = field(default_factory=list)
    voice: str = ""

    @property
    def audio_seconds(self) -> float:
        return len(self.audio) / self.sample_rate

    @property
    def rtf(self) -> float:
        """Real-time factor: processing time / audio time (below 1 is faster than real time)."""
        return (self.total_ms / 1000.0) / self.audio_seconds if self.audio_seconds else float("inf")

    def save(self, path: str | Path) -> Path:
        return audio_io.save(path, self.pcm16, self.sample_rate)

    def report(self) -> dict:
        """The timings as JSON-ready data."""
        return {
            "voice": self.voice,
            "stages_ms": {k: round(v, 3) for k, v in self.timings_ms.items()},
            "ran_on": dict(self.ran_on),
            "total_ms": round(self.total_ms, 3),
            "audio_seconds": round(self.audio_seconds, 4),
            "rtf": round(self.rtf, 4),
            "sample_rate": self.sample_rate,
            "first_request": self.first_request,
            "lines": self.line_count,
            "skipped_lines": self.skipped_lines,
            "fallbacks": [asdict(e) for e in self.fallbacks],
        }


StageCallback = Callable[[StageTiming], None]


class StageTimer:
    """Runs stage functions, adds up each stage's milliseconds, and reports each as it completes."""

    def __init__(
        self,
        stages: tuple[str, ...],
        on_stage: StageCallback | None = None,
        ran_on: Callable[[str], str | None] = lambda stage: None,
    ):
        self.ms = dict.fromkeys(stages, 0.0)
        self._on_stage = on_stage
        self._ran_on = ran_on
        self.started = time.perf_counter()

    def __call__(self, stage: str, line: int, fn, *args, **kwargs):
        t0 = time.perf_counter()
        value = fn(*args, **kwargs)
        ms = (time.perf_counter() - t0) * 1000.0
        self.ms[stage] += ms
        if self._on_stage is not None:
            self._on_stage(StageTiming(stage, ms, self._ran_on(stage), line))
        return value

    @property
    def total_ms(self) -> float:
        return (time.perf_counter() - self.started) * 1000.0


def split_lines(text: str, split: bool) -> list[str]:
    """The lines to speak (blank ones dropped), after refusing empty or oversized text."""
    if not text or not text.strip():
        raise TextError("the text is empty: type some Japanese to speak")
    if len(text) > MAX_TEXT_CHARS:
        raise TextError(f"the text has {len(text):,} characters; at most {MAX_TEXT_CHARS:,} fit in one request")
    if not split:
        return [text]
    return [line for line in text.split("\n") if line.strip()]


class Pipeline:
    """A loaded SBV2 voice + BERT, ready to synthesize. Not thread-safe: one worker owns it."""

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
    ):
        """`bert_variant` (see bert_variants.VARIANTS) picks a transformed BERT graph, built once and cached on
        disk; None runs `bert.onnx_path` as it is. `feature_cache`: a FeatureCache (it may be shared), a size
        (entries), or 0/None for none. `shared_bert`: a BertStage of another pipeline to reuse (one BERT
        session for several voices)."""
        self.voice = voice
        self.bert_model = bert
        self.factory = factory or SessionFactory()
        self.tokenizer = CharTokenizer.from_folder(bert.folder)
        self.bert_variant_info = None
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
        self.synth = SynthStage(
            voice, ResilientSession(self.factory, voice.onnx_path, synth_backend, "synthesize", on_fallback)
        )
        self.requests_done = 0

    @classmethod
    def load(
        cls, model: str | Path, bert: str | Path, *, bert_variant: str = "fp32", **kwargs
    ) -> "Pipeline":
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

    def set_on_fallback(self, callback: Callable[[FallbackEvent], None] | None) -> None:
        for session in self.sessions.values():
            session.set_on_fallback(callback)

    @property
    def sessions(self) -> dict[str, ResilientSession]:
        return {"bert": self.bert.session, "synthesize": self.synth.session}

    def ran_on(self) -> dict[str, str]:
        return {stage: s.ran_on for stage, s in self.sessions.items()}

    def retry_gpu(self) -> dict[str, bool]:
        return {stage: s.retry_gpu() for stage, s in self.sessions.items()}

    # -- the stages -------------------------------------------------------------------------------------

    def assist_mean(self, assist_text: str) -> np.ndarray:
        """The mean BERT row of an assist text (its feel, blended into every row by the assist weight)."""
        words, _ = text_to_words(assist_text)
        ids = self.tokenizer.encode("".join(words))
        return self.bert.run(ids).mean(axis=0)

    def synthesize(
        self, text: str, params: SynthesisParams | None = None, on_stage: StageCallback | None = None
    ) -> SynthesisResult:
        params = params or SynthesisParams()
        params.validate()
        sid = self.voice.speaker_id(params.speaker)
        style_vec = self.voice.style_vector(params.style, params.style_weight)
        timed = StageTimer(
            STAGES, on_stage, lambda stage: self.sessions[stage].ran_on if stage in ORT_STAGES else None
        )
        lines = split_lines(text, params.split_lines)
        pieces = [(n, piece) for n, line in enumerate(lines) for piece in split_long_line(line, LONG_LINE_CHARS)]
        analyzed, line_of, skipped = [], [], []
        for i, (n, piece) in enumerate(pieces):
            try:
                analyzed.append(timed("frontend", i, frontend.analyze, piece, use_jp_extra=self.voice.is_jp_extra))
                line_of.append(n)
            except TextError:
                if len(pieces) == 1:
                    raise
                skipped.append(piece)  # one unreadable line must not cost the person the others
        if not analyzed:
            raise TextError("no line of the text has anything readable: " + " / ".join(repr(s) for s in skipped[:3]))

        assist_mean = None
        if params.assist_text and params.assist_text.strip():
            assist_mean = timed("bert", 0, self.assist_mean, params.assist_text)

        chunks = []
        for i, fe in enumerate(analyzed):
            ids = timed("tokenize", i, self.tokenizer.encode, fe.bert_text)
            if len(ids) != len(fe.word2ph_blank):
                raise TextError(
                    f"the tokenizer split {fe.bert_text!r} into {len(ids) - 2} tokens but the text front end "
                    f"aligned {len(fe.word2ph_blank) - 2} characters; this text cannot be aligned"
                )
            features = timed("bert", i, self.bert.run, ids)
            bert = timed(
                "align", i, expand_to_phones, features, fe.word2ph_blank, assist_mean, params.assist_text_weight
            )
            chunks.append(
                timed(
                    "synthesize",
                    i,
                    self.synth.run,
                    fe.x_tst,
                    fe.tone_ids,
                    fe.language_ids,
                    bert,
                    sid=sid,
                    style_vec=style_vec,
                    length_scale=params.length,
                    sdp_ratio=params.sdp_ratio,
                    noise_scale=params.noise,
                    noise_scale_w=params.noise_w,
                )
            )

        def postprocess():
            per_line: dict[int, list[np.ndarray]] = {}
            for n, audio in zip(line_of, chunks):
                per_line.setdefault(n, []).append(audio)  # the pieces of a long line follow each other directly
            spoken = [np.concatenate(parts) for parts in per_line.values()]
            joined = audio_io.join_lines(spoken, self.voice.sampling_rate, params.line_interval)
            return joined, audio_io.to_pcm16(joined)

        joined, pcm16 = timed("postprocess", len(analyzed) - 1, postprocess)
        total_ms = timed.total_ms
        fallbacks = [e for s in self.sessions.values() for e in s.take_events()]
        result = SynthesisResult(
            audio=joined,
            pcm16=pcm16,
            sample_rate=self.voice.sampling_rate,
            timings_ms=timed.ms,
            ran_on=self.ran_on(),
            total_ms=total_ms,
            first_request=self.requests_done == 0,
            lines=analyzed,
            line_count=len(set(line_of)),
            skipped_lines=skipped,
            fallbacks=fallbacks,
            voice=self.voice.name,
        )
        self.requests_done += 1
        return result

    def warm_up(self, runs: int = 2, on_progress: Callable[[int, int, float], None] | None = None) -> list[float]:
        """Short dummy requests through every stage so the first real request is as fast as the next.

        Returns each run's total ms; `on_progress(done, total, ms)` after each."""
        totals = []
        for i in range(runs):
            result = self.synthesize("こんにちは、今日はいい天気ですね。", SynthesisParams(noise=0.0, sdp_ratio=0.0))
            totals.append(result.total_ms)
            if on_progress is not None:
                on_progress(i + 1, runs, result.total_ms)
        return totals


def dump_timings(result: SynthesisResult, path: str | Path) -> None:
    Path(path).write_text(json.dumps(result.report(), ensure_ascii=False, indent=2), encoding="utf-8")
