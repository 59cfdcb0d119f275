"""Takes: every synthesis kept with everything that made it, so it can be replayed, compared, restored and saved.

A take holds the text (and the edited queries of its lines, as JSON), the voice, every parameter (with the seed
that makes its noise: graphs/seeded.py), the backends that really ran, the BERT precision, the timings and the
audio. `settings()` gives back SynthesisParams with that seed, so the same take is synthesized again bit for bit
on the same backend; a "new take" is the same settings with `seed=None` (a new seed is drawn).

The history lives in memory (audio included), newest last, bounded by `max_takes` (the oldest are dropped first).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .. import audio as audio_io
from ..engine.params import SynthesisParams
from ..engine.query import AudioQuery
from ..engine.synthesis import SynthesisResult
from ..errors import StudioError


@dataclass(frozen=True)
class Take:
    id: int
    created: float  # time.time()
    text: str  # the lines, joined by newlines
    queries: dict[int, dict]  # line number → the edited query (JSON form) of that line
    voice: str  # its label
    params: dict[str, Any]  # SynthesisParams as a dict, the seed filled in
    ran_on: dict[str, str]
    precision: str | None  # the BERT variant (fp32, int8, fp16 …); None for a voice without BERT
    seed: int | None
    timings_ms: dict[str, float]
    total_ms: float
    sample_rate: int
    pcm16: np.ndarray = field(repr=False)

    @property
    def seconds(self) -> float:
        return len(self.pcm16) / self.sample_rate if self.sample_rate else 0.0

    def settings(self) -> SynthesisParams:
        """The take's parameters, its seed locked: synthesizing them again gives this take."""
        return SynthesisParams(**self.params)

    def lines(self) -> list[str | AudioQuery]:
        """What to speak to get this take again: the text's lines, the edited ones as their queries."""
        lines = [line for line in self.text.split("\n") if line.strip()]
        return [AudioQuery.from_dict(self.queries[i]) if i in self.queries else line for i, line in enumerate(lines)]

    def save(self, path: str | Path) -> Path:
        return audio_io.save(path, self.pcm16, self.sample_rate)

    def differences(self, other: Take) -> dict[str, tuple[Any, Any]]:
        """What differs between two takes' making (text, voice, each parameter, backends, precision)."""
        mine, theirs = self._making(), other._making()
        return {
            k: (mine.get(k), theirs.get(k)) for k in sorted(set(mine) | set(theirs)) if mine.get(k) != theirs.get(k)
        }

    def _making(self) -> dict[str, Any]:
        return {"text": self.text, "queries": self.queries, "voice": self.voice, **self.params,
                "ran_on": self.ran_on, "precision": self.precision}  # fmt: skip

    def summary(self) -> dict[str, Any]:
        """JSON-ready, without the audio."""
        d = asdict(replace(self, pcm16=np.zeros(0, np.int16)))
        d.pop("pcm16")
        d["seconds"] = round(self.seconds, 3)
        return d


class TakeHistory:
    def __init__(self, max_takes: int = 50):
        self.max_takes = max(1, int(max_takes))
        self._takes: list[Take] = []
        self._ids = itertools.count(1)

    def __len__(self) -> int:
        return len(self._takes)

    def __iter__(self):
        return iter(list(self._takes))

    def record(
        self, text: str | Iterable[str | AudioQuery] | AudioQuery, params: SynthesisParams, result: SynthesisResult,
        voice=None,
    ) -> Take:  # fmt: skip
        """Keep a finished request as a take (its seed and audio from the result)."""
        if not result.finished:
            raise StudioError("only a finished synthesis can be kept as a take")
        items = [text] if isinstance(text, (str, AudioQuery)) else list(text)
        lines, queries = [], {}
        for item in items:
            for line in [item] if isinstance(item, AudioQuery) else str(item).split("\n"):
                if isinstance(line, AudioQuery):
                    queries[len(lines)] = line.to_dict()
                    lines.append(line.text)
                elif line.strip():
                    lines.append(line)
        take = Take(
            id=next(self._ids), created=time.time(), text="\n".join(lines), queries=queries,
            voice=result.voice, params=asdict(replace(params, seed=result.seed)), ran_on=dict(result.ran_on),
            precision=getattr(voice, "bert_variant", None), seed=result.seed, timings_ms=dict(result.timings_ms),
            total_ms=result.total_ms, sample_rate=result.sample_rate, pcm16=np.array(result.pcm16, np.int16),
        )  # fmt: skip
        self._takes.append(take)
        del self._takes[: -self.max_takes]
        return take

    def get(self, take_id: int) -> Take:
        for take in self._takes:
            if take.id == take_id:
                return take
        raise StudioError(f"there is no take {take_id} (it may have been dropped: the history keeps {self.max_takes})")

    def remove(self, take_id: int) -> None:
        self._takes.remove(self.get(take_id))


__all__ = ["Take", "TakeHistory"]
