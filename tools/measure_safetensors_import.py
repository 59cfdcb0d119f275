#!/usr/bin/env python
"""Full-size check of the safetensors import: conversion time, peak memory, parity with the reference.

    python tools/measure_safetensors_import.py [--out /tmp/st_full] [--legacy] [--export]

Tool only (it imports torch and the AGPL reference, like tools/make_fixtures.py, whose helpers it reuses):

1. builds the reference SynthesizerTrn with the official hyper-parameters (tools/make_bench_models.py's config),
   random weights with the decoder calibrated, and saves it with the reference trainer's own save function
   (`save_safetensors(..., for_infer=True)`, float32, named like a trainer checkpoint) beside config.json and
   style_vectors.npy;
2. imports that folder with `sbv2-studio import` in a child process where `import torch` fails, and reports the
   child's wall time and peak RSS;
3. compares the converted graph's audio with the reference model's (noise off; sdp_ratio 0 and 0.5) and, with
   --export, with an ONNX exported the official way, timing both graphs side by side on onnxruntime.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

import make_bench_models as mb  # noqa: E402
import make_fixtures as fx  # noqa: E402

CHILD = """
import resource, sys, time
t0 = time.perf_counter()
from sbv2_studio.cli import main
rc = main(["import", sys.argv[1]])
print(f"CHILD wall_s={time.perf_counter() - t0:.2f} peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
sys.exit(rc)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/st_full"))
    parser.add_argument("--legacy", action="store_true", help="the older 2.x architecture instead of JP-Extra")
    parser.add_argument("--export", action="store_true", help="also export the official ONNX and time both")
    args = parser.parse_args(argv)

    import torch
    from style_bert_vits2.models.utils.safetensors import save_safetensors

    torch.set_num_threads(2)
    arch = "legacy" if args.legacy else "jp_extra"
    source = args.out / "src" / f"full_{arch}"
    home = args.out / "home"
    for p in (source, home):
        if p.exists():
            import shutil

            shutil.rmtree(p)
    source.mkdir(parents=True)
    config = {k: v for k, v in mb.bench_synth_config().items() if not k.startswith("_")}
    if args.legacy:
        config["version"] = "2.1"
        config["data"]["use_jp_extra"] = False
        config["model"].pop("slm", None)
    style_vectors = fx.make_style_vectors(mb.SEED + 3, 2)
    net, _ = fx.build_synth(config, mb.SEED + 4)
    fx.calibrate_decoder(net, style_vectors, not args.legacy)
    (source / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    np.save(source / "style_vectors.npy", style_vectors)
    checkpoint = source / f"full_{arch}_e100_s10000.safetensors"
    save_safetensors(net, 10000, str(checkpoint), for_infer=True)
    print(f"checkpoint {checkpoint.name}: {checkpoint.stat().st_size / 1e6:.0f} MB (float32)")

    blocker = args.out / "no_torch"
    blocker.mkdir(parents=True, exist_ok=True)
    (blocker / "torch.py").write_text("raise ImportError('no torch in the app')\n", encoding="utf-8")
    env = {**os.environ, "SBV2_STUDIO_HOME": str(home), "PYTHONPATH": f"{blocker}{os.pathsep}{ROOT}"}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(source)], env=env, capture_output=True, text=True)
    print(proc.stdout.strip())
    if proc.returncode:
        print(proc.stderr, file=sys.stderr)
        return 1
    converted = next((home / "models" / source.name).glob("*.onnx"))
    print(f"converted {converted.name}: {converted.stat().st_size / 1e6:.0f} MB")

    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    ours = ort.InferenceSession(str(converted), opts, providers=["CPUExecutionProvider"])
    official = None
    if args.export:
        path = args.out / f"official_{arch}.onnx"
        t0 = time.perf_counter()
        fx.export_synth_onnx(net, not args.legacy, style_vectors[0], path, 17)
        print(f"official export {time.perf_counter() - t0:.0f} s")
        official = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(5)
    times: dict[str, list[float]] = {"ours": [], "official": []}
    for text, sdp in ((mb.CALIBRATION_TEXTS[0], 0.0), (mb.CALIBRATION_TEXTS[3], 0.5), (mb.CALIBRATION_TEXTS[2], 0.2)):
        inp = mb._frontend_inputs(text, style_vectors[1], rng)  # JP features in `bert`, as _infer_torch takes them
        scalars = {"length_scale": 1.0, "sdp_ratio": sdp, "noise_scale": 0.0, "noise_scale_w": 0.0}
        feeds = {**inp, **{k: np.array(v, np.float32) for k, v in scalars.items()}}
        if args.legacy:  # the older graphs take the Japanese features as `ja_bert`
            feeds.update(ja_bert=inp["bert"], bert=np.zeros_like(inp["bert"]), en_bert=np.zeros_like(inp["bert"]))
        with torch.no_grad():
            reference = fx._infer_torch(net, inp, not args.legacy, **scalars)[0].numpy()
        got = ours.run(["output"], feeds)[0]
        line = f"{len(text)} chars sdp {sdp}: {got.shape[-1] / 44100:.2f} s; max|ours - torch| {np.abs(got - reference).max():.2e}"
        if official is not None:
            theirs = official.run(None, feeds)[0]
            line += f"; max|ours - official| {np.abs(got - theirs).max():.2e}"
            for _ in range(3):  # interleaved
                for name, sess in (("ours", ours), ("official", official)):
                    t0 = time.perf_counter()
                    sess.run(None, feeds)
                    times[name].append(time.perf_counter() - t0)
        print(line)
    if official is not None:
        ratio = np.median(times["ours"]) / np.median(times["official"])
        print(f"onnxruntime CPU time ours/official (median of interleaved runs): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
