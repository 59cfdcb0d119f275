"""Model conversions in a child process while a window is open (sbv2_studio/offload.py): the work really runs
elsewhere, its result or its error comes back intact, a child that dies is a clear error, and every conversion a
voice's first load makes works that way (their functions and results cross the process boundary)."""

from __future__ import annotations

import os

import numpy as np
import pytest

from sbv2_studio import offload
from sbv2_studio.errors import DictionaryError, ModelError, StudioError

from .conftest import FIXTURES, bf16_native


def _pid() -> int:
    return os.getpid()


def _fail(path: str) -> None:
    raise ModelError(path, "not an ONNX model")


def _fail_dictionary() -> None:
    raise DictionaryError("surface", "is empty", "words.csv line 3")


def _die() -> None:
    os._exit(3)


@pytest.fixture
def offloading(monkeypatch):
    monkeypatch.setattr(offload, "_enabled", False)
    offload.enable()
    yield
    offload.enable(False)


def test_conversions_run_in_a_child_only_while_enabled(tmp_path, monkeypatch):
    model = tmp_path / "m.onnx"
    model.write_bytes(b"0" * 10)
    monkeypatch.setattr(offload, "_enabled", False)
    assert offload.run(_pid, source=model) == os.getpid()  # not enabled: a script or the CLI waits anyway
    offload.enable()
    try:
        assert offload.enabled() and offload.run(_pid, source=model) != os.getpid()
    finally:
        offload.enable(False)


def test_errors_come_back_whole_and_a_dead_child_is_one_clear_error(tmp_path, offloading):
    model = tmp_path / "m.onnx"
    model.write_bytes(b"x")
    with pytest.raises(ModelError) as caught:
        offload.run(_fail, str(model), source=model)
    assert caught.value.path == model and caught.value.problem == "not an ONNX model"
    with pytest.raises(DictionaryError) as dict_error:
        offload.run(_fail_dictionary, source=model)
    assert str(dict_error.value) == "words.csv line 3: surface: is empty" and dict_error.value.field == "surface"
    with pytest.raises(StudioError, match=r"m\.onnx: the process converting it stopped unexpectedly"):
        offload.run(_die, source=model)


@pytest.mark.slow
def test_a_voices_first_load_converts_in_children_and_speaks_the_same(tmp_path, monkeypatch, offloading):
    """The batch-1 BERT graph, its 16-bit and 8-bit OpenVINO IRs, the seeded synthesizer, its split, the prior and
    flow and the decoder's parts: all made in child processes in a fresh home, and the voice speaks as one made
    in-process."""
    pytest.importorskip("openvino")
    from sbv2_studio.app.voices import open_voice
    from sbv2_studio.engine.pipeline import SynthesisParams
    from sbv2_studio.runtime import ov_backend

    params = SynthesisParams(noise=0.0, noise_w=0.0, sdp_ratio=0.0)
    bf16 = bf16_native()  # a reduced-precision synthesizer runs prior and flow
    opened = dict(bert_backend="openvino:CPU", bert_precision="int8", synth_backend="openvino:CPU",
                  synth_precision="bf16" if bf16 else "fp32")  # fmt: skip
    reference = open_voice(FIXTURES / "jp_extra", bert=FIXTURES / "bert", cache=None, **opened)
    expected = reference.synthesize("今日はいい天気ですね。", params).audio
    del reference
    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(ov_backend, "_core", None)
    made = []
    real_run = offload.run
    monkeypatch.setattr(offload, "run", lambda work, *a, **k: made.append(work.__name__) or real_run(work, *a, **k))
    voice = open_voice(FIXTURES / "jp_extra", bert=FIXTURES / "bert", cache=None, **opened)
    got = voice.synthesize("今日はいい天気ですね。", params).audio
    assert {"_clean_and_save", "_write_ir", "_write_seeded", "_write_split"} <= set(made)
    assert ("_write_prior_flow" in made) == bf16
    assert list((tmp_path / "home" / "cache" / "openvino" / "ir").glob("model.fp32-opt.*.int8.*.xml"))
    np.testing.assert_allclose(got, expected, atol=1e-4)
    monkeypatch.setattr(ov_backend, "_core", None)
