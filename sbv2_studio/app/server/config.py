"""The API server's settings: where it listens, who may call it, and how much one request may ask."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

# Neither VOICEVOX's (50021) nor AivisSpeech's (10101), nor another engine's that we know of (COEIROINK 50031/
# 50032, SHAREVOX 50025, NEMO 50121).
DEFAULT_PORT = 50210
DEFAULT_HOST = "127.0.0.1"
# As VOICEVOX's "localapps" CORS mode: pages served from this machine and desktop apps (app:// origins).
LOCAL_ORIGINS_REGEX = r"^(https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?|app://.*)$"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class ServerConfig:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    # CORS: "localapps" (localhost pages and app:// origins, as VOICEVOX's default) or "all"; plus these origins.
    cors_mode: str = "localapps"
    allow_origins: list[str] = field(default_factory=list)
    api_key: str | None = None  # when set, every request but GET /version needs X-API-Key (or Bearer) equal to it
    max_body_bytes: int = 10 * 1024 * 1024
    max_text_chars: int = 1000  # per text parameter, and per query's text
    max_queries: int = 50  # /multi_synthesis
    max_waves: int = 50  # /connect_waves
    max_wait_s: float = 300.0  # a request that cannot start within this answers 503 (the queue is too long)
    # The voices' sessions (the loaded voice's own when it is the one asked for).
    bert_path: str | None = None
    bert_backend: str = "cpu"
    synth_backend: str = "cpu"

    def __post_init__(self) -> None:
        if self.cors_mode not in ("localapps", "all"):
            raise ValueError(f"cors_mode must be 'localapps' or 'all', not {self.cors_mode!r}")
        if not 0 <= int(self.port) <= 65535:
            raise ValueError(f"port {self.port} is outside 0..65535")

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def trusted_hosts(self) -> list[str]:
        """Host headers accepted: on loopback only loopback names (a web page cannot reach the engine through a
        rebinding DNS name); elsewhere any."""
        if not self.loopback:
            return ["*"]
        return ["localhost", "127.0.0.1", "[::1]", "::1"]


__all__ = ["DEFAULT_HOST", "DEFAULT_PORT", "LOCAL_ORIGINS_REGEX", "ServerConfig", "is_loopback"]
