"""Engines, devices and precisions a person can choose per stage; the fidelity of a reduced precision against
FP32 on the same input; and the fastest safe defaults for this machine. No Qt here: the window, the CLI and
the bench call these.

- `backend_choices()`: every (stage, backend, device, precision) that runs natively here, for the pickers.
- `audio_fidelity` / `bert_fidelity`: SNR (dB) and log-mel distance for audio, max abs and cosine for BERT.
- `measure_fidelity(model, bert, ...)`: both measured for one configuration against onnxruntime FP32.
- `fastest_safe_defaults(...)`: on first run, the fastest configuration within `LIMITS`, remembered in the user
  data folder; the person may change it (`save_defaults`).
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from ..paths import write_text_atomic
from ..runtime import ov_backend
from ..runtime.backends import LABELS, ORT_BERT_PRECISIONS, OV_SYNTH_PRECISIONS, Backend, available_kinds

log = logging.getLogger(__name__)

# A reduced precision is offered as a default only within these limits (documented in docs/benchmarks.md):
# the synthesizer's audio against FP32 on the bench texts, the BERT features against FP32.
LIMITS = {"synth_snr_db": 30.0, "synth_same_length": True, "bert_cos_min": 0.999}
STAGES = ("bert", "synth")
FIDELITY_TEXTS = (
    "あらゆる現実を、すべて自分のほうへねじ曲げたのだ。",
    "古びた図書館の奥で、一冊の不思議な本を見つけた少年は、そっとページを開きました。",
)


@dataclass(frozen=True)
class Choice:
    """One option of a stage's picker: `backend` (with its precision) is what open_voice takes."""

    stage: str  # "bert" or "synth"
    backend: Backend
    device_name: str  # what the person sees: "AMD EPYC", "Intel(R) Iris(R) Xe Graphics" …
    exact: bool  # FP32 (the reference's numbers) or a reduced precision (show its measured fidelity)

    @property
    def label(self) -> str:
        return f"{self.backend.label} — {self.device_name}" if self.device_name else self.backend.label

    @property
    def spec(self) -> str:
        return self.backend.spec

    @property
    def precision(self) -> str:
        return self.backend.precision


def backend_choices(kinds: list[str] | None = None) -> list[Choice]:
    """Backend kinds × devices × precisions that run natively here, per stage (onnxruntime's CPU first).
    Emulated precisions (an `f16` hint on a CPU without FP16 units, bf16 without AVX512_BF16/AMX) are left out."""
    kinds = kinds if kinds is not None else available_kinds()
    choices: list[Choice] = []
    for stage in STAGES:
        for kind in ["cpu", *[k for k in kinds if k != "cpu"]]:
            if kind == "openvino":
                for device in ov_backend.devices():
                    allowed = PRECISIONS_OV_BERT if stage == "bert" else OV_SYNTH_PRECISIONS
                    for precision in allowed:
                        if device.native(precision):
                            backend = Backend("openvino", 0, device.name, precision)
                            choices.append(Choice(stage, backend, device.full_name, precision == "fp32"))
                continue
            if kind not in LABELS:
                continue
            allowed = ORT_BERT_PRECISIONS.get(kind, ("fp32",)) if stage == "bert" else ("fp32",)
            for precision in allowed:
                choices.append(Choice(stage, Backend(kind, 0, "", precision), "", precision == "fp32"))
    return choices


PRECISIONS_OV_BERT = ("fp32", "bf16", "fp16", "int8")


# --- fidelity ------------------------------------------------------------------------------------------------


def _mel_filterbank(sample_rate: int, n_fft: int, n_mels: int) -> np.ndarray:
    """Triangular mel filters (HTK mel scale), [n_mels, n_fft // 2 + 1]."""

    def mel(f):
        return 2595.0 * np.log10(1.0 + np.asarray(f) / 700.0)

    def hz(m):
        return 700.0 * (10.0 ** (np.asarray(m) / 2595.0) - 1.0)

    bins = np.linspace(0, sample_rate / 2, n_fft // 2 + 1)
    edges = hz(np.linspace(mel(0.0), mel(sample_rate / 2), n_mels + 2))
    lower, centre, upper = edges[:-2, None], edges[1:-1, None], edges[2:, None]
    rising = (bins[None, :] - lower) / np.maximum(centre - lower, 1e-9)
    falling = (upper - bins[None, :]) / np.maximum(upper - centre, 1e-9)
    return np.maximum(0.0, np.minimum(rising, falling))


def log_mel(audio: np.ndarray, sample_rate: int, n_fft: int = 1024, hop: int = 256, n_mels: int = 80) -> np.ndarray:
    """Natural-log mel spectrogram [n_mels, frames] (Hann window), floored at 1e-5."""
    x = np.asarray(audio, dtype=np.float64).reshape(-1)
    if len(x) < n_fft:
        x = np.pad(x, (0, n_fft - len(x)))
    frames = 1 + (len(x) - n_fft) // hop
    index = np.arange(n_fft)[None, :] + hop * np.arange(frames)[:, None]
    spectrum = np.abs(np.fft.rfft(x[index] * np.hanning(n_fft)[None, :], axis=1)).T
    return np.log(np.maximum(_mel_filterbank(sample_rate, n_fft, n_mels) @ spectrum, 1e-5))


def audio_fidelity(reference: np.ndarray, other: np.ndarray, sample_rate: int) -> dict:
    """SNR in dB of `other` against `reference` (over their common length), the mean absolute log-mel difference,
    and the length difference in samples (a changed duration shows there, not in the SNR)."""
    ref = np.asarray(reference, dtype=np.float64).reshape(-1)
    oth = np.asarray(other, dtype=np.float64).reshape(-1)
    n = min(len(ref), len(oth))
    noise = float(((ref[:n] - oth[:n]) ** 2).sum())
    signal = float((ref[:n] ** 2).sum())
    snr = float("inf") if noise == 0.0 else 10.0 * float(np.log10(max(signal, 1e-30) / noise))
    a, b = log_mel(ref[:n], sample_rate), log_mel(oth[:n], sample_rate)
    return {"snr_db": snr, "log_mel_l1": float(np.abs(a - b).mean()), "length_diff": int(len(oth) - len(ref))}


def bert_fidelity(reference: np.ndarray, other: np.ndarray) -> dict:
    """Max absolute difference and cosine similarity (mean and worst token) of BERT features [L, 1024]."""
    from ..graphs.bert_variants import feature_error

    err = feature_error(reference, other)
    return {"max_abs": err["max_abs"], "cosine": err["cos_mean"], "cosine_min": err["cos_min"]}


@dataclass
class Fidelity:
    """A configuration measured against onnxruntime FP32 on the same texts (noise off: deterministic)."""

    bert: str
    synth: str
    texts: list[str]
    bert_error: list[dict] = field(default_factory=list)
    audio_error: list[dict] = field(default_factory=list)
    ms: dict = field(default_factory=dict)  # {"reference": [...], "candidate": [...]} per-text total ms

    @property
    def worst_snr_db(self) -> float:
        return min((e["snr_db"] for e in self.audio_error), default=float("inf"))

    @property
    def worst_cosine(self) -> float:
        return min((e["cosine_min"] for e in self.bert_error), default=1.0)

    @property
    def same_length(self) -> bool:
        return all(e["length_diff"] == 0 for e in self.audio_error)

    def within_limits(self, limits: dict | None = None) -> bool:
        limits = limits or LIMITS
        return (
            self.worst_snr_db >= limits["synth_snr_db"]
            and (self.same_length or not limits["synth_same_length"])
            and self.worst_cosine >= limits["bert_cos_min"]
        )

    def describe(self) -> str:
        return (
            f"BERT {self.bert}: cosine ≥ {self.worst_cosine:.5f}; synth {self.synth}: SNR ≥ {self.worst_snr_db:.1f} dB, "
            f"log-mel L1 ≤ {max((e['log_mel_l1'] for e in self.audio_error), default=0.0):.3f}, "
            f"{'same length' if self.same_length else 'LENGTH CHANGED'}"
        )


def measure_fidelity(
    model,
    bert,
    bert_backend: Backend | str,
    synth_backend: Backend | str,
    texts=FIDELITY_TEXTS,
    library=None,
    reference=None,
) -> Fidelity:
    """The audio and BERT features of a configuration against onnxruntime FP32 (`reference`: that voice, already
    open), on the same texts."""
    from ..engine.params import SynthesisParams
    from ..engine.text.g2p import text_to_words
    from .voices import open_voice

    bert_b = Backend.parse(bert_backend) if isinstance(bert_backend, str) else bert_backend
    synth_b = Backend.parse(synth_backend) if isinstance(synth_backend, str) else synth_backend
    common = dict(bert=bert, library=library, cache=None)
    reference = reference or open_voice(model, **common)
    candidate = open_voice(model, bert_backend=bert_b, synth_backend=synth_b, **common)
    params = SynthesisParams(sdp_ratio=0.0, noise=0.0, noise_w=0.0)  # deterministic: the same input for both
    result = Fidelity(bert_b.label, synth_b.label, list(texts), ms={"reference": [], "candidate": []})
    for text in texts:
        ids = reference.tokenizer.encode("".join(text_to_words(text)[0]))
        result.bert_error.append(bert_fidelity(reference.bert.compute(ids), candidate.bert.compute(ids)))
        timed = []
        for voice in (reference, candidate):
            t0 = time.perf_counter()
            timed.append(voice.synthesize(text, params))
            (result.ms["reference"] if voice is reference else result.ms["candidate"]).append(
                (time.perf_counter() - t0) * 1000.0
            )
        result.audio_error.append(audio_fidelity(timed[0].audio, timed[1].audio, reference.sample_rate))
    return result


# --- the fastest safe defaults -----------------------------------------------------------------------------


def defaults_path() -> Path:
    from ..paths import data_dir

    return data_dir() / "backend_defaults.json"


@dataclass
class Defaults:
    """What runs each stage unless the person says otherwise, and why it was chosen."""

    bert: str = "cpu:0"
    bert_precision: str = "fp32"
    synth: str = "cpu:0"
    synth_precision: str = "fp32"
    reason: str = "onnxruntime FP32 (nothing faster measured yet)"
    chosen_by: str = "default"  # "default", "measured" or "person"
    fidelity: str = ""

    def backends(self) -> tuple[Backend, Backend]:
        return Backend.parse(self.bert, self.bert_precision), Backend.parse(self.synth, self.synth_precision)

    @property
    def measured(self) -> bool:
        """Chosen by measuring this machine (not the built-in default, nor a person's pick)."""
        return self.chosen_by == "measured"

    def describe(self) -> str:
        """One line for a person: what runs each stage, and why."""
        bert, synth = self.backends()
        return f"BERT {bert.label}, synthesizer {synth.label}: {self.reason}" + (
            f" ({self.fidelity})" if self.fidelity else ""
        )


def load_defaults(path: Path | None = None) -> Defaults | None:
    try:
        data = json.loads((path or defaults_path()).read_text(encoding="utf-8"))
        return Defaults(**{k: v for k, v in data.items() if k in Defaults.__dataclass_fields__})
    except (OSError, ValueError, TypeError):
        return None


def save_defaults(defaults: Defaults, path: Path | None = None) -> Path:
    """Write atomically (never a half-written file that looks complete)."""
    path = path or defaults_path()
    write_text_atomic(path, json.dumps(asdict(defaults), ensure_ascii=False, indent=2))
    return path


def candidate_defaults() -> list[tuple[Backend, Backend]]:
    """Configurations worth trying, fastest expected first (from docs/benchmarks.md): OpenVINO's bf16 synthesizer
    where the CPU has bf16 natively, with its fastest BERT: 8-bit weights (as fast as the bf16 BERT or faster
    without AMX, with a third less memory; 2.3× its FP32 BERT where bf16 is not native), or bf16 on a CPU with AMX
    (there the 8-bit BERT's weight unpacking costs more than it saves: 161 against 111 ms at 104 characters); then
    the other BERT; then the bf16 synthesizer with an exact BERT (reduced-precision BERT features can move a
    predicted duration: one of the bench texts came out 11 % longer); then OpenVINO FP32; then onnxruntime."""
    found: list[tuple[Backend, Backend]] = []
    cpu = ov_backend.device_info("CPU") if ov_backend.available() else None
    if cpu is not None:
        fp32, int8 = Backend("openvino", 0, "CPU"), Backend("openvino", 0, "CPU", "int8")
        if cpu.native("bf16"):
            bf16 = Backend("openvino", 0, "CPU", "bf16")
            berts = [bf16, int8] if ov_backend.amx() else [int8, bf16]
            found += [(bert, bf16) for bert in berts] + [(fp32, bf16)]
        else:
            found.append((int8, fp32))
        found.append((fp32, fp32))
    found.append((Backend("cpu"), Backend("cpu")))
    return found


def fastest_safe_defaults(model=None, bert=None, *, measure: bool = True, library=None, force: bool = False,
                          path: Path | None = None, reference=None) -> Defaults:  # fmt: skip
    """The stored choice, or (first run) the first of `candidate_defaults()` whose measured fidelity against FP32
    is within `LIMITS` on `FIDELITY_TEXTS`, stored for next time. Without a model to measure on (or with
    measure=False) only exact configurations are chosen (OpenVINO FP32 when installed: exact to float rounding).
    `reference`: `model` with `bert` on onnxruntime's CPU at FP32, open already (the window's voice on the starting
    choice): measured against as it is, instead of a second copy of it beside each candidate."""
    stored = None if force else load_defaults(path)
    if stored is not None:
        return stored
    if measure and model is not None and reference is None:
        from .voices import open_voice

        # The voice and BERT themselves must open (an error here names the file); a candidate that cannot start is
        # only passed over.
        reference = open_voice(model, bert=bert, library=library, cache=None)
    chosen = None
    for bert_b, synth_b in candidate_defaults():
        exact = bert_b.precision == "fp32" and synth_b.precision == "fp32"
        if exact:
            reason = "exact (FP32)" + (
                ": OpenVINO is faster than onnxruntime here" if bert_b.kind == "openvino" else ""
            )
            chosen = Defaults(bert_b.spec, "fp32", synth_b.spec, "fp32", reason, "measured" if measure else "default")
            break
        if reference is None:
            continue
        try:
            fidelity = measure_fidelity(model, bert, bert_b, synth_b, library=library, reference=reference)
        except Exception as exc:  # a configuration that cannot run here is simply not chosen
            log.warning("defaults: %s / %s not usable here: %s", bert_b.label, synth_b.label, exc)
            continue
        if fidelity.within_limits():
            chosen = Defaults(bert_b.spec, bert_b.precision, synth_b.spec, synth_b.precision,
                              "fastest within the limits", "measured", fidelity.describe())  # fmt: skip
            break
    chosen = chosen or Defaults()
    save_defaults(chosen, path)
    return chosen


__all__ = [
    "Choice",
    "Defaults",
    "FIDELITY_TEXTS",
    "Fidelity",
    "LIMITS",
    "audio_fidelity",
    "backend_choices",
    "bert_fidelity",
    "candidate_defaults",
    "fastest_safe_defaults",
    "load_defaults",
    "log_mel",
    "measure_fidelity",
    "save_defaults",
]
