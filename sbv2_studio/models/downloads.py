"""Model downloads from Hugging Face: the shared DeBERTa ONNX folder, and SBV2 ONNX voices by repo id.

huggingface_hub lists the repo (each file's size, and the sha256 of LFS files or the git blob id of others) and
builds the URLs and headers; the bytes are fetched here, on its HTTP session, rather than with hf_hub_download:
that has no progress hook before 2.x, and 2.x deletes the partial file of a failed download, so a cancelled or
dropped download could not resume.

Files land in a staging folder, <home>/downloads/<repo>, as `<name>.<hash>.part` while they arrive (a re-run
resumes them with a Range request), are renamed to `<name>` once their size and hash match what the Hub reported,
and move into the library only when the whole model loads. A failed or cancelled download therefore never leaves
a half model in the library.
"""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import re
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from huggingface_hub import HfApi, constants, hf_hub_url
from huggingface_hub.utils import (
    GatedRepoError,
    HfHubHTTPError,
    HFValidationError,
    OfflineModeIsEnabled,
    RepositoryNotFoundError,
    RevisionNotFoundError,
    build_hf_headers,
    get_session,
)

from ..errors import ModelError, StudioError
from .formats import BertModel, load_bert_folder, load_voice_model
from .library import Library, ModelEntry, _entry_for
from .safetensors_voice import convert_voice, find_safetensors_voice

log = logging.getLogger(__name__)

BERT_REPO = "tsukumijima/deberta-v2-large-japanese-char-wwm-onnx"
BERT_GRAPHS = {"fp32": "model.onnx", "fp16": "model_fp16.onnx"}
# The tokenizer and config files beside the graph; vocab.txt is the one the studio cannot do without.
BERT_SIDE_FILES = ("config.json", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json", "tokenizer.json")

CHUNK_SIZE = 64 * 1024  # small enough that progress moves and a cancel lands quickly on a slow link
MAX_ATTEMPTS = 8  # GETs per file: a dropped connection is resumed at once, up to this many times
RETRY_WAIT_S = 1.0  # before asking the model-info call again (then 2 s, 3 s …, at most 5 s)
MAX_STALLS = 3  # attempts in a row that receive nothing before giving up (waiting 1 s, 2 s, 3 s between)

Progress = Callable[[int, int, str], None]  # (bytes done, bytes in all, file being fetched)


class DownloadError(StudioError):
    """A download failed: the Hub could not be reached, a file is missing or arrived corrupt, or the model
    it produced does not load. The library is left as it was."""


class DownloadCancelled(StudioError):
    """The person cancelled; what arrived is kept, and running the same download again resumes it."""

    def __init__(self, message: str = "download cancelled; run it again to resume where it stopped"):
        super().__init__(message)


@dataclass(frozen=True)
class RemoteFile:
    path: str  # path in the repo
    size: int | None
    sha256: str | None  # LFS files: the content's sha256
    blob_id: str | None  # other files: the git blob sha1 of the content

    @property
    def name(self) -> str:
        return posixpath.basename(self.path)

    @property
    def part_name(self) -> str:
        # The expected hash in the name: a partial file of an older revision is never resumed into a newer one.
        return f"{self.name}.{(self.sha256 or self.blob_id or 'unverified')[:16]}.part"


# -- public API -------------------------------------------------------------------------------------------


def download_bert(
    library: Library,
    *,
    variant: str = "fp32",
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    endpoint: str | None = None,
) -> BertModel:
    """Fetch the DeBERTa ONNX graph (`variant` "fp32" or "fp16") and its tokenizer files into library.bert_dir."""
    if variant not in BERT_GRAPHS:
        raise DownloadError(f"unknown BERT variant {variant!r} (choose {' or '.join(BERT_GRAPHS)})")
    endpoint = _endpoint(endpoint)
    commit, files = _list_repo(BERT_REPO, None, endpoint)
    graph = BERT_GRAPHS[variant]
    for required in (graph, "vocab.txt"):
        if required not in files:
            raise DownloadError(f"{BERT_REPO} has no {required}: the repo is not the expected DeBERTa ONNX export")
    wanted = [files[n] for n in BERT_SIDE_FILES if n in files] + [files[graph]]

    staging = _staging_dir(library, BERT_REPO)
    with _disk_errors(library):
        _fetch_all(BERT_REPO, commit, wanted, staging, endpoint, progress, cancel)
        try:
            load_bert_folder(staging, prefer=variant)
        except ModelError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise DownloadError(f"the downloaded BERT model does not load: {exc}") from exc
        # Each file replaces its namesake, so the other variant, if already there, stays usable.
        library.bert_dir.mkdir(parents=True, exist_ok=True)
        for remote in wanted:
            os.replace(staging / remote.name, library.bert_dir / remote.name)
        shutil.rmtree(staging, ignore_errors=True)
    return load_bert_folder(library.bert_dir, prefer=variant)


def download_voice(
    library: Library,
    repo_id: str,
    *,
    subfolder: str | None = None,
    revision: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    endpoint: str | None = None,
) -> ModelEntry:
    """Fetch an SBV2 voice into library.models_dir: a folder (config.json + style_vectors.npy + .onnx, or the
    newest .safetensors checkpoint, converted to ONNX once fetched) or an .aivmx file. `subfolder` picks one voice
    in a repo that holds several (a folder, an .aivmx path, or a .safetensors checkpoint's path)."""
    endpoint = _endpoint(endpoint)
    commit, files = _list_repo(repo_id, revision, endpoint)
    wanted, name, is_aivmx = _pick_voice(repo_id, files, subfolder)
    target = library.models_dir / name
    _check_free(target)

    key = repo_id if not subfolder else f"{repo_id}/{subfolder.strip('/')}"
    staging = _staging_dir(library, key)
    source = staging / name if is_aivmx else staging
    with _disk_errors(library):
        _fetch_all(repo_id, commit, wanted, staging, endpoint, progress, cancel)
        checkpoint = find_safetensors_voice(source) if not is_aivmx else None
        try:
            if checkpoint is not None:  # trainer weights: converted to an ONNX voice folder in the library
                _check_free(target)
                convert_voice(checkpoint, target)
            else:
                load_voice_model(source)
        except ModelError as exc:
            shutil.rmtree(staging, ignore_errors=True)  # the files match the repo: fetching again will not help
            raise DownloadError(f"{repo_id}: the downloaded voice does not load: {exc}") from exc
        if checkpoint is None:
            _check_free(target)
            library.models_dir.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
        shutil.rmtree(staging, ignore_errors=True)
    return _entry_for(target)


# -- the repo ---------------------------------------------------------------------------------------------


def _endpoint(endpoint: str | None) -> str:
    # huggingface_hub reads HF_ENDPOINT once, when it is imported; read it again so a later change counts.
    return (endpoint or os.environ.get("HF_ENDPOINT") or constants.ENDPOINT).rstrip("/")


def _network_errors() -> tuple[type[BaseException], ...]:
    """Transport failures of the HTTP library huggingface_hub uses: requests before 1.0, httpx after."""
    library = sys.modules[type(get_session()).__module__.partition(".")[0]]
    found = tuple(getattr(library, n) for n in ("TransportError", "RequestException") if hasattr(library, n))
    return found or (OSError,)


@contextmanager
def _hub_errors(repo_id: str, revision: str | None, endpoint: str) -> Iterator[None]:
    """Turn huggingface_hub's exceptions into messages a person can act on (subclasses before their bases)."""
    try:
        yield
    except OfflineModeIsEnabled as exc:
        raise DownloadError("Hugging Face downloads are off (HF_HUB_OFFLINE is set)") from exc
    except GatedRepoError as exc:
        raise DownloadError(f"{repo_id} is gated: accept its terms on the Hub, then log in (hf auth login)") from exc
    except RevisionNotFoundError as exc:
        raise DownloadError(f"{repo_id} has no revision {revision!r}") from exc
    except RepositoryNotFoundError as exc:
        raise DownloadError(f"{repo_id}: no such model repo on Hugging Face (or it is private: log in)") from exc
    except HfHubHTTPError as exc:
        raise DownloadError(f"Hugging Face refused the request for {repo_id}: {str(exc).splitlines()[0]}") from exc
    except HFValidationError as exc:
        raise DownloadError(f"{repo_id!r} is not a Hugging Face repo id (owner/name)") from exc
    except _network_errors() as exc:
        raise DownloadError(f"cannot reach Hugging Face ({endpoint}): check your connection") from exc


def _list_repo(repo_id: str, revision: str | None, endpoint: str) -> tuple[str, dict[str, RemoteFile]]:
    """The commit a revision points at, and every file of the repo there with its size and hash."""
    with _hub_errors(repo_id, revision, endpoint):
        info = _with_retries(
            lambda: HfApi(endpoint=endpoint).model_info(repo_id, revision=revision, files_metadata=True)
        )
    files = {}
    for s in info.siblings or []:
        lfs = s.lfs.get("sha256") if isinstance(s.lfs, dict) else getattr(s.lfs, "sha256", None)
        files[s.rfilename] = RemoteFile(s.rfilename, s.size, lfs, None if lfs else s.blob_id)
    # Every file is fetched at this commit, so a push during the download cannot mix two versions.
    return info.sha or revision or "main", files


def _transient(exc: BaseException) -> bool:
    """A failure worth asking again, as file transfers do: the connection, or HTTP 408, 429 or 5xx."""
    if isinstance(exc, HfHubHTTPError):
        status = getattr(getattr(exc, "response", None), "status_code", None)
        return status is not None and (status in (408, 429) or status >= 500)
    return isinstance(exc, _network_errors())


def _with_retries(call):
    """`call()`, asked again up to MAX_ATTEMPTS times while it fails transiently (waiting RETRY_WAIT_S, then
    twice that … between); the last failure is raised."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            return call()
        except Exception as exc:
            if attempt == MAX_ATTEMPTS or not _transient(exc):
                raise
            log.info("Hugging Face call failed (%s); asking again", exc)
            time.sleep(min(RETRY_WAIT_S * attempt, 5.0))
    raise AssertionError("unreachable")


_STEP = re.compile(r"_s(\d+)\.(?:onnx|safetensors)$")


def _folder_voices(files: dict[str, RemoteFile]) -> dict[str, list[RemoteFile]]:
    """Folders holding config.json, style_vectors.npy and an .onnx ("" is the repo root) → the files to fetch."""
    voices = {}
    for path in files:
        folder = posixpath.dirname(path)
        if posixpath.basename(path) != "config.json" or posixpath.join(folder, "style_vectors.npy") not in files:
            continue
        graphs = [p for p in files if posixpath.dirname(p) == folder and p.endswith(".onnx")]
        # a folder without an ONNX export but with trainer checkpoints is converted once fetched
        graphs = graphs or [p for p in files if posixpath.dirname(p) == folder and p.endswith(".safetensors")]
        if graphs:
            # Several checkpoints may sit side by side: take the one trained longest (`…_e100_s5000.onnx`).
            graph = max(graphs, key=lambda p: (int(m[1]) if (m := _STEP.search(p)) else -1, p))
            voices[folder] = [files[path], files[posixpath.join(folder, "style_vectors.npy")], files[graph]]
    return voices


def _pick_voice(
    repo_id: str, files: dict[str, RemoteFile], subfolder: str | None
) -> tuple[list[RemoteFile], str, bool]:
    """The files of the one voice meant, its name in the library, and whether it is an .aivmx file."""
    sub = (subfolder or "").strip("/")
    if sub.lower().endswith(".aivmx"):
        if sub not in files:
            raise DownloadError(f"{repo_id} has no file {sub}")
        return [files[sub]], posixpath.basename(sub), True
    folders = _folder_voices(files)
    if sub.lower().endswith(".safetensors"):  # one checkpoint of a safetensors voice, chosen by name
        folder = posixpath.dirname(sub)
        if sub not in files or folder not in folders:
            raise DownloadError(f"{repo_id} has no safetensors voice checkpoint {sub} (with config.json and "
                                "style_vectors.npy beside it)")  # fmt: skip
        return [*folders[folder][:2], files[sub]], posixpath.basename(folder) or repo_id.split("/")[-1], False
    if sub in folders:  # a folder voice right there (at the root when no subfolder is given)
        return folders[sub], posixpath.basename(sub) or repo_id.split("/")[-1], False

    # Otherwise there must be exactly one voice below `sub`.
    prefix = f"{sub}/" if sub else ""
    choices = {p: ([files[p]], posixpath.basename(p), True) for p in files if p.lower().endswith(".aivmx")}
    choices.update({f"{f}/": (w, posixpath.basename(f), False) for f, w in folders.items() if f})
    choices = {k: v for k, v in choices.items() if k.startswith(prefix)}
    if len(choices) == 1:
        return next(iter(choices.values()))
    where = f"{repo_id}/{sub}" if sub else repo_id
    if choices:
        raise DownloadError(f"{where} holds several voices ({', '.join(sorted(choices))}): choose one as the subfolder")
    if sub and not any(p.startswith(prefix) for p in files):
        raise DownloadError(f"{repo_id} has no folder {sub}")
    if any(p.startswith(prefix) and p.endswith(".safetensors") for p in files):
        raise DownloadError(f"{where} has only .safetensors weights without config.json and style_vectors.npy beside "
                            "them: they cannot be turned into a voice")  # fmt: skip
    raise DownloadError(
        f"{where} holds no SBV2 voice (config.json + style_vectors.npy + .onnx or .safetensors, or an .aivmx)"
    )


# -- fetching ---------------------------------------------------------------------------------------------


def _staging_dir(library: Library, key: str) -> Path:
    # Outside models/ and bert/, so the library never lists a half-downloaded model.
    return library.home / "downloads" / re.sub(r"[^\w.-]+", "--", key)


@contextmanager
def _disk_errors(library: Library) -> Iterator[None]:
    # Network failures are DownloadErrors by now; an OSError left is the disk (full, read-only, a file in use).
    try:
        yield
    except OSError as exc:
        raise DownloadError(f"cannot write the download under {library.home} ({exc})") from exc


def _check_free(target: Path) -> None:
    if target.exists():
        raise DownloadError(f"{target}: a model of that name is already in the library")


class _Tally:
    """Bytes done across all files of one download, reported to the callback; cancel is checked per chunk."""

    def __init__(self, total: int, progress: Progress | None, cancel: threading.Event | None):
        self.total, self.done, self.base = total, 0, 0
        self.progress = progress
        self.cancel = cancel if cancel is not None else threading.Event()
        self.name = ""

    def check_cancel(self) -> None:
        if self.cancel.is_set():
            raise DownloadCancelled()

    def start_file(self, name: str) -> None:
        self.name, self.base = name, self.done

    def at(self, offset: int) -> None:
        # Only goes back if a server ignores a resume request and the file starts over.
        self.done = self.base + offset
        self.report()

    def advance(self, n: int) -> None:
        self.done += n
        self.report()
        self.check_cancel()

    def report(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total, self.name)


def _fetch_all(
    repo_id: str,
    commit: str,
    wanted: list[RemoteFile],
    staging: Path,
    endpoint: str,
    progress: Progress | None,
    cancel: threading.Event | None,
) -> None:
    """Fetch every wanted file into `staging`, resuming partial files and skipping verified ones."""
    tally = _Tally(sum(f.size or 0 for f in wanted), progress, cancel)
    tally.check_cancel()
    staging.mkdir(parents=True, exist_ok=True)
    keep = {f.name for f in wanted} | {f.part_name for f in wanted}
    for stray in staging.iterdir():  # files of another revision or another choice of voice
        if stray.is_dir():
            shutil.rmtree(stray)
        elif stray.name not in keep:
            stray.unlink()
    for remote in wanted:
        url = hf_hub_url(repo_id, remote.path, revision=commit, endpoint=endpoint)
        _fetch(url, remote, staging, tally, endpoint)
    tally.name = ""
    tally.report()


class _Retry(Exception):
    """A GET that ended before the file was complete, in a way worth trying again."""


def _fetch(url: str, remote: RemoteFile, staging: Path, tally: _Tally, endpoint: str) -> None:
    final, part = staging / remote.name, staging / remote.part_name
    tally.start_file(remote.path)
    if final.is_file():
        if _problem(final, remote) is None:  # verified in an earlier run
            tally.at(final.stat().st_size)
            return
        final.unlink()
    retryable = (_Retry, *_network_errors())
    complete, error, stalls = False, None, 0
    for _attempt in range(MAX_ATTEMPTS):
        tally.check_cancel()
        before = _size(part)
        try:
            _get(url, part, remote, tally)
            complete = True
            break
        except retryable as exc:
            error = exc
        if _size(part) > before:
            stalls = 0
            continue  # it was moving: resume at once
        stalls += 1
        if stalls > MAX_STALLS:
            break
        if tally.cancel.wait(stalls):
            raise DownloadCancelled()
    if not complete:
        reason = str(error) if isinstance(error, _Retry) else f"cannot reach {endpoint}"
        raise DownloadError(
            f"{remote.path}: the download keeps failing ({reason}); check your connection and run it again to resume"
        ) from error

    problem = _problem(part, remote)
    if problem is not None:
        part.unlink(missing_ok=True)
        raise DownloadError(f"{remote.path} arrived corrupt ({problem}); it was deleted, run the download again")
    os.replace(part, final)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _get(url: str, part: Path, remote: RemoteFile, tally: _Tally) -> None:
    """One GET of the rest of `remote` into `part`; raises _Retry if the file is still incomplete after it."""
    offset = _size(part)
    if remote.size is not None and offset >= remote.size:
        return  # complete, or too long: verification decides
    headers = build_hf_headers()  # user agent, and the token of a logged-in user for gated or private repos
    headers["Accept-Encoding"] = "identity"  # byte ranges must count the file's bytes, not a gzip stream's
    if offset:
        headers["Range"] = f"bytes={offset}-"
    with _stream(url, headers) as (status, response_headers, chunks):
        if status == 416:  # the partial file does not fit the remote one: start over
            part.unlink(missing_ok=True)
            raise _Retry("the server refused to resume")
        if status in (408, 429) or status >= 500:
            raise _Retry(f"Hugging Face answered HTTP {status}")
        if status >= 400:
            raise DownloadError(_http_problem(status, remote.path))
        if offset and status != 206:
            offset = 0  # the server ignored the Range request and sends the whole file
        length = response_headers.get("Content-Length")
        expected = remote.size if remote.size is not None else offset + int(length) if length else None
        tally.at(offset)
        with open(part, "ab" if offset else "wb") as f:
            for chunk in chunks:
                f.write(chunk)
                tally.advance(len(chunk))
    if expected is not None and _size(part) < expected:
        raise _Retry("the connection closed early")


@contextmanager
def _stream(url: str, headers: dict[str, str]) -> Iterator[tuple[int, dict, Iterator[bytes]]]:
    """A streamed GET on huggingface_hub's own session (its proxy and certificate settings)."""
    session = get_session()
    timeout = constants.HF_HUB_DOWNLOAD_TIMEOUT
    # httpx from huggingface_hub 1.0 on, requests before (where Session.stream is a flag, not a method).
    if callable(getattr(session, "stream", None)):
        with session.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as r:
            yield r.status_code, r.headers, r.iter_bytes(CHUNK_SIZE)
    else:
        with session.get(url, headers=headers, timeout=timeout, stream=True) as r:
            yield r.status_code, r.headers, r.iter_content(CHUNK_SIZE)


def _http_problem(status: int, path: str) -> str:
    if status in (401, 403):
        return f"{path}: access denied by Hugging Face (a gated or private repo needs you to log in)"
    if status == 404:
        return f"{path}: not found on Hugging Face"
    return f"{path}: Hugging Face answered HTTP {status}"


def _problem(path: Path, remote: RemoteFile) -> str | None:
    """What is wrong with a downloaded file compared with what the Hub reported, or None."""
    size = path.stat().st_size
    if remote.size is not None and size != remote.size:
        return f"{size} bytes instead of {remote.size}"
    if remote.sha256:
        digest = _hash_file(path, hashlib.sha256())
        if digest != remote.sha256:
            return f"sha256 {digest[:12]}… instead of {remote.sha256[:12]}…"
    elif remote.blob_id:
        digest = _hash_file(path, hashlib.sha1(b"blob %d\0" % size))  # git's blob id of the content
        if digest != remote.blob_id:
            return f"git blob id {digest[:12]}… instead of {remote.blob_id[:12]}…"
    return None


def _hash_file(path: Path, h) -> str:
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()
