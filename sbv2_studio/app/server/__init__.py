"""The VOICEVOX-compatible HTTP API (`sbv2-studio serve`, and the window's Tools → Serve the API).

`create_app(runner, config)` builds the FastAPI app over a JobRunner (the one Studio queue); `ApiServer` runs it
on a background thread; `StudioThread` is the headless engine's runner. See docs/http-api.md.
"""

from __future__ import annotations

from .config import DEFAULT_HOST, DEFAULT_PORT, ServerConfig
from .runner import ApiServer, JobRunner, StudioThread


def create_app(runner, config=None):
    from .app import create_app as _create

    return _create(runner, config)


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "ApiServer", "JobRunner", "ServerConfig", "StudioThread", "create_app"]
