"""Downloads from a local fake Hub (tests/fake_hub.py on 127.0.0.1): BERT and voices land in the library only
when complete, verified and loadable; progress, cancel, resume, dropped connections and corrupt files."""

from __future__ import annotations

import socket
import threading
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from sbv2_studio import cli
from sbv2_studio.engine.tokenizer import CharTokenizer
from sbv2_studio.models.downloads import BERT_REPO, DownloadCancelled, DownloadError, download_bert, download_voice
from sbv2_studio.models.formats import load_voice_model
from sbv2_studio.models.library import Library

from ..conftest import FIXTURES
from ..fake_hub import FakeHub

AIVMX = "tiny_jp_extra_e10_s100.aivmx"


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


def _folder(name: str, prefix: str = "") -> dict[str, bytes]:
    return {prefix + p.name: _read(p) for p in sorted((FIXTURES / name).iterdir()) if p.is_file()}


REPO_FILES = {".gitattributes": b"*.onnx filter=lfs diff=lfs merge=lfs -text\n", "README.md": b"# test\n"}


@pytest.fixture
def hub():
    for required in ("bert/model.onnx", "bert/vocab.txt", "jp_extra/config.json", f"aivmx/{AIVMX}"):
        if not (FIXTURES / required).is_file():
            pytest.fail(f"fixture {required} is missing: run tools/make_fixtures.py")
    hub = FakeHub()
    bert = _folder("bert")
    hub.add_repo(BERT_REPO, REPO_FILES | bert | {"model_fp16.onnx": bert["model.onnx"]})
    hub.add_repo("sbv2/tiny-jp-extra", REPO_FILES | _folder("jp_extra"))
    hub.add_repo("sbv2/tiny-aivmx", REPO_FILES | {AIVMX: _read(FIXTURES / "aivmx" / AIVMX)})
    checkpoint = _read(FIXTURES / "reference" / "jp_extra.safetensors")
    hub.add_repo(
        "sbv2/tiny-safetensors",
        REPO_FILES
        | {n: _read(FIXTURES / "jp_extra" / n) for n in ("config.json", "style_vectors.npy")}
        | {"tiny_e10_s100.safetensors": checkpoint, "tiny_e20_s200.safetensors": checkpoint},
    )
    hub.add_repo(
        "sbv2/collection",
        REPO_FILES
        | _folder("jp_extra", "model_assets/jp/")
        | {f"aivm/{AIVMX}": _read(FIXTURES / "aivmx" / AIVMX)}
        | {"old/config.json": _read(FIXTURES / "jp_extra" / "config.json"), "old/old.safetensors": b"\0" * 64},
    )
    hub.start()
    yield hub
    hub.stop()


@pytest.fixture
def library(tmp_path) -> Library:
    return Library(home=tmp_path / "home")


class Recorder:
    def __init__(self):
        self.calls: list[tuple[int, int, str]] = []

    def __call__(self, done: int, total: int, name: str) -> None:
        self.calls.append((done, total, name))

    def check(self, total: int) -> None:
        """Monotonic, one total throughout, ending at it."""
        done = [c[0] for c in self.calls]
        assert done == sorted(done)
        assert {c[1] for c in self.calls} == {total}
        assert done[-1] == total


def installed(library: Library) -> list[str]:
    """What the library holds, staging area left out."""
    if not library.home.exists():
        return []
    paths = (p.relative_to(library.home) for p in library.home.rglob("*"))
    return sorted(str(p) for p in paths if p.parts[0] != "downloads")


def staged(library: Library) -> list[str]:
    return sorted(p.name for p in (library.home / "downloads").rglob("*") if p.is_file())


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there now: connections are refused at once


# -- BERT -------------------------------------------------------------------------------------------------


def test_bert_download_fetches_only_the_needed_files_and_loads(hub, library):
    progress = Recorder()
    bert = download_bert(library, progress=progress, endpoint=hub.url)

    assert bert.onnx_path == library.bert_dir / "model.onnx" and bert.variant == "fp32"
    for name, data in _folder("bert").items():
        assert (library.bert_dir / name).read_bytes() == data
    assert not (library.bert_dir / "model_fp16.onnx").exists()
    assert library.find_bert() == bert
    assert CharTokenizer.from_folder(library.bert_dir).encode("こんにちは").size == 7
    assert not hub.gets("README.md") and not hub.gets("model_fp16.onnx")
    assert staged(library) == []

    progress.check(sum(len(d) for d in _folder("bert").values()))
    assert {c[2] for c in progress.calls} >= set(_folder("bert"))


def test_bert_fp16_variant_fetches_model_fp16(hub, library):
    bert = download_bert(library, variant="fp16", endpoint=hub.url)
    assert bert.onnx_path.name == "model_fp16.onnx" and bert.variant == "fp16"
    assert not hub.gets("model.onnx")


def test_cancel_keeps_the_library_unchanged_and_a_rerun_resumes_with_a_range_request(hub, library):
    # The server sends the first 200 kB of model.onnx and then holds the response: the cancel lands mid-file.
    hub.fault(BERT_REPO, "model.onnx", hold_after=200_000)
    cancel = threading.Event()
    graph_start: list[int] = []

    def progress(done, total, name):
        if name == "model.onnx":
            graph_start.append(done)
            if done > graph_start[0]:
                cancel.set()

    with pytest.raises(DownloadCancelled, match="resume"):
        download_bert(library, progress=progress, cancel=cancel, endpoint=hub.url)
    assert installed(library) == []
    [part] = [p for p in (library.home / "downloads").rglob("model.onnx.*.part")]
    kept = part.stat().st_size
    assert 0 < kept <= 200_000

    hub.release.set()
    progress2 = Recorder()
    bert = download_bert(library, progress=progress2, endpoint=hub.url)
    size = len(_folder("bert")["model.onnx"])
    assert bert.onnx_path.read_bytes() == _folder("bert")["model.onnx"]
    first, second = hub.gets("model.onnx")
    assert first.range is None and second.range == f"bytes={kept}-"
    assert second.sent == size - kept < size
    assert len(hub.gets("vocab.txt")) == 1  # finished files are not fetched again
    progress2.check(sum(len(d) for d in _folder("bert").values()))
    assert progress2.calls[0][0] > 0  # the resumed run starts from what was already there


def test_dropped_connection_is_resumed_in_the_same_call(hub, library):
    hub.fault("sbv2/tiny-aivmx", AIVMX, drop_after=1_000_000)
    progress = Recorder()
    entry = download_voice(library, "sbv2/tiny-aivmx", progress=progress, endpoint=hub.url)

    data = _read(FIXTURES / "aivmx" / AIVMX)
    assert entry.valid and entry.kind == "aivmx" and Path(entry.path).read_bytes() == data
    first, second = hub.gets(AIVMX)
    assert first.sent == 1_000_000
    start = int(second.range.removeprefix("bytes=").rstrip("-"))
    assert 0 < start <= 1_000_000 and second.sent == len(data) - start
    progress.check(len(data))


def test_corrupt_lfs_file_is_deleted_and_nothing_is_installed(hub, library):
    hub.fault(BERT_REPO, "model.onnx", corrupt=True)
    with pytest.raises(DownloadError, match=r"model\.onnx arrived corrupt \(sha256"):
        download_bert(library, endpoint=hub.url)
    assert installed(library) == []
    assert not [n for n in staged(library) if n.startswith("model.onnx")]

    hub.clear_faults()
    assert download_bert(library, endpoint=hub.url).onnx_path.is_file()
    assert len(hub.gets("model.onnx")) == 2 and len(hub.gets("vocab.txt")) == 1


def test_corrupt_regular_file_is_caught_by_its_git_blob_id(hub, library):
    hub.fault("sbv2/tiny-jp-extra", "config.json", corrupt=True)
    with pytest.raises(DownloadError, match=r"config\.json arrived corrupt \(git blob id"):
        download_voice(library, "sbv2/tiny-jp-extra", endpoint=hub.url)
    assert installed(library) == []


# -- voices -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("repo", "subfolder", "name", "kind"),
    [
        ("sbv2/tiny-jp-extra", None, "tiny-jp-extra", "sbv2"),
        ("sbv2/tiny-aivmx", None, AIVMX, "aivmx"),
        ("sbv2/collection", "model_assets/jp", "jp", "sbv2"),
        ("sbv2/collection", f"aivm/{AIVMX}", AIVMX, "aivmx"),
        ("sbv2/collection", "aivm", AIVMX, "aivmx"),
    ],
)
def test_voice_download_installs_a_loading_model(hub, library, repo, subfolder, name, kind):
    progress = Recorder()
    entry = download_voice(library, repo, subfolder=subfolder, progress=progress, endpoint=hub.url)

    assert entry.valid and entry.kind == kind and entry.path == library.models_dir / name
    assert load_voice_model(entry.path).speakers == entry.speakers
    assert entry.id in {e.id for e in library.scan()}
    assert staged(library) == [] and not hub.gets("README.md")
    total = sum(p.stat().st_size for p in ([entry.path] if kind == "aivmx" else entry.path.iterdir()))
    progress.check(total)


@pytest.mark.parametrize(
    "subfolder, converted", [(None, "tiny_e20_s200"), ("tiny_e10_s100.safetensors", "tiny_e10_s100")]
)
def test_safetensors_voice_download_is_converted(hub, library, subfolder, converted):
    """A repo of trainer checkpoints: only the newest (or the chosen) one is fetched, and converted to ONNX."""
    entry = download_voice(library, "sbv2/tiny-safetensors", subfolder=subfolder, endpoint=hub.url)
    assert entry.valid and entry.path == library.models_dir / "tiny-safetensors"
    assert load_voice_model(entry.path).onnx_path.name == f"{converted}.onnx"
    other = "tiny_e10_s100" if converted == "tiny_e20_s200" else "tiny_e20_s200"
    assert not hub.gets(f"{other}.safetensors") and staged(library) == []
    names = ("config.json", "style_vectors.npy", f"{converted}.onnx", "sbv2_studio_conversion.json")
    voice = "models/tiny-safetensors"
    assert installed(library) == sorted(["models", voice, *(f"{voice}/{n}" for n in names)])


def test_voice_choice_errors(hub, library):
    with pytest.raises(DownloadError, match=r"several voices \(aivm/.*aivmx, model_assets/jp/\)"):
        download_voice(library, "sbv2/collection", endpoint=hub.url)
    with pytest.raises(DownloadError, match="only .safetensors"):
        download_voice(library, "sbv2/collection", subfolder="old", endpoint=hub.url)
    with pytest.raises(DownloadError, match="no folder nowhere"):
        download_voice(library, "sbv2/collection", subfolder="nowhere", endpoint=hub.url)
    assert installed(library) == [] and not hub.gets(AIVMX)


def test_a_voice_already_in_the_library_is_not_fetched_again(hub, library):
    download_voice(library, "sbv2/tiny-aivmx", endpoint=hub.url)
    with pytest.raises(DownloadError, match="already in the library"):
        download_voice(library, "sbv2/tiny-aivmx", endpoint=hub.url)
    assert len(hub.gets(AIVMX)) == 1


def test_a_voice_that_does_not_load_is_not_installed(hub, library, tmp_path):
    bad = tmp_path / "bad.npy"
    np.save(bad, np.zeros((2, 10), dtype=np.float32))  # the right hash for the wrong shape
    hub.add_repo("sbv2/broken", _folder("jp_extra") | {"style_vectors.npy": bad.read_bytes()})
    with pytest.raises(DownloadError, match="does not load.*style vectors have shape"):
        download_voice(library, "sbv2/broken", endpoint=hub.url)
    assert installed(library) == [] and staged(library) == []


def test_disk_trouble_is_a_download_error(hub, library):
    library.home.mkdir(parents=True)
    (library.home / "downloads").write_text("a file where the staging folder goes")
    with pytest.raises(DownloadError, match="cannot write the download"):
        download_voice(library, "sbv2/tiny-aivmx", endpoint=hub.url)


# -- the Hub out of reach, or saying no -------------------------------------------------------------------


def test_unreachable_endpoint_is_a_clear_error(library):
    url = closed_port_url()
    with pytest.raises(DownloadError, match=rf"^cannot reach Hugging Face \({url}\): check your connection$"):
        download_bert(library, endpoint=url)
    with pytest.raises(DownloadError, match="cannot reach Hugging Face"):
        download_voice(library, "sbv2/tiny-aivmx", endpoint=url)
    assert installed(library) == []


def test_missing_repo_and_revision(hub, library):
    with pytest.raises(DownloadError, match="no such model repo"):
        download_voice(library, "sbv2/absent", endpoint=hub.url)
    with pytest.raises(DownloadError, match="no revision 'v9'"):
        download_voice(library, "sbv2/tiny-aivmx", revision="v9", endpoint=hub.url)
    with pytest.raises(DownloadError, match="not a Hugging Face repo id"):
        download_voice(library, "not a repo", endpoint=hub.url)


def test_hf_endpoint_is_read_at_call_time(hub, library, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    assert download_voice(library, "sbv2/tiny-aivmx").valid


def test_cli_download_prints_progress_and_installs(hub, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path / "home"))
    assert cli.main(["download", "sbv2/collection", "--subfolder", "model_assets/jp"]) == 0
    assert cli.main(["download-bert", "--fp16"]) == 0
    err = capsys.readouterr().err
    assert "tiny_jp_extra_e10_s100.onnx" in err and "(100%)" in err and "installed" in err
    assert (tmp_path / "home" / "models" / "jp" / "config.json").is_file()
    assert Library(home=tmp_path / "home").find_bert(prefer="fp16").variant == "fp16"


def test_cli_unreachable_is_one_line_without_traceback(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("HF_ENDPOINT", closed_port_url())
    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path / "home"))
    assert cli.main(["download-bert"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot reach Hugging Face (http://127.0.0.1:") and "Traceback" not in err


def test_the_model_info_call_retries_transient_server_errors(hub, library, monkeypatch):
    """One HTTP 500 (or 503, 429) on the model-info call is asked again, as file transfers are; a lasting one
    fails with a message, after MAX_ATTEMPTS calls."""
    from sbv2_studio.models import downloads

    monkeypatch.setattr(downloads, "RETRY_WAIT_S", 0.0)
    hub.fail_info(2, status=500)
    entry = download_voice(library, "sbv2/tiny-jp-extra", endpoint=hub.url)
    assert entry.valid
    info_calls = [r for r in hub.requests if "/api/models/" in r.path]
    assert len(info_calls) == 3

    hub.fail_info(downloads.MAX_ATTEMPTS, status=503)
    with pytest.raises(DownloadError, match="503"):
        download_voice(Library(home=library.home.parent / "other"), "sbv2/tiny-jp-extra", endpoint=hub.url)
    hub.clear_faults()
    hub.fail_info(1, status=404)  # not transient: refused at once
    with pytest.raises(DownloadError):
        download_voice(Library(home=library.home.parent / "third"), "sbv2/tiny-aivmx", endpoint=hub.url)
