"""Engines and precisions side by side, per stage, in one process: onnxruntime FP32 (and INT8 BERT) against
OpenVINO FP32, bf16 and fp16 (each where the CPU has it natively), the same ONNX files and inputs, interleaved runs,
medians; with each option's fidelity against onnxruntime FP32 and the load time (cold compile, warm cache).

    python -m tools.sbv2_bench.engines --models /work/bench_models --runs 5 [--markdown out.md] [--json out.json]
    sbv2-studio bench --engines --models /work/bench_models
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np

from sbv2_studio.app.precision import audio_fidelity, bert_fidelity
from sbv2_studio.engine.bert import BertStage, expand_to_phones
from sbv2_studio.engine.streaming import PriorThenFlow
from sbv2_studio.engine.synth import SynthStage
from sbv2_studio.engine.text import frontend
from sbv2_studio.engine.tokenizer import CharTokenizer
from sbv2_studio.graphs import bert_variants
from sbv2_studio.graphs import split as gs
from sbv2_studio.models.formats import load_bert_folder, load_voice_model
from sbv2_studio.runtime import ov_backend
from sbv2_studio.runtime.backends import Backend, ResilientSession, SessionFactory

TEXTS = {
    "25": "あらゆる現実を、すべて自分のほうへねじ曲げたのだ。",
    "104": (
        "古びた図書館の奥で、一冊の不思議な本を見つけた少年は、そっとページを開きました。"
        "春風が桜の花びらを舞わせる中、彼は十年ぶりに故郷の駅に降り立ちました。"
        "月明かりに照らされた海は、まるで無数の宝石を散りばめたように輝いていました。"
    ),
}


def _timed(make):
    t0 = time.perf_counter()
    value = make()
    return value, (time.perf_counter() - t0) * 1000.0


def run(voice_path: Path, bert_path: Path, runs: int = 5, log=print, only: str = "all") -> dict:
    voice = load_voice_model(voice_path)
    bert = load_bert_folder(bert_path)
    factory = SessionFactory(faults=[])
    tokenizer = CharTokenizer.from_folder(bert.folder)
    cpu_native = ov_backend.device_info("CPU")
    halves = [p for p in ("bf16", "fp16") if cpu_native and cpu_native.native(p)]  # 16-bit floats run natively
    report: dict = {
        "cpu_flags": sorted(f for f in ov_backend.cpu_flags() if f in ov_backend.INTERESTING_CPU_FLAGS),
        "openvino": ov_backend.version(),
        "ov_cpu": {"name": cpu_native.full_name, "capabilities": cpu_native.capabilities} if cpu_native else None,
        "bf16_native": "bf16" in halves,
        "fp16_native": "fp16" in halves,
        "runs": runs,
        "load_ms": {},
        "stages": {},
    }
    # --- BERT ---
    fp32_opt = bert_variants.prepare(bert, "fp32-opt").path
    int8 = bert_variants.prepare(bert, "int8").path
    bert_configs = {
        "ort fp32": (bert.onnx_path, Backend("cpu")),
        "ort int8": (int8, Backend("cpu")),
        "ov fp32": (fp32_opt, Backend("openvino")),
        # 8-bit weights (runtime/ov_backend.py weights_ir), computed at bf16 where native, else fp32
        "ov int8": (fp32_opt, Backend("openvino", precision="int8")),
    }
    for half in halves:
        bert_configs[f"ov {half}"] = (fp32_opt, Backend("openvino", precision=half))
    stages = {}
    for name, (graph, backend) in bert_configs.items():
        session, ms = _timed(lambda g=graph, b=backend: ResilientSession(factory, g, b, "bert"))
        stages[name] = BertStage(bert, session, cache=None, graph_path=graph)
        report["load_ms"][f"bert {name}"] = ms
        log(f"loaded BERT {name} in {ms:.0f} ms ({session.ran_on})")
    inputs = {}
    for key, text in TEXTS.items():
        fe = frontend.analyze(text, use_jp_extra=voice.is_jp_extra)
        inputs[key] = (fe, tokenizer.encode(fe.bert_text))
    for key, (_fe, ids) in inputs.items():
        times = {n: [] for n in stages}
        outs = {n: s.compute(ids) for n, s in stages.items()}  # warm-up, and the outputs compared
        for _ in range(runs):
            for n, s in stages.items():
                times[n].append(_timed(lambda s=s, i=ids: s.compute(i))[1])
        ref = outs["ort fp32"]
        report["stages"][f"bert {key}"] = {
            n: {"ms": statistics.median(t), **({} if n == "ort fp32" else bert_fidelity(ref, outs[n]))}
            for n, t in times.items()
        }
        log(f"bert {key}: " + ", ".join(f"{n} {statistics.median(t):.0f} ms" for n, t in times.items()))
    features = {
        k: expand_to_phones(stages["ort fp32"].compute(ids), fe.word2ph_blank) for k, (fe, ids) in inputs.items()
    }
    del stages
    if only == "bert":
        return report
    # --- synthesizer ---
    split = gs.split_synthesizer(voice.onnx_path)
    cache = ov_backend.model_cache_dir()
    shutil.rmtree(cache, ignore_errors=True)  # cold compile first, then the cached one
    cache.mkdir(parents=True, exist_ok=True)
    whole = {}
    for name, backend in {"ort fp32": Backend("cpu"), "ov fp32": Backend("openvino")}.items():
        session, ms = _timed(lambda b=backend: ResilientSession(factory, voice.onnx_path, b, "synthesize"))
        whole[name] = SynthStage(voice, session)
        report["load_ms"][f"synth {name}" + (" (cold)" if name.startswith("ov") else "")] = ms
    _, ms = _timed(lambda: ResilientSession(factory, voice.onnx_path, Backend("openvino"), "synthesize"))
    report["load_ms"]["synth ov fp32 (warm cache)"] = ms
    prior_path, flow_path = gs.prior_flow_paths(split)
    reduced = {}  # precision -> (latent, decoder, prior-then-flow)
    for half in halves:
        hb = Backend("openvino", precision=half)
        whole[f"ov {half} whole graph"] = SynthStage(
            voice, ResilientSession(factory, voice.onnx_path, hb, "synthesize")
        )
        # the studio's reduced-precision path: prior (durations) fp32, flow and decoder at `half`
        reduced[half] = (
            ResilientSession(factory, split.latent_path, Backend("openvino"), "latent"),
            ResilientSession(factory, split.decoder_path, hb, "decode"),
            PriorThenFlow(
                ResilientSession(factory, prior_path, Backend("openvino"), "latent"),
                ResilientSession(factory, flow_path, hb, "latent"),
                split.info["flow_inputs"],
                split.conditioning,
            ),
        )
    sid, style = 0, voice.style_vector(None, 1.0)
    args = dict(
        sid=sid, style_vec=style, length_scale=1.0, sdp_ratio=0.0, noise_scale=0.0, noise_scale_w=0.0
    )  # deterministic: both engines, same audio

    def split_run(feeds, latent, decoder):
        outs = latent.run([gs.LATENT, *split.conditioning], {k: v for k, v in feeds.items() if k in latent.inputs})
        (audio,) = decoder.run([gs.AUDIO], {gs.LATENT: outs[0], **dict(zip(split.conditioning, outs[1:]))})
        return np.asarray(audio, np.float32).reshape(-1)

    for key, (fe, _ids) in inputs.items():
        any_stage = whole["ort fp32"]
        feeds = any_stage.feeds(fe.x_tst, fe.tone_ids, fe.language_ids, features[key], **args)
        calls = {
            n: (lambda s=s, fe=fe, b=features[key]: s.run(fe.x_tst, fe.tone_ids, fe.language_ids, b, **args))
            for n, s in whole.items()
        }
        for half, (latent, decoder, prior_flow) in reduced.items():
            calls[f"ov {half} decoder, latent fp32"] = lambda f=feeds, lt=latent, d=decoder: split_run(f, lt, d)
            calls[f"ov {half} flow + decoder, durations fp32"] = lambda f=feeds, pf=prior_flow, d=decoder: split_run(
                f, pf, d
            )
        outs = {n: c() for n, c in calls.items()}
        times = {n: [] for n in calls}
        for _ in range(runs):
            for n, c in calls.items():
                times[n].append(_timed(c)[1])
        ref = outs["ort fp32"]
        report["stages"][f"synth {key}"] = {
            n: {
                "ms": statistics.median(t),
                **({} if n == "ort fp32" else audio_fidelity(ref, outs[n], voice.sampling_rate)),
            }
            for n, t in times.items()
        }
        report["stages"][f"synth {key}"]["audio_s"] = len(ref) / voice.sampling_rate
        log(f"synth {key}: " + ", ".join(f"{n} {statistics.median(t):.0f} ms" for n, t in times.items()))
    return report


def markdown(report: dict) -> str:
    lines = [
        f"CPU flags: {', '.join(report['cpu_flags'])}; OpenVINO {report['openvino']}; "
        f"OpenVINO CPU capabilities: {', '.join((report['ov_cpu'] or {}).get('capabilities', []))}; "
        f"bf16 native: {report['bf16_native']}; fp16 native: {report.get('fp16_native', False)}; medians of {report['runs']} interleaved runs.",
        "",
        "| stage | configuration | median ms | × vs ort fp32 | fidelity vs ort fp32 |",
        "|---|---|---|---|---|",
    ]
    for stage, rows in report["stages"].items():
        base = rows["ort fp32"]["ms"]
        for name, row in rows.items():
            if not isinstance(row, dict):
                continue
            if "snr_db" in row:
                fid = f"SNR {row['snr_db']:.1f} dB, log-mel L1 {row['log_mel_l1']:.3f}, length Δ {row['length_diff']} samples"
            elif "cosine" in row:
                fid = f"max abs {row['max_abs']:.3g}, cosine {row['cosine']:.5f} (worst token {row['cosine_min']:.5f})"
            else:
                fid = "reference"
            lines.append(f"| {stage} | {name} | {row['ms']:.0f} | {base / row['ms']:.2f}× | {fid} |")
    lines += ["", "| load | ms |", "|---|---|"]
    lines += [f"| {k} | {v:.0f} |" for k, v in report["load_ms"].items()]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--models", type=Path, required=True, help="folder from tools/make_bench_models.py")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--only", choices=("all", "bert"), default="all", help="bert: BERT's engines only")
    p.add_argument("--json", type=Path)
    p.add_argument("--markdown", type=Path)
    args = p.parse_args(argv)
    log = lambda m: print(m, file=sys.stderr, flush=True)
    report = run(args.models / "jp_extra", args.models / "bert", args.runs, log=log, only=args.only)
    from sbv2_bench.bench import write_outputs

    return write_outputs(report, markdown(report), args.json, args.markdown)


if __name__ == "__main__":
    sys.exit(main())
