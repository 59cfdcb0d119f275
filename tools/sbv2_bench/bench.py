"""`sbv2-studio bench`: per-stage latency, RTF, time to first audio and peak memory of the studio's pipeline,
side by side with a reference-style pipeline, on texts of about 10, 25, 50 and 100 characters.

Every configuration is loaded once in this process and the runs are interleaved (run i of every configuration
before run i+1 of any), so that a noisy machine slows them all alike: every speed-up is a ratio of medians
measured side by side. Peak RSS and cold load time are measured in a fresh subprocess per configuration.

The reference-style pipeline (`--reference`) runs the same text front end, then BERT FP32 with onnxruntime's
default session options, then the synthesizer the way the reference's ONNX inference runs it on CPU (graph
optimizations disabled, I/O binding, arena shrinkage after each run), with no caches.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from sbv2_studio import audio as audio_io
from sbv2_studio.engine.bert import expand_to_phones
from sbv2_studio.engine.synth import synth_feeds
from sbv2_studio.errors import StudioError
from sbv2_studio.runtime.backends import CPU, Backend, SessionConfig, SessionFactory

BENCH_VERSION = 1
# A pause before each timed run. onnxruntime's default sessions (the reference-style pipeline's) keep their worker
# threads spinning for a while after a run; without a pause the next configuration would pay for them.
SETTLE_S = 0.2
# Texts of about 10, 25, 50 and 100 characters (characters as typed, punctuation included).
TEXTS: dict[str, str] = {
    "10": "今日はいい天気ですね。",
    "25": "あらゆる現実を、すべて自分のほうへねじ曲げたのだ。",
    "50": "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗い所で泣いていた事だけは記憶している。",
    "100": (
        "古びた図書館の奥で、一冊の不思議な本を見つけた少年は、そっとページを開きました。"
        "春風が桜の花びらを舞わせる中、彼は十年ぶりに故郷の駅に降り立ちました。"
        "月明かりに照らされた海は、まるで無数の宝石を散りばめたように輝いていました。"
    ),
}
STAGE_ORDER = ("frontend", "tokenize", "bert", "align", "synthesize", "postprocess")


def _stats(values: list[float]) -> dict:
    arr = np.asarray(values, dtype=np.float64)
    return {
        "median": float(np.median(arr)),
        "min": float(arr.min()),
        "max": float(arr.max()),
        "p25": float(np.percentile(arr, 25)),
        "p75": float(np.percentile(arr, 75)),
        "n": int(arr.size),
    }


def peak_rss_mb() -> float | None:
    """Peak resident set size of this process so far, in MB (None where the platform does not say)."""
    if sys.platform == "win32":
        try:
            import ctypes
            from ctypes import wintypes

            class Counters(ctypes.Structure):
                _fields_ = [
                    ("cb", wintypes.DWORD), ("PageFaultCount", wintypes.DWORD),
                    ("PeakWorkingSetSize", ctypes.c_size_t), ("WorkingSetSize", ctypes.c_size_t),
                    ("QuotaPeakPagedPoolUsage", ctypes.c_size_t), ("QuotaPagedPoolUsage", ctypes.c_size_t),
                    ("QuotaPeakNonPagedPoolUsage", ctypes.c_size_t), ("QuotaNonPagedPoolUsage", ctypes.c_size_t),
                    ("PagefileUsage", ctypes.c_size_t), ("PeakPagefileUsage", ctypes.c_size_t),
                ]  # fmt: skip

            counters = Counters()
            counters.cb = ctypes.sizeof(Counters)
            handle = ctypes.windll.kernel32.GetCurrentProcess()
            ctypes.windll.psapi.GetProcessMemoryInfo(handle, ctypes.byref(counters), counters.cb)
            return counters.PeakWorkingSetSize / 1e6
        except Exception:
            return None
    try:  # Linux: the high-water mark of this process's own memory (ru_maxrss survives fork+exec from a parent)
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024 / 1e6
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak * 1024 / 1e6


def machine_info() -> dict:
    import onnxruntime as ort

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "logical_cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "onnxruntime": ort.__version__,
        "numpy": np.__version__,
    }


# --- configurations ------------------------------------------------------------------------------------------


@dataclass
class BenchConfig:
    """One pipeline to time: the studio's (with a BERT variant, backends and session settings) or the
    reference-style one."""

    kind: str = "studio"  # "studio", "streaming" (the studio pipeline, streamed), "reference" or "hayakoe"
    bert_variant: str = "fp32"
    bert_backend: str = "cpu"
    synth_backend: str = "cpu"
    session: dict = field(default_factory=dict)  # SessionConfig fields
    name: str = ""
    python: str = ""  # hayakoe: the interpreter of the environment it is installed in

    def __post_init__(self) -> None:
        if not self.name:
            if self.kind == "reference":
                self.name = "reference-style"
            elif self.kind == "hayakoe":
                self.name = "hayakoe (INT8 BERT)"
            else:
                backends = self.bert_backend if self.bert_backend == self.synth_backend else (
                    f"{self.bert_backend}+{self.synth_backend}")  # fmt: skip
                self.name = f"studio {self.bert_variant} {backends}"
                if self.kind == "streaming":
                    self.name += " streamed"


def parse_backend_spec(spec: str) -> tuple[str, str]:
    """`cpu`, `cuda`, `cuda:1` (both stages) or `BERT,SYNTH` such as `cuda,cpu`."""
    bert, _, synth = spec.partition(",")
    bert, synth = bert.strip() or "cpu", (synth.strip() or bert.strip() or "cpu")
    Backend.parse(bert)  # raise early on unknown kinds
    Backend.parse(synth)
    return bert, synth


@dataclass
class Sample:
    stages: dict[str, float]
    total_ms: float
    audio_s: float
    ttfa_ms: float
    # streamed: how early the chunks were ready before a player that began at ttfa_ms needed them (worst, median)
    headroom_ms: float | None = None
    headroom_median_ms: float | None = None


class StudioRunner:
    """The studio pipeline, feature cache off (the bench times computation, not cache hits)."""

    def __init__(self, config: BenchConfig, voice_path: Path, bert_path: Path, variant_cache_dir: Path | None):
        from sbv2_studio.engine.pipeline import Pipeline
        from sbv2_studio.models.formats import load_bert_folder, load_voice_model

        self.config = config
        factory = SessionFactory(SessionConfig(**config.session), faults=[])
        prefer = "fp16" if config.bert_variant == "fp16" else "fp32"
        started = time.perf_counter()
        self.pipeline = Pipeline(
            load_voice_model(voice_path),
            load_bert_folder(bert_path, prefer=prefer),
            bert_backend=Backend.parse(config.bert_backend),
            synth_backend=Backend.parse(config.synth_backend),
            factory=factory,
            bert_variant=config.bert_variant,
            feature_cache=0,
            variant_cache_dir=variant_cache_dir,
        )
        self.load_s = time.perf_counter() - started
        self.variant_info = self.pipeline.bert_variant_info

    def run(self, text: str, params) -> Sample:
        started = time.perf_counter()
        first: list[float] = []

        def on_stage(timing) -> None:
            if timing.stage == "synthesize" and not first:
                first.append((time.perf_counter() - started) * 1000.0)

        result = self.pipeline.synthesize(text, params, on_stage=on_stage)
        return Sample(
            dict(result.timings_ms), result.total_ms, result.audio_seconds, first[0] if first else result.total_ms
        )

    def bert_features(self, text: str) -> np.ndarray:
        from sbv2_studio.engine.text import frontend

        fe = frontend.analyze(text, use_jp_extra=self.pipeline.voice.is_jp_extra)
        return self.pipeline.bert.compute(self.pipeline.tokenizer.encode(fe.bert_text))

    def ran_on(self) -> dict[str, str]:
        return self.pipeline.ran_on()


class ReferenceRunner:
    """A reference-style pipeline: the same front end, BERT FP32 with onnxruntime's default session options,
    the synthesizer as the reference's ONNX inference runs it on CPU; no caches."""

    def __init__(self, voice_path: Path, bert_path: Path):
        import onnxruntime as ort

        from sbv2_studio.engine.tokenizer import CharTokenizer
        from sbv2_studio.models.formats import load_bert_folder, load_voice_model

        started = time.perf_counter()
        self.voice = load_voice_model(voice_path)
        bert = load_bert_folder(bert_path, prefer="fp32")
        self.tokenizer = CharTokenizer.from_folder(bert.folder)
        self.bert = ort.InferenceSession(str(bert.onnx_path), providers=["CPUExecutionProvider"])  # ORT defaults
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # the reference: "onnxsim did it"
        so.log_severity_level = 3
        self.synth = ort.InferenceSession(str(self.voice.onnx_path), so, providers=["CPUExecutionProvider"])
        self.run_options = ort.RunOptions()
        self.run_options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        self.bert_inputs = {i.name for i in self.bert.get_inputs()}
        self.synth_inputs = [i.name for i in self.synth.get_inputs()]
        self.synth_ranks = {i.name: len(i.shape) for i in self.synth.get_inputs()}
        self.load_s = time.perf_counter() - started
        self.variant_info = None

    def bert_features(self, text: str) -> np.ndarray:
        from sbv2_studio.engine.text import frontend

        fe = frontend.analyze(text, use_jp_extra=self.voice.is_jp_extra)
        return self._bert(self.tokenizer.encode(fe.bert_text))

    def _bert(self, ids: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": ids[None]}
        if "attention_mask" in self.bert_inputs:
            feeds["attention_mask"] = np.ones_like(ids)[None]
        if "token_type_ids" in self.bert_inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)[None]
        out = self.bert.run(None, feeds)[0]
        return out[0] if out.ndim == 3 else out

    def run(self, text: str, params) -> Sample:
        import onnxruntime as ort

        from sbv2_studio.engine.text import frontend

        stages = dict.fromkeys(STAGE_ORDER, 0.0)
        started = time.perf_counter()
        lines = [line for line in text.split("\n") if line.strip()] if params.split_lines else [text]
        sid = self.voice.speaker_id(params.speaker)
        style_vec = self.voice.style_vector(params.style, params.style_weight)
        chunks, first = [], None

        def clock(stage: str, t0: float) -> float:
            now = time.perf_counter()
            stages[stage] += (now - t0) * 1000.0
            return now

        for line in lines:
            t = time.perf_counter()
            fe = frontend.analyze(line, use_jp_extra=self.voice.is_jp_extra)
            t = clock("frontend", t)
            ids = self.tokenizer.encode(fe.bert_text)
            t = clock("tokenize", t)
            features = self._bert(ids)
            t = clock("bert", t)
            bert = expand_to_phones(features, fe.word2ph_blank)
            t = clock("align", t)
            values = synth_feeds(
                self.synth_ranks, "ja_bert" not in self.synth_inputs, fe.x_tst, fe.tone_ids, fe.language_ids,
                bert, sid=sid, style_vec=style_vec, length_scale=params.length, sdp_ratio=params.sdp_ratio,
                noise_scale=params.noise, noise_scale_w=params.noise_w,
            )  # fmt: skip
            binding = self.synth.io_binding()
            for name in self.synth_inputs:
                binding.bind_ortvalue_input(name, ort.OrtValue.ortvalue_from_numpy(values[name], "cpu", 0))
            binding.bind_output("output", "cpu")
            self.synth.run_with_iobinding(binding, run_options=self.run_options)
            chunks.append(binding.get_outputs()[0].numpy().reshape(-1))
            t = clock("synthesize", t)
            if first is None:
                first = (t - started) * 1000.0
        t = time.perf_counter()
        joined = audio_io.join_lines(chunks, self.voice.sampling_rate, params.line_interval)
        audio_io.to_pcm16(joined)
        clock("postprocess", t)
        total = (time.perf_counter() - started) * 1000.0
        return Sample(stages, total, len(joined) / self.voice.sampling_rate, first or total)

    def ran_on(self) -> dict[str, str]:
        return {"bert": "CPU", "synthesize": "CPU"}


def make_runner(config: BenchConfig, voice: Path, bert: Path, variant_cache_dir: Path | None):
    if config.kind == "reference":
        runner = ReferenceRunner(voice, bert)
        runner.config = config
        return runner
    if config.kind == "hayakoe":
        from .hayakoe_peer import HayakoeRunner

        return HayakoeRunner(config, voice, bert, variant_cache_dir)
    studio = StudioRunner(config, voice, bert, variant_cache_dir)
    if config.kind == "streaming":
        from .streaming import StreamingRunner

        return StreamingRunner(studio)
    return studio


# --- the run -------------------------------------------------------------------------------------------------


def bench_params(sdp_ratio: float = 0.0):
    """The reference's defaults, except sdp_ratio 0 by default: the stochastic duration predictor draws
    random durations, so every run would synthesize a different amount of audio."""
    from sbv2_studio.engine.pipeline import SynthesisParams

    return SynthesisParams(sdp_ratio=sdp_ratio)


def resolve_models(models: Path | None, voice: Path | None, bert: Path | None) -> tuple[Path, Path]:
    """--models DIR (the layout tools/make_bench_models.py writes: DIR/jp_extra, DIR/bert) or explicit paths."""
    if models is not None:
        voice = voice or Path(models) / "jp_extra"
        bert = bert or Path(models) / "bert"
    if voice is None or bert is None:
        raise StudioError("bench needs --models DIR (from tools/make_bench_models.py) or both --model and --bert")
    for p in (voice, bert):
        if not Path(p).exists():
            raise StudioError(f"{p} does not exist (build full-size models with tools/make_bench_models.py)")
    return Path(voice), Path(bert)


def run_bench(
    configs: list[BenchConfig],
    voice: Path,
    bert: Path,
    texts: dict[str, str] | None = None,
    *,
    runs: int = 5,
    warmup: int = 1,
    sdp_ratio: float = 0.0,
    memory: bool = True,
    variant_cache_dir: Path | None = None,
    feature_error: bool = True,
    settle_s: float = SETTLE_S,
    log: Callable[[str], None] | None = None,
) -> dict:
    """Time every configuration on every text, interleaved; return the JSON-ready report."""
    log = log or (lambda msg: None)
    texts = dict(texts or TEXTS)
    params = bench_params(sdp_ratio)
    report: dict = {
        "bench_version": BENCH_VERSION,
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine_info(),
        "models": {"voice": str(voice), "bert": str(bert)},
        "settings": {
            "runs": runs,
            "warmup": warmup,
            "params": asdict(params),
            "interleaved": True,
            "settle_s": settle_s,
            "feature_cache": "off (computation is timed)",
        },
        "texts": {k: {"text": t, "chars": len(t)} for k, t in texts.items()},
        "configs": [],
    }
    # Memory first, each in a fresh process, before this one holds every model.
    memories: dict[str, dict] = {}
    if memory:
        for config in configs:
            log(f"memory: {config.name} (fresh process)")
            memories[config.name] = probe_memory(config, voice, bert, texts, sdp_ratio, variant_cache_dir)
    runners = []
    for config in configs:
        log(f"loading {config.name}")
        runners.append(make_runner(config, voice, bert, variant_cache_dir))
    samples: dict[str, dict[str, list[Sample]]] = {c.name: {k: [] for k in texts} for c in configs}
    for key, text in texts.items():
        for runner in runners:
            for _ in range(warmup):
                runner.run(text, params)
        for i in range(runs):
            for runner in runners:
                time.sleep(settle_s)  # the previous configuration's worker threads stop spinning first
                samples[runner.config.name][key].append(runner.run(text, params))
            log(f"text {key}: run {i + 1}/{runs}")
    for runner in runners:
        if hasattr(runner, "close"):  # a worker process (hayakoe)
            runner.close()
    reference_features: dict[str, np.ndarray] = {}
    if feature_error:
        fp32 = next((r for r in runners if isinstance(r, ReferenceRunner)), None)
        fp32 = fp32 or next(
            (r for r in runners if r.config.kind in ("studio", "streaming") and r.config.bert_variant == "fp32"), None
        )
        if fp32 is not None:
            reference_features = {k: fp32.bert_features(t) for k, t in texts.items()}
    from sbv2_studio.graphs.bert_variants import feature_error as feature_error_of

    for config, runner in zip(configs, runners):
        results = {}
        for key in texts:
            rows = samples[config.name][key]
            stages = {s: _stats([r.stages.get(s, 0.0) for r in rows]) for s in STAGE_ORDER}
            total = _stats([r.total_ms for r in rows])
            audio_s = float(np.median([r.audio_s for r in rows]))
            results[key] = {
                "total_ms": total,
                "other_ms": _stats([r.total_ms - r.stages["bert"] - r.stages["synthesize"] for r in rows]),
                "stages_ms": stages,
                "audio_s": audio_s,
                "rtf": total["median"] / 1000.0 / audio_s if audio_s else None,
                "ttfa_ms": _stats([r.ttfa_ms for r in rows]),
                "headroom_ms": _headroom([(r.headroom_ms, r.headroom_median_ms) for r in rows]),
            }
        errors = None
        if reference_features and config.kind not in ("reference", "hayakoe"):
            per_text = [feature_error_of(reference_features[k], runner.bert_features(t)) for k, t in texts.items()]
            errors = {
                "max_abs": max(e["max_abs"] for e in per_text),
                "mean_abs": float(np.mean([e["mean_abs"] for e in per_text])),
                "cos_mean": float(np.mean([e["cos_mean"] for e in per_text])),
                "cos_min": min(e["cos_min"] for e in per_text),
            }
        info = runner.variant_info
        report["configs"].append({
            **asdict(config),
            "ran_on": runner.ran_on(),
            "load_s_warm_process": runner.load_s,
            "variant": info.to_json() if info is not None else None,
            "feature_error_vs_fp32": errors,
            "memory": memories.get(config.name),
            "results": results,
        })  # fmt: skip
    report["speedups"] = speedups(report)
    report["speedups_vs_hayakoe"] = speedups(report, "hayakoe")
    return report


def speedups(report: dict, base_kind: str = "reference") -> dict:
    """Ratios of medians against the reference-style configuration (or hayakoe) when there is one: >1 is faster."""
    ref = next((c for c in report["configs"] if c["kind"] == base_kind), None)
    if ref is None:
        return {}
    out: dict = {}
    for c in report["configs"]:
        if c is ref:
            continue
        per_text = {}
        for key, res in c["results"].items():
            base = ref["results"].get(key)
            if not base:
                continue
            ratio = lambda a, b: (a / b) if b else None
            # Per second of audio: a variant whose features change the predicted durations makes more or less
            # audio; time per audio second compares equal work (it is the plain time ratio when lengths agree).
            per_text[key] = {
                "total": ratio(base["rtf"], res["rtf"]) if base.get("rtf") and res.get("rtf") else None,
                "total_time": ratio(base["total_ms"]["median"], res["total_ms"]["median"]),
                "bert": ratio(base["stages_ms"]["bert"]["median"], res["stages_ms"]["bert"]["median"]),
                "synthesize": ratio(
                    base["stages_ms"]["synthesize"]["median"], res["stages_ms"]["synthesize"]["median"]
                ),
            }
        out[c["name"]] = per_text
    return out


# --- memory probe (a fresh process per configuration) -----------------------------------------------------------


def probe_memory(config: BenchConfig, voice: Path, bert: Path, texts: dict[str, str], sdp_ratio: float,
                 variant_cache_dir: Path | None) -> dict:  # fmt: skip
    """Cold load time, RSS after loading and peak RSS over one synthesis of every text, in a new process."""
    spec = {
        "config": asdict(config),
        "voice": str(voice),
        "bert": str(bert),
        "texts": texts,
        "sdp_ratio": sdp_ratio,
        "variant_cache_dir": str(variant_cache_dir) if variant_cache_dir else None,
    }
    if config.kind == "hayakoe":  # its own worker process is the fresh process
        from .hayakoe_peer import probe

        return probe(config, voice, bert, texts, bench_params(sdp_ratio), variant_cache_dir)
    # Build the variant first (in this process) so the probe measures loading, not building or analysing.
    if config.kind != "reference":
        from sbv2_studio.graphs.bert_variants import prepare
        from sbv2_studio.models.formats import load_bert_folder

        prefer = "fp16" if config.bert_variant == "fp16" else "fp32"
        prepare(load_bert_folder(bert, prefer=prefer), config.bert_variant, variant_cache_dir)
    proc = subprocess.run(
        [sys.executable, "-m", "sbv2_bench.bench", "--probe", json.dumps(spec, ensure_ascii=False)],
        capture_output=True, text=True, encoding="utf-8", timeout=3600, env=_probe_env(),
    )  # fmt: skip
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        return {"error": (proc.stderr.strip().splitlines() or ["probe failed"])[-1]}
    return json.loads(lines[-1])


def _probe_env() -> dict[str, str]:
    """The probe child imports this package by name, so it needs the folder above it on its path."""
    tools = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH", "")
    return {**os.environ, "PYTHONPATH": tools + (os.pathsep + path if path else "")}


def _probe_main(spec_json: str) -> int:
    spec = json.loads(spec_json)
    config = BenchConfig(**spec["config"])
    rss_start = peak_rss_mb()
    started = time.perf_counter()
    cache = Path(spec["variant_cache_dir"]) if spec.get("variant_cache_dir") else None
    runner = make_runner(config, Path(spec["voice"]), Path(spec["bert"]), cache)
    load_s = time.perf_counter() - started
    rss_loaded = peak_rss_mb()
    params = bench_params(spec["sdp_ratio"])
    first_ms = None
    for text in spec["texts"].values():
        sample = runner.run(text, params)
        first_ms = first_ms if first_ms is not None else sample.total_ms
    print(json.dumps({
        "cold_load_s": load_s,
        "first_request_ms": first_ms,
        "peak_rss_mb_at_start": rss_start,
        "peak_rss_mb_after_load": rss_loaded,
        "peak_rss_mb": peak_rss_mb(),
    }))  # fmt: skip
    return 0


# --- reports -------------------------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 0) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _spread(stats: dict) -> str:
    return f"{stats['median']:,.0f} ({stats['min']:,.0f}–{stats['max']:,.0f})"


def _headroom(rows: list[tuple[float | None, float | None]]) -> dict | None:
    """Streamed runs' headroom: the worst over all runs and the median of the runs' medians (None: not streamed)."""
    worst = [w for w, _ in rows if w is not None]
    medians = [m for _, m in rows if m is not None]
    if not worst:
        return None
    return {"min": float(min(worst)), "median": float(np.median(medians)) if medians else None}


def _fmt_headroom(r: dict) -> str:
    h = r.get("headroom_ms")
    return "–" if not h else f"{_fmt(h['min'])} / {_fmt(h['median'])}"


def markdown(report: dict) -> str:
    m = report["machine"]
    s = report["settings"]
    out = [
        f"Machine: {m['cpu']}, {m['logical_cpus']} logical CPUs, {m['platform']}, onnxruntime {m['onnxruntime']}. "
        f"{s['runs']} runs per configuration and text after {s['warmup']} warm-up, interleaved; "
        f"milliseconds as median (min–max); feature cache off.",
        "",
        "| text | configuration | total ms | BERT ms | synth ms | other ms | audio s | RTF | first audio ms | "
        "headroom ms (min / median) | × total (per audio s) | × BERT | × synth | × hayakoe (time) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    ups = report.get("speedups", {})
    vs_hayakoe = report.get("speedups_vs_hayakoe", {})
    for key, meta in report["texts"].items():
        for c in report["configs"]:
            r = c["results"].get(key)
            if not r:
                continue
            st = r["stages_ms"]
            other = r["other_ms"]["median"] if "other_ms" in r else 0.0
            up = ups.get(c["name"], {}).get(key, {})
            hk = vs_hayakoe.get(c["name"], {}).get(key, {})
            out.append(
                f"| {key} ({meta['chars']} ch) | {c['name']} | {_spread(r['total_ms'])} | {_spread(st['bert'])} | "
                f"{_spread(st['synthesize'])} | {other:,.0f} | {r['audio_s']:.2f} | {_fmt(r['rtf'], 3)} | "
                f"{r['ttfa_ms']['median']:,.0f} | {_fmt_headroom(r)} | {_fmt(up.get('total'), 2)} | "
                f"{_fmt(up.get('bert'), 2)} | {_fmt(up.get('synthesize'), 2)} | {_fmt(hk.get('total_time'), 2)} |"
            )
    out += [
        "",
        "| configuration | BERT graph | feature error vs FP32 (max abs / min cos) | cold load s | peak RSS MB |",
        "|---|---|---|---|---|",
    ]
    for c in report["configs"]:
        err = c.get("feature_error_vs_fp32")
        err_s = (
            f"{err['max_abs']:.2e} / {err['cos_min']:.5f}"
            if err
            else ("reference" if c["kind"] == "reference" else "–")
        )
        mem = c.get("memory") or {}
        graph = (c.get("variant") or {}).get("path") or ("model.onnx" if c["kind"] == "reference" else "–")
        out.append(
            f"| {c['name']} | {Path(graph).name} | {err_s} | {_fmt(mem.get('cold_load_s'), 1)} | "
            f"{_fmt(mem.get('peak_rss_mb'))} |"
        )
    return "\n".join(out) + "\n"


def compare(previous: dict, current: dict) -> str:
    """A Markdown table of current vs previous medians for the configurations and texts both have."""
    prev = {c["name"]: c for c in previous.get("configs", [])}
    out = ["| text | configuration | previous total ms | now total ms | × | previous BERT ms | now BERT ms | "
           "previous synth ms | now synth ms |", "|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    rows = 0
    for c in current["configs"]:
        p = prev.get(c["name"])
        if p is None:
            continue
        for key, r in c["results"].items():
            q = p["results"].get(key)
            if not q:
                continue
            ratio = q["total_ms"]["median"] / r["total_ms"]["median"] if r["total_ms"]["median"] else None
            out.append(
                f"| {key} | {c['name']} | {q['total_ms']['median']:,.0f} | {r['total_ms']['median']:,.0f} | "
                f"{_fmt(ratio, 2)} | {q['stages_ms']['bert']['median']:,.0f} | {r['stages_ms']['bert']['median']:,.0f} | "
                f"{q['stages_ms']['synthesize']['median']:,.0f} | {r['stages_ms']['synthesize']['median']:,.0f} |"
            )
            rows += 1
    if not rows:
        out.append("| – | no configuration and text in common | | | | | | | |")
    return "\n".join(out) + "\n"


# --- session tuning ------------------------------------------------------------------------------------------


# "default" is onnxruntime's own defaults (threads spin); each other row changes one setting from it.
TUNING = {
    "default": {"allow_spinning": None},
    "threads=1": {"cpu_threads": 1, "allow_spinning": None},
    "no spinning": {"allow_spinning": False},
    "no arena": {"enable_cpu_mem_arena": False, "allow_spinning": None},
    "no mem pattern": {"enable_mem_pattern": False, "allow_spinning": None},
}


def tune(voice: Path, bert: Path, variants: list[str], text: str, runs: int = 5,
         variant_cache_dir: Path | None = None, log: Callable[[str], None] | None = None) -> dict:  # fmt: skip
    """Time the BERT (each variant) and synthesizer sessions alone under each setting of TUNING, interleaved."""
    from sbv2_studio.engine.bert import BertStage
    from sbv2_studio.engine.synth import SynthStage
    from sbv2_studio.engine.text import frontend
    from sbv2_studio.engine.tokenizer import CharTokenizer
    from sbv2_studio.graphs.bert_variants import prepare
    from sbv2_studio.models.formats import load_bert_folder, load_voice_model
    from sbv2_studio.runtime.backends import ResilientSession

    log = log or (lambda msg: None)
    voice_model = load_voice_model(voice)
    fe = frontend.analyze(text, use_jp_extra=voice_model.is_jp_extra)
    bert_model = load_bert_folder(bert)
    ids = CharTokenizer.from_folder(bert_model.folder).encode(fe.bert_text)
    style = voice_model.style_vector(None, 1.0)
    rng = np.random.default_rng(0)
    features = rng.normal(0, 0.5, (len(ids), 1024)).astype(np.float32)
    phones = expand_to_phones(features, fe.word2ph_blank)
    jobs: dict[str, Callable[[], object]] = {}
    for name, settings in TUNING.items():
        factory = SessionFactory(SessionConfig(**settings), faults=[])
        for variant in variants:
            info = prepare(bert_model, variant, variant_cache_dir)
            stage = BertStage(bert_model, ResilientSession(factory, info.path, CPU, "bert"), variant=variant)
            jobs[f"bert {variant} | {name}"] = lambda stage=stage: stage.compute(ids)
        synth = SynthStage(voice_model, ResilientSession(factory, voice_model.onnx_path, CPU, "synthesize"))
        jobs[f"synthesize | {name}"] = lambda synth=synth: synth.run(
            fe.x_tst, fe.tone_ids, fe.language_ids, phones, sid=0, style_vec=style, length_scale=1.0,
            sdp_ratio=0.0, noise_scale=0.6, noise_scale_w=0.8,
        )  # fmt: skip
        log(f"tune: loaded '{name}'")
    times: dict[str, list[float]] = {k: [] for k in jobs}
    for job in jobs.values():
        job()
    for i in range(runs):
        for key, job in jobs.items():
            t0 = time.perf_counter()
            job()
            times[key].append((time.perf_counter() - t0) * 1000.0)
        log(f"tune: run {i + 1}/{runs}")
    return {"text": text, "runs": runs, "settings": TUNING, "ms": {k: _stats(v) for k, v in times.items()}}


def tune_markdown(result: dict) -> str:
    out = ["| session | setting | median ms (min–max) | vs default |", "|---|---|---|---|"]
    for key, stats in result["ms"].items():
        what, _, setting = key.partition(" | ")
        base = result["ms"].get(f"{what} | default", stats)["median"]
        out.append(f"| {what} | {setting} | {_spread(stats)} | {base / stats['median']:.2f}× |")
    return "\n".join(out) + "\n"


# --- command line ---------------------------------------------------------------------------------------------


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--models", type=Path, help="folder from tools/make_bench_models.py (jp_extra/ and bert/)")
    p.add_argument("--model", type=Path, help="an SBV2 voice (folder or .aivmx) instead of MODELS/jp_extra")
    p.add_argument("--bert", type=Path, help="a DeBERTa ONNX folder instead of MODELS/bert")
    p.add_argument("--texts", default="10,25,50,100", help="which built-in texts (keys 10,25,50,100; default all)")
    p.add_argument("--text", action="append", default=[], help="a text of your own (repeatable)")
    p.add_argument("--runs", type=int, default=5, help="timed runs per configuration and text (default 5)")
    p.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    p.add_argument("--bert-variant", action="append", dest="bert_variants", metavar="V",
                   help="BERT variant(s) to time: fp32, fp32-opt, int8, fp16 (repeatable; default int8)")  # fmt: skip
    p.add_argument("--backend", action="append", dest="backends", metavar="SPEC",
                   help="backends: cpu, cuda[:N], dml[:N], openvino[:DEVICE][@bf16|fp16|int8], or BERT,SYNTH like "
                   "cuda,cpu (repeatable; default cpu)")  # fmt: skip
    p.add_argument("--threads", type=int, help="intra-op threads for the studio's CPU sessions (default: ORT's)")
    p.add_argument("--spinning", choices=("default", "on", "off", "both"), default="default",
                   help="studio CPU sessions: worker threads spin between ops (on), block (off, the studio default), "
                   "or time both")  # fmt: skip
    p.add_argument("--reference", action="store_true", help="also time the reference-style pipeline, side by side")
    p.add_argument("--hayakoe", metavar="PYTHON",
                   help="also time hayakoe (the fastest CPU peer) on the same weights, run by this interpreter of an "
                   "environment where hayakoe is installed (`pip install hayakoe`; never the studio's)")  # fmt: skip
    p.add_argument("--streaming", action="store_true",
                   help="also time each studio configuration streamed (first audio = the first chunk's)")  # fmt: skip
    p.add_argument("--sdp-ratio", type=float, default=0.0, help="SDP/DP mix (default 0: same audio length every run)")
    p.add_argument("--no-memory", action="store_true", help="skip the per-configuration memory/cold-load probe")
    p.add_argument("--json", type=Path, dest="json_out", help="write the full report as JSON")
    p.add_argument("--markdown", type=Path, help="write the tables as Markdown")
    p.add_argument("--compare", type=Path, help="a previous --json report to compare against")
    p.add_argument("--variant-cache", type=Path, help="where BERT variants are built (default: the user cache)")
    p.add_argument("--engines", action="store_true", help="onnxruntime vs OpenVINO per stage, per precision, with "
                   "fidelity against FP32 and load times, side by side (tools/sbv2_bench/engines.py)")  # fmt: skip
    p.add_argument("--tune", action="store_true", help="time session settings (threads, spinning, arena, "
                   "memory pattern) for BERT and the synthesizer instead")  # fmt: skip


def main_from_args(args: argparse.Namespace) -> int:
    voice, bert = resolve_models(args.models, args.model, args.bert)
    log = lambda msg: print(f"[bench] {msg}", file=sys.stderr, flush=True)
    texts = {k: TEXTS[k] for k in args.texts.split(",") if k.strip() in TEXTS} if args.texts else {}
    for i, text in enumerate(args.text):
        texts[f"user{i + 1}"] = text
    if not texts:
        raise StudioError(f"no texts: --texts takes keys of {', '.join(TEXTS)}, or pass --text")
    variants = args.bert_variants or ["int8"]
    if args.engines:
        from sbv2_bench import engines

        result = engines.run(voice, bert, args.runs, log)
        table = engines.markdown(result)
        return write_outputs(result, table, args.json_out, args.markdown)
    if args.tune:
        result = tune(voice, bert, variants, next(iter(texts.values())), args.runs, args.variant_cache, log)
        table = tune_markdown(result)
        return write_outputs(result, table, args.json_out, args.markdown)
    session = {"cpu_threads": args.threads} if args.threads else {}
    spinning = {"default": [None], "on": [True], "off": [False], "both": [False, True]}[args.spinning]
    kinds = ["studio", "streaming"] if args.streaming else ["studio"]
    configs = [BenchConfig(kind="reference")] if args.reference else []
    if args.hayakoe:
        configs.append(BenchConfig(kind="hayakoe", bert_variant="int8", python=args.hayakoe))
    for spec in args.backends or ["cpu"]:
        bert_backend, synth_backend = parse_backend_spec(spec)
        for variant in variants:
            for spin in spinning:
                settings = dict(session) if spin is None else {**session, "allow_spinning": spin}
                for kind in kinds:
                    config = BenchConfig(kind, variant, bert_backend, synth_backend, settings)
                    if spin is not None and args.spinning == "both":
                        config.name += " spin" if spin else " no-spin"
                    configs.append(config)
    report = run_bench(
        configs, voice, bert, texts, runs=args.runs, warmup=args.warmup, sdp_ratio=args.sdp_ratio,
        memory=not args.no_memory, variant_cache_dir=args.variant_cache, log=log,
    )  # fmt: skip
    table = markdown(report)
    if args.compare:
        previous = json.loads(Path(args.compare).read_text(encoding="utf-8"))
        report["compare"] = {"previous": str(args.compare)}
        table += "\nCompared with " + str(args.compare) + ":\n\n" + compare(previous, report)
    return write_outputs(report, table, args.json_out, args.markdown)


def write_outputs(report: dict, table: str, json_path: Path | None, markdown_path: Path | None) -> int:
    """Print the table; write the report as JSON and the table as Markdown where asked."""
    print(table)
    if json_path:
        json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    if markdown_path:
        markdown_path.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--probe":
        sys.exit(_probe_main(sys.argv[2]))
    parser = argparse.ArgumentParser(prog="python -m sbv2_bench.bench")
    add_arguments(parser)
    sys.exit(main_from_args(parser.parse_args()))
