"""The latency panel and the waveform on their own: what a person reads on them."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from sbv2_studio.engine.synthesis import StageTiming
from sbv2_studio.ui.latency_panel import LatencyPanel
from sbv2_studio.ui.waveform import WaveformView

from .. import ui_helpers  # noqa: F401  (offscreen Qt)

pytestmark = pytest.mark.ui

SBV2_STAGES = ("frontend", "tokenize", "bert", "align", "synthesize", "postprocess")
BUILTIN_STAGES = ("frontend", "synthesize", "postprocess")


def _shown_bars(panel: LatencyPanel) -> list[float]:
    return list(panel.bars.opts["width"])


def test_this_request_starts_empty_for_another_voice(qtbot):
    panel = LatencyPanel()
    qtbot.addWidget(panel)
    panel.set_stages(SBV2_STAGES)
    panel.begin("SBV2 voice", 10)
    for stage in SBV2_STAGES:
        panel.add_timing(StageTiming(stage, 12.5, "CPUExecutionProvider"))
    timings = dict.fromkeys(SBV2_STAGES, 12.5)
    result = SimpleNamespace(timings_ms=timings, ran_on={}, total_ms=75.0, audio_seconds=1.0, rtf=0.075)
    panel.finish(SimpleNamespace(**vars(result), first_request=False, voice="SBV2 voice"))
    assert len(_shown_bars(panel)) == len(SBV2_STAGES)
    panel.set_stages(BUILTIN_STAGES)  # the SBV2 voice was removed: the built-in voice loads
    assert _shown_bars(panel) == []  # not the SBV2 numbers under the built-in stage names


def test_a_clip_under_a_second_reads_in_seconds(qtbot):
    view = WaveformView()
    qtbot.addWidget(view)
    view.show()
    view.set_audio(np.sin(np.linspace(0, 200, 4410)).astype(np.float32), 44100)  # 0.1 s
    axis = view.plot.getAxis("bottom")
    axis.updateAutoSIPrefix()
    assert "x0.001" not in axis.labelString() and "seconds" in axis.labelString()


def test_the_compare_table_shows_every_column(qtbot):
    from sbv2_studio.app.compare import CompareConfig, CompareResult, ConfigResult
    from sbv2_studio.runtime.backends import Backend
    from sbv2_studio.ui.compare import CompareDialog

    cpu, gpu = Backend("cpu"), Backend("cuda")
    runs = [dict.fromkeys((*SBV2_STAGES, "total"), 123.456)] * 3
    configs = [
        ConfigResult(
            CompareConfig(cpu, cpu), SBV2_STAGES, runs, dict.fromkeys(SBV2_STAGES, "CPUExecutionProvider"), 1.5
        ),
        ConfigResult(CompareConfig(gpu, cpu), SBV2_STAGES, skipped="CUDA could not start: no CUDA device here at all"),
    ]
    result = CompareResult("こんにちは", 3, 1, "voice", configs)
    dialog = CompareDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(600, 500)  # a person made it narrow, or the screen is small
    dialog.show_result(result)
    table = dialog.table
    columns = sum(table.columnWidth(c) for c in range(table.columnCount()))
    screen = dialog.screen().availableGeometry().width()
    # As wide as the columns need (the table's frame and scroll bar besides), up to nearly the screen's width.
    assert dialog.width() >= min(columns, int(screen * 0.95))


def test_a_gpu_stage_shows_how_much_of_its_time_was_copies(qtbot):
    """A stage that ran on a GPU the studio copies to and from itself carries its copy time: the bar's label
    says it beside where it ran, and the CSV has a column for it; stages without copies say nothing of it."""
    panel = LatencyPanel()
    qtbot.addWidget(panel)
    panel.set_stages(SBV2_STAGES)
    panel.begin("SBV2 voice", 10)
    panel.add_timing(StageTiming("bert", 20.0, "CUDA:0", 0, 0.25))
    panel.add_timing(StageTiming("bert", 10.0, "CUDA:0", 1, 0.15))  # a second segment: copies add up
    panel.add_timing(StageTiming("frontend", 3.0, None))
    label = lambda stage: panel.bar_labels[stage].textItem.toPlainText() if stage in panel.bar_labels else ""
    qtbot.waitUntil(lambda: label("bert") == " 30.0 ms · CUDA:0 · copies 0.40 ms")  # the panel's redraw timer
    assert label("frontend") == " 3.0 ms · CPU"
    result = SimpleNamespace(timings_ms={"frontend": 3.0, "bert": 30.0}, ran_on={"bert": "CUDA:0"}, total_ms=33.0,
                             audio_seconds=1.0, rtf=0.033, first_request=False, voice="SBV2 voice",
                             copies_ms={"bert": 0.4})  # fmt: skip
    panel.finish(result)
    header, row = panel.to_csv().splitlines()
    assert dict(zip(header.split(","), row.split(",")))["bert_copy_ms"] == "0.400"
