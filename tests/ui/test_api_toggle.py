"""The window's side of "Serve the API": the API runs on the worker's own Studio and queue, and an API request's
result or failure is told apart from the person's (it never lands in resultReady or error)."""

from __future__ import annotations

import io

import pytest
import soundfile as sf

from sbv2_studio.models.library import BUILTIN_ID
from sbv2_studio.ui.worker import Worker

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from sbv2_studio.app.server import ServerConfig, create_app

pytestmark = pytest.mark.ui


def test_api_requests_run_on_the_window_worker_and_stay_out_of_its_results(qtbot, studio_env):
    w = Worker()
    try:
        with qtbot.waitSignal(w.loaded, timeout=30_000):
            w.load(BUILTIN_ID, warmup_runs=0)
        mine, errors, api_results, api_failures, started = [], [], [], [], []
        w.resultReady.connect(mine.append)
        w.error.connect(errors.append)
        w.apiResult.connect(api_results.append)
        w.apiFailed.connect(api_failures.append)
        w.jobStarted.connect(lambda job: started.append(job.kind))
        client = TestClient(create_app(w.api_runner(), ServerConfig()), base_url="http://127.0.0.1")
        builtin = next(s for s in client.get("/speakers").json() if s["version"] == "builtin")
        sid = builtin["styles"][0]["id"]
        query = {"accent_phrases": [], "text": "こんにちは。", "words": ["こんにちは", "。"], "speedScale": 1.0}
        with qtbot.waitSignal(w.apiResult, timeout=60_000):
            r = client.post("/synthesis", params={"speaker": sid}, json=query)
        assert r.status_code == 200
        assert sf.info(io.BytesIO(r.content)).frames > 0
        with qtbot.waitSignal(w.apiFailed, timeout=60_000):
            bad = client.post("/synthesis", params={"speaker": sid}, json={**query, "text": "、", "words": ["、"]})
        assert bad.status_code == 422
        qtbot.waitUntil(lambda: not w.busy and w.running is None, timeout=10_000)
        assert "request" in started  # it ran through the worker's own queue and Studio
        assert len(api_results) == 1 and api_failures and not mine and not errors
    finally:
        w.shutdown()


def test_tools_serve_the_api_serves_the_windows_voices_and_stops(qtbot, open_studio, studio_env):
    import json
    import socket
    import urllib.request

    from sbv2_studio.ui.widgets import NoticeBar

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    window = open_studio()
    window.api_config = ServerConfig(port=port)
    with qtbot.waitSignal(window.apiStateChanged, timeout=30_000) as state:
        window.serve_action.trigger()
    assert state.args == ["serving", f"http://127.0.0.1:{port}"]
    # whole requests from other programs come between streamed ones: the whole graph is not freed meanwhile
    assert window.worker.core.studio.keep_whole_graph
    notice = window.findChild(NoticeBar, "apiNotice")
    assert notice is not None and str(port) in notice.text
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/speakers", timeout=10) as reply:
        speakers = json.load(reply)
    assert any(s["version"] == "builtin" for s in speakers)
    with qtbot.waitSignal(window.apiStateChanged, timeout=30_000) as state:
        window.serve_action.trigger()
    assert state.args[0] == "stopped" and window.api_server is None
    assert not window.worker.core.studio.keep_whole_graph
    with pytest.raises(OSError):
        urllib.request.urlopen(f"http://127.0.0.1:{port}/version", timeout=2)


def test_a_taken_port_is_a_notice_and_the_toggle_goes_back_off(qtbot, open_studio, studio_env):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        window = open_studio()
        window.api_config = ServerConfig(port=taken.getsockname()[1])
        with qtbot.waitSignal(window.apiStateChanged, timeout=30_000) as state:
            window.serve_action.trigger()
    assert state.args[0] == "failed" and not window.serve_action.isChecked()
