"""Streaming benchmark: time to first audio, RTF, underruns and headroom of streamed requests, medians over runs.

Playback is measured against real time: each run feeds a StreamPlayer whose stream is a real device or, on
machines without one, a ClockedStream (a thread that consumes one block per block-duration of wall-clock time,
as a sound card does). The non-streamed pipeline's time to first audio (its whole request) is measured beside it.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field

from sbv2_studio.audio.player import ClockedStream, StreamPlayer, play_stream
from sbv2_studio.engine.params import SynthesisParams
from sbv2_studio.engine.synthesis import STAGES, SynthesisPlan

try:  # the benchmark suite's 100-character paragraph, when it is there
    from .bench import TEXTS as _BENCH_TEXTS

    PARAGRAPH_100 = _BENCH_TEXTS["100"]
except (ImportError, KeyError):  # pragma: no cover - the suite's own module is missing
    PARAGRAPH_100 = (
        "古びた図書館の奥で、一冊の不思議な本を見つけた少年は、そっとページを開きました。"
        "春風が桜の花びらを舞わせる中、彼は十年ぶりに故郷の駅に降り立ちました。"
        "月明かりに照らされた海は、まるで無数の宝石を散りばめたように輝いていました。"
    )


def _forget_features(pipeline) -> None:
    """Empty the BERT feature cache (if the pipeline has one): every run pays for its BERT, like a new text."""
    cache = getattr(pipeline.bert, "cache", None)
    if cache is not None and hasattr(cache, "clear"):
        cache.clear()


@dataclass
class StreamBenchResult:
    text_chars: int
    runs: list[dict] = field(default_factory=list)  # one SynthesisResult.report() (without chunks) per run
    whole_ms: list[float] = field(default_factory=list)  # non-streamed request time (its time to first audio)
    device: str = "clocked"

    @staticmethod
    def _median(values: list[float]) -> float | None:
        values = [v for v in values if v is not None]
        return round(statistics.median(values), 3) if values else None

    def summary(self) -> dict:
        pick = lambda key: [r[key] for r in self.runs]
        return {
            "chars": self.text_chars,
            "runs": len(self.runs),
            "device": self.device,
            "ttfa_ms_median": self._median(pick("ttfa_ms")),
            "ttfa_ms_all": pick("ttfa_ms"),
            "rtf_median": self._median(pick("rtf")),
            "total_ms_median": self._median(pick("total_ms")),
            "audio_seconds": self.runs[0]["audio_seconds"] if self.runs else None,
            "underruns_total": sum(r["underruns"] or 0 for r in self.runs),
            "underruns_all": pick("underruns"),
            "min_headroom_ms_median": self._median(pick("min_headroom_ms")),
            "min_headroom_ms_min": min((h for h in pick("min_headroom_ms") if h is not None), default=None),
            "median_headroom_ms_median": self._median(pick("median_headroom_ms")),
            "first_chunk_ms_median": self._median(pick("first_chunk_ms")),
            "decode_overhead": self.runs[0]["decode_overhead"] if self.runs else None,
            "whole_request_ms_median": self._median(self.whole_ms),
            "first_chunk_stages_ms": self.runs[-1].get("first_chunk_stages_ms") if self.runs else None,
        }


def bench_streaming(
    pipeline,
    text: str = PARAGRAPH_100,
    *,
    runs: int = 5,
    warmup: int = 2,
    params: SynthesisParams | None = None,
    plan: SynthesisPlan | None = None,
    stream_factory=None,
    compare_whole: bool = True,
    on_run=None,
) -> StreamBenchResult:
    """`runs` streamed requests of `text` played in real time (`stream_factory=None`: a ClockedStream)."""
    params = params or SynthesisParams()
    plan = plan or SynthesisPlan.streaming()
    if plan.chunked:
        pipeline.prepare_streaming(plan.decoder)
    for _ in range(warmup):
        pipeline.stream(text, params, plan).collect()
        if compare_whole:
            pipeline.synthesize(text, params)
    result = StreamBenchResult(len(text), device="clocked" if stream_factory is None else "device")
    factory = stream_factory or ClockedStream
    for i in range(runs):
        _forget_features(pipeline)
        player = StreamPlayer(pipeline.sample_rate, stream_factory=factory, blocksize=1024)
        player.open()
        try:
            report = play_stream(pipeline.stream(text, params, plan), player, wait=True, timeout=600)
        finally:
            player.close()
        d = report.report()
        first = next((c for c in report.chunks if c.kind == "speech"), None)
        d["first_chunk_stages_ms"] = {k: round(v, 1) for k, v in first.stages_ms.items()} if first else None
        d["chunk_count"] = len(d.pop("chunks"))
        result.runs.append(d)
        if compare_whole:
            _forget_features(pipeline)
            t0 = time.perf_counter()
            pipeline.synthesize(text, params)
            result.whole_ms.append((time.perf_counter() - t0) * 1000.0)
        if on_run is not None:
            on_run(i + 1, runs, d)
    return result


class StreamingRunner:
    """A `sbv2-studio bench` runner (bench.StudioRunner's interface) that streams: `run()` returns a bench.Sample
    whose ttfa_ms is the streamed time to first audio and whose stages are the streamed request's. Built on a StudioRunner, it shares that runner's pipeline (and BERT
    variant, backends and session settings).

    The hook in bench.make_runner: `if config.kind == "streaming": return StreamingRunner(StudioRunner(...))`."""

    def __init__(self, studio_runner, config=None):
        self.inner = studio_runner
        self.config = config or studio_runner.config
        self.pipeline = studio_runner.pipeline
        self.variant_info = studio_runner.variant_info
        started = time.perf_counter()
        self.plan = SynthesisPlan.streaming()
        self.pipeline.prepare_streaming(self.plan.decoder)  # and frees the whole graph, as the window does
        self.load_s = studio_runner.load_s + (time.perf_counter() - started)

    def run(self, text: str, params):
        from .bench import Sample

        _forget_features(self.pipeline)
        report = self.pipeline.stream(text, params, self.plan).collect()
        stages = {k: report.timings_ms.get(k, 0.0) for k in STAGES}
        ttfa = report.ttfa_ms or report.total_ms
        return Sample(
            stages, report.total_ms, report.audio_seconds, ttfa, report.min_headroom_ms(), report.median_headroom_ms()
        )

    def bert_features(self, text: str):
        return self.inner.bert_features(text)

    def ran_on(self) -> dict[str, str]:
        return self.pipeline.ran_on()
