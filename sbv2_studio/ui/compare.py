"""Compare backends: the person's text through each backend configuration, N runs after warm-up, drawn as grouped
per-stage bars (medians, min–max whiskers) and a table. This is how a person sees whether their GPU helps."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app.compare import TOTAL, CompareConfig, CompareResult
from .core_text import core_text, error_text
from .i18n import stage_text

CONFIG_COLORS = ["#7f7f7f", "#2f6db5", "#d04a02", "#6aa84f", "#8c6bb1", "#c9a227", "#3b8686"]
# The summary table's fixed column names (CompareResult.table(), English there: the TSV/CSV keep them), shown
# translated; the per-stage columns are "<stage> ms".
HEADER_TEXTS = (
    QT_TRANSLATE_NOOP("CompareDialog", "Configuration"),
    QT_TRANSLATE_NOOP("CompareDialog", "total ms"),
    QT_TRANSLATE_NOOP("CompareDialog", "vs all CPU"),
    QT_TRANSLATE_NOOP("CompareDialog", "RTF"),
    QT_TRANSLATE_NOOP("CompareDialog", "runs"),
    QT_TRANSLATE_NOOP("CompareDialog", "Ran on"),
)


class CompareDialog(QDialog):
    runRequested = Signal(object, int, int)  # list[CompareConfig], runs, warm-up runs
    cancelRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Compare backends"))
        self.setModal(False)
        self.setObjectName("compareDialog")
        self.resize(980, 680)
        self.result: CompareResult | None = None
        self.running = False

        layout = QVBoxLayout(self)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)

        top = QHBoxLayout()
        self.config_list = QListWidget()
        self.config_list.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.config_list.setMaximumHeight(118)
        self.config_list.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        top.addWidget(self.config_list, 2)
        form = QFormLayout()
        self.runs = QSpinBox()
        self.runs.setRange(1, 100)
        self.runs.setValue(5)
        self.warmup = QSpinBox()
        self.warmup.setRange(0, 20)
        self.warmup.setValue(2)
        form.addRow(self.tr("Runs per configuration"), self.runs)
        form.addRow(self.tr("Warm-up runs"), self.warmup)
        buttons = QHBoxLayout()
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self._run)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancelRequested)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        form.addRow(buttons)
        top.addLayout(form, 1)
        layout.addLayout(top)

        status = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(220)
        self.status = QLabel(self.tr("Not run yet"))
        status.addWidget(self.progress)
        status.addWidget(self.status, 1)
        layout.addLayout(status)

        split = QSplitter(Qt.Orientation.Vertical)
        self.plot = pg.PlotWidget(background="w", title=self.tr("Median ms per stage (whiskers: min–max)"))
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        self.plot.setLabel("left", self.tr("ms"))
        self.legend = self.plot.addLegend(offset=(-6, 6), labelTextSize="9pt")
        self.plot_items: list = []
        split.addWidget(self.plot)
        self.table = QTableWidget(0, 0)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        split.addWidget(self.table)
        split.setSizes([380, 200])
        layout.addWidget(split, 1)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        self.copy_button = QPushButton(self.tr("Copy table"))
        self.copy_button.clicked.connect(self.copy_table)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.export_button.clicked.connect(self._export)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        for b in (self.copy_button, self.export_button):
            b.setEnabled(False)
            bottom.addWidget(b)
        bottom.addWidget(close)
        layout.addLayout(bottom)

    # -- set up ------------------------------------------------------------------------------------------------

    def set_context(self, voice_label: str, text: str, configs: list[CompareConfig], sbv2: bool) -> None:
        preview = text.strip().replace("\n", " ")
        preview = preview[:60] + ("…" if len(preview) > 60 else "")
        if sbv2:
            what = self.tr("each backend configuration checked below")
        else:
            what = self.tr(
                "the built-in voice (OpenJTalk runs on the CPU only; load an SBV2 voice to compare backends)"
            )
        self.intro.setText(
            self.tr(
                "Runs the text in the editor (“{preview}”, {chars} characters) with <b>{voice}</b> through "
                "{what}: the warm-up runs first, then the measured runs. GPU configurations whose device cannot "
                "start are listed as skipped."
            ).format(preview=preview, chars=len(text), voice=voice_label, what=what)
        )
        previous = {
            self.config_list.item(i).data(Qt.ItemDataRole.UserRole).key: self.config_list.item(i).checkState()
            for i in range(self.config_list.count())
        }
        self.config_list.clear()
        for config in configs:
            item = QListWidgetItem(core_text(config.label))
            item.setData(Qt.ItemDataRole.UserRole, config)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(previous.get(config.key, Qt.CheckState.Checked))
            self.config_list.addItem(item)
        self.config_list.setEnabled(sbv2 and not self.running)

    def checked_configs(self) -> list[CompareConfig]:
        out = []
        for i in range(self.config_list.count()):
            item = self.config_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def _run(self) -> None:
        configs = self.checked_configs()
        if not configs:
            self.status.setText(self.tr("Check at least one configuration"))
            return
        self.runRequested.emit(configs, self.runs.value(), self.warmup.value())

    # -- progress and results ------------------------------------------------------------------------------------

    def set_running(self, running: bool) -> None:
        self.running = running
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.runs.setEnabled(not running)
        self.warmup.setEnabled(not running)
        if running:
            self.progress.setRange(0, 0)
            self.status.setText(self.tr("Starting…"))

    def on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.status.setText(message)

    def on_cancelled(self) -> None:
        self.set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(self.tr("Cancelled"))

    def on_failed(self, message: str) -> None:
        self.set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(self.tr("Failed: {message}").format(message=error_text(message)))

    def show_result(self, result: CompareResult) -> None:
        self.result = result
        self.set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        ran = len(result.ran)
        skipped = len(result.configs) - ran
        done = (
            self.tr("Done: {count} configuration × {runs} runs after {warmup} warm-up")
            if ran == 1
            else self.tr("Done: {count} configurations × {runs} runs after {warmup} warm-up")
        )
        self.status.setText(
            done.format(count=ran, runs=result.runs_per_config, warmup=result.warmup_runs)
            + (self.tr("; {count} skipped").format(count=skipped) if skipped else "")
        )
        self._draw(result)
        self._fill_table(result)
        self.copy_button.setEnabled(True)
        self.export_button.setEnabled(True)

    def _draw(self, result: CompareResult) -> None:
        for item in self.plot_items:
            self.plot.removeItem(item)
        self.plot_items.clear()
        self.legend.clear()
        groups = [*result.stages, TOTAL]
        ran = result.ran
        if not ran:
            return
        width = 0.8 / len(ran)
        for k, config in enumerate(ran):
            color = CONFIG_COLORS[k % len(CONFIG_COLORS)]
            xs = [g + (k - (len(ran) - 1) / 2) * width for g in range(len(groups))]
            stats = [config.stat(s) for s in groups]
            medians = [s.median for s in stats]
            bars = pg.BarGraphItem(
                x=xs,
                height=medians,
                width=width * 0.92,
                brush=color,
                pen=pg.mkPen(None),
                name=self.tr("{config}  [ran on: {where}]").format(
                    config=core_text(config.label), where=self._ran_on_text(config)
                ),
            )
            self.plot.addItem(bars)  # named: it joins the legend
            whiskers = pg.ErrorBarItem(
                x=np.array(xs),
                y=np.array(medians),
                top=np.array([s.hi - s.median for s in stats]),
                bottom=np.array([s.median - s.lo for s in stats]),
                beam=width * 0.3,
                pen=pg.mkPen("#222", width=1),
            )
            self.plot.addItem(whiskers)
            self.plot_items += [bars, whiskers]
        self.plot.getAxis("bottom").setTicks([[(i, stage_text(g)) for i, g in enumerate(groups)]])
        top = max((c.stat(s).hi for c in ran for s in groups), default=1.0)
        self.plot.setXRange(-0.6, len(groups) - 0.4, padding=0)
        self.plot.setYRange(0, top * (1.25 + 0.12 * len(ran)), padding=0)

    def _fill_table(self, result: CompareResult) -> None:
        header, rows = result.table()
        self.table.clear()
        self.table.setColumnCount(len(header))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels([self._header_text(h, result.stages) for h in header])
        last = len(header) - 1
        for r, (row, config) in enumerate(zip(rows, result.configs)):
            for c, text in enumerate(row):
                if c == 0:
                    text = core_text(text)  # the configuration's label
                elif c == last and config.skipped is not None:
                    text = self.tr("skipped: {reason}").format(reason=error_text(config.skipped))
                elif c == last:
                    text = self._ran_on_text(config)
                    if config.notes:
                        text += self.tr(" ({notes})").format(notes="; ".join(error_text(n) for n in config.notes))
                item = QTableWidgetItem(text)
                if 0 < c < last:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == last:
                    item.setToolTip(text)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        self._fit_table_width()

    def _ran_on_text(self, config) -> str:
        """Where each stage of a configuration ran ("frontend CPU, bert CUDA:0…"), in the window's language."""
        ran_on = config.ran_on or {"all": "CPU"}
        every_stage = self.tr("all stages")  # a voice that does not say where each stage ran (the built-in one)
        return ", ".join(
            f"{every_stage if stage == 'all' else stage_text(stage)} {core_text(where)}"
            for stage, where in ran_on.items()
        )

    def _header_text(self, header: str, stages) -> str:
        if header in HEADER_TEXTS:
            return self.tr(header)
        stage = header.removesuffix(" ms")
        if stage in stages:
            return self.tr("{stage} ms").format(stage=stage_text(stage))
        return header

    def _fit_table_width(self) -> None:
        """Widen the dialog (within the screen) so every column shows; beyond that the table scrolls sideways."""
        needed = sum(self.table.columnWidth(c) for c in range(self.table.columnCount()))
        needed += self.table.verticalScrollBar().sizeHint().width() + 2 * self.table.frameWidth()
        spare = self.width() - self.table.viewport().width()
        screen = self.screen().availableGeometry().width() if self.screen() is not None else self.width()
        want = min(needed + spare, int(screen * 0.95))
        if want > self.width():
            self.resize(want, self.height())

    # -- copy / export -------------------------------------------------------------------------------------------

    def copy_table(self) -> None:
        if self.result is not None:
            QGuiApplication.clipboard().setText(self.result.to_tsv())
            self.status.setText(self.tr("Table copied (tab-separated: paste into a spreadsheet)"))

    def export_csv(self, path: str) -> None:
        if self.result is not None:
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(self.result.to_csv())
            self.status.setText(self.tr("Wrote {path}").format(path=path))

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export comparison"), "compare.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.export_csv(path)
