"""Checks of the generated test fixtures (tests/fixtures, written by tools/make_fixtures.py).

The first part needs only numpy + onnxruntime and always runs. The parity part (ONNX vs the torch reference on
the same weights) needs torch + style-bert-vits2 + transformers and is skipped cleanly without them.
"""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest

from .conftest import FIXTURES, SHARED_TOKENIZER, requires_reference

SAMPLING_RATE = 44100
HOP = 512
N_SYMBOLS = 112

BERT_DIR = FIXTURES / "bert"
REFERENCE_DIR = FIXTURES / "reference"
MODELS = {
    "jp_extra": FIXTURES / "jp_extra" / "tiny_jp_extra_e10_s100.onnx",
    "legacy": FIXTURES / "legacy" / "tiny_legacy_e10_s100.onnx",
}
AIVMX = FIXTURES / "aivmx" / "tiny_jp_extra_e10_s100.aivmx"

SCALARS = ["length_scale", "sdp_ratio", "noise_scale", "noise_scale_w"]
HEAD = ["x_tst", "x_tst_lengths", "sid", "tones", "language"]
INPUT_NAMES = {
    "jp_extra": HEAD + ["bert", "style_vec"] + SCALARS,
    "legacy": HEAD + ["bert", "ja_bert", "en_bert", "style_vec"] + SCALARS,
}
SPK2ID = {"あみ": 0, "Taro": 1}
STYLE2ID = {"Neutral": 0, "Happy": 1, "Sad": 2}


# ------------------------------------------------------------------------------------------------ helpers


def _session(path: Path) -> ort.InferenceSession:
    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def sessions() -> dict[str, ort.InferenceSession]:
    return {kind: _session(path) for kind, path in MODELS.items()}


@pytest.fixture(scope="module")
def bert_session() -> ort.InferenceSession:
    return _session(BERT_DIR / "model.onnx")


@pytest.fixture(scope="module")
def aivmx_session() -> ort.InferenceSession:
    return _session(AIVMX)


def _style_vectors(kind: str) -> np.ndarray:
    return np.load(FIXTURES / kind / "style_vectors.npy")


def _phone_inputs(rng: np.random.Generator, n_phones: int) -> dict[str, np.ndarray]:
    """Random-but-valid ids with blanks: length T = 2 * n_phones + 1, and JP BERT features [1, 1024, T]."""
    t = 2 * n_phones + 1
    x = np.zeros(t, np.int64)
    tones = np.zeros(t, np.int64)
    lang = np.zeros(t, np.int64)
    x[1::2] = rng.integers(1, N_SYMBOLS, n_phones)
    tones[1::2] = 6 + rng.integers(0, 2, n_phones)
    lang[1::2] = 1
    return {
        "x_tst": x[None],
        "x_tst_lengths": np.array([t], np.int64),
        "tones": tones[None],
        "language": lang[None],
        "jp_bert": rng.normal(0.0, 0.5, size=(1, 1024, t)).astype(np.float32),
    }


def _feed(
    kind: str,
    phones: dict[str, np.ndarray],
    style_vec: np.ndarray,
    sid: int = 0,
    length_scale: float = 1.0,
    sdp_ratio: float = 0.0,
    noise_scale: float = 0.0,
    noise_scale_w: float = 0.8,
    scalar_shape: tuple[int, ...] = (),
) -> dict[str, np.ndarray]:
    feed = {k: v for k, v in phones.items() if k != "jp_bert"}
    feed["sid"] = np.array([sid], np.int64)
    feed["style_vec"] = np.asarray(style_vec, np.float32).reshape(1, 256)
    if kind == "jp_extra":
        feed["bert"] = phones["jp_bert"]
    else:  # older models: Japanese features go to ja_bert, the others are zeros
        zeros = np.zeros_like(phones["jp_bert"])
        feed.update(bert=zeros, ja_bert=phones["jp_bert"], en_bert=zeros)
    for name, value in zip(SCALARS, (length_scale, sdp_ratio, noise_scale, noise_scale_w)):
        feed[name] = np.full(scalar_shape, value, np.float32)
    return feed


def _run(session: ort.InferenceSession, feed: dict[str, np.ndarray]) -> np.ndarray:
    return session.run(["output"], feed)[0]


# ------------------------------------------------------------------------------------------------ BERT


def test_bert_folder_files() -> None:
    for name in ("model.onnx", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "config.json"):
        assert (BERT_DIR / name).is_file(), name


def test_bert_vocab_is_our_own_and_small() -> None:
    vocab = (BERT_DIR / "vocab.txt").read_text(encoding="utf-8").splitlines()
    assert vocab[:5] == ["[PAD]", "[CLS]", "[SEP]", "[UNK]", "[MASK]"]
    assert len(vocab) == len(set(vocab))
    assert 300 < len(vocab) <= 800
    for ch in "あアー今日天気ですね!?…,.'-Aa0":
        assert ch in vocab, ch
    config = json.loads((BERT_DIR / "config.json").read_text(encoding="utf-8"))
    assert config["vocab_size"] == len(vocab)
    if (SHARED_TOKENIZER / "vocab.txt").is_file():  # not the CC BY-SA vocab of the real model
        real = (SHARED_TOKENIZER / "vocab.txt").read_text(encoding="utf-8").splitlines()
        assert vocab != real[: len(vocab)]


def test_bert_tokenizer_files() -> None:
    tok = json.loads((BERT_DIR / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert tok["tokenizer_class"] == "BertJapaneseTokenizer"
    assert tok["word_tokenizer_type"] == "basic"
    assert tok["subword_tokenizer_type"] == "character"
    assert tok["do_lower_case"] is False
    if (SHARED_TOKENIZER / "tokenizer_config.json").is_file():
        real = json.loads((SHARED_TOKENIZER / "tokenizer_config.json").read_text(encoding="utf-8"))
        assert set(tok) == set(real)
    special = json.loads((BERT_DIR / "special_tokens_map.json").read_text(encoding="utf-8"))
    assert special == {
        "cls_token": "[CLS]",
        "mask_token": "[MASK]",
        "pad_token": "[PAD]",
        "sep_token": "[SEP]",
        "unk_token": "[UNK]",
    }


def test_bert_config_keeps_real_architecture_settings() -> None:
    config = json.loads((BERT_DIR / "config.json").read_text(encoding="utf-8"))
    assert config["model_type"] == "deberta-v2"
    assert config["hidden_size"] == 1024
    assert config["num_hidden_layers"] == 3
    assert config["relative_attention"] is True
    assert config["position_buckets"] == 256
    assert config["pos_att_type"] == ["p2c", "c2p"]
    assert config["share_att_key"] is True
    assert config["norm_rel_ebd"] == "layer_norm"
    assert config["position_biased_input"] is False
    assert config["type_vocab_size"] == 0
    assert config["max_relative_positions"] == -1
    assert config["num_attention_heads"] * config["attention_head_size"] == 1024


def test_bert_onnx_io(bert_session: ort.InferenceSession) -> None:
    inputs = bert_session.get_inputs()
    assert [i.name for i in inputs] == ["input_ids", "attention_mask"]
    for i in inputs:
        assert i.type == "tensor(int64)"
        assert len(i.shape) == 2 and isinstance(i.shape[1], str)  # dynamic length
    outputs = bert_session.get_outputs()
    assert [o.name for o in outputs] == ["output"]
    assert outputs[0].type == "tensor(float)"
    assert len(outputs[0].shape) == 2 and outputs[0].shape[1] == 1024


@pytest.mark.parametrize("length", [3, 13, 300])
def test_bert_onnx_output(bert_session: ort.InferenceSession, length: int) -> None:
    vocab_size = len((BERT_DIR / "vocab.txt").read_text(encoding="utf-8").splitlines())
    rng = np.random.default_rng(length)
    ids = np.concatenate([[1], rng.permutation(np.arange(5, vocab_size))[: length - 2], [2]])[None].astype(np.int64)
    out = bert_session.run(["output"], {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0]
    assert out.shape == (length, 1024) and out.dtype == np.float32
    assert np.isfinite(out).all()
    assert 0.1 < float(np.abs(out).mean()) < 2.0
    # distinct tokens give distinct rows
    dists = np.linalg.norm(out[:, None, :] - out[None, :, :], axis=-1)
    assert dists[~np.eye(length, dtype=bool)].min() > 1e-2


# ------------------------------------------------------------------------------------------------ model folders


@pytest.mark.parametrize("kind", ["jp_extra", "legacy"])
def test_model_folder_config(kind: str) -> None:
    folder = FIXTURES / kind
    assert sorted(p.name for p in folder.iterdir()) == sorted(["config.json", "style_vectors.npy", MODELS[kind].name])
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    assert set(config) >= {"model_name", "version", "train", "data", "model"}
    assert config["version"] == ("2.0-JP-Extra" if kind == "jp_extra" else "2.1")
    data = config["data"]
    assert data["use_jp_extra"] is (kind == "jp_extra")
    assert data["sampling_rate"] == SAMPLING_RATE
    assert data["hop_length"] == HOP
    assert data["spk2id"] == SPK2ID and data["n_speakers"] == 2
    assert data["style2id"] == STYLE2ID and data["num_styles"] == 3
    assert data["add_blank"] is True
    model = config["model"]
    assert (model["hidden_channels"], model["inter_channels"], model["filter_channels"]) == (16, 16, 32)
    assert (model["n_heads"], model["n_layers"], model["gin_channels"]) == (2, 3, 16)
    assert model["upsample_initial_channel"] == 32
    assert int(np.prod(model["upsample_rates"])) == HOP


@pytest.mark.parametrize("kind", ["jp_extra", "legacy"])
def test_style_vectors(kind: str) -> None:
    vectors = _style_vectors(kind)
    assert vectors.shape == (3, 256) and vectors.dtype == np.float32
    assert np.isfinite(vectors).all() and np.abs(vectors[0]).max() > 0
    for i in range(3):
        for j in range(i + 1, 3):
            assert np.abs(vectors[i] - vectors[j]).max() > 0.1


@pytest.mark.parametrize("kind", ["jp_extra", "legacy"])
def test_synth_onnx_io(sessions: dict[str, ort.InferenceSession], kind: str) -> None:
    inputs = {i.name: i for i in sessions[kind].get_inputs()}
    assert [i.name for i in sessions[kind].get_inputs()] == INPUT_NAMES[kind]
    for name in HEAD:
        assert inputs[name].type == "tensor(int64)"
    for name in ("x_tst", "tones", "language"):
        assert len(inputs[name].shape) == 2 and isinstance(inputs[name].shape[1], str)
    for name in ("x_tst_lengths", "sid"):
        assert len(inputs[name].shape) == 1
    for name in INPUT_NAMES[kind]:
        if "bert" in name:
            assert inputs[name].type == "tensor(float)"
            assert len(inputs[name].shape) == 3 and inputs[name].shape[1] == 1024
    assert inputs["style_vec"].type == "tensor(float)" and inputs["style_vec"].shape[1] == 256
    for name in SCALARS:
        assert inputs[name].type == "tensor(float)" and inputs[name].shape == []
    outputs = sessions[kind].get_outputs()
    assert outputs[0].name == "output" and outputs[0].type == "tensor(float)" and len(outputs[0].shape) == 3
    assert len(outputs) == 7  # like the real exports; only `output` matters


@pytest.mark.parametrize("kind", ["jp_extra", "legacy"])
def test_synth_onnx_audio(sessions: dict[str, ort.InferenceSession], kind: str) -> None:
    session = sessions[kind]
    style = _style_vectors(kind)[0]
    phones = _phone_inputs(np.random.default_rng(31), 15)  # T = 31
    audio = _run(session, _feed(kind, phones, style))
    assert audio.dtype == np.float32 and audio.ndim == 3 and audio.shape[:2] == (1, 1)
    assert audio.shape[2] % HOP == 0
    assert np.isfinite(audio).all()
    assert np.abs(audio).max() <= 1.0
    assert float(audio.std()) > 0.05  # not all zeros / not constant
    seconds = audio.shape[2] / SAMPLING_RATE
    assert 0.2 <= seconds <= 2.0, seconds
    # deterministic with noise_scale = 0 and sdp_ratio = 0 (noise_scale_w is then irrelevant)
    again = _run(session, _feed(kind, phones, style, noise_scale_w=0.3))
    np.testing.assert_array_equal(audio, again)
    # a slower speed gives more frames
    slow = _run(session, _feed(kind, phones, style, length_scale=2.0))
    assert slow.shape[2] > 1.5 * audio.shape[2]
    # scalars as shape [1] are accepted too; the defaults with noise give finite audio
    noisy = _run(session, _feed(kind, phones, style, sdp_ratio=0.2, noise_scale=0.6, scalar_shape=(1,)))
    assert np.isfinite(noisy).all() and noisy.std() > 0.05


@pytest.mark.parametrize("kind", ["jp_extra", "legacy"])
def test_synth_output_follows_every_input(sessions: dict[str, ort.InferenceSession], kind: str) -> None:
    """The random weights are scaled so that the audio depends on ids, BERT, style and speaker."""
    session = sessions[kind]
    vectors = _style_vectors(kind)
    rng = np.random.default_rng(7)
    phones = _phone_inputs(rng, 15)
    base = _run(session, _feed(kind, phones, vectors[0]))

    def differs(other: np.ndarray) -> bool:
        return other.shape != base.shape or float(np.abs(other - base).max()) > 1e-2

    noise = rng.normal(0.0, 0.1, phones["jp_bert"].shape).astype(np.float32)
    bert_changed = dict(phones, jp_bert=phones["jp_bert"] + noise)
    ids_changed = dict(phones, x_tst=np.where(phones["x_tst"] > 0, (phones["x_tst"] % (N_SYMBOLS - 1)) + 1, 0))
    assert differs(_run(session, _feed(kind, bert_changed, vectors[0])))
    assert differs(_run(session, _feed(kind, ids_changed, vectors[0])))
    assert differs(_run(session, _feed(kind, phones, vectors[1])))
    assert differs(_run(session, _feed(kind, phones, vectors[0], sid=1)))


# ------------------------------------------------------------------------------------------------ AIVMX


def test_aivmx_metadata(aivmx_session: ort.InferenceSession) -> None:
    meta = aivmx_session.get_modelmeta().custom_metadata_map
    assert {"aivm_manifest", "aivm_hyper_parameters", "aivm_style_vectors"} <= set(meta)

    manifest = json.loads(meta["aivm_manifest"])
    assert manifest["manifest_version"] == "1.0"
    assert manifest["model_architecture"] == "Style-Bert-VITS2 (JP-Extra)"
    assert manifest["model_format"] == "ONNX"
    assert manifest["name"] == "SBV2 Studio テストモデル"
    assert [(s["name"], s["local_id"]) for s in manifest["speakers"]] == [("あみ", 0), ("Taro", 1)]
    for speaker in manifest["speakers"]:
        styles = [(s["name"], s["local_id"]) for s in speaker["styles"]]
        assert styles == [("ノーマル", 0), ("喜び", 1), ("悲しみ", 2)]

    hyper = json.loads(meta["aivm_hyper_parameters"])
    assert hyper["version"].endswith("JP-Extra")
    assert hyper["data"]["sampling_rate"] == SAMPLING_RATE
    assert hyper["data"]["spk2id"] == SPK2ID and hyper["data"]["n_speakers"] == 2
    # aivmlib rewrites style2id with the manifest's style names
    assert hyper["data"]["style2id"] == {"ノーマル": 0, "喜び": 1, "悲しみ": 2}
    assert hyper["data"]["num_styles"] == 3

    vectors = np.load(io.BytesIO(base64.b64decode(meta["aivm_style_vectors"])))
    assert vectors.shape == (hyper["data"]["num_styles"], 256) and vectors.dtype == np.float32
    np.testing.assert_array_equal(vectors, _style_vectors("jp_extra"))


def test_aivmx_validates_with_aivmlib() -> None:
    aivmlib = pytest.importorskip("aivmlib")
    with AIVMX.open("rb") as f:
        metadata = aivmlib.read_aivmx_metadata(f)
    assert metadata.manifest.name == "SBV2 Studio テストモデル"
    assert len(metadata.manifest.speakers) == 2


def test_aivmx_is_the_jp_extra_graph(sessions: dict[str, ort.InferenceSession], aivmx_session) -> None:
    session = aivmx_session
    assert [i.name for i in session.get_inputs()] == INPUT_NAMES["jp_extra"]
    feed = _feed("jp_extra", _phone_inputs(np.random.default_rng(5), 10), _style_vectors("jp_extra")[2], sid=1)
    np.testing.assert_array_equal(_run(session, feed), _run(sessions["jp_extra"], feed))


def test_readme_present() -> None:
    text = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert "random" in text.lower() and "make_fixtures.py" in text


# ------------------------------------------------------------------------------------------------ torch parity


def _load_reference_synth(kind: str):
    """The reference synthesizer on the fixture's weights, exactly as the reference's TTSModel loads one."""
    from style_bert_vits2.models.hyper_parameters import HyperParameters
    from style_bert_vits2.models.infer import get_net_g

    hps = HyperParameters.load_from_json(FIXTURES / kind / "config.json")
    return get_net_g(str(REFERENCE_DIR / f"{kind}.safetensors"), hps.version, "cpu", hps)


@pytest.fixture(scope="module")
def reference_synths():
    return {kind: _load_reference_synth(kind) for kind in MODELS}


@requires_reference
@pytest.mark.parametrize("kind", ["jp_extra", "legacy"])
def test_reference_state_dict_matches_model(kind: str) -> None:
    import torch
    from safetensors.torch import load_file
    from style_bert_vits2.models.hyper_parameters import HyperParameters
    from style_bert_vits2.models.infer import get_net_g

    state = load_file(str(REFERENCE_DIR / f"{kind}.safetensors"))
    assert all(v.dtype == torch.float16 for k, v in state.items() if k != "iteration")
    hps = HyperParameters.load_from_json(FIXTURES / kind / "config.json")
    net = get_net_g(str(REFERENCE_DIR / f"{kind}.safetensors"), hps.version, "cpu", hps)
    result = net.load_state_dict(state, strict=False)
    assert all(k.startswith("enc_q.") for k in result.missing_keys)  # the posterior encoder is training-only
    assert result.unexpected_keys == ["iteration"]


@requires_reference
@pytest.mark.parametrize("kind", ["jp_extra", "legacy"])
@pytest.mark.parametrize("n_phones", [5, 15, 38])  # T = 11, 31, 77
def test_synth_parity_with_reference(sessions, reference_synths, kind: str, n_phones: int) -> None:
    import torch

    net = reference_synths[kind]
    rng = np.random.default_rng(1000 + n_phones)
    phones = _phone_inputs(rng, n_phones)
    style = _style_vectors(kind)[1]
    for sid in (0, 1):
        feed = _feed(kind, phones, style, sid=sid, noise_scale_w=0.8)
        t = {k: torch.from_numpy(v) for k, v in feed.items() if k not in SCALARS}
        bert_args = (t["bert"],) if kind == "jp_extra" else (t["bert"], t["ja_bert"], t["en_bert"])
        torch.manual_seed(0)
        with torch.no_grad():
            ref = net.infer(
                t["x_tst"], t["x_tst_lengths"], t["sid"], t["tones"], t["language"], *bert_args, t["style_vec"],
                noise_scale=0.0, sdp_ratio=0.0, noise_scale_w=0.8, length_scale=1.0,
            )[0].numpy()  # fmt: skip
        audio = _run(sessions[kind], feed)
        assert audio.shape == ref.shape, f"frames differ: onnx {audio.shape[2] // HOP}, torch {ref.shape[2] // HOP}"
        assert float(np.abs(audio - ref).max()) < 1e-3


@requires_reference
def test_bert_parity_with_reference(bert_session: ort.InferenceSession, reference_bert_dir) -> None:
    import torch
    from style_bert_vits2.constants import Languages
    from style_bert_vits2.nlp import bert_models

    path = str(reference_bert_dir)
    # bert_models caches one model per language: drop whatever another test loaded, and leave none behind
    bert_models.unload_model(Languages.JP)
    bert_models.unload_tokenizer(Languages.JP)
    try:
        model = bert_models.load_model(Languages.JP, path)
        tokenizer = bert_models.load_tokenizer(Languages.JP, path)
        assert next(model.parameters()).dtype == torch.float32
        rng = np.random.default_rng(3)
        vocab_size = model.config.vocab_size
        texts = ("今日はいい天気ですね.", "あいうえおカキクケコABCxyz!?")
        cases = [tokenizer(text, return_tensors="pt") for text in texts]
        for length in (7, 300):  # 300 reaches the log-bucketed relative positions (|i - j| > 128)
            ids = torch.from_numpy(rng.integers(5, vocab_size, length)).long()
            ids[0], ids[-1] = 1, 2
            cases.append({"input_ids": ids[None], "attention_mask": torch.ones_like(ids)[None]})
        for inputs in cases:
            with torch.no_grad():
                ref = model(**inputs, output_hidden_states=True)["hidden_states"][-3][0].numpy()
            out = bert_session.run(
                ["output"],
                {
                    "input_ids": inputs["input_ids"].numpy().astype(np.int64),
                    "attention_mask": inputs["attention_mask"].numpy().astype(np.int64),
                },
            )[0]
            assert out.shape == ref.shape == (inputs["input_ids"].shape[1], 1024)
            assert float(np.abs(out - ref).max()) < 1e-4
    finally:
        bert_models.unload_model(Languages.JP)
        bert_models.unload_tokenizer(Languages.JP)


@requires_reference
def test_bert_tokenizer_ids() -> None:
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(REFERENCE_DIR / "bert_torch"))
    vocab = (BERT_DIR / "vocab.txt").read_text(encoding="utf-8").splitlines()
    ids = tokenizer("今日はいい天気ですね.")["input_ids"]
    assert ids[0] == 1 and ids[-1] == 2
    assert ids[1:-1] == [vocab.index(ch) for ch in "今日はいい天気ですね."]
    assert tokenizer("☃")["input_ids"] == [1, 3, 2]  # unknown character -> [UNK]
