#!/usr/bin/env python
"""Build FULL-SIZE random-weight models for benchmarking (never committed; bench_models/ is git-ignored).

    python tools/make_bench_models.py --out bench_models [--only bert|synth] [--force]

Tool only: it imports torch, transformers and the AGPL reference implementation (style-bert-vits2), like
tools/make_fixtures.py, whose helpers it reuses. What it writes:

- bert/   DeBERTa-v2-large with the real configuration (read at run time from the shared
          deberta-v2-large-japanese-char-wwm/config.json: 24 layers, hidden 1024, 16 heads, FFN 4096,
          vocab 22,012, relative attention with 256 buckets), random weights, exported like the reference's
          convert_bert_onnx.py (inputs input_ids/token_type_ids/attention_mask, output hidden_states[-3] of
          batch item 0, onnxsim applied) as model.onnx (~1.2 GB), plus a synthetic vocabulary of the real
          size (our own token strings: kana, ASCII, punctuation, then CJK ideographs in code-point order) and
          the tokenizer files.
- jp_extra/  an SBV2 JP-Extra synthesizer with the official hyper-parameters (configs/config_jp_extra.json of
          the upstream repository, or the reference package's HyperParameters defaults, which are the same),
          random weights, exported like the reference's convert_onnx.py (onnxsim applied), with the duration
          predictor's output bias tuned so that speech lasts about 0.1 s per character of input text under
          the default parameters, and the decoder rescaled so that activations stay O(1) (no denormals, no
          clipping), as real trained models behave.

The weights are random, so the audio is noise and the BERT features mean nothing; the graphs, shapes and
FLOPs are those of the real models, which is all a speed benchmark needs.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT))

import make_fixtures as fx  # noqa: E402  (our own fixture tool: export and calibration helpers)

DEFAULT_BERT_CONFIG = ROOT.parent / "shared" / "reference" / "deberta-v2-large-japanese-char-wwm" / "config.json"
UPSTREAM_REPO = Path("/work/.mirror/litagin02+Style-Bert-VITS2/repo")
SEED = 20240601
OPSET = 17
SECONDS_PER_CHAR = 0.1
# Texts for the duration calibration (and the same lengths the bench uses).
CALIBRATION_TEXTS = [
    "今日はいい天気ですね。",
    "あらゆる現実を、すべて自分のほうへねじ曲げたのだ。",
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。",
    "彼女は窓際に立ち、遠く輝く星々を見上げていました。その瞳には、かすかな涙が光っていたのです。",
    "ただいまより、会議を始めさせていただきます。",
    "古びた図書館の奥で、一冊の不思議な本を見つけた少年は、そっとページを開きました。",
]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ----------------------------------------------------------------------------------------------------------
# BERT
# ----------------------------------------------------------------------------------------------------------


def synthetic_vocab(size: int) -> list[str]:
    """Our own vocabulary of `size` single-character tokens: specials, kana, ASCII, punctuation, then CJK
    ideographs by code point (so ordinary Japanese text maps to known ids, as with the real vocabulary)."""
    vocab = list(fx.build_vocab())  # specials + kana + ASCII + punctuation + hand-picked kanji
    seen = set(vocab)
    blocks = [range(0x4E00, 0xA000), range(0x3400, 0x4DC0)]  # CJK Unified Ideographs, then Extension A
    for code in (c for block in blocks for c in block):
        if len(vocab) >= size:
            break
        ch = chr(code)
        if ch not in seen and unicodedata.normalize("NFKC", ch) == ch:
            seen.add(ch)
            vocab.append(ch)
    vocab += [f"[unused{i}]" for i in range(size - len(vocab))]
    return vocab[:size]


def build_full_bert(config_path: Path, vocab_size: int):
    import torch
    from transformers import DebertaV2Config, DebertaV2ForMaskedLM

    raw = json.loads(config_path.read_text(encoding="utf-8"))
    raw.pop("torch_dtype", None)
    raw.pop("transformers_version", None)
    raw["vocab_size"] = vocab_size
    config = DebertaV2Config(**raw)
    torch.manual_seed(SEED)
    model = DebertaV2ForMaskedLM(config).eval()
    gen = torch.Generator().manual_seed(SEED + 1)
    # Our own init (transformers' std-0.02 init gives almost uniform attention): O(1) embeddings, attention
    # logits of O(1), residual branches comparable to the skip path. Speed does not depend on it; the feature
    # error of the INT8/FP16 variants does, so keep the distributions plausible.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("LayerNorm.weight"):
                p.copy_(1.0 + torch.randn(p.shape, generator=gen) * 0.1)
            elif name.endswith("LayerNorm.bias") or name.endswith(".bias"):
                p.copy_(torch.randn(p.shape, generator=gen) * 0.02)
            elif name.endswith("word_embeddings.weight") or name.endswith("rel_embeddings.weight"):
                p.copy_(torch.randn(p.shape, generator=gen))
            elif name.startswith("cls."):
                p.zero_()
            elif name.endswith(".weight"):
                fan_in = int(np.prod(p.shape[1:]))
                gain = 1.5 if ("query_proj" in name or "key_proj" in name) else 1.0
                p.copy_(torch.randn(p.shape, generator=gen) * (gain / math.sqrt(fan_in)))
    return model


def export_full_bert(out: Path, config_path: Path) -> None:
    import onnx
    import torch

    folder = out / "bert"
    folder.mkdir(parents=True, exist_ok=True)
    raw_config = json.loads(config_path.read_text(encoding="utf-8"))
    vocab = synthetic_vocab(int(raw_config["vocab_size"]))
    log(f"BERT: real config {config_path} ({raw_config['num_hidden_layers']} layers), vocab {len(vocab)}")
    model = build_full_bert(config_path, len(vocab))
    n_params = sum(p.numel() for p in model.parameters())
    log(f"BERT: {n_params / 1e6:.0f} M parameters built (peak RSS {peak_rss_mb():.0f} MB)")

    class ReferenceStyleBert(torch.nn.Module):
        """hidden_states[-3] of batch item 0, as convert_bert_onnx.py exports it."""

        def __init__(self, mlm):
            super().__init__()
            self.model = mlm

        def forward(self, input_ids, token_type_ids, attention_mask):
            res = self.model(
                input_ids=input_ids,
                token_type_ids=token_type_ids,
                attention_mask=attention_mask,
                output_hidden_states=True,
            )
            return torch.cat(res["hidden_states"][-3:-2], -1)[0]

    wrapper = ReferenceStyleBert(model).eval()
    tokenizer = {ch: i for i, ch in enumerate(vocab)}
    sample = "今日はいい天気ですね"
    ids = torch.tensor([[1, *[tokenizer.get(c, 3) for c in sample], 2]], dtype=torch.long)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        raw = Path(tmp) / "model_temp.onnx"
        log("BERT: exporting (torch.onnx.export, TorchScript exporter like the reference)")
        with torch.no_grad():
            fx.export_bert_graph(wrapper, ids, raw, OPSET)
        # The torch model is needed only for the check below: keep its output for two texts, then free it.
        checks = []
        with torch.no_grad():
            for n in (7, 40):
                check_ids = torch.randint(5, len(vocab), (1, n), generator=torch.Generator().manual_seed(n))
                check_ids[0, 0], check_ids[0, -1] = 1, 2
                checks.append(
                    (
                        check_ids.numpy(),
                        wrapper(check_ids, torch.zeros_like(check_ids), torch.ones_like(check_ids)).numpy(),
                    )
                )
        del wrapper, model
        gc.collect()
        log(
            f"BERT: exported {raw.stat().st_size / 1e6:.0f} MB; simplifying with onnxsim (peak RSS {peak_rss_mb():.0f} MB)"
        )
        fx._simplify(raw, folder / "model.onnx")
    size = (folder / "model.onnx").stat().st_size
    m = onnx.load(str(folder / "model.onnx"), load_external_data=False)
    log(f"BERT: model.onnx {size / 1e6:.0f} MB, {len(m.graph.node)} nodes, inputs {[i.name for i in m.graph.input]}")
    del m
    fx._write_tokenizer_files(folder, vocab)
    cfg = dict(raw_config)
    cfg["vocab_size"] = len(vocab)
    cfg["_comment"] = "random weights (tools/make_bench_models.py); shape and config of the real model"
    (folder / "config.json").write_text(json.dumps(cfg, indent=2) + "\n", encoding="utf-8")

    import onnxruntime as ort

    sess = ort.InferenceSession(str(folder / "model.onnx"), providers=["CPUExecutionProvider"])
    for ids_np, expected in checks:
        got = sess.run(["output"], {"input_ids": ids_np, "attention_mask": np.ones_like(ids_np)})[0]
        diff = float(np.abs(got - expected).max())
        log(f"BERT: ONNX vs torch, L={ids_np.shape[1]}: max |diff| {diff:.2e} (feature std {expected.std():.3f})")
        if not diff < 1e-2:
            raise RuntimeError("the exported BERT does not match torch")


# ----------------------------------------------------------------------------------------------------------
# Synthesizer
# ----------------------------------------------------------------------------------------------------------


def official_jp_extra_config() -> tuple[dict, str]:
    """configs/config_jp_extra.json from the upstream repository if it is here, else the reference package's
    HyperParameters defaults (the same model section)."""
    try:
        text = subprocess.run(
            ["git", "-C", str(UPSTREAM_REPO), "show", "HEAD:configs/config_jp_extra.json"],
            capture_output=True, text=True, check=True, timeout=60,
        ).stdout  # fmt: skip
        return json.loads(text), f"{UPSTREAM_REPO} configs/config_jp_extra.json"
    except (OSError, subprocess.SubprocessError, ValueError):
        from style_bert_vits2.models.hyper_parameters import HyperParameters

        return HyperParameters().model_dump(mode="json"), "style_bert_vits2 HyperParameters() defaults"


def bench_synth_config() -> dict:
    config, source = official_jp_extra_config()
    config = json.loads(json.dumps(config))
    config["model_name"] = "bench_jp_extra"
    config["data"]["n_speakers"] = 1
    config["data"]["spk2id"] = {"bench": 0}
    config["data"]["style2id"] = {"Neutral": 0, "Happy": 1}
    config["data"]["num_styles"] = 2
    config["data"]["training_files"] = "Data/bench_jp_extra/train.list"
    config["data"]["validation_files"] = "Data/bench_jp_extra/val.list"
    config["_comment"] = f"random weights (tools/make_bench_models.py); hyper-parameters from {source}"
    log(f"synth: official JP-Extra hyper-parameters from {source} (version {config.get('version')})")
    return config


def _frontend_inputs(text: str, style_vec: np.ndarray, rng: np.random.Generator) -> dict[str, np.ndarray]:
    from sbv2_studio.engine.text import frontend

    fe = frontend.analyze(text, use_jp_extra=True)
    t = len(fe.x_tst)
    return {
        "x_tst": np.asarray(fe.x_tst, dtype=np.int64)[None],
        "x_tst_lengths": np.array([t], dtype=np.int64),
        "sid": np.array([0], dtype=np.int64),
        "tones": np.asarray(fe.tone_ids, dtype=np.int64)[None],
        "language": np.asarray(fe.language_ids, dtype=np.int64)[None],
        "bert": rng.normal(0.0, 0.5, size=(1, 1024, t)).astype(np.float32),
        "style_vec": style_vec[None].astype(np.float32),
    }


def calibrate_durations(net, style_vectors: np.ndarray) -> float:
    """Shift the duration predictor's output bias until the default parameters (sdp 0.2, noise 0.6, noise_w
    0.8, length 1) give SECONDS_PER_CHAR seconds of audio per character of text."""
    import torch

    chars = sum(len(t) for t in CALIBRATION_TEXTS)
    target = SECONDS_PER_CHAR * chars
    hop = 512
    sr = 44100
    seconds = 0.0
    for step in range(8):
        torch.manual_seed(SEED + 50)
        rng = np.random.default_rng(SEED + 51)
        frames = 0
        with torch.no_grad():
            for text in CALIBRATION_TEXTS:
                inp = _frontend_inputs(text, style_vectors[0], rng)
                _, _, y_mask, _ = fx._infer_torch(
                    net, inp, True, noise_scale=0.6, sdp_ratio=0.2, noise_scale_w=0.8, length_scale=1.0
                )
                frames += int(y_mask.sum())
        seconds = frames * hop / sr
        ratio = target / seconds
        log(f"synth: durations step {step}: {seconds:.2f} s for {chars} chars ({seconds / chars:.3f} s/char)")
        if abs(math.log(ratio)) < 0.03:
            break
        with torch.no_grad():
            # logw = 0.8·dp + 0.2·sdp at sdp_ratio 0.2: move the dp's share.
            net.dp.proj.bias.add_(math.log(ratio) / 0.8)
    return seconds / chars


def export_full_synth(out: Path) -> None:

    folder = out / "jp_extra"
    folder.mkdir(parents=True, exist_ok=True)
    config = bench_synth_config()
    style_vectors = fx.make_style_vectors(SEED + 3, 2)
    net, _ = fx.build_synth({k: v for k, v in config.items() if not k.startswith("_")}, SEED + 4)
    n_params = sum(p.numel() for p in net.parameters())
    log(f"synth: {n_params / 1e6:.1f} M parameters (the posterior encoder included; inference uses fewer)")
    fx.calibrate_decoder(net, style_vectors, True)
    per_char = calibrate_durations(net, style_vectors)
    fx.calibrate_decoder(net, style_vectors, True)  # durations moved: recalibrate the decoder's gains
    fx._round_to_fp16_(net)
    (folder / "config.json").write_text(json.dumps(config, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    np.save(folder / "style_vectors.npy", style_vectors)
    onnx_path = folder / "bench_jp_extra.onnx"
    log("synth: exporting (forward replaced by infer, like convert_onnx.py; onnxsim applied)")
    fx.export_synth_onnx(net, True, style_vectors[0], onnx_path, OPSET)
    log(f"synth: {onnx_path.name} {onnx_path.stat().st_size / 1e6:.0f} MB; {per_char:.3f} s of speech per char")

    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)
    inp = _frontend_inputs(CALIBRATION_TEXTS[1], style_vectors[0], rng)
    for k, v in (("length_scale", 1.0), ("sdp_ratio", 0.2), ("noise_scale", 0.6), ("noise_scale_w", 0.8)):
        inp[k] = np.array(v, dtype=np.float32)
    audio = sess.run(["output"], inp)[0].reshape(-1)
    if not np.isfinite(audio).all():
        raise RuntimeError("the synthesizer produces non-finite audio")
    log(
        f"synth: check {len(CALIBRATION_TEXTS[1])} chars -> {len(audio) / 44100:.2f} s, "
        f"peak {np.abs(audio).max():.3f}, rms {audio.std():.3f}"
    )
    del net
    gc.collect()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench_models", help="output folder (default bench_models)")
    parser.add_argument("--bert-config", type=Path, default=DEFAULT_BERT_CONFIG, help="the real DeBERTa config.json")
    parser.add_argument("--only", choices=("bert", "synth"), help="build only one of the two")
    parser.add_argument("--force", action="store_true", help="rebuild what is already there")
    args = parser.parse_args(argv)

    import torch

    torch.set_grad_enabled(False)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    if args.only in (None, "synth"):
        if args.force or not (out / "jp_extra" / "bench_jp_extra.onnx").is_file():
            export_full_synth(out)
        else:
            log("synth: already built (use --force to rebuild)")
    if args.only in (None, "bert"):
        if args.force or not (out / "bert" / "model.onnx").is_file():
            if not args.bert_config.is_file():
                parser.error(f"{args.bert_config} not found: pass --bert-config with the real DeBERTa config.json")
            export_full_bert(out, args.bert_config)
        else:
            log("BERT: already built (use --force to rebuild)")
    (out / "README.md").write_text(
        "Full-size random-weight models for `sbv2-studio bench` (built by tools/make_bench_models.py).\n"
        "Never commit them. They make noise, not speech.\n",
        encoding="utf-8",
    )
    log(f"done in {time.time() - started:.0f} s (peak RSS {peak_rss_mb():.0f} MB): {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
