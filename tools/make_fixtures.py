#!/usr/bin/env python
"""Generate the tiny random-weight test fixtures under tests/fixtures/.

Tool only: it imports torch, transformers and the AGPL reference implementation (style-bert-vits2), so it is
never imported by the app. It is deterministic (fixed seeds; fixed UUIDs in the AIVMX manifest): running it
again rewrites the same bytes.

    python tools/make_fixtures.py [--out tests/fixtures]

What it writes (see the README.md it writes beside them):

- bert/             a tiny DeBERTa-v2 ONNX folder shaped like tsukumijima/deberta-v2-large-japanese-char-wwm-onnx
- jp_extra/         a tiny SBV2 JP-Extra model folder (config.json, style_vectors.npy, <name>.onnx)
- legacy/           the same for an older (non-JP-Extra) model
- aivmx/<name>.aivmx  the JP-Extra ONNX with AIVM metadata written by aivmlib
- reference/        the same weights for the torch reference: jp_extra.safetensors, legacy.safetensors (float16),
                    bert_torch/ (config, tokenizer files and float16 weights.npz; see tests/conftest.py)

Every weight is rounded to a float16-representable value before export, so the float16 torch copies, cast back
to float32 on load, are exactly the weights inside the float32 ONNX files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import shutil
import sys
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import torch

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "fixtures"

SEED = 1234
HOP = 512  # samples per frame (product of the upsample rates)
SAMPLING_RATE = 44100

JP_EXTRA_NAME = "tiny_jp_extra"
JP_EXTRA_FILE = "tiny_jp_extra_e10_s100"  # file stem; "e10"/"s100" are epochs/steps like real model files
LEGACY_NAME = "tiny_legacy"
LEGACY_FILE = "tiny_legacy_e10_s100"

SPK2ID = {"あみ": 0, "Taro": 1}
STYLE2ID = {"Neutral": 0, "Happy": 1, "Sad": 2}

# Names written into the AIVMX manifest (AivisHub models usually carry Japanese style names).
AIVM_MODEL_NAME = "SBV2 Studio テストモデル"
AIVM_STYLE_NAMES = {0: "ノーマル", 1: "喜び", 2: "悲しみ"}
AIVM_NAMESPACE = uuid.UUID("6f1d3c52-8a4e-4f0b-9a57-3d1e2b7c9a10")  # our own; UUIDs are uuid5 of this

# Target for the duration predictor: mean log-duration per phone (w = exp(logw), frames = ceil(w)).
# exp(0.4) ~ 1.5, so a phone gets ~2 frames on average: T=31 gives ~60 frames ~ 0.7 s at 44.1 kHz.
TARGET_MEAN_LOGW = 0.4

# ----------------------------------------------------------------------------------------------------------
# Our own BERT vocabulary (NOT the CC BY-SA vocab of ku-nlp/deberta-v2-large-japanese-char-wwm).
# ----------------------------------------------------------------------------------------------------------

SPECIAL_TOKENS = ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"]
PUNCTUATION = list("!?…,.'-")
# A few hundred common kanji, listed by hand for this project (grouped loosely by topic; a character that
# comes again in a later group is dropped there, the first occurrence wins).
KANJI = (
    "一二三四五六七八九十百千万億円年月日時分秒週今昨明朝昼夜晩午前後毎半回度"
    "人男女子父母兄弟姉妹友先生学校私僕君彼自分家族名親夫妻息娘祖孫赤様氏達"
    "山川海空天気雨雪風雲星花草木森林石水火土金光電池田畑島岩波湖池谷原野"
    "上下左右中外内東西南北大小高低長短新古多少早遅近遠強弱重軽明暗広狭太細"
    "見聞言話読書食飲行来帰出入休立座走歩乗知思考感楽悲嬉怒泣笑歌踊遊泳飛"
    "好嫌心手足目耳口顔頭体声音色白黒青緑黄茶紫首腕指胸腹背歯髪鼻"
    "本当持元何誰所物事場国語文字英車駅道町村市都京県府区館院堂寺神社宮"
    "会仕店買売使作始終開閉押引待受教習勉強答問題質解説記録計算数式"
    "春夏秋冬朝晴曇寒暑暖涼温熱冷今週末季節"
    "犬猫鳥魚馬牛豚羊虫竹米麦豆肉卵野菜果菓酒茶"
    "家屋部室窓戸門庭階段橋港線路地図世界"
    "生死命病医薬治痛疲眠寝起覚"
    "愛恋幸福喜哀苦辛甘美味香"
    "速遅急早静騒安危険全部最初次第番号"
    "投打蹴握切折割消"
    "朝日新聞社会議員長官民主党政治経済法律"
    "機械道具材料品値段料"
    "言葉意味理由用意注意気分気持様子"
    "大阪名古屋京都北海道沖縄"
    "銀行病院公園映画写真"
    "送届返信連絡相談約束予定"
    "正善悪良特別普通簡単"
    "試験合格失敗成功努力練習準備"
    "夢希望未来過去現在歴史伝統文化芸術音楽"
)


def build_vocab() -> list[str]:
    """[PAD]=0 [CLS]=1 [SEP]=2 [UNK]=3 [MASK]=4, then single characters.

    All are NFKC-stable except '…': the tokenizer NFKC-normalizes its input first, so '…' arrives as '...'
    (three '.' tokens) and its own entry is never used. The real vocabulary behaves the same way.
    """
    chars: list[str] = []
    chars += [chr(c) for c in range(0x3041, 0x3097)]  # hiragana ぁ..ゖ
    chars += ["ゝ", "ゞ"]
    chars += [chr(c) for c in range(0x30A1, 0x30FB)]  # katakana ァ..ヺ
    chars += ["ー", "ヽ", "ヾ", "々"]
    chars += [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    chars += [chr(c) for c in range(ord("a"), ord("z") + 1)]
    chars += [chr(c) for c in range(ord("0"), ord("9") + 1)]
    chars += PUNCTUATION
    chars += list(KANJI)
    vocab = list(SPECIAL_TOKENS)
    seen = set(vocab)
    for ch in chars:
        if ch not in seen:
            seen.add(ch)
            vocab.append(ch)
    return vocab


# ----------------------------------------------------------------------------------------------------------
# Helpers
# ----------------------------------------------------------------------------------------------------------


def _round_to_fp16_(module: torch.nn.Module) -> None:
    """Round every floating parameter and buffer to a float16-representable value (kept as float32)."""
    import torch

    with torch.no_grad():
        for t in list(module.parameters()) + list(module.buffers()):
            if t.is_floating_point():
                t.copy_(t.half().float())


def _simplify(src: Path, dst: Path) -> bool:
    """Apply onnxsim like the reference does; fall back to the raw export when it fails."""
    import onnx

    model = onnx.load(str(src))
    try:
        from onnxsim import simplify

        simplified, ok = simplify(model)
        if not ok:
            raise RuntimeError("onnxsim check failed")
        # Recent onnxsim releases record their run in metadata_props ("onnxsim.*"); files made with the
        # onnxsim of the reference's days carry none, so drop them.
        keep = [p for p in simplified.metadata_props if not p.key.startswith("onnxsim.")]
        del simplified.metadata_props[:]
        simplified.metadata_props.extend(keep)
        onnx.save(simplified, str(dst))
        return True
    except Exception as e:  # pragma: no cover - depends on onnxsim
        print(f"  onnxsim failed ({e!r}); keeping the unsimplified graph", file=sys.stderr)
        onnx.save(model, str(dst))
        return False


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------------------------------
# 1. Tiny DeBERTa-v2 (BERT) fixture
# ----------------------------------------------------------------------------------------------------------

BERT_TOKENIZER_CONFIG = {
    # Same keys as the real tokenizer_config.json of the DeBERTa ONNX folder.
    "cls_token": "[CLS]",
    "do_lower_case": False,
    "do_subword_tokenize": True,
    "do_word_tokenize": True,
    "jumanpp_kwargs": None,
    "mask_token": "[MASK]",
    "mecab_kwargs": None,
    "model_max_length": 1000000000000000019884624838656,
    "never_split": None,
    "pad_token": "[PAD]",
    "sep_token": "[SEP]",
    "special_tokens_map_file": None,
    "subword_tokenizer_type": "character",
    "sudachi_kwargs": None,
    "tokenizer_class": "BertJapaneseTokenizer",
    "unk_token": "[UNK]",
    "word_tokenizer_type": "basic",
}
BERT_SPECIAL_TOKENS_MAP = {
    "cls_token": "[CLS]",
    "mask_token": "[MASK]",
    "pad_token": "[PAD]",
    "sep_token": "[SEP]",
    "unk_token": "[UNK]",
}


def _write_tokenizer_files(folder: Path, vocab: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("".join(t + "\n" for t in vocab), encoding="utf-8")
    _write_json(folder / "tokenizer_config.json", BERT_TOKENIZER_CONFIG)
    _write_json(folder / "special_tokens_map.json", BERT_SPECIAL_TOKENS_MAP)


# DeBERTa-v2's attention output projection is Linear(hidden_size, hidden_size), so the heads must span all
# 1024 dims (num_heads * attention_head_size == hidden_size): the attention cannot be made narrow. We keep the
# real layout (16 heads of 64) and make only ACTIVE_HEADS heads non-zero; the zero blocks of the 1024x1024
# projections cost disk space but compress to almost nothing in git.
BERT_HEADS = 16
BERT_HEAD_SIZE = 64
ACTIVE_HEADS = 2


def build_bert(vocab: list[str]):
    """A 3-layer DeBERTa-v2 with hidden 1024 and the real model's attention settings, random weights."""
    import torch
    from transformers import DebertaV2Config, DebertaV2ForMaskedLM

    config = DebertaV2Config(
        vocab_size=len(vocab),
        hidden_size=1024,  # the synthesizer needs 1024-dim features
        num_hidden_layers=3,  # hidden_states[-3] = output of the first layer
        num_attention_heads=BERT_HEADS,
        attention_head_size=BERT_HEAD_SIZE,
        intermediate_size=32,
        hidden_act="gelu",
        hidden_dropout_prob=0.1,
        attention_probs_dropout_prob=0.1,
        max_position_embeddings=512,
        type_vocab_size=0,
        initializer_range=0.02,
        layer_norm_eps=1e-7,
        relative_attention=True,
        max_relative_positions=-1,
        position_buckets=256,
        norm_rel_ebd="layer_norm",
        share_att_key=True,
        pos_att_type=["p2c", "c2p"],
        position_biased_input=False,
        pad_token_id=0,
        conv_kernel_size=3,
        conv_act="gelu",
        conv_groups=64,  # the real model has a dense conv (groups 1): 3 M weights; grouped keeps it small
        pooler_dropout=0,
        pooler_hidden_act="gelu",
        pooler_hidden_size=1024,
        architectures=["DebertaV2ForMaskedLM"],
    )
    torch.manual_seed(SEED)
    model = DebertaV2ForMaskedLM(config).eval()

    # Our own init: O(1) features that differ per token, attention logits of O(1) so that attention is not
    # uniform, residual branches comparable to the skip path.
    gen = torch.Generator().manual_seed(SEED + 1)
    active = ACTIVE_HEADS * BERT_HEAD_SIZE  # rows (q/k/v) or columns (attention output) that are non-zero

    def normal(shape, std):
        return torch.randn(shape, generator=gen) * std

    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("LayerNorm.weight"):
                p.copy_(1.0 + normal(p.shape, 0.1))
            elif name.endswith("LayerNorm.bias"):
                p.copy_(normal(p.shape, 0.05))
            elif name.endswith("word_embeddings.weight") or name.endswith("rel_embeddings.weight"):
                p.copy_(normal(p.shape, 1.0))
            elif name.startswith("cls."):
                p.zero_()  # the MLM head is never used for features
            elif any(k in name for k in ("query_proj", "key_proj", "value_proj")):
                gain = 1.0 if "value_proj" in name else 1.5
                p.zero_()
                if name.endswith(".weight"):
                    p[:active] = normal((active, p.shape[1]), gain / math.sqrt(p.shape[1]))
                else:
                    p[:active] = normal((active,), 0.02)
            elif "attention.output.dense" in name:
                if name.endswith(".weight"):
                    p.zero_()
                    p[:, :active] = normal((p.shape[0], active), 1.0 / math.sqrt(active))
                else:
                    p.copy_(normal(p.shape, 0.02))
            elif name.endswith(".bias"):
                p.copy_(normal(p.shape, 0.02))
            elif name.endswith(".weight"):  # FFN and conv
                fan_in = int(np.prod(p.shape[1:]))
                p.copy_(normal(p.shape, 1.0 / math.sqrt(fan_in)))
            else:
                raise RuntimeError(f"unexpected BERT parameter {name}")
    _round_to_fp16_(model)
    return model


def _bert_export_wrapper(mlm):
    """hidden_states[-3] of batch item 0, the output convert_bert_onnx.py exports."""
    import torch

    class HiddenStateMinus3(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = mlm

        def forward(self, input_ids, token_type_ids, attention_mask):
            out = self.model(
                input_ids=input_ids,
                token_type_ids=token_type_ids,
                attention_mask=attention_mask,
                output_hidden_states=True,
            )
            return out.hidden_states[-3][0]

    return HiddenStateMinus3().eval()


def export_bert_graph(wrapper, ids, raw: Path, opset: int) -> None:
    """torch.onnx.export of a BERT wrapper (input_ids, token_type_ids, attention_mask) → `output`, dynamic in
    batch and length, with the TorchScript exporter the reference uses."""
    import torch

    torch.onnx.export(
        wrapper,
        (ids, torch.zeros_like(ids), torch.ones_like(ids)),
        str(raw),
        input_names=["input_ids", "token_type_ids", "attention_mask"],
        output_names=["output"],
        dynamic_axes={
            "input_ids": {0: "batch_size", 1: "sequence_length"},
            "token_type_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "sequence_length"},
        },
        opset_version=opset,
        dynamo=False,
    )


def export_bert_onnx(mlm, dst: Path, opset: int) -> None:
    import torch

    wrapper = _bert_export_wrapper(mlm)
    ids = torch.tensor([[1, 40, 60, 80, 300, 301, 400, 9, 2]], dtype=torch.long)
    # Like the reference, pass token_type_ids too: with type_vocab_size 0 the model never reads it, and the
    # exporter drops the unused input, so the file takes input_ids and attention_mask only (as the real one).
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "model_temp.onnx"
        export_bert_graph(wrapper, ids, raw, opset)
        _simplify(raw, dst)


# ----------------------------------------------------------------------------------------------------------
# 2./3. Tiny SBV2 synthesizers
# ----------------------------------------------------------------------------------------------------------


def make_config(jp_extra: bool) -> dict[str, Any]:
    """A full SBV2 config.json (same schema as the reference's configs/config*.json), tiny model section."""
    train = {
        "log_interval": 200,
        "eval_interval": 1000,
        "seed": 42,
        "epochs": 10,
        "learning_rate": 0.0001 if jp_extra else 0.0002,
        "betas": [0.8, 0.99],
        "eps": 1e-9,
        "batch_size": 2,
        "bf16_run": False,
        "fp16_run": False,
        "lr_decay": 0.99996 if jp_extra else 0.99995,
        "segment_size": 16384,
        "init_lr_ratio": 1,
        "warmup_epochs": 0,
        "c_mel": 45,
        "c_kl": 1.0,
        "c_commit": 100,
        "skip_optimizer": False,
        "freeze_ZH_bert": False,
        "freeze_JP_bert": False,
        "freeze_EN_bert": False,
        "freeze_emo": False,
        "freeze_style": False,
        "freeze_decoder": False,
    }
    name = JP_EXTRA_NAME if jp_extra else LEGACY_NAME
    data = {
        "use_jp_extra": jp_extra,
        "training_files": f"Data/{name}/train.list",
        "validation_files": f"Data/{name}/val.list",
        "max_wav_value": 32768.0,
        "sampling_rate": SAMPLING_RATE,
        "filter_length": 2048,
        "hop_length": HOP,
        "win_length": 2048,
        "n_mel_channels": 128,
        "mel_fmin": 0.0,
        "mel_fmax": None,
        "add_blank": True,
        "n_speakers": len(SPK2ID),
        "cleaned_text": True,
        "spk2id": dict(SPK2ID),
        "num_styles": len(STYLE2ID),
        "style2id": dict(STYLE2ID),
    }
    model: dict[str, Any] = {
        "use_spk_conditioned_encoder": True,
        "use_noise_scaled_mas": True,
        "use_mel_posterior_encoder": False,
        "use_duration_discriminator": not jp_extra,
        "use_wavlm_discriminator": jp_extra,
        "inter_channels": 16,
        "hidden_channels": 16,
        "filter_channels": 32,
        "n_heads": 2,
        "n_layers": 3,
        "kernel_size": 3,
        "p_dropout": 0.1,
        "resblock": "1",
        "resblock_kernel_sizes": [3, 7, 11],
        "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
        "upsample_rates": [8, 8, 2, 2, 2],
        "upsample_initial_channel": 32,
        "upsample_kernel_sizes": [16, 16, 8, 2, 2],
        "n_layers_q": 3,
        "use_spectral_norm": False,
        "gin_channels": 16,
    }
    if jp_extra:
        model["slm"] = {
            "model": "./slm/wavlm-base-plus",
            "sr": 16000,
            "hidden": 768,
            "nlayers": 13,
            "initial_channel": 64,
        }
    return {
        "model_name": name,
        "train": train,
        "data": data,
        "model": model,
        # HyperParameters' own default is "2.0-JP-Extra"; only the "JP-Extra" suffix matters to loaders.
        "version": "2.0-JP-Extra" if jp_extra else "2.1",
    }


def make_style_vectors(seed: int, num_styles: int) -> np.ndarray:
    """float32 [num_styles, 256]; row 0 is the mean of some 'utterance' vectors, the others distinct offsets."""
    rng = np.random.default_rng(seed)
    utterances = rng.normal(0.0, 0.5, size=(32, 256))
    rows = [utterances.mean(axis=0)]
    for _ in range(1, num_styles):
        rows.append(rows[0] + rng.normal(0.0, 0.3, size=256))
    return np.asarray(rows, dtype=np.float16).astype(np.float32)  # fp16-representable, like the weights


def build_synth(config: dict[str, Any], seed: int):
    """Build the reference SynthesizerTrn from the config (as the reference's get_net_g does), random weights."""
    import torch
    from style_bert_vits2.models.hyper_parameters import HyperParameters
    from style_bert_vits2.nlp.symbols import SYMBOLS

    hps = HyperParameters.model_validate(config)
    jp_extra = hps.version.endswith("JP-Extra")
    if jp_extra:
        from style_bert_vits2.models.models_jp_extra import SynthesizerTrn
    else:
        from style_bert_vits2.models.models import SynthesizerTrn

    torch.manual_seed(seed)
    kwargs = hps.model.model_dump()
    if not jp_extra:
        kwargs.pop("slm", None)
    net = SynthesizerTrn(
        n_vocab=len(SYMBOLS),
        spec_channels=hps.data.filter_length // 2 + 1,
        segment_size=hps.train.segment_size // hps.data.hop_length,
        n_speakers=hps.data.n_speakers,
        **kwargs,
    ).eval()

    # The reference zero-initializes some layers (the flows' and the SDP's output projections, the LayerNorm
    # betas). Trained models have none of that; give them small random values so every path is exercised.
    gen = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for name, p in net.named_parameters():
            if name.startswith("enc_q"):
                continue
            if bool((p == 0).all()):
                std = 0.05 if (".post." in name or ".proj." in name) else 0.02
                p.copy_(torch.randn(p.shape, generator=gen) * std)
    _round_to_fp16_(net)
    return net, hps


def _random_inputs(rng: np.random.Generator, n_phones: int, style_vec: np.ndarray) -> dict[str, np.ndarray]:
    """Random-but-valid synthesizer inputs with blanks (length 2*n_phones+1)."""
    t = 2 * n_phones + 1
    x = np.zeros(t, dtype=np.int64)
    tones = np.zeros(t, dtype=np.int64)
    lang = np.zeros(t, dtype=np.int64)
    x[1::2] = rng.integers(1, 112, n_phones)
    tones[1::2] = 6 + rng.integers(0, 2, n_phones)
    lang[1::2] = 1
    bert = rng.normal(0.0, 0.5, size=(1024, t)).astype(np.float32)
    return {
        "x_tst": x[None],
        "x_tst_lengths": np.array([t], dtype=np.int64),
        "sid": np.array([0], dtype=np.int64),
        "tones": tones[None],
        "language": lang[None],
        "bert": bert[None],
        "style_vec": style_vec[None].astype(np.float32),
    }


def tune_duration_bias(net, style_vectors: np.ndarray, jp_extra: bool) -> float:
    """Shift the duration predictor's final bias so that mean log-duration is TARGET_MEAN_LOGW."""
    import torch

    rng = np.random.default_rng(SEED + 7)
    means = []
    with torch.no_grad():
        for n in (5, 15, 38):
            inp = _random_inputs(rng, n, style_vectors[0])
            t = {k: torch.from_numpy(v) for k, v in inp.items()}
            g = net.emb_g(t["sid"]).unsqueeze(-1)
            if jp_extra:
                x, _, _, x_mask = net.enc_p(
                    t["x_tst"], t["x_tst_lengths"], t["tones"], t["language"], t["bert"], t["style_vec"], g=g
                )
            else:
                zeros = torch.zeros_like(t["bert"])
                x, _, _, x_mask = net.enc_p(
                    t["x_tst"],
                    t["x_tst_lengths"],
                    t["tones"],
                    t["language"],
                    zeros,
                    t["bert"],
                    zeros,
                    t["style_vec"],
                    t["sid"],
                    g=g,
                )
            logw = net.dp(x, x_mask, g=g)
            means.append(float(logw.sum() / x_mask.sum()))
        shift = TARGET_MEAN_LOGW - float(np.mean(means))
        net.dp.proj.bias.add_(shift)
        net.dp.proj.bias.copy_(net.dp.proj.bias.half().float())
    return shift


def _infer_torch(net, inp: dict[str, np.ndarray], jp_extra: bool, **scalars: float):
    """Run the reference infer() on numpy inputs laid out like the ONNX ones (JP features in `bert`)."""
    import torch

    t = {k: torch.from_numpy(v) for k, v in inp.items()}
    kw = dict(noise_scale=0.0, sdp_ratio=0.0, noise_scale_w=0.8, length_scale=1.0)
    kw.update(scalars)
    with torch.no_grad():
        if jp_extra:
            return net.infer(
                t["x_tst"], t["x_tst_lengths"], t["sid"], t["tones"], t["language"], t["bert"], t["style_vec"], **kw
            )
        zeros = torch.zeros_like(t["bert"])
        return net.infer(
            t["x_tst"], t["x_tst_lengths"], t["sid"], t["tones"], t["language"], zeros, t["bert"], zeros,
            t["style_vec"], **kw,
        )  # fmt: skip


def calibrate_decoder(net, style_vectors: np.ndarray, jp_extra: bool) -> None:
    """Rescale the HiFi-GAN decoder so that the audio follows its input.

    With the reference's init at these tiny widths the signal shrinks at every upsampling stage and the
    constant biases win: the audio comes out nearly the same whatever the input, which would make golden and
    parity tests blind. Scale each upsampling layer (its weight-norm gain) to give unit-variance output, damp
    its bias, and scale conv_post for a pre-tanh std of 0.5.
    """
    import torch
    import torch.nn.functional as F
    from style_bert_vits2.models.modules import LRELU_SLOPE

    rng = np.random.default_rng(SEED + 5)
    inp = _random_inputs(rng, 15, style_vectors[0])
    _, _, y_mask, (z, *_rest) = _infer_torch(net, inp, jp_extra)
    dec = net.dec
    with torch.no_grad():
        g = net.emb_g(torch.from_numpy(inp["sid"])).unsqueeze(-1)
        x = dec.conv_pre(z * y_mask) + dec.cond(g)
        for i, up in enumerate(dec.ups):
            x = F.leaky_relu(x, LRELU_SLOPE)
            up.bias.mul_(0.1)
            y = up(x) - up.bias[None, :, None]
            up.weight_g.mul_(1.0 / float(y.std()))
            x = up(x)
            blocks = dec.resblocks[i * dec.num_kernels : (i + 1) * dec.num_kernels]
            x = sum(block(x) for block in blocks) / dec.num_kernels
        x = F.leaky_relu(x)
        y = dec.conv_post(x)
        dec.conv_post.weight.mul_(0.5 / float(y.std()))
    _round_to_fp16_(net)


def export_synth_onnx(net, jp_extra: bool, style_vec: np.ndarray, dst: Path, opset: int) -> None:
    """Export net.infer like the reference's convert_onnx.py: forward replaced by infer, inputs bound by name."""
    import torch

    if jp_extra:

        def forward(x, x_lengths, sid, tone, language, bert, style_vec,
                    length_scale=1.0, sdp_ratio=0.0, noise_scale=0.667, noise_scale_w=0.8):  # fmt: skip
            return net.infer(
                x, x_lengths, sid, tone, language, bert, style_vec,
                length_scale=length_scale, sdp_ratio=sdp_ratio,
                noise_scale=noise_scale, noise_scale_w=noise_scale_w,
            )  # fmt: skip

        bert_names = ["bert"]
    else:

        def forward(x, x_lengths, sid, tone, language, bert, ja_bert, en_bert, style_vec,
                    length_scale=1.0, sdp_ratio=0.0, noise_scale=0.667, noise_scale_w=0.8):  # fmt: skip
            return net.infer(
                x, x_lengths, sid, tone, language, bert, ja_bert, en_bert, style_vec,
                length_scale=length_scale, sdp_ratio=sdp_ratio,
                noise_scale=noise_scale, noise_scale_w=noise_scale_w,
            )  # fmt: skip

        bert_names = ["bert", "ja_bert", "en_bert"]

    rng = np.random.default_rng(SEED + 11)
    inp = _random_inputs(rng, 15, style_vec)
    t = {k: torch.from_numpy(v) for k, v in inp.items()}
    berts = [torch.zeros_like(t["bert"]) for _ in bert_names]
    berts[0 if jp_extra else 1] = t["bert"]  # JP features go to `bert` (JP-Extra) or `ja_bert` (older)
    args = (
        t["x_tst"], t["x_tst_lengths"], t["sid"], t["tones"], t["language"], *berts, t["style_vec"],
        torch.tensor(1.0), torch.tensor(0.0), torch.tensor(0.667), torch.tensor(0.8),
    )  # fmt: skip
    input_names = ["x_tst", "x_tst_lengths", "sid", "tones", "language", *bert_names, "style_vec",
                   "length_scale", "sdp_ratio", "noise_scale", "noise_scale_w"]  # fmt: skip
    dynamic_axes: dict[str, dict[int, str]] = {
        "x_tst": {0: "batch_size", 1: "x_tst_max_length"},
        "x_tst_lengths": {0: "batch_size"},
        "sid": {0: "batch_size"},
        "tones": {0: "batch_size", 1: "x_tst_max_length"},
        "language": {0: "batch_size", 1: "x_tst_max_length"},
    }
    for b in bert_names:
        dynamic_axes[b] = {0: "batch_size", 2: "x_tst_max_length"}
    dynamic_axes["style_vec"] = {0: "batch_size"}

    original_forward = net.forward
    net.forward = forward  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / f"{dst.stem}_temp.onnx"
            torch.onnx.export(
                net,
                args,
                str(raw),
                input_names=input_names,
                output_names=["output"],
                dynamic_axes=dynamic_axes,
                opset_version=opset,
                dynamo=False,
            )
            _simplify(raw, dst)
    finally:
        net.forward = original_forward  # type: ignore[method-assign]


def save_reference_synth(net, path: Path) -> None:
    """float16 safetensors in the reference's own format (save_safetensors(is_half=True, for_infer=True))."""
    from style_bert_vits2.models.utils.safetensors import save_safetensors

    save_safetensors(net, 100, path, is_half=True, for_infer=True)


# ----------------------------------------------------------------------------------------------------------
# 4. AIVMX
# ----------------------------------------------------------------------------------------------------------


def make_aivmx(onnx_path: Path, config_path: Path, style_vectors_path: Path, dst: Path) -> None:
    import aivmlib
    from aivmlib.schemas.aivm_manifest import ModelArchitecture

    with config_path.open("rb") as hp, style_vectors_path.open("rb") as sv:
        metadata = aivmlib.generate_aivm_metadata(ModelArchitecture.StyleBertVITS2JPExtra, hp, sv)
    manifest = metadata.manifest
    manifest.name = AIVM_MODEL_NAME
    manifest.description = "Random weights for tests: it produces noise, not speech."
    manifest.creators = ["SBV2 Studio"]
    manifest.version = "1.0.0"
    manifest.training_epochs = 10  # from the file name, as convert_onnx.py does ("e10", "s100")
    manifest.training_steps = 100
    manifest.uuid = uuid.uuid5(AIVM_NAMESPACE, "model")
    for speaker in manifest.speakers:
        speaker.uuid = uuid.uuid5(AIVM_NAMESPACE, f"speaker-{speaker.local_id}")
        for style in speaker.styles:
            style.name = AIVM_STYLE_NAMES[style.local_id]
    with onnx_path.open("rb") as f:
        content = aivmlib.write_aivmx_metadata(f, metadata)
    dst.write_bytes(content)


# ----------------------------------------------------------------------------------------------------------
# README
# ----------------------------------------------------------------------------------------------------------

README = """\
# Test fixtures (generated)

Everything in this folder is written by `tools/make_fixtures.py`; do not edit by hand. Regenerate with

    . .venv/bin/activate
    python tools/make_fixtures.py            # --out tests/fixtures by default
    python -m pytest tests/test_fixtures.py -q

The tool needs torch, transformers, onnx, onnxsim, aivmlib and the reference `style-bert-vits2` (AGPL, tools
and tests only). It uses fixed seeds and fixed UUIDs, so a rerun writes the same files.

**All weights are random.** The models run through the same graphs as real ones, but they produce noise,
not speech, and the BERT features mean nothing. Every weight is rounded to a float16-representable value, so
the float16 torch copies in `reference/` (cast back to float32 when loaded) equal the float32 ONNX weights
exactly.

| path | what |
|---|---|
| `bert/` | a tiny DeBERTa-v2 ONNX folder shaped like `tsukumijima/deberta-v2-large-japanese-char-wwm-onnx`: `model.onnx` (inputs `input_ids`, `attention_mask` int64 [1, L]; output `output` float32 [L, 1024] = hidden_states[-3] of batch item 0, exported as the reference's `convert_bert_onnx.py` does, onnxsim applied), `vocab.txt`, `tokenizer_config.json` (BertJapaneseTokenizer, basic + character), `special_tokens_map.json`, `config.json` (the tiny model's config). Kept from the real model: hidden 1024, 16 heads of 64, relative attention with 256 position buckets, p2c+c2p, shared attention key, layer-normed relative embeddings, no position-biased input, `type_vocab_size` 0, the conv layer after the first layer. Shrunk: 3 layers (so hidden_states[-3] is the first layer's output), FFN 32, grouped conv (`conv_groups` 64), a {VOCAB_SIZE}-entry vocab. DeBERTa-v2 needs heads x head size = hidden size, so the attention projections stay 1024x1024; only 2 of the 16 heads have non-zero weights (the zero blocks compress well in git). No `model_fp16.onnx`, no `tokenizer.json`. |
| `jp_extra/` | a tiny SBV2 JP-Extra model folder: `config.json` (full schema, version `2.0-JP-Extra`, 44.1 kHz, 2 speakers, 3 styles), `style_vectors.npy` (float32 [3, 256], row 0 the neutral mean), `tiny_jp_extra_e10_s100.onnx` (exported like the reference's `convert_onnx.py`, onnxsim applied). |
| `legacy/` | the same for an older, non-JP-Extra model (version `2.1`): its ONNX takes `bert`, `ja_bert`, `en_bert`. |
| `aivmx/tiny_jp_extra_e10_s100.aivmx` | the JP-Extra ONNX with AIVM metadata (`aivm_manifest`, `aivm_hyper_parameters`, `aivm_style_vectors`) written by `aivmlib`: model name "SBV2 Studio テストモデル", speakers あみ (0) / Taro (1), styles ノーマル (0) / 喜び (1) / 悲しみ (2). aivmlib copies the manifest's names into the hyper-parameters, so there `style2id` is {ノーマル, 喜び, 悲しみ} and `model_name` is the manifest name, unlike `jp_extra/config.json`. |
| `reference/` | the same weights for the torch reference (parity tests): `jp_extra.safetensors`, `legacy.safetensors` (float16, the reference's own `save_safetensors(is_half=True, for_infer=True)` format) and `bert_torch/` (a transformers `DebertaV2ForMaskedLM` folder, float16 `model.safetensors`, plus the tokenizer files). |

The BERT vocabulary (`vocab.txt`, 5 special tokens then kana, ASCII letters and digits, the punctuation
`!?…,.'-` and a few hundred common kanji listed in the tool) is our own. It is **not** the vocabulary of
`ku-nlp/deberta-v2-large-japanese-char-wwm` (CC BY-SA), so ids differ from the real model's; only the special
ids agree: `[PAD]`=0, `[CLS]`=1, `[SEP]`=2, `[UNK]`=3, `[MASK]`=4.

Notes:

- ONNX opset 17, IR 8 (what most files in the wild carry; `--opset` changes it). The synthesizers have the 7
  outputs of the real exports (only `output` matters) and two unseeded random-normal ops: use
  `noise_scale=0`, `sdp_ratio=0` for exact comparisons.
- Where the reference zero-initializes (flow and SDP output projections, LayerNorm betas) the tool puts small
  random values, so that every path is exercised; it shifts the duration predictor's bias so that a phone
  lasts ~2 frames (T=31 gives ~0.5-0.8 s), and rescales the decoder so the audio follows its inputs
  (ids, BERT, style, speaker) instead of being dominated by biases.
- The tokenizer NFKC-normalizes its input, so `…` becomes three `.` tokens (the real tokenizer does the same).

Loading the torch copies (see `tests/test_fixtures.py`):

```python
from style_bert_vits2.models.hyper_parameters import HyperParameters
from style_bert_vits2.models.infer import get_net_g
hps = HyperParameters.load_from_json("tests/fixtures/jp_extra/config.json")
net_g = get_net_g("tests/fixtures/reference/jp_extra.safetensors", hps.version, "cpu", hps)

from transformers import AutoModelForMaskedLM, AutoTokenizer
bert = AutoModelForMaskedLM.from_pretrained("tests/fixtures/reference/bert_torch").eval()  # float32
tokenizer = AutoTokenizer.from_pretrained("tests/fixtures/reference/bert_torch")
features = bert(**tokenizer(text, return_tensors="pt"), output_hidden_states=True).hidden_states[-3][0]

# or through the reference's own loaders (they cache one model per language: unload first and after)
from style_bert_vits2.constants import Languages
from style_bert_vits2.nlp import bert_models
bert = bert_models.load_model(Languages.JP, "tests/fixtures/reference/bert_torch")
tokenizer = bert_models.load_tokenizer(Languages.JP, "tests/fixtures/reference/bert_torch")
```
"""


# ----------------------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------------------


def _sanity_run(onnx_path: Path, style_vec: np.ndarray, jp_extra: bool) -> float:
    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    inp = _random_inputs(np.random.default_rng(SEED + 99), 15, style_vec)  # T = 31
    if not jp_extra:
        zeros = np.zeros_like(inp["bert"])
        inp["ja_bert"] = inp["bert"]
        inp["bert"] = zeros
        inp["en_bert"] = zeros
    for k, v in (("length_scale", 1.0), ("sdp_ratio", 0.0), ("noise_scale", 0.0), ("noise_scale_w", 0.8)):
        inp[k] = np.array(v, dtype=np.float32)
    audio = sess.run(["output"], inp)[0]
    if not np.isfinite(audio).all() or not np.abs(audio).max() > 0:
        raise RuntimeError(f"{onnx_path.name}: audio is not finite / all zero")
    return audio.shape[-1] / SAMPLING_RATE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output folder (default: tests/fixtures)")
    parser.add_argument("--opset", type=int, default=17, help="ONNX opset (default 17, as most files in the wild)")
    args = parser.parse_args(argv)

    import torch

    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)

    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("bert", "jp_extra", "legacy", "aivmx", "reference"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
        (out / sub).mkdir(parents=True)

    # 1. BERT
    vocab = build_vocab()
    print(f"BERT: vocab of {len(vocab)} entries")
    mlm = build_bert(vocab)
    export_bert_onnx(mlm, out / "bert" / "model.onnx", args.opset)
    _write_tokenizer_files(out / "bert", vocab)
    bert_torch = out / "reference" / "bert_torch"
    # The torch copy's weights are mostly zeros (only two heads are live): a compressed .npz keeps the
    # checkout small; tests/conftest.py turns it back into a transformers folder on demand.
    mlm.config.save_pretrained(str(bert_torch))
    state = {k: v.detach().half().numpy() for k, v in mlm.state_dict().items()}
    np.savez_compressed(bert_torch / "weights.npz", **state)
    _write_tokenizer_files(bert_torch, vocab)
    shutil.copyfile(bert_torch / "config.json", out / "bert" / "config.json")

    # 2./3. synthesizers
    for jp_extra, subdir, stem, seed in (
        (True, "jp_extra", JP_EXTRA_FILE, SEED + 100),
        (False, "legacy", LEGACY_FILE, SEED + 200),
    ):
        folder = out / subdir
        config = make_config(jp_extra)
        _write_json(folder / "config.json", config)
        style_vectors = make_style_vectors(seed, len(STYLE2ID))
        np.save(folder / "style_vectors.npy", style_vectors)
        net, _ = build_synth(config, seed)
        shift = tune_duration_bias(net, style_vectors, jp_extra)
        calibrate_decoder(net, style_vectors, jp_extra)
        export_synth_onnx(net, jp_extra, style_vectors[0], folder / f"{stem}.onnx", args.opset)
        save_reference_synth(net, out / "reference" / f"{subdir}.safetensors")
        seconds = _sanity_run(folder / f"{stem}.onnx", style_vectors[0], jp_extra)
        print(f"{subdir}: duration bias shifted by {shift:+.3f}; T=31 gives {seconds:.2f} s of audio")

    # 4. AIVMX
    make_aivmx(
        out / "jp_extra" / f"{JP_EXTRA_FILE}.onnx",
        out / "jp_extra" / "config.json",
        out / "jp_extra" / "style_vectors.npy",
        out / "aivmx" / f"{JP_EXTRA_FILE}.aivmx",
    )

    # 6. README
    (out / "README.md").write_text(README.replace("{VOCAB_SIZE}", str(len(vocab))), encoding="utf-8")

    total = 0
    for p in sorted(out.rglob("*")):
        if p.is_file():
            size = p.stat().st_size
            total += size
            digest = hashlib.sha256(p.read_bytes()).hexdigest()[:12]
            print(f"  {p.relative_to(out)}  {size / 1e6:.3f} MB  {digest}")
    print(f"total {total / 1e6:.2f} MB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
