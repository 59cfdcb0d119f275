"""A corpus of broken voices and BERT folders, made from the fixtures (issue 17 items 5, 19, 20, 21): each one is
refused with a message naming the file at fault, by the same check for listing, doctor, import and load; a
broken voice is listed as broken and never hides the voices beside it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from sbv2_studio.errors import ModelError, StudioError
from sbv2_studio.models.library import Library
from sbv2_studio.models.validate import check_bert, check_voice

from ..conftest import FIXTURES
from ..test_cli import run_cli

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _voice(tmp: Path, name: str, source: str = "jp_extra") -> Path:
    folder = tmp / name
    shutil.copytree(FIXTURES / source, folder)
    return folder


def _onnx(folder: Path) -> Path:
    return next(folder.glob("*.onnx"))


def _config(folder: Path, change) -> Path:
    path = folder / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(json.dumps(config), encoding="utf-8")
    return path


def broken_voices(tmp: Path) -> dict[str, tuple[Path, str, str]]:
    """name → (the voice's path, the file the message must name, words the reason must contain)."""
    rng = np.random.default_rng(17)
    cases: dict[str, tuple[Path, str, str]] = {}

    f = _voice(tmp, "random_onnx")
    _onnx(f).write_bytes(rng.integers(0, 256, 200_000, dtype=np.uint8).tobytes())
    cases["random_onnx"] = (f, _onnx(f).name, "not an ONNX model")

    f = _voice(tmp, "truncated_onnx")
    data = _onnx(f).read_bytes()
    _onnx(f).write_bytes(data[: len(data) // 3])
    cases["truncated_onnx"] = (f, _onnx(f).name, "ONNX")

    f = _voice(tmp, "empty_onnx")
    _onnx(f).write_bytes(b"")
    cases["empty_onnx"] = (f, _onnx(f).name, "empty")

    f = _voice(tmp, "corrupt_onnx")
    data = bytearray(_onnx(f).read_bytes())
    data[:4096] = rng.integers(0, 256, 4096, dtype=np.uint8).tobytes()
    _onnx(f).write_bytes(bytes(data))
    cases["corrupt_onnx"] = (f, _onnx(f).name, "ONNX")

    f = _voice(tmp, "bert_as_synth")
    _onnx(f).unlink()
    shutil.copy(FIXTURES / "bert" / "model.onnx", f / "model.onnx")
    cases["bert_as_synth"] = (f, "model.onnx", "not an SBV2 synthesizer")

    f = _voice(tmp, "legacy_graph_jp_extra_config")
    _onnx(f).unlink()
    shutil.copy(_onnx(FIXTURES / "legacy"), f / _onnx(FIXTURES / "legacy").name)
    cases["legacy_graph_jp_extra_config"] = (f, _onnx(f).name, "do not belong together")

    f = _voice(tmp, "nested_config")
    (f / "config.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    cases["nested_config"] = (f, "config.json", "nested too deeply")

    f = _voice(tmp, "num_styles_seven")
    _config(f, lambda c: c["data"].update(num_styles="seven"))
    cases["num_styles_seven"] = (f, "config.json", "data.num_styles")

    f = _voice(tmp, "string_style_vectors")
    np.save(f / "style_vectors.npy", np.full((3, 256), "x", dtype="<U3"))
    cases["string_style_vectors"] = (f, "style_vectors.npy", "not numbers")

    f = _voice(tmp, "onnx_symlink_loop")
    _onnx(f).unlink()
    (f / "loop.onnx").symlink_to(f / "loop.onnx")
    cases["onnx_symlink_loop"] = (f, "loop.onnx", "cannot be read")

    f = _voice(tmp, "sampling_rate_1e30")
    _config(f, lambda c: c["data"].update(sampling_rate=1e30))
    cases["sampling_rate_1e30"] = (f, "config.json", "sampling_rate")

    f = _voice(tmp, "model_weird")
    _config(f, lambda c: c.update(model="weird"))
    cases["model_weird"] = (f, "config.json", "'model' section")

    f = _voice(tmp, "decoder_rates_text")
    _config(f, lambda c: c["model"].update(upsample_rates="eight"))
    cases["decoder_rates_text"] = (f, "config.json", "decoder layout")

    if not AS_ROOT:  # root reads any file: these cases cannot happen
        f = _voice(tmp, "unreadable_config")
        (f / "config.json").chmod(0)
        cases["unreadable_config"] = (f, "config.json", "cannot be read")
        f = _voice(tmp, "unreadable_onnx")
        _onnx(f).chmod(0)
        cases["unreadable_onnx"] = (f, _onnx(f).name, "cannot be read")
    return cases


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("voices")
    cases = broken_voices(root)
    shutil.copytree(FIXTURES / "jp_extra", root / "zz_good_voice")
    yield root, cases
    for path in root.rglob("*"):
        if not path.is_symlink():
            path.chmod(0o700)


def test_every_broken_voice_is_refused_naming_its_file(corpus):
    _, cases = corpus
    for name, (folder, file_name, reason) in cases.items():
        with pytest.raises(ModelError) as caught:
            check_voice(folder, deep=True)
        message = str(caught.value)
        assert file_name in message and reason in message, (name, message)
        assert str(folder) in message, (name, message)


def test_the_listing_shows_broken_voices_as_broken_and_keeps_the_good_one(corpus, tmp_path):
    root, cases = corpus
    entries = {Path(e.path).name: e for e in Library(extra_roots=[root], home=tmp_path).scan() if e.path}
    assert entries["zz_good_voice"].valid
    for name, (_, file_name, _) in cases.items():
        assert not entries[name].valid and file_name in entries[name].error, name
        assert "broken" in entries[name].label


def test_import_refuses_a_broken_voice_and_copies_nothing(corpus, tmp_path):
    _, cases = corpus
    library = Library(home=tmp_path)
    for folder, file_name, _ in cases.values():
        with pytest.raises(StudioError, match=file_name.replace(".", r"\.")):
            library.import_model(folder)
    assert not library.models_dir.exists() or not any(library.models_dir.iterdir())
    entry = library.import_model(FIXTURES / "jp_extra")
    assert entry.valid


def test_loading_a_broken_voice_is_a_message(corpus):
    from sbv2_studio.app.voices import open_voice

    _, cases = corpus
    for name in ("sampling_rate_1e30", "model_weird", "legacy_graph_jp_extra_config", "bert_as_synth"):
        folder, file_name, _ = cases[name]
        with pytest.raises(StudioError, match=file_name.replace(".", r"\.")):
            open_voice(folder, bert=FIXTURES / "bert", cache=None)


def test_doctor_lists_the_broken_voices_and_exits_0(corpus, tmp_path):
    root, cases = corpus
    proc = run_cli("doctor", "--models", str(root), env={"SBV2_STUDIO_HOME": str(tmp_path)})
    out, err = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert proc.returncode == 0 and "Traceback" not in out + err, out + err
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ") and line.split()}
    for name, (_, file_name, _) in cases.items():
        line = next(v for k, v in lines.items() if name in v)
        assert "BROKEN" in line and file_name in line, line
    assert any("tiny_jp_extra" in v and " ok " in v for v in lines.values())


# --- BERT folders -------------------------------------------------------------------------------------------


def _bert(tmp: Path, name: str) -> Path:
    folder = tmp / name
    shutil.copytree(FIXTURES / "bert", folder)
    return folder


def broken_berts(tmp: Path) -> dict[str, tuple[Path, str, str]]:
    import onnx

    cases = {}
    f = _bert(tmp, "tokenizer_config_list")
    (f / "tokenizer_config.json").write_text("[1, 2]", encoding="utf-8")
    cases["tokenizer_config_list"] = (f, "tokenizer_config.json", "expected a JSON object")

    f = _bert(tmp, "float_input_ids")
    model = onnx.load(str(f / "model.onnx"))
    next(i for i in model.graph.input if i.name == "input_ids").type.tensor_type.elem_type = onnx.TensorProto.FLOAT
    onnx.save(model, str(f / "model.onnx"))
    cases["float_input_ids"] = (f, "model.onnx", "input 'input_ids' is float")

    f = _bert(tmp, "synth_as_bert")
    shutil.copy(_onnx(FIXTURES / "jp_extra"), f / "model.onnx")
    cases["synth_as_bert"] = (f, "model.onnx", "not a BERT graph")

    f = _bert(tmp, "random_graph")
    (f / "model.onnx").write_bytes(np.random.default_rng(3).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    cases["random_graph"] = (f, "model.onnx", "not an ONNX model")

    f = _bert(tmp, "empty_graph")
    (f / "model.onnx").write_bytes(b"")
    cases["empty_graph"] = (f, "model.onnx", "empty")

    f = _bert(tmp, "no_vocab")
    (f / "vocab.txt").unlink()
    cases["no_vocab"] = (f, "vocab.txt", "missing")

    f = _bert(tmp, "binary_vocab")
    (f / "vocab.txt").write_bytes(b"\xff\xfe\x00garbage")
    cases["binary_vocab"] = (f, "vocab.txt", "not UTF-8")

    f = _bert(tmp, "nested_tokenizer_config")
    (f / "tokenizer_config.json").write_text('{"a":' * 100_000 + "1" + "}" * 100_000, encoding="utf-8")
    cases["nested_tokenizer_config"] = (f, "tokenizer_config.json", "nested too deeply")
    if not AS_ROOT:
        f = _bert(tmp, "unreadable_vocab")
        (f / "vocab.txt").chmod(0)
        cases["unreadable_vocab"] = (f, "vocab.txt", "cannot be read")
    return cases


def test_every_broken_bert_folder_is_refused_naming_its_file(tmp_path):
    check_bert(FIXTURES / "bert", deep=True)  # the real one passes
    for name, (folder, file_name, reason) in broken_berts(tmp_path).items():
        with pytest.raises(ModelError) as caught:
            check_bert(folder, deep=True)
        message = str(caught.value)
        assert file_name in message and reason in message and str(folder) in message, (name, message)


def test_doctor_bert_checks_the_folder_for_real(tmp_path):
    cases = broken_berts(tmp_path / "berts")
    env = {"SBV2_STUDIO_HOME": str(tmp_path / "home")}
    for name in ("float_input_ids", "synth_as_bert", "tokenizer_config_list"):
        folder, file_name, reason = cases[name]
        proc = run_cli("doctor", "--bert", str(folder), env=env)
        out = proc.stdout.decode("utf-8") + proc.stderr.decode("utf-8")
        assert proc.returncode == 1 and "Traceback" not in out, out
        assert f"BERT: BROKEN: {folder / file_name}" in out and reason in out, out
    proc = run_cli("doctor", "--bert", str(FIXTURES / "bert"), env=env)
    assert proc.returncode == 0 and "BERT: ok" in proc.stdout.decode("utf-8")


def test_loading_with_a_broken_bert_is_a_message(tmp_path):
    from sbv2_studio.app.voices import open_voice

    cases = broken_berts(tmp_path)
    for name in ("float_input_ids", "synth_as_bert", "tokenizer_config_list", "random_graph"):
        folder, file_name, _ = cases[name]
        with pytest.raises(StudioError, match=file_name.replace(".", r"\.")):
            open_voice(FIXTURES / "jp_extra", bert=folder, cache=None)
