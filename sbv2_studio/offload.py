"""Model conversions that hold Python's GIL for seconds, run in a child process while the window is open.

Serializing a large protobuf and OpenVINO's save_model do not let go of the GIL. On the first load of a full-size
voice with OpenVINO's defaults, a heartbeat thread beside the loading thread stopped for 4.8 s (onnx.save of the
1.3 GB batch-1 BERT graph), 2.7 s (its 16-bit OpenVINO IR) and 0.65 s (reading the BERT graph): the window's
thread needs the GIL too, so the window froze, though the work ran on its worker thread. In a spawned child the
window keeps running, and the conversion's transient memory (GBs for the BERT) is not held by the app.

Only where a window asked for it (`enable()`, by ui.app): a script that calls the API from its top level without
`if __name__ == "__main__"` would be started again by a spawned child, and a CLI command waits for the conversion
either way. Small files too: the conversion itself is quick then, but importing onnx for it held the GIL for
540 ms (a fresh data folder and the tests' fixture voice, the window's heartbeat); a child costs about a second
of start-up and imports, once per model, while the window keeps running.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from .errors import StudioError

log = logging.getLogger(__name__)

T = TypeVar("T")

_enabled = False


def enable(on: bool = True) -> None:
    """Run model conversions in a child process from now on (the window and `serve` call this once)."""
    global _enabled
    _enabled = on


def enabled() -> bool:
    return _enabled


def run(work: Callable[..., T], *args, source: Path | str, **kwargs) -> T:
    """`work(*args, **kwargs)`, in a spawned child process when enabled; its result or its exception comes back.
    `source`: the file it converts (named if the child dies). `work` must be a module-level function of plain
    arguments."""
    if not _enabled:
        return work(*args, **kwargs)
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    except OSError as exc:  # no way to start a process here: convert in this one (the window may pause)
        log.warning("conversion of %s runs in-process: %s", source, exc)
        return work(*args, **kwargs)
    with pool:
        try:
            return pool.submit(work, *args, **kwargs).result()
        except BrokenProcessPool:
            raise StudioError(
                f"{source}: the process converting it stopped unexpectedly (out of memory?); nothing was changed"
            ) from None


__all__ = ["enable", "enabled", "run"]
