"""The built-in voice: OpenJTalk's HTS voice "mei" that pyopenjtalk-plus ships. It needs no download, so a
fresh install speaks at once. It is OpenJTalk, not SBV2, and says so in its label.

It runs the same synthesis path as SBV2 voices (engine/synthesis.py): the plan segments the text (so any line
length works, and streaming speaks sentence by sentence), the front end is OpenJTalk's full-context labels, and
"synthesize" is the HTS engine on one segment.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyopenjtalk

from ..errors import TextError
from .params import POSTPROCESS_PARAMS, SynthesisParams
from .synthesis import PlannedVoice, Rendered, StageClock, SynthesisPlan, SynthesisResult


def _has_speech(labels: list[str]) -> bool:
    # Full-context labels carry the phoneme between '-' and '+'; text with nothing readable is all silence.
    return any(lab.split("-", 1)[1].split("+", 1)[0] not in ("sil", "pau") for lab in labels)


class OpenJTalkVoice(PlannedVoice):
    kind = "openjtalk"
    name = "mei"
    label = "Built-in: OpenJTalk mei (not SBV2)"
    sample_rate = 48000
    speakers = {"mei": 0}
    styles = {"Normal": 0}
    supported_params = frozenset({"length"}) | POSTPROCESS_PARAMS
    stages = ("frontend", "synthesize", "postprocess")

    def __init__(self) -> None:
        self.requests_done = 0

    def ran_on(self) -> dict[str, str]:
        return {}

    def retry_gpu(self) -> dict[str, bool]:
        return {}

    def set_on_fallback(self, callback) -> None:
        """Nothing runs on onnxruntime: nothing can fall back."""

    def prepare_streaming(self, decoder: str = "cascade", free_whole: bool = True) -> None:
        """Nothing to open: every segment is synthesized whole."""

    # -- the steps of engine.synthesis.run_plan -------------------------------------------------------------------

    def stage_provider(self, stage: str) -> str | None:
        return None

    def begin(self, params: SynthesisParams, plan: SynthesisPlan, clock: StageClock, result: SynthesisResult):
        return None

    def analyze(self, text: str, clock: StageClock) -> list[str]:
        labels = clock("frontend", pyopenjtalk.extract_fullcontext, text)
        if not _has_speech(labels):
            raise TextError(f"nothing in the text can be read aloud: {text[:40]!r}")
        return labels

    def render(self, labels, state, params: SynthesisParams, plan, clock: StageClock, headroom) -> Iterator[Rendered]:
        # HTS speaks faster for a higher speed; SBV2's length scale is its inverse.
        wav, _ = clock("synthesize", pyopenjtalk.synthesize, labels, speed=1.0 / params.length)
        # HTS gives int16-scale floats, a little beyond ±32768 at loud peaks (kept: saving peak-normalizes). On
        # degenerate input (200 「あ」 in a row) its filter diverges to 1e53, past float32: clip far outside that.
        yield Rendered(np.clip(np.asarray(wav) / 32768.0, -8.0, 8.0).astype(np.float32))

    def finish(self) -> tuple[dict[str, str], list]:
        self.requests_done += 1
        return {}, []
