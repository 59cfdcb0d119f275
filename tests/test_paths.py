"""The cache's derived files (paths.py): a file made again from a changed source replaces the one made before, and
what was derived from that goes with it, down the chain an SBV2 voice takes (seeded copy → split graphs → OpenVINO
IRs); entries of other sources stay."""

from __future__ import annotations

import json
import os
import re
import shutil

import pytest

from sbv2_studio import paths
from sbv2_studio.graphs.seeded import seeded_graph
from sbv2_studio.graphs.split import split_synthesizer
from sbv2_studio.models.library import Library

from .conftest import FIXTURES


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.HOME_ENV, str(tmp_path / "home"))
    return tmp_path / "home"


def _touch(path, text="x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_replaced_entry_goes_with_what_was_derived_from_it(home, tmp_path):
    cache = paths.cache_dir()
    voice = _touch(tmp_path / "voice.onnx")
    other = _touch(tmp_path / "other" / "voice.onnx")  # another voice of the same name
    seeded_prefix = paths.derived_prefix(voice, "seeded")
    old = _touch(cache / "seeded" / f"{seeded_prefix}aaaa.onnx")
    new = _touch(cache / "seeded" / f"{seeded_prefix}bbbb.onnx")
    others = _touch(cache / "seeded" / f"{paths.derived_prefix(other, 'seeded')}aaaa.onnx")
    legacy = _touch(cache / "seeded" / "voice.seeded-0123456789abcdef0123.onnx")
    split = cache / "graph_split" / f"{paths.derived_prefix(old, 'split')}cccc"
    decoder = _touch(split / "decoder.onnx")
    ir = [
        _touch(cache / "openvino" / "ir" / f"{paths.derived_prefix(decoder, 'fp16')}dddd.{s}") for s in ("xml", "bin")
    ]
    kept_split = cache / "graph_split" / f"{paths.derived_prefix(new, 'split')}cccc"
    _touch(kept_split / "decoder.onnx")

    pattern = re.compile(r".+\.seeded-[0-9a-f]{20}\.onnx")
    assert paths.remove_replaced(cache / "seeded", seeded_prefix, "bbbb", pattern) == 5  # 2 + split + 2 IR files
    assert not old.exists() and not legacy.exists() and not split.exists()
    assert not any(p.exists() for p in ir)
    assert new.is_file() and others.is_file() and (kept_split / "decoder.onnx").is_file()
    assert voice.is_file() and other.is_file()  # sources are never touched


def test_a_changed_voice_file_replaces_its_seeded_copy_split_and_irs(home, tmp_path):
    from sbv2_studio.runtime import ov_backend

    if not ov_backend.available():
        pytest.skip("OpenVINO not installed")
    folder = tmp_path / "voice"
    shutil.copytree(FIXTURES / "jp_extra", folder)
    model = next(folder.glob("*.onnx"))
    seeded_root = paths.cache_dir() / "seeded"
    first = seeded_graph(model, seeded_root)
    first_split = split_synthesizer(first, validate=False)
    first_ir = ov_backend.weights_ir(first_split.decoder_path, "fp16")
    assert first != model and first_ir is not None and first_ir.is_file()

    stamp = model.stat().st_mtime_ns + 10**9  # the voice was updated (a new download of the same file)
    os.utime(model, ns=(stamp, stamp))
    second = seeded_graph(model, seeded_root)
    assert second != first and second.is_file()
    assert not first.exists() and not first_split.decoder_path.parent.exists()
    assert not first_ir.exists() and not first_ir.with_suffix(".bin").exists()
    second_split = split_synthesizer(second, validate=False)
    assert second_split.decoder_path.is_file()
    assert [p.name for p in (paths.cache_dir() / "graph_split").iterdir()] == [second_split.decoder_path.parent.name]


def test_removing_a_voice_from_the_library_removes_its_cached_graphs(home):
    library = Library(home=home)
    entry = library.import_model(FIXTURES / "jp_extra")
    model = next(p for p in Library(home=home).scan() if p.path == entry.path)
    onnx_path = next(home.rglob("tiny_jp_extra*.onnx"))
    seeded = seeded_graph(onnx_path, paths.cache_dir() / "seeded")
    split = split_synthesizer(seeded, validate=False)
    library.remove(model)
    assert not onnx_path.exists() and not seeded.exists() and not split.decoder_path.parent.exists()
    assert not [p for p in paths.cache_dir().rglob("*.onnx")]


def test_what_was_derived_from_a_deleted_voice_goes_and_unmounted_drives_keep_theirs(home, tmp_path):
    cache = paths.cache_dir()
    deleted_file = _touch(tmp_path / "voices" / "a" / "a.onnx")
    deleted_folder = _touch(tmp_path / "voices" / "b" / "b.onnx")
    unmounted = _touch(tmp_path / "drive" / "voices" / "c" / "c.onnx")
    kept = _touch(tmp_path / "voices" / "d" / "d.onnx")
    derived = {
        source: _touch(cache / "seeded" / f"{paths.derived_prefix(source, 'seeded')}0000.onnx")
        for source in (deleted_file, deleted_folder, unmounted, kept)
    }
    ir = _touch(cache / "openvino" / "ir" / f"{paths.derived_prefix(derived[deleted_file], 'fp16')}1111.xml")
    assert paths.tidy_cache() == 0  # every source is there

    deleted_file.unlink()
    shutil.rmtree(deleted_folder.parent)
    shutil.rmtree(tmp_path / "drive")  # as if the drive were not mounted: the folders above it are gone too
    assert paths.tidy_cache() == 3  # two seeded copies, and the IR made from one of them
    assert not derived[deleted_file].exists() and not ir.exists() and not derived[deleted_folder].exists()
    assert derived[unmounted].is_file() and derived[kept].is_file()
    assert paths.tidy_cache() == 0
    recorded = json.loads((cache / paths.SOURCES_FILE).read_text(encoding="utf-8"))
    assert str(unmounted.resolve()) in recorded.values() and str(deleted_file.resolve()) not in recorded.values()
