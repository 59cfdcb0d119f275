"""The live latency panel: this request's stages as they complete, the recent requests, the chunk timeline of a
streamed request (when each chunk was made and when it plays), CSV export."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field

import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..app import STAGES, timeline_rows
from .core_text import core_text
from .i18n import stage_text

HISTORY = 30  # requests shown in the history chart (all are kept for the CSV)

STAGE_COLORS = {
    "frontend": "#8c6bb1",
    "tokenize": "#b3a2c7",
    "bert": "#2f6db5",
    "align": "#7fb2e5",
    "synthesize": "#d04a02",
    "postprocess": "#6aa84f",
}
FALLBACK_COLORS = ["#999999", "#c9a227", "#3b8686", "#a83279"]
MAKING, PLAYING, SILENCE, LATE = "#d04a02", "#6aa84f", "#c8c8c8", "#c00000"  # the chunk timeline's colours


def stage_color(stage: str) -> str:
    return STAGE_COLORS.get(stage, FALLBACK_COLORS[hash(stage) % len(FALLBACK_COLORS)])


@dataclass
class RequestRecord:
    """One synthesize request as the panel shows it."""

    number: int
    stages_ms: dict[str, float] = field(default_factory=dict)
    ran_on: dict[str, str] = field(default_factory=dict)
    copies_ms: dict[str, float] = field(default_factory=dict)  # GPU stages: host↔device copies within their ms
    total_ms: float | None = None
    audio_seconds: float | None = None
    rtf: float | None = None
    first_request: bool | None = None
    voice: str = ""
    chars: int = 0
    when: float = field(default_factory=time.time)
    streamed: bool = False
    ttfa_ms: float | None = None  # streamed: request start → first audio ready
    chunks: int | None = None  # streamed: chunks handed to the speaker
    underruns: int | None = None  # streamed and played: times the speaker ran dry mid-utterance

    @property
    def done(self) -> bool:
        return self.total_ms is not None

    def provider(self, stage: str) -> str:
        return self.ran_on.get(stage) or "CPU"


def nice_ceiling(value: float) -> float:
    """The next of 1, 2, 5 × 10^k at or above `value` (so the axis changes rarely while bars grow)."""
    if value <= 0:
        return 1.0
    import math

    exp = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if m * exp >= value:
            return m * exp
    return 10 * exp


class LatencyPanel(QWidget):
    exportRequested = Signal()
    DRAW_INTERVAL_MS = 100  # ~10 redraws a second: live to the eye, and half the GUI time of 40 ms (measured)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.stages: tuple[str, ...] = ()
        self.records: list[RequestRecord] = []
        self.current: RequestRecord | None = None
        self._chart_from = 0  # "This request" shows records from here on (set when the voice's stages change)
        self._next = 1

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        self.summary = QLabel(self.tr("No request yet"))
        self.summary.setObjectName("latencySummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        # A fixed height: a new summary must not re-lay out (and so repaint) the charts below it.
        self.summary.setFixedHeight(self.summary.sizeHint().height() + 6)
        self.summary.setMinimumWidth(10)
        head.addWidget(self.summary, 1)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.exportRequested)
        self.clear_button = QPushButton(self.tr("Clear"))
        self.clear_button.clicked.connect(self.clear)
        head.addWidget(self.export_button)
        head.addWidget(self.clear_button)
        outer.addLayout(head)

        split = QSplitter(Qt.Orientation.Horizontal)
        # This request: one horizontal bar per stage.
        self.bars_plot = pg.PlotWidget(background="w", title=self.tr("This request (ms per stage)"))
        self.bars_plot.setMenuEnabled(False)
        self.bars_plot.setMouseEnabled(x=False, y=False)
        self.bars_plot.hideButtons()
        self.bars_plot.invertY(True)
        self.bars_plot.getAxis("left").setWidth(78)
        self.bars_plot.showGrid(x=True, y=False, alpha=0.15)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.6, width=[], brushes=[], pen=pg.mkPen(None))
        self.bars_plot.addItem(self.bars)
        self.bar_labels: dict[str, pg.TextItem] = {}
        split.addWidget(self.bars_plot)
        # Recent requests: stacked bars.
        self.history_plot = pg.PlotWidget(background="w")  # titled by its legend label, above it
        self.history_plot.setMenuEnabled(False)
        self.history_plot.setMouseEnabled(x=False, y=False)
        self.history_plot.hideButtons()
        self.history_plot.showGrid(x=False, y=True, alpha=0.15)
        self.history_plot.getAxis("left").setWidth(44)
        self.history_items: list[tuple[str, pg.BarGraphItem]] = []
        self.cold_markers: list[pg.TextItem] = []
        # The legend is a plain label above the chart: pyqtgraph's own legend costs tens of ms to (re)build.
        history_box = QWidget()
        history_layout = QVBoxLayout(history_box)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_layout.setSpacing(0)
        self.history_legend = QLabel()
        self.history_legend.setObjectName("historyLegend")
        self.history_legend.setTextFormat(Qt.TextFormat.RichText)
        self.history_legend.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.history_legend.setWordWrap(True)
        font = self.history_legend.font()
        font.setPointSizeF(font.pointSizeF() * 0.9)
        self.history_legend.setFont(font)
        self.history_legend.setFixedHeight(self.history_legend.fontMetrics().lineSpacing() * 2 + 8)
        self.history_legend.setMinimumWidth(1)  # never let the legend's length steal the other chart's width
        self.history_legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.history_legend.setStyleSheet("background: white; color: #555;")
        self.history_legend.setText(self.tr("Recent requests (ms)"))
        self.history_legend.setToolTip(
            self.tr("The last {count} requests, stacked by stage; 'cold' marks a first request").format(count=HISTORY)
        )
        history_layout.addWidget(self.history_legend)
        history_layout.addWidget(self.history_plot, 1)
        self.right_tabs = QTabWidget()
        self.right_tabs.setDocumentMode(True)
        self.right_tabs.addTab(history_box, self.tr("Recent requests"))
        self.right_tabs.addTab(self._build_timeline(), self.tr("Chunk timeline"))
        split.addWidget(self.right_tabs)
        split.setSizes([420, 420])
        outer.addWidget(split, 1)
        # Stage timings can arrive in bursts; redraw at most every DRAW_INTERVAL_MS (the last one always lands).
        self._draw_timer = QTimer(self)
        self._draw_timer.setSingleShot(True)
        self._draw_timer.setInterval(self.DRAW_INTERVAL_MS)
        self._draw_timer.timeout.connect(self._draw_current)
        self._x_ceiling = 0.0

    def _build_timeline(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.timeline_summary = QLabel(
            self.tr("Streamed requests show here: when each chunk was made and when it plays")
        )
        self.timeline_summary.setObjectName("timelineSummary")
        self.timeline_summary.setTextFormat(Qt.TextFormat.RichText)
        self.timeline_summary.setWordWrap(True)
        self.timeline_summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.timeline_summary.setFixedHeight(self.timeline_summary.fontMetrics().lineSpacing() * 3 + 8)
        self.timeline_summary.setStyleSheet("background: white; color: #333;")
        layout.addWidget(self.timeline_summary)
        self.timeline_plot = pg.PlotWidget(background="w")
        self.timeline_plot.setMenuEnabled(False)
        self.timeline_plot.setMouseEnabled(x=False, y=False)
        self.timeline_plot.hideButtons()
        self.timeline_plot.invertY(True)
        self.timeline_plot.showGrid(x=True, y=False, alpha=0.15)
        self.timeline_plot.getAxis("left").setWidth(36)
        self.timeline_plot.setLabel("bottom", self.tr("ms since the request"))
        self.timeline_plot.setLabel("left", self.tr("chunk"))
        self.making_bars = pg.BarGraphItem(x0=[], y=[], height=0.38, width=[], brushes=[], pen=pg.mkPen(None))
        self.playing_bars = pg.BarGraphItem(x0=[], y=[], height=0.38, width=[], brushes=[], pen=pg.mkPen(None))
        self.timeline_plot.addItem(self.making_bars)
        self.timeline_plot.addItem(self.playing_bars)
        self.ttfa_line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#2f6db5", width=1, style=Qt.PenStyle.DashLine))
        self.ttfa_line.hide()
        self.timeline_plot.addItem(self.ttfa_line)
        layout.addWidget(self.timeline_plot, 1)
        self.stream_chunks: list = []  # ChunkTiming of the streamed request shown
        self.stream_ttfa: float | None = None
        self.stream_rate = 44100
        self.stream_report = None  # its SynthesisResult once it finished
        self._timeline_timer = QTimer(self)
        self._timeline_timer.setSingleShot(True)
        self._timeline_timer.setInterval(self.DRAW_INTERVAL_MS)
        self._timeline_timer.timeout.connect(self._draw_timeline)
        return box

    # -- feeding ------------------------------------------------------------------------------------------------

    def set_stages(self, stages: tuple[str, ...]) -> None:
        if self.current is None or self.current.done:
            # A voice (re)loaded: "This request" starts empty rather than showing the last voice's numbers.
            self.current = None
            self._chart_from = len(self.records)
        self.stages = tuple(stages)
        if not self.records:
            self._ensure_history_items(list(self.stages))  # built now, not while the first request finishes
        self.bars_plot.getAxis("left").setTicks([[(i, stage_text(s)) for i, s in enumerate(self.stages)]])
        self.bars_plot.setYRange(-0.6, max(len(self.stages), 1) - 0.4, padding=0)
        self._draw_current()

    def begin(self, voice: str = "", chars: int = 0, stages: tuple[str, ...] | None = None) -> RequestRecord:
        """A request started: clear this request's bars (`stages`: its stages, when they differ from the last)."""
        if stages is not None and tuple(stages) != self.stages:
            self.set_stages(tuple(stages))
        self.current = RequestRecord(self._next, voice=voice, chars=chars)
        self._next += 1
        # No redraw here: the first stage to complete replaces the bars (one paint fewer per request).
        self.summary.setText(self.tr("Request #{number}: running…").format(number=self.current.number))
        return self.current

    def add_timing(self, timing) -> None:
        """A stage completed (StageTiming: stage, ms, ran_on, line). Lines of one request add up."""
        if self.current is None or self.current.done:
            self.begin()
        rec = self.current
        rec.stages_ms[timing.stage] = rec.stages_ms.get(timing.stage, 0.0) + float(timing.ms)
        if timing.ran_on:
            rec.ran_on[timing.stage] = timing.ran_on
        if timing.copy_ms:
            rec.copies_ms[timing.stage] = rec.copies_ms.get(timing.stage, 0.0) + float(timing.copy_ms)
        if not self._draw_timer.isActive():
            self._draw_timer.start()

    def begin_stream(
        self, voice: str = "", chars: int = 0, sample_rate: int = 44100, stages: tuple[str, ...] = STAGES
    ) -> RequestRecord:
        """A streamed request started: the same stages as a whole one, and the chunk timeline starts over."""
        rec = self.begin(voice, chars, stages)
        rec.streamed = True
        self.stream_chunks = []
        self.stream_ttfa = None
        self.stream_rate = int(sample_rate)
        self.stream_report = None
        self.right_tabs.setCurrentIndex(1)
        self._draw_timeline()
        return rec

    def add_chunk(self, timing, ttfa_ms: float | None) -> None:
        """A chunk of the streamed request was handed out (ChunkTiming; the time to first audio so far)."""
        if self.current is None or self.current.done or not self.current.streamed:
            return  # a chunk of a request this panel no longer follows
        rec = self.current
        for stage, ms in timing.stages_ms.items():
            rec.stages_ms[stage] = rec.stages_ms.get(stage, 0.0) + float(ms)
        self.stream_chunks.append(timing)
        self.stream_ttfa = ttfa_ms
        if not self._draw_timer.isActive():
            self._draw_timer.start()
        if not self._timeline_timer.isActive():
            self._timeline_timer.start()

    def finish_stream(self, report) -> None:
        """The streamed request's SynthesisResult (just before `finish`): TTFA, chunks, underruns."""
        if self.current is None or self.current.done or not self.current.streamed:
            return
        rec = self.current
        rec.ttfa_ms = report.ttfa_ms
        rec.chunks = len(report.chunks)
        rec.underruns = report.underruns
        rec.ran_on.update(report.ran_on)
        self.stream_chunks = list(report.chunks)
        self.stream_ttfa = report.ttfa_ms
        self.stream_report = report
        self._timeline_timer.stop()
        self._draw_timeline()

    def finish(self, result) -> RequestRecord:
        """The result arrived: fill in its totals (its own timings are authoritative) and add it to the history."""
        if self.current is None or self.current.done:
            self.begin()
        rec = self.current
        rec.stages_ms = dict(result.timings_ms)
        rec.ran_on.update(result.ran_on or {})
        rec.copies_ms = dict(getattr(result, "copies_ms", None) or rec.copies_ms)  # a whole result's are its own
        rec.total_ms = float(result.total_ms)
        rec.audio_seconds = float(result.audio_seconds)
        rec.rtf = float(result.rtf)
        rec.first_request = bool(result.first_request)
        rec.voice = rec.voice or result.voice
        self.records.append(rec)
        self._draw_timer.stop()
        self._x_ceiling = -1.0  # the finished request may also shrink the axis
        self._draw_current()
        QTimer.singleShot(30, self, self._draw_history)  # a separate paint, after the window had a turn of its own
        self.export_button.setEnabled(True)
        warm = self.tr("first request (cold)") if rec.first_request else self.tr("warm")
        if rec.streamed and rec.ttfa_ms is not None:
            played = (
                self.tr("not played")
                if rec.underruns is None
                else self.tr("{count} underrun(s)").format(count=rec.underruns)
            )
            warm = self.tr("first audio <b>{ms:.0f} ms</b> &nbsp;·&nbsp; {chunks} chunks, {played}").format(
                ms=rec.ttfa_ms, chunks=rec.chunks, played=played
            )
        self.summary.setText(
            self.tr(
                "<b>#{number}</b> &nbsp; total <b>{total:.1f} ms</b> &nbsp;·&nbsp; audio "
                "<b>{seconds:.2f} s</b> &nbsp;·&nbsp; RTF <b>{rtf:.3f}</b> &nbsp;·&nbsp; {warm}"
            ).format(number=rec.number, total=rec.total_ms, seconds=rec.audio_seconds, rtf=rec.rtf, warm=warm)
        )
        return rec

    def abandon(self) -> None:
        """The running request was cancelled or failed."""
        if self.current is not None and not self.current.done:
            self.summary.setText(self.tr("Request #{number}: cancelled or failed").format(number=self.current.number))
            self.current = None

    def clear(self) -> None:
        self.records.clear()
        self.current = None
        self.stream_chunks, self.stream_ttfa, self.stream_report = [], None, None
        self._draw_current()
        self._draw_history()
        self._draw_timeline()
        self.export_button.setEnabled(False)
        self.summary.setText(self.tr("No request yet"))

    # -- drawing ------------------------------------------------------------------------------------------------

    def bar_text(self, stage: str) -> str | None:
        item = self.bar_labels.get(stage)
        return item.toPlainText() if item is not None and item.isVisible() else None

    def _draw_current(self) -> None:
        since = self.records[self._chart_from :]
        rec = self.current if self.current is not None else (since[-1] if since else None)
        values = [rec.stages_ms.get(s) if rec else None for s in self.stages]
        ys = [i for i, v in enumerate(values) if v is not None]
        widths = [values[i] for i in ys]
        self.bars.setOpts(
            x0=[0] * len(ys),
            y=ys,
            height=0.6,
            width=widths,
            brushes=[pg.mkBrush(stage_color(self.stages[i])) for i in ys],
            pen=pg.mkPen(None),
        )
        top = max(widths, default=0.0)
        for i, stage in enumerate(self.stages):
            label = self.bar_labels.get(stage)
            if label is None:
                label = pg.TextItem("", color="#222", anchor=(0, 0.5))
                self.bars_plot.addItem(label)
                self.bar_labels[stage] = label
            v = values[i]
            if v is None:
                label.hide()
                continue
            text = self.tr(" {ms:.1f} ms · {where}").format(ms=v, where=core_text(rec.provider(stage)))
            if stage in rec.copies_ms:
                text += self.tr(" · copies {ms:.2f} ms").format(ms=rec.copies_ms[stage])
            label.setText(text)
            label.setPos(v, i)
            label.show()
        for stage, label in self.bar_labels.items():
            if stage not in self.stages:
                label.hide()
        # Room on the right for the labels; the range only steps up while a request runs.
        ceiling = nice_ceiling(top * 1.6)
        if ceiling != self._x_ceiling:
            self._x_ceiling = ceiling
            self.bars_plot.setXRange(0, ceiling, padding=0)

    def timeline(self) -> list[dict]:
        """The rows the chunk timeline shows (streaming.timeline_rows of the request shown)."""
        return timeline_rows(self.stream_chunks, self.stream_ttfa, self.stream_rate)

    def _draw_timeline(self) -> None:
        rows = self.timeline()
        making = [r for r in rows if r["kind"] == "speech"]
        self.making_bars.setOpts(
            x0=[r["started_ms"] for r in making], y=[r["index"] - 0.2 for r in making], height=0.38,
            width=[max(r["ready_ms"] - r["started_ms"], 0.5) for r in making],
            brushes=[pg.mkBrush(LATE if r["late_ms"] > 0 else MAKING) for r in making], pen=pg.mkPen(None),
        )  # fmt: skip
        self.playing_bars.setOpts(
            x0=[r["play_from_ms"] for r in rows], y=[r["index"] + 0.2 for r in rows], height=0.38,
            width=[r["play_to_ms"] - r["play_from_ms"] for r in rows],
            brushes=[pg.mkBrush(PLAYING if r["kind"] == "speech" else SILENCE) for r in rows], pen=pg.mkPen(None),
        )  # fmt: skip
        if self.stream_ttfa is not None:
            self.ttfa_line.setPos(self.stream_ttfa)
            self.ttfa_line.show()
        else:
            self.ttfa_line.hide()
        end = max((r["play_to_ms"] for r in rows), default=1000.0)
        self.timeline_plot.setXRange(0, end * 1.03, padding=0)
        self.timeline_plot.setYRange(-0.6, max(len(rows), 4) - 0.4, padding=0)
        keys = " &nbsp; ".join(
            f'<span style="color:{color}">■</span>&nbsp;{name}'
            for color, name in (
                (MAKING, self.tr("making")),
                (PLAYING, self.tr("playing")),
                (SILENCE, self.tr("pause")),
                (LATE, self.tr("late")),
            )
        )
        if not rows:
            self.timeline_summary.setText(self.tr("Chunk timeline (streamed requests) &nbsp; {keys}").format(keys=keys))
            return
        late = sum(1 for r in rows if r["late_ms"] > 0)
        ttfa = self.stream_ttfa
        head = [self.tr("first audio <b>{ms:.0f} ms</b>").format(ms=ttfa) if ttfa is not None else "",
                self.tr("{count} chunks").format(count=len(rows))]  # fmt: skip
        report = self.stream_report
        if report is not None:
            head.append(f"RTF {report.rtf:.3f}")
            worst = report.min_headroom_ms()
            if worst is not None:
                head.append(
                    self.tr("headroom ≥ {ms:.0f} ms").format(ms=worst)
                    if worst >= 0
                    else self.tr("{ms:.0f} ms late at worst").format(ms=-worst)
                )
            head.append(
                self.tr("not played")
                if report.underruns is None
                else self.tr("underruns <b>{count}</b>").format(count=report.underruns)
            )
        elif late:
            head.append(self.tr("{count} late").format(count=late))
        held = [r for r in rows if r.get("buffering")]
        if held and report is not None and report.start_buffer_ms is not None:
            # Why playback waited: the schedule held the first chunks until the rest could not starve it.
            head.append(
                self.tr("waited for {n} chunk(s), {ms:.0f} ms of audio, before playing").format(
                    n=len(held), ms=report.start_buffer_ms
                )
            )
        # the schedule's reason for each chunk (the core's English, in the window's language)
        reasons = [r for r in rows if r.get("reason")][:40]
        self.timeline_plot.setToolTip("\n".join(f"#{r['index']}: {core_text(r['reason'])}" for r in reasons))
        self.timeline_summary.setText(" · ".join(h for h in head if h) + f"<br>{keys}")

    def _ensure_history_items(self, stages: list[str]) -> None:
        """One stacked-bar item per stage, made once per set of stages (later draws only change their data)."""
        if stages == [name for name, _ in self.history_items]:
            return
        for _, item in self.history_items:
            self.history_plot.removeItem(item)
        self.history_items = []
        for stage in stages:
            item = pg.BarGraphItem(x=[], height=[], y0=[], width=0.7, brush=stage_color(stage), pen=pg.mkPen(None))
            self.history_plot.addItem(item)
            self.history_items.append((stage, item))
        keys = " &nbsp; ".join(f'<span style="color:{stage_color(s)}">■</span>&nbsp;{stage_text(s)}' for s in stages)
        self.history_legend.setText(self.tr("Recent requests (ms)") + f" &nbsp;&nbsp; {keys}")

    def _draw_history(self) -> None:
        recent = self.records[-HISTORY:]
        stages: list[str] = []
        for r in recent:
            stages += [s for s in r.stages_ms if s not in stages]
        if recent:
            self._ensure_history_items(stages)
        xs = [r.number for r in recent]
        base = [0.0] * len(recent)
        for stage, item in self.history_items:
            heights = [r.stages_ms.get(stage, 0.0) for r in recent]
            item.setOpts(x=xs, height=heights, y0=list(base), width=0.7)
            base = [b + h for b, h in zip(base, heights)]
        # Cold requests (nothing had run through the sessions before) are marked: they include first-run costs.
        cold = [(r.number, top) for r, top in zip(recent, base) if r.first_request]
        while len(self.cold_markers) < len(cold):
            marker = pg.TextItem(self.tr("cold"), color="#555", anchor=(0.5, 1.0))
            self.history_plot.addItem(marker)
            self.cold_markers.append(marker)
        for i, marker in enumerate(self.cold_markers):
            if i < len(cold):
                marker.setPos(*cold[i])
                marker.show()
            else:
                marker.hide()
        if not recent:
            return
        self.history_plot.setXRange(xs[0] - 0.6, xs[0] - 0.6 + max(len(recent), 8) + 0.2, padding=0)
        self.history_plot.setYRange(0, max(base) * 1.15 or 1.0, padding=0)

    # -- export -------------------------------------------------------------------------------------------------

    def to_csv(self) -> str:
        stages: list[str] = []
        ort: list[str] = []
        copied: list[str] = []
        for r in self.records:
            stages += [s for s in r.stages_ms if s not in stages]
            ort += [s for s in r.ran_on if s not in ort]
            copied += [s for s in r.copies_ms if s not in copied]
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(
            [
                "request",
                "time",
                "voice",
                "chars",
                "first_request",
                *[f"{s}_ms" for s in stages],
                *[f"{s}_ran_on" for s in ort],
                *[f"{s}_copy_ms" for s in copied],
                "total_ms",
                "audio_seconds",
                "rtf",
                "streamed",
                "first_audio_ms",
                "chunks",
                "underruns",
            ]
        )
        for r in self.records:
            w.writerow(
                [
                    r.number,
                    time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r.when)),
                    r.voice,
                    r.chars,
                    "yes" if r.first_request else "no",
                    *[f"{r.stages_ms.get(s, 0.0):.3f}" for s in stages],
                    *[r.ran_on.get(s, "") for s in ort],
                    *[f"{r.copies_ms[s]:.3f}" if s in r.copies_ms else "" for s in copied],
                    f"{r.total_ms:.3f}",
                    f"{r.audio_seconds:.4f}",
                    f"{r.rtf:.4f}",
                    "yes" if r.streamed else "no",
                    "" if r.ttfa_ms is None else f"{r.ttfa_ms:.3f}",
                    "" if r.chunks is None else r.chunks,
                    "" if r.underruns is None else r.underruns,
                ]
            )
        return buf.getvalue()
