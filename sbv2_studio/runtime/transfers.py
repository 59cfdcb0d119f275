"""Time spent copying tensors between host memory and a device, per thread: the sessions that copy (runtime/
backends.py `BOUND_DEVICES`) add to it, and the synthesis loop's stage clock reads it around each stage, so a
stage's time shows how much of it was copies. Its own module: the loop imports it without onnxruntime."""

from __future__ import annotations

import threading

_copies = threading.local()


def copied_ms() -> float:
    """Milliseconds this thread has spent copying tensors between host and a device so far."""
    return getattr(_copies, "ms", 0.0)


def add_copied(ms: float) -> None:
    _copies.ms = copied_ms() + ms


__all__ = ["add_copied", "copied_ms"]
