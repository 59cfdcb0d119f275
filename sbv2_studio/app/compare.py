"""Backend comparison: which configurations to try, the loop that measures them, the runs and their statistics.
No Qt here."""

from __future__ import annotations

import csv
import io
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from ..runtime.backends import LABELS, Backend

TOTAL = "total"


@dataclass(frozen=True)
class CompareConfig:
    """One way to run the two ORT stages."""

    bert: Backend
    synth: Backend

    @property
    def label(self) -> str:
        if self.bert == self.synth:
            return "All CPU" if self.bert == Backend("cpu") else f"All {self.bert.label}"
        return f"BERT {self.bert.label} + synth {self.synth.label}"

    @property
    def key(self) -> str:
        return f"{self.bert.spec}/{self.synth.spec}"


def configs_for(gpu_kinds: list[str], device_id: int = 0) -> list[CompareConfig]:
    """All CPU, then for each other kind: BERT CPU + synth on it, BERT on it + synth CPU, all on it. OpenVINO
    adds each device it reports, and its CPU at bf16 where that is native (app.precision.backend_choices)."""
    cpu = Backend("cpu")
    configs = [CompareConfig(cpu, cpu)]
    # OpenVINO last: its CPU is not a GPU, and the GPU configurations keep their places
    for kind in sorted(gpu_kinds, key=lambda k: k == "openvino"):
        if kind == "cpu" or kind not in LABELS:
            continue
        if kind == "openvino":
            from ..runtime import ov_backend

            for device in ov_backend.devices():
                ov = Backend("openvino", 0, device.name)
                configs += [CompareConfig(cpu, ov), CompareConfig(ov, cpu), CompareConfig(ov, ov)]
                for precision in ("bf16", "fp16"):
                    if device.native(precision):
                        reduced = ov.at(precision)
                        configs.append(CompareConfig(reduced, reduced))
            continue
        gpu = Backend(kind, device_id)
        configs += [CompareConfig(cpu, gpu), CompareConfig(gpu, cpu), CompareConfig(gpu, gpu)]
    return configs


def _quantile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    pos = (len(sorted_values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


@dataclass(frozen=True)
class Stat:
    median: float
    lo: float  # min
    hi: float  # max
    q1: float
    q3: float
    n: int

    @classmethod
    def of(cls, values: list[float]) -> Stat:
        s = sorted(values)
        if not s:
            nan = float("nan")
            return cls(nan, nan, nan, nan, nan, 0)
        return cls(statistics.median(s), s[0], s[-1], _quantile(s, 0.25), _quantile(s, 0.75), len(s))

    def text(self) -> str:
        if self.n == 0:
            return "—"
        if self.n == 1:
            return f"{self.median:.1f}"
        return f"{self.median:.1f} ({self.lo:.1f}–{self.hi:.1f})"


@dataclass
class ConfigResult:
    config: CompareConfig
    stages: tuple[str, ...]
    runs: list[dict[str, float]] = field(default_factory=list)  # stage → ms, plus "total"
    ran_on: dict[str, str] = field(default_factory=dict)
    audio_seconds: float = 0.0
    skipped: str | None = None  # why this configuration did not run (e.g. its GPU could not start)
    notes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.config.label

    @property
    def ran_on_text(self) -> str:
        if not self.ran_on:
            return "CPU"
        return ", ".join(f"{stage} {where}" for stage, where in self.ran_on.items())

    def stat(self, stage: str) -> Stat:
        return Stat.of([run.get(stage, 0.0) for run in self.runs])

    @property
    def rtf(self) -> float:
        total = self.stat(TOTAL).median
        return (total / 1000.0) / self.audio_seconds if self.audio_seconds else float("nan")


@dataclass
class CompareResult:
    text: str
    runs_per_config: int
    warmup_runs: int
    voice: str
    configs: list[ConfigResult] = field(default_factory=list)
    cancelled: bool = False

    @property
    def stages(self) -> tuple[str, ...]:
        for c in self.configs:
            if c.stages:
                return c.stages
        return ()

    @property
    def ran(self) -> list[ConfigResult]:
        return [c for c in self.configs if c.skipped is None and c.runs]

    @property
    def baseline(self) -> ConfigResult | None:
        """The all-CPU configuration, if it ran: what the speed-ups are relative to."""
        cpu = Backend("cpu")  # onnxruntime FP32 (OpenVINO's CPU is a configuration to compare, not the baseline)
        return next((c for c in self.ran if c.config.bert == cpu and c.config.synth == cpu), None)

    def speedup(self, c: ConfigResult) -> float | None:
        """How many times faster than all-CPU (median total); above 1 means the GPU helps."""
        base = self.baseline
        if base is None or c.skipped is not None or not c.runs:
            return None
        return base.stat(TOTAL).median / c.stat(TOTAL).median

    def table(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of the summary table: medians with min–max, ms; what really ran comes last."""
        header = ["Configuration", "total ms", "vs all CPU", "RTF", *[f"{s} ms" for s in self.stages], "runs", "Ran on"]
        rows = []
        for c in self.configs:
            if c.skipped is not None:
                rows.append([c.label, "—", "—", "—", *["—"] * len(self.stages), "0", f"skipped: {c.skipped}"])
                continue
            speedup = self.speedup(c)
            rows.append(
                [
                    c.label,
                    c.stat(TOTAL).text(),
                    f"{speedup:.2f}×" if speedup is not None else "—",
                    f"{c.rtf:.3f}",
                    *[c.stat(s).text() for s in self.stages],
                    str(len(c.runs)),
                    c.ran_on_text + (f" ({'; '.join(c.notes)})" if c.notes else ""),
                ]
            )
        return header, rows

    def to_tsv(self) -> str:
        header, rows = self.table()
        return "\n".join("\t".join(r) for r in [header, *rows]) + "\n"

    def to_csv(self) -> str:
        """Every run, one row each, for a spreadsheet."""
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(
            [
                "configuration",
                "bert_backend",
                "synth_backend",
                "ran_on",
                "run",
                *self.stages,
                TOTAL,
                "audio_seconds",
                "skipped",
            ]
        )
        for c in self.configs:
            base = [c.label, c.config.bert.label, c.config.synth.label, c.ran_on_text]
            if c.skipped is not None:
                writer.writerow([*base, "", *[""] * len(self.stages), "", "", c.skipped])
                continue
            for i, run in enumerate(c.runs, 1):
                writer.writerow(
                    [
                        *base,
                        i,
                        *[f"{run.get(s, 0.0):.3f}" for s in self.stages],
                        f"{run[TOTAL]:.3f}",
                        f"{c.audio_seconds:.4f}",
                        "",
                    ]
                )
        return buf.getvalue()


# --- the comparison loop -------------------------------------------------------------------------------------


class ConfigCannotStart(Exception):
    """Raised from the fallback callback while a comparison configuration loads: its GPU did not start."""


def stop_at_create_fallback(events: list) -> Callable:
    """A fallback callback for loading a configuration: records the events, and stops the load at the first
    session that could not even be created on its GPU (loading the rest would take seconds for nothing)."""

    def on_fallback(event) -> None:
        events.append(event)
        if event.during == "create":
            raise ConfigCannotStart(event.describe())

    return on_fallback


def not_running(config: CompareConfig, ran_on: dict[str, str]) -> str | None:
    """Why `config` is not what really runs (a requested GPU stage on the CPU), or None when it is."""
    wanted = {"bert": config.bert.label, "synthesize": config.synth.label}
    wrong = [
        f"{stage} asked for {label} but runs on {ran_on.get(stage, '?')}"
        for stage, label in wanted.items()
        if not ran_on.get(stage, "").startswith(label)
    ]
    return "; ".join(wrong) or None


def run_comparison(
    voice,
    configs: list[CompareConfig],
    text: str,
    params,
    *,
    runs: int,
    warmup_runs: int,
    label: str,
    is_loaded: Callable[[CompareConfig], bool],
    open_config: Callable[[CompareConfig, Callable], object],
    progress: Callable[[int, int, str], None] = lambda done, total, message: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> CompareResult:
    """Run `text` `runs` times (after `warmup_runs`) per configuration, and collect the timings.

    The loaded `voice` measures the configuration it already runs (`is_loaded`); any other is opened with
    `open_config(config, on_fallback)` and dropped after its runs. A configuration whose GPU does not start, or
    that would really run on something else, is reported as skipped with the reason, never measured as if it
    ran. `cancelled()` is asked between runs."""
    if voice.kind != "sbv2":
        configs = [CompareConfig(Backend("cpu"), Backend("cpu"))]  # nothing to choose for other voices
    result = CompareResult(text, runs, warmup_runs, label)
    steps_per_config = warmup_runs + runs + 1
    total_steps = max(1, steps_per_config * len(configs))
    step = 0

    def tick(message: str, skip: int = 0) -> None:
        nonlocal step
        step += 1 + skip
        progress(step, total_steps, message)

    for config in configs:
        if cancelled():
            break
        entry = ConfigResult(config, tuple(voice.stages))
        result.configs.append(entry)
        temp = None
        events: list = []
        try:
            if voice.kind != "sbv2" or is_loaded(config):
                target = voice
            else:
                progress(step, total_steps, f"{config.label}: loading…")
                try:
                    temp = target = open_config(config, stop_at_create_fallback(events))
                except ConfigCannotStart:
                    entry.skipped = "; ".join(e.describe() for e in events)
                    tick(f"{config.label}: skipped", steps_per_config - 1)
                    continue
                reason = not_running(config, target.ran_on())
                if reason:  # e.g. a voice that fell back earlier, handed out again by a cache
                    entry.skipped = reason
                    tick(f"{config.label}: skipped", steps_per_config - 1)
                    continue
            tick(f"{config.label}: ready")
            for i in range(warmup_runs):
                if cancelled():
                    break
                target.synthesize(text, params)
                tick(f"{config.label}: warm-up {i + 1}/{warmup_runs}")
            for i in range(runs):
                if cancelled():
                    break
                r = target.synthesize(text, params)
                entry.runs.append({**r.timings_ms, TOTAL: r.total_ms})
                entry.ran_on = dict(r.ran_on) or {"all": "CPU"}
                entry.audio_seconds = r.audio_seconds
                entry.notes += [e.describe() for e in r.fallbacks]
                tick(f"{config.label}: run {i + 1}/{runs}")
        finally:
            del temp
    return result
