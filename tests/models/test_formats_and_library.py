"""Loading broken or mismatched model files raises an error that names the file and the problem."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from sbv2_studio.engine.pipeline import Pipeline
from sbv2_studio.errors import ModelError
from sbv2_studio.models.formats import load_bert_folder, load_voice_model

from ..conftest import FIXTURES

AIVMX = next((FIXTURES / "aivmx").glob("*.aivmx"))


@pytest.fixture
def model_copy(tmp_path):
    target = tmp_path / "voice"
    shutil.copytree(FIXTURES / "jp_extra", target)
    return target


def test_fixture_folders_describe_themselves():
    voice = load_voice_model(FIXTURES / "jp_extra")
    assert voice.is_jp_extra and voice.sampling_rate == 44100
    assert voice.speakers == {"あみ": 0, "Taro": 1}
    assert voice.styles == {"Neutral": 0, "Happy": 1, "Sad": 2}
    assert voice.default_style == "Neutral"
    legacy = load_voice_model(FIXTURES / "legacy")
    assert not legacy.is_jp_extra
    aivmx = load_voice_model(AIVMX)
    assert aivmx.source == "aivmx" and aivmx.is_jp_extra
    assert aivmx.style_vectors.shape[1] == 256 and len(aivmx.styles) >= 1


def test_style_vector_interpolates_from_the_neutral_mean():
    voice = load_voice_model(FIXTURES / "jp_extra")
    v0, v1 = voice.style_vectors[0], voice.style_vectors[1]
    np.testing.assert_allclose(voice.style_vector("Happy", 0.5)[0], v0 + (v1 - v0) * 0.5, rtol=1e-6)
    np.testing.assert_allclose(voice.style_vector("Neutral", 3.0)[0], v0)
    assert voice.style_vector(None, 1.0).shape == (1, 256)


def test_garbled_config(model_copy):
    (model_copy / "config.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(ModelError, match=r"config\.json: not valid JSON"):
        load_voice_model(model_copy)


def test_config_that_is_not_sbv2(model_copy):
    (model_copy / "config.json").write_text(json.dumps({"model_type": "bert"}), encoding="utf-8")
    with pytest.raises(ModelError, match=r"config\.json: no 'data' section"):
        load_voice_model(model_copy)


def test_missing_style_vectors(model_copy):
    (model_copy / "style_vectors.npy").unlink()
    with pytest.raises(ModelError, match=r"style_vectors\.npy: missing"):
        load_voice_model(model_copy)


def test_style_vectors_of_the_wrong_shape(model_copy):
    np.save(model_copy / "style_vectors.npy", np.zeros((3, 128), np.float32))
    with pytest.raises(ModelError, match=r"style_vectors\.npy: style vectors have shape \(3, 128\)"):
        load_voice_model(model_copy)


def test_style_out_of_range(model_copy):
    config = json.loads((model_copy / "config.json").read_text(encoding="utf-8"))
    config["data"]["style2id"]["Angry"] = 9
    (model_copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelError, match=r"'Angry': 9.*no row"):
        load_voice_model(model_copy)


def test_speaker_out_of_range(model_copy):
    config = json.loads((model_copy / "config.json").read_text(encoding="utf-8"))
    config["data"]["spk2id"]["Ghost"] = 5
    (model_copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelError, match=r"config\.json: speaker ids \{'Ghost': 5\} are outside n_speakers=2"):
        load_voice_model(model_copy)


def test_folder_without_onnx(model_copy):
    for onnx in model_copy.glob("*.onnx"):
        onnx.unlink()
    with pytest.raises(ModelError, match="no .onnx synthesizer"):
        load_voice_model(model_copy)


def test_a_non_sbv2_onnx_is_named(model_copy):
    for onnx in model_copy.glob("*.onnx"):
        onnx.unlink()
    shutil.copy(FIXTURES / "bert" / "model.onnx", model_copy / "voice.onnx")
    with pytest.raises(ModelError, match=r"voice\.onnx: not an SBV2 synthesizer"):
        Pipeline.load(model_copy, FIXTURES / "bert")


def test_config_and_graph_that_do_not_belong_together(model_copy):
    config = json.loads((model_copy / "config.json").read_text(encoding="utf-8"))
    config["version"] = "2.1"  # says: an older model; the graph is JP-Extra
    (model_copy / "config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ModelError, match="do not belong together"):
        Pipeline.load(model_copy, FIXTURES / "bert")


def test_truncated_onnx_is_reported_with_its_path(model_copy):
    onnx = next(model_copy.glob("*.onnx"))
    onnx.write_bytes(onnx.read_bytes()[:5000])
    with pytest.raises(ModelError, match=onnx.name) as info:  # the file, not a backend: no fallback would help
        Pipeline.load(model_copy, FIXTURES / "bert")
    assert "not an ONNX model" in str(info.value)


def test_corrupt_aivmx(tmp_path):
    bad = tmp_path / "broken.aivmx"
    bad.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(ModelError, match=r"broken\.aivmx"):
        load_voice_model(bad)


def test_plain_onnx_renamed_to_aivmx_has_no_manifest(tmp_path):
    fake = tmp_path / "plain.aivmx"
    shutil.copy(next((FIXTURES / "jp_extra").glob("*.onnx")), fake)
    with pytest.raises(ModelError, match=r"plain\.aivmx: not a valid AIVMX file"):
        load_voice_model(fake)


def test_bert_folder_without_tokenizer_files(tmp_path):
    shutil.copy(FIXTURES / "bert" / "model.onnx", tmp_path / "model.onnx")
    with pytest.raises(ModelError, match=r"vocab\.txt: missing"):
        load_bert_folder(tmp_path)


def test_bert_folder_without_graph(tmp_path):
    shutil.copy(FIXTURES / "bert" / "vocab.txt", tmp_path / "vocab.txt")
    with pytest.raises(ModelError, match="no model.onnx or model_fp16.onnx"):
        load_bert_folder(tmp_path)


def test_missing_path():
    with pytest.raises(ModelError, match="does not exist"):
        load_voice_model("/nonexistent/voice")
