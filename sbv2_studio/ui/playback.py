"""Playback through sounddevice, and an honest answer when there is nothing to play on.

sounddevice raises OSError at import when the PortAudio library is missing, and a machine (a CI runner, a
server, a remote desktop) may have PortAudio but no output device. Both are "no audio device": the window says
so and keeps synthesizing and saving.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication

NO_AUDIO_ENV = "SBV2_STUDIO_NO_AUDIO"


def default_suffix() -> str:
    """What marks the system's default device in the device list."""
    return QCoreApplication.translate("Player", " (default)")


@dataclass(frozen=True)
class OutputDevice:
    index: int
    name: str
    hostapi: str = ""
    default: bool = False

    @property
    def label(self) -> str:
        suffix = default_suffix() if self.default else ""
        return f"{self.name}{suffix}"


def _load_sounddevice():
    """The sounddevice module, or the reason there is none."""
    try:
        import sounddevice as sd  # raises OSError when PortAudio is missing
    except (OSError, ImportError) as exc:
        return None, QCoreApplication.translate("Player", "the PortAudio library could not be loaded ({error})").format(
            error=exc
        )
    return sd, None


class Player:
    """Plays one clip at a time on a chosen output device. Never raises at construction."""

    def __init__(self, sd_module=None, *, disabled_reason: str | None = None):
        self._sd = None
        self.unavailable_reason: str | None = disabled_reason
        self._devices: list[OutputDevice] = []
        self._device: int | None = None
        self._started_at: float | None = None
        self._duration = 0.0
        if disabled_reason is None:
            if sd_module is None:
                sd_module, reason = _load_sounddevice()
                if sd_module is None:
                    self.unavailable_reason = reason
            self._sd = sd_module
            self.refresh()

    # -- devices ------------------------------------------------------------------------------------------------

    def refresh(self) -> list[OutputDevice]:
        """Re-read the output devices; sets `unavailable_reason` when there are none."""
        if self._sd is None:
            self._devices = []
            return []
        try:
            devices = self._sd.query_devices()
            hostapis = self._sd.query_hostapis()
            default_out = self._default_output()
        except Exception as exc:
            self._devices = []
            self.unavailable_reason = QCoreApplication.translate(
                "Player", "the audio system could not list devices ({error})"
            ).format(error=exc)
            return []
        found = []
        for i, dev in enumerate(devices):
            if int(dev.get("max_output_channels", 0)) > 0:
                api = hostapis[dev["hostapi"]]["name"] if 0 <= dev.get("hostapi", -1) < len(hostapis) else ""
                found.append(OutputDevice(i, str(dev["name"]), api, i == default_out))
        self._devices = found
        self.unavailable_reason = (
            None if found else QCoreApplication.translate("Player", "no audio output device was found")
        )
        if self._device is not None and all(d.index != self._device for d in found):
            self._device = None
        return found

    def _default_output(self) -> int:
        try:
            default = self._sd.default.device
            out = default[1] if isinstance(default, (list, tuple)) or hasattr(default, "__getitem__") else default
            return int(out) if out is not None else -1
        except Exception:
            return -1

    @property
    def available(self) -> bool:
        return self._sd is not None and bool(self._devices)

    @property
    def devices(self) -> list[OutputDevice]:
        return list(self._devices)

    @property
    def device(self) -> int | None:
        return self._device

    def set_device(self, index: int | None) -> None:
        self._device = index

    def device_by_name(self, name: str | None) -> OutputDevice | None:
        return next((d for d in self._devices if d.name == name), None)

    # -- playing ----------------------------------------------------------------------------------------------

    def play(self, audio: np.ndarray, sample_rate: int) -> None:
        """Start playing (returns at once). Raises RuntimeError with a readable message when it cannot."""
        if not self.available:
            reason = self.unavailable_reason or QCoreApplication.translate("Player", "no audio output device")
            raise RuntimeError(QCoreApplication.translate("Player", "cannot play: {reason}").format(reason=reason))
        data = np.asarray(audio)
        if data.dtype == np.int16:
            data = data.astype(np.float32) / 32768.0
        try:
            self._sd.stop()
            self._sd.play(data.astype(np.float32, copy=False), int(sample_rate), device=self._device)
        except Exception as exc:
            raise RuntimeError(
                QCoreApplication.translate("Player", "cannot play on this device: {error}").format(error=exc)
            ) from exc
        self._started_at = time.monotonic()
        self._duration = len(data) / float(sample_rate)

    def stop(self) -> None:
        if self._sd is not None:
            try:
                self._sd.stop()
            except Exception:
                pass
        self._started_at = None

    @property
    def position(self) -> float | None:
        """Seconds into the clip now playing, or None when nothing plays."""
        if self._started_at is None:
            return None
        pos = time.monotonic() - self._started_at
        if pos >= self._duration:
            self._started_at = None
            return None
        return pos

    @property
    def playing(self) -> bool:
        return self.position is not None


def make_player(force_unavailable: bool | None = None) -> Player:
    """The app's player; SBV2_STUDIO_NO_AUDIO=1 (or `force_unavailable`) acts as if there were no device."""
    import os

    if force_unavailable is None:
        force_unavailable = os.environ.get(NO_AUDIO_ENV, "") not in ("", "0")
    if force_unavailable:
        return Player(
            disabled_reason=QCoreApplication.translate("Player", "audio output is switched off (SBV2_STUDIO_NO_AUDIO)")
        )
    return Player()
