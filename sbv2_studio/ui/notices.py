"""The strip of non-modal notices at the top of the window.

Rules a person can rely on (a new user saw stale notices pile up and push the Backends box out of view, and one
GPU failure shown six times): a notice with the same text as one on screen is not added again (its count goes
up), info and warning notices expire by themselves, at most MAX_SHOWN notices are on screen (the oldest
ordinary one goes first), and the GPU-fallback notice is one bar that lists each distinct failure once.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from .widgets import NoticeBar

MAX_SHOWN = 3
# Info and warnings go by themselves; errors stay until dismissed (or pushed out by newer ones).
DEFAULT_TIMEOUT_MS = {"info": 8000, "warning": 15000, "error": None}


class NoticeArea(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("noticeArea")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._pinned: set[NoticeBar] = set()  # the hint and the fallback bar: never pushed out by others
        self._fallback: NoticeBar | None = None
        self._fallback_lines: list[str] = []
        self.retry_slot = None

    # ------------------------------------------------------------------ queries

    def shown(self) -> list[NoticeBar]:
        out = []
        for i in range(self._layout.count()):
            w = self._layout.itemAt(i).widget()
            if isinstance(w, NoticeBar) and not getattr(w, "_dismissed", False):
                out.append(w)
        return out

    @property
    def fallback(self) -> NoticeBar | None:
        return self._fallback

    # ------------------------------------------------------------------ adding

    def add(
        self,
        kind: str,
        text: str,
        timeout_ms: int | None = None,
        name: str | None = None,
        pinned: bool = False,
    ) -> NoticeBar:
        """Show `text` (rich text: escape what came from outside); the same text on screen is counted, not added."""
        for notice in self.shown():
            if notice.kind == kind and getattr(notice, "base_text", None) == text:
                notice.repeats += 1
                notice.set_text(f"{text} <span style='color:#777'>(×{notice.repeats})</span>")
                self._expire(notice, timeout_ms if timeout_ms is not None else DEFAULT_TIMEOUT_MS.get(kind))
                return notice
        notice = NoticeBar(kind, text)
        notice.label.setTextFormat(Qt.TextFormat.RichText)
        notice.base_text = text
        notice.repeats = 1
        if name:
            notice.setObjectName(name)
        if pinned:
            self._pinned.add(notice)
            notice.closed.connect(lambda: self._pinned.discard(notice))
        self._layout.addWidget(notice)
        notice.show()  # at once: a layout shows a new child of a visible window only later (queued)
        self._trim()
        if not pinned:
            self._expire(notice, timeout_ms if timeout_ms is not None else DEFAULT_TIMEOUT_MS.get(kind))
        return notice

    def add_fallback(self, text: str, retry_slot) -> NoticeBar:
        """One bar for GPU fallbacks; each distinct failure is listed once, newest last (at most five lines)."""
        line = html.escape(text)
        if self._fallback is not None:
            if line not in self._fallback_lines:
                self._fallback_lines = [*self._fallback_lines, line][-5:]
                self._fallback.set_text(self._fallback_text())
            return self._fallback
        self._fallback_lines = [line]
        notice = NoticeBar("warning", self._fallback_text())
        notice.setObjectName("fallbackNotice")
        notice.label.setTextFormat(Qt.TextFormat.RichText)
        notice.retry_button = notice.add_action(self.tr("Retry GPU"), retry_slot, name="retryGpuButton")
        notice.closed.connect(self._fallback_closed)
        self._fallback = notice
        self._pinned.add(notice)
        self._layout.insertWidget(0, notice)
        notice.show()
        self._trim()
        return notice

    def dismiss_fallback(self) -> None:
        if self._fallback is not None:
            self._fallback.dismiss()

    # ------------------------------------------------------------------ internals

    def _fallback_text(self) -> str:
        return self.tr("<b>GPU fallback:</b> ") + "<br>".join(self._fallback_lines)

    def _fallback_closed(self) -> None:
        self._pinned.discard(self._fallback)
        self._fallback = None
        self._fallback_lines = []

    def _trim(self) -> None:
        ordinary = [n for n in self.shown() if n not in self._pinned]
        excess = len(self.shown()) - MAX_SHOWN
        for old in ordinary[: max(excess, 0)]:
            old.dismiss()

    @staticmethod
    def _expire(notice: NoticeBar, timeout_ms: int | None) -> None:
        if not timeout_ms:
            return
        timer = getattr(notice, "expiry", None)
        if timer is None:
            timer = QTimer(notice)  # owned by the notice: gone with it, never fires on a deleted widget
            timer.setSingleShot(True)
            timer.timeout.connect(notice.dismiss)
            notice.expiry = timer
        timer.start(timeout_ms)
