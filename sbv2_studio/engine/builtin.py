"""The built-in voice: OpenJTalk's HTS voice "mei" that pyopenjtalk-plus ships. It needs no download, so a
fresh install speaks at once. It is OpenJTalk, not SBV2, and says so in its label."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pyopenjtalk

from .. import audio as audio_io
from ..errors import TextError
from .pipeline import StageTimer, StageTiming, SynthesisParams, SynthesisResult, split_lines


def _has_speech(labels: list[str]) -> bool:
    # Full-context labels carry the phoneme between '-' and '+'; text with nothing readable is all silence.
    return any(lab.split("-", 1)[1].split("+", 1)[0] not in ("sil", "pau") for lab in labels)


class OpenJTalkVoice:
    kind = "openjtalk"
    name = "mei"
    label = "Built-in: OpenJTalk mei (not SBV2)"
    sample_rate = 48000
    speakers = {"mei": 0}
    styles = {"Normal": 0}
    supported_params = frozenset({"length"})
    stages = ("frontend", "hts", "postprocess")

    def __init__(self) -> None:
        self.requests_done = 0

    def ran_on(self) -> dict[str, str]:
        return {}

    def retry_gpu(self) -> dict[str, bool]:
        return {}

    def synthesize(
        self,
        text: str,
        params: SynthesisParams | None = None,
        on_stage: Callable[[StageTiming], None] | None = None,
    ) -> SynthesisResult:
        params = params or SynthesisParams()
        params.validate()
        lines = split_lines(text, params.split_lines)
        timed = StageTimer(self.stages, on_stage)

        chunks, skipped = [], []
        for i, line in enumerate(lines):
            labels = timed("frontend", i, pyopenjtalk.extract_fullcontext, line)
            if not _has_speech(labels):
                skipped.append(line)
                continue
            # HTS speaks faster for a higher speed; SBV2's length scale is its inverse.
            wav, _ = timed("hts", i, pyopenjtalk.synthesize, labels, speed=1.0 / params.length)
            chunks.append((np.asarray(wav) / 32768.0).astype(np.float32))
        if not chunks:
            raise TextError("nothing in the text can be read aloud: " + " / ".join(repr(s) for s in skipped[:3]))

        def postprocess():
            joined = audio_io.join_lines(chunks, self.sample_rate, params.line_interval)
            return joined, audio_io.to_pcm16(joined)

        joined, pcm16 = timed("postprocess", len(chunks) - 1, postprocess)
        result = SynthesisResult(
            audio=joined,
            pcm16=pcm16,
            sample_rate=self.sample_rate,
            timings_ms=timed.ms,
            ran_on={},
            total_ms=timed.total_ms,
            first_request=self.requests_done == 0,
            line_count=len(chunks),
            skipped_lines=skipped,
            voice=self.label,
        )
        self.requests_done += 1
        return result

    def warm_up(self, runs: int = 1, on_progress: Callable[[int, int, float], None] | None = None) -> list[float]:
        totals = []
        for i in range(runs):
            totals.append(self.synthesize("こんにちは。").total_ms)
            if on_progress is not None:
                on_progress(i + 1, runs, totals[-1])
        return totals
