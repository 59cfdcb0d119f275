"""A local stand-in for the Hugging Face Hub: the parts of its HTTP API that huggingface_hub and
sbv2_studio.models.downloads call, served from 127.0.0.1 only, with faults a test can switch on."""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMMIT = "5eb1a1e7c0ffee0000000000000000000000beef"
LFS_SUFFIXES = (".onnx", ".npy", ".aivmx", ".safetensors")  # what .gitattributes sends to LFS on the Hub
PIECE = 16 * 1024  # the server writes bodies in pieces this big, so faults land between them
HOLD_TIMEOUT = 10.0  # a held response never outlives this, even if a test forgets to release it


def git_blob_sha1(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Request:
    method: str
    path: str  # URL path, unquoted, without the query
    range: str | None
    sent: int = 0  # body bytes written


class FakeHub:
    """Repos of real files; `hub.url` is the endpoint. Faults apply to one file of one repo:

    - corrupt: every GET serves the file with its bytes flipped (same size, wrong hash);
    - drop_after=N: the first GET sends N bytes, then closes the connection;
    - hold_after=N: the first GET sends N bytes, then waits for `hub.release` and closes.
    """

    def __init__(self) -> None:
        self.repos: dict[str, dict[str, bytes]] = {}
        self.requests: list[Request] = []
        self.release = threading.Event()
        self._faults: dict[tuple[str, str], dict] = {}
        self._info_failures: list[int] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- set-up -------------------------------------------------------------------------------------------

    def add_repo(self, repo_id: str, files: dict[str, bytes | Path]) -> None:
        self.repos[repo_id] = {
            name: data if isinstance(data, bytes) else Path(data).read_bytes() for name, data in files.items()
        }

    def fault(self, repo_id: str, path: str, *, corrupt=False, drop_after=None, hold_after=None) -> None:
        self._faults[(repo_id, path)] = {"corrupt": corrupt, "drop_after": drop_after, "hold_after": hold_after}

    def fail_info(self, times: int, status: int = 500) -> None:
        """The next `times` model-info calls answer HTTP `status` (a transient server error)."""
        self._info_failures = [status] * times

    def clear_faults(self) -> None:
        self._faults.clear()
        self._info_failures = []

    def gets(self, path_suffix: str) -> list[Request]:
        """The GET requests for files whose URL ends with `path_suffix`."""
        with self._lock:
            return [r for r in self.requests if r.method == "GET" and r.path.endswith("/" + path_suffix)]

    # -- server -------------------------------------------------------------------------------------------

    def start(self) -> str:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True  # a handler blocked on a dead client must not hold up teardown
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            args=(0.05,),
            name="fake-hub",
            daemon=True,  # quick shutdown
        )
        self._thread.start()
        return self.url

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)

    # -- what the Hub answers -----------------------------------------------------------------------------

    def sibling(self, name: str, data: bytes) -> dict:
        entry = {"rfilename": name, "size": len(data), "blobId": git_blob_sha1(data)}
        if name.endswith(LFS_SUFFIXES):
            # For LFS files the Hub reports the pointer's blob id and the content's sha256.
            pointer = f"version https://git-lfs.github.com/spec/v1\noid sha256:{_sha256(data)}\nsize {len(data)}\n"
            entry["blobId"] = git_blob_sha1(pointer.encode())
            entry["lfs"] = {"sha256": _sha256(data), "size": len(data), "pointerSize": len(pointer)}
        return entry

    def model_info(self, repo_id: str) -> dict:
        return {
            "_id": "0" * 24,
            "id": repo_id,
            "modelId": repo_id,
            "author": repo_id.split("/")[0],
            "sha": COMMIT,
            "private": False,
            "disabled": False,
            "gated": False,
            "downloads": 0,
            "likes": 0,
            "tags": [],
            "lastModified": "2024-09-17T00:00:00.000Z",
            "createdAt": "2024-09-17T00:00:00.000Z",
            "siblings": [self.sibling(n, d) for n, d in sorted(self.repos[repo_id].items())],
        }


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_INFO = re.compile(r"^/api/models/(?P<repo>[^/]+/[^/]+)(?:/revision/(?P<rev>[^/]+))?$")
_RESOLVE = re.compile(r"^/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<path>.+)$")
_RANGE = re.compile(r"^bytes=(\d+)-(\d*)$")


def _handler_for(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: one request per connection, so no idle keep-alive handler outlives a test.
        def log_message(self, *args) -> None:
            pass

        def do_HEAD(self) -> None:
            self._route(body=False)

        def do_GET(self) -> None:
            self._route(body=True)

        def _route(self, body: bool) -> None:
            path = unquote(urlsplit(self.path).path)
            record = Request(self.command, path, self.headers.get("Range"))
            with hub._lock:
                hub.requests.append(record)
            try:
                if m := _INFO.match(path):
                    self._info(m["repo"], m["rev"])
                elif m := _RESOLVE.match(path):
                    self._resolve(m["repo"], m["rev"], m["path"], body, record)
                else:
                    self._error(404, "EntryNotFound", f"no route for {path}")
            except (ConnectionError, TimeoutError):
                pass  # the client went away (a cancelled download): nothing left to answer

        def _error(self, status: int, code: str, message: str) -> None:
            payload = json.dumps({"error": message}).encode()
            self.send_response(status)
            self.send_header("X-Error-Code", code)
            self.send_header("X-Error-Message", message)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)

        def _repo(self, repo: str, rev: str | None) -> dict[str, bytes] | None:
            if repo not in hub.repos:
                self._error(404, "RepoNotFound", "Repository not found")
                return None
            if rev not in (None, "main", COMMIT):
                self._error(404, "RevisionNotFound", f"Invalid rev id: {rev}")
                return None
            return hub.repos[repo]

        def _info(self, repo: str, rev: str | None) -> None:
            with hub._lock:
                status = hub._info_failures.pop(0) if hub._info_failures else None
            if status is not None:
                self._error(status, "ServerError", f"transient failure {status}")
                return
            if self._repo(repo, rev) is None:
                return
            payload = json.dumps(hub.model_info(repo)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _resolve(self, repo: str, rev: str, name: str, body: bool, record: Request) -> None:
            files = self._repo(repo, rev)
            if files is None:
                return
            if name not in files:
                self._error(404, "EntryNotFound", f"{name} does not exist on {rev}")
                return
            data = files[name]
            fault = hub._faults.get((repo, name), {})
            if fault.get("corrupt"):
                data = bytes(b ^ 0xFF for b in data[:64]) + data[64:]
            sibling = hub.sibling(name, files[name])
            etag = sibling["lfs"]["sha256"] if "lfs" in sibling else sibling["blobId"]

            start, end, status = 0, len(data) - 1, 200
            if body and (m := _RANGE.match(self.headers.get("Range") or "")):
                start = int(m[1])
                end = min(int(m[2]), end) if m[2] else end
                if start >= len(data):
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{len(data)}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 206
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(end - start + 1))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("ETag", f'"{etag}"')
            self.send_header("X-Repo-Commit", COMMIT)
            if "lfs" in sibling:
                self.send_header("X-Linked-Etag", f'"{etag}"')
                self.send_header("X-Linked-Size", str(len(data)))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
            self.end_headers()
            if not body:
                return

            # Faults act on the first GET only: the retry or re-run that follows is served in full.
            drop_after = fault.pop("drop_after", None)
            hold_after = fault.pop("hold_after", None)
            stop_after = drop_after if drop_after is not None else hold_after
            view = memoryview(data)[start : end + 1]
            for offset in range(0, len(view), PIECE):
                piece = view[offset : offset + PIECE]
                if stop_after is not None and record.sent + len(piece) > stop_after:
                    piece = piece[: stop_after - record.sent]
                self.wfile.write(piece)
                record.sent += len(piece)
                if stop_after is not None and record.sent >= stop_after:
                    self.wfile.flush()
                    if hold_after is not None:
                        hub.release.wait(HOLD_TIMEOUT)
                    self.close_connection = True
                    return

    return Handler
