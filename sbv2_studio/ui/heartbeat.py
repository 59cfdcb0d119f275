"""A GUI-responsiveness probe: a ~10 ms timer in the GUI thread that records the longest gap between its ticks.

If anything holds the GUI thread (or the GIL) for long, the timer fires late and the gap shows it. Gaps are
attributed to the kind of work in flight at the time (load, synth, compare…), so "the window never blocks while
synthesizing" is a number, not a feeling.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal


class Heartbeat(QObject):
    changed = Signal(float)  # the max gap (ms) of the current / last period of work
    LONG_MS = 30.0

    def __init__(self, parent: QObject | None = None, interval_ms: int = 10, tail_ms: int = 300):
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.tail_ms = tail_ms  # gaps this long after the work ends still count (painting its results)
        self._idle_at: float | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last: float | None = None
        self.work: str | None = None  # what is in flight now, or None when idle
        self.max_gap_ms = 0.0  # since the last reset, while work was in flight
        self.max_by_work: dict[str, float] = {}  # since the last reset, per kind of work
        self.long_gaps: dict[str, list[float]] = {}  # every gap over LONG_MS, per kind of work (diagnostics)
        self.ticks = 0

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._last = None

    def reset(self) -> None:
        self.max_gap_ms = 0.0
        self.max_by_work = {}
        self.long_gaps = {}
        self.ticks = 0

    def set_work(self, work: str | None) -> None:
        """Mark what is in flight; the next gap counts toward it. None: idle after a short tail (the window
        still paints the results), then gaps are no longer recorded."""
        if work is None:
            if self.work is not None:
                self._idle_at = time.perf_counter() + self.tail_ms / 1000.0
            return
        # Restart the measurement from now: a gap that began while idle is not the work's fault.
        if self.work is None:
            self._last = time.perf_counter()
        self.work = work
        self._idle_at = None

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None and self.work is not None:
            gap = (now - self._last) * 1000.0
            self.ticks += 1
            if gap > self.max_by_work.get(self.work, 0.0):
                self.max_by_work[self.work] = gap
            if gap > self.LONG_MS:
                gaps = self.long_gaps.setdefault(self.work, [])
                if len(gaps) < 1000:
                    gaps.append(gap)
            if gap > self.max_gap_ms:
                self.max_gap_ms = gap
                self.changed.emit(gap)
        if self._idle_at is not None and now >= self._idle_at:
            self.work, self._idle_at = None, None
        self._last = now
