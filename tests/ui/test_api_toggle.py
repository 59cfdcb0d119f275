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
