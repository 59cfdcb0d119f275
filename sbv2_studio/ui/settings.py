"""What the window remembers across launches: voice, parameters, backends, geometry, the last text.

Backed by QSettings. The real user's settings live where Qt puts them (e.g. ~/.config/sbv2-studio/); tests and
portable use pass an INI file instead (or set SBV2_STUDIO_SETTINGS to one), so they never touch the user's.
Typed values (parameters, lists) are stored as JSON strings: INI files give everything back as text.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from ..app import Backend, StudioError, SynthesisParams

ORG = "sbv2-studio"
APP = "SBV2 Studio"
SETTINGS_ENV = "SBV2_STUDIO_SETTINGS"


class Settings:
    def __init__(self, path: str | Path | None = None):
        path = path if path is not None else os.environ.get(SETTINGS_ENV) or None
        if path is not None:
            self.qs = QSettings(str(path), QSettings.Format.IniFormat)
        else:
            self.qs = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORG, APP)
        # Saved values that were unusable and fell back to their defaults (the window says so once).
        self.problems: list[str] = []

    @property
    def path(self) -> str:
        return self.qs.fileName()

    # -- raw access ---------------------------------------------------------------------------------------------

    def _json(self, key: str, default: Any, kind: type | tuple[type, ...] | None = None) -> Any:
        """The saved value, or `default` when it is absent, not JSON, or not of `kind` (noted in `problems`)."""
        raw = self.qs.value(key)
        if raw is None or raw == "":
            return default
        try:
            value = json.loads(str(raw))
        except (ValueError, RecursionError):
            return self._bad(key, default)
        if kind is not None and value is not None and not isinstance(value, kind):
            return self._bad(key, default)
        return value

    def _bad(self, key: str, default: Any) -> Any:
        if key not in self.problems:
            self.problems.append(key)
        return default

    def _set_json(self, key: str, value: Any) -> None:
        self.qs.setValue(key, json.dumps(value, ensure_ascii=False))

    def _bytes(self, key: str) -> QByteArray | None:
        raw = self.qs.value(key)
        return raw if isinstance(raw, QByteArray) and not raw.isEmpty() else None

    def unusable(self) -> list[str]:
        """Read every typed value once and return the keys whose saved values could not be used."""
        for name in (
            "model_id",
            "extra_roots",
            "bert_path",
            "params",
            "backends",
            "last_text",
            "output_device",
            "language",
        ):
            getattr(self, name)
        return list(self.problems)

    def sync(self) -> None:
        self.qs.sync()

    # -- typed values -----------------------------------------------------------------------------------------

    @property
    def model_id(self) -> str | None:
        return self._json("voice/model_id", None, str)

    @model_id.setter
    def model_id(self, value: str | None) -> None:
        self._set_json("voice/model_id", value)

    @property
    def extra_roots(self) -> list[str]:
        value = self._json("library/extra_roots", [], list)
        return [v for v in value if isinstance(v, str)]

    @extra_roots.setter
    def extra_roots(self, value: list[str]) -> None:
        self._set_json("library/extra_roots", list(value))

    @property
    def bert_path(self) -> str | None:
        return self._json("library/bert_path", None, str)

    @bert_path.setter
    def bert_path(self, value: str | None) -> None:
        self._set_json("library/bert_path", value)

    @property
    def params(self) -> SynthesisParams:
        """The saved parameters; unknown or malformed entries fall back to the reference defaults."""
        saved = self._json("voice/params", {}, dict)
        params = SynthesisParams()
        for f in fields(SynthesisParams):
            if f.name not in saved:
                continue
            trial = SynthesisParams(**{**asdict(params), f.name: saved[f.name]})
            try:  # one bad value costs only itself: the others are kept
                trial.validate()
            except Exception:
                self._bad(f"voice/params.{f.name}", None)
                continue
            params = trial
        return params

    @params.setter
    def params(self, value: SynthesisParams) -> None:
        self._set_json("voice/params", asdict(value))

    @property
    def backends(self) -> dict[str, str]:
        value = self._json("backends/stages", {}, dict)
        out = {"bert": "cpu", "synthesize": "cpu"}
        for stage, spec in value.items():
            if stage in out and isinstance(spec, str) and _valid_backend(spec):
                out[stage] = spec
            elif stage in out:
                self._bad(f"backends/stages.{stage}", None)
        return out

    @property
    def backends_chosen(self) -> bool:
        """The backends were saved before (the person's, or this machine's measured defaults they kept)."""
        return self.qs.contains("backends/stages")

    @backends.setter
    def backends(self, value: dict[str, str]) -> None:
        self._set_json("backends/stages", dict(value))

    @property
    def last_text(self) -> str | None:
        return self._json("editor/last_text", None, str)

    @last_text.setter
    def last_text(self, value: str) -> None:
        self._set_json("editor/last_text", value)

    @property
    def language(self) -> str:
        """The window's language: "system" (follow the system's), "ja" or "en" (ui/i18n.py)."""
        value = self._json("ui/language", "system", str)
        return value if value in ("system", "ja", "en") else self._bad("ui/language", "system")

    @language.setter
    def language(self, value: str) -> None:
        self._set_json("ui/language", value)

    @property
    def output_device(self) -> str | None:
        return self._json("audio/output_device", None, str)

    @output_device.setter
    def output_device(self, value: str | None) -> None:
        self._set_json("audio/output_device", value)

    def get_flag(self, key: str, default: bool) -> bool:
        return self._json(f"flags/{key}", default, bool)

    def set_flag(self, key: str, value: bool) -> None:
        self._set_json(f"flags/{key}", bool(value))

    def get_int(self, key: str, default: int) -> int:
        value = self._json(f"numbers/{key}", default, (int, float))
        if isinstance(value, bool) or not math.isfinite(value) or abs(value) > 1_000_000:
            return self._bad(f"numbers/{key}", default)
        return int(value)

    def set_int(self, key: str, value: int) -> None:
        self._set_json(f"numbers/{key}", int(value))

    def geometry(self, key: str = "main") -> QByteArray | None:
        return self._bytes(f"window/{key}_geometry")

    def set_geometry(self, value: QByteArray, key: str = "main") -> None:
        self.qs.setValue(f"window/{key}_geometry", value)

    def state(self, key: str) -> QByteArray | None:
        return self._bytes(f"window/{key}_state")

    def set_state(self, key: str, value: QByteArray) -> None:
        self.qs.setValue(f"window/{key}_state", value)


def _valid_backend(spec: str) -> bool:
    try:
        Backend.parse(spec)
    except StudioError:
        return False
    return True
