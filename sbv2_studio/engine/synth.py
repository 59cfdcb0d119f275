"""The synthesizer stage: the SBV2 ONNX graph, inputs bound by name, JP-Extra and older models."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ..graphs.seeded import SEED_INPUT
from ..models.formats import BERT_DIM, SYNTH_SCALAR_INPUTS, VoiceModel
from ..models.validate import check_graph_matches
from ..runtime.backends import ResilientSession


def synth_feeds(
    input_ranks: Mapping[str, int],
    jp_extra: bool,
    x_tst: np.ndarray,
    tone_ids: np.ndarray,
    language_ids: np.ndarray,
    bert: np.ndarray,
    *,
    sid: int,
    style_vec: np.ndarray,
    length_scale: float,
    sdp_ratio: float,
    noise_scale: float,
    noise_scale_w: float,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """The SBV2 synthesizer's input contract, written once: the feeds, by name, for one line, of a graph that
    declares `input_ranks` (input name → rank). JP-Extra graphs take one BERT input; older ones three (for
    Japanese, ja_bert carries the features)."""
    t = int(x_tst.shape[0])
    if bert.shape != (BERT_DIM, t):
        raise ValueError(f"BERT features have shape {bert.shape}, expected ({BERT_DIM}, {t})")
    feeds: dict[str, np.ndarray] = {
        "x_tst": np.asarray(x_tst, np.int64)[None, :],
        "x_tst_lengths": np.array([t], dtype=np.int64),
        "sid": np.array([sid], dtype=np.int64),
        "tones": np.asarray(tone_ids, np.int64)[None, :],
        "language": np.asarray(language_ids, np.int64)[None, :],
        "style_vec": np.asarray(style_vec, dtype=np.float32).reshape(1, -1),
    }
    features = bert.astype(np.float32)[None, :, :]
    if jp_extra:
        feeds["bert"] = features
    else:
        zeros = np.zeros_like(features)
        feeds["bert"], feeds["ja_bert"], feeds["en_bert"] = zeros, features, zeros
    scalars = {"length_scale": length_scale, "sdp_ratio": sdp_ratio, "noise_scale": noise_scale,
               "noise_scale_w": noise_scale_w}  # fmt: skip
    for name in SYNTH_SCALAR_INPUTS:
        if name in input_ranks:  # exports differ in whether scalars are rank 0 or shape [1]: as declared
            feeds[name] = np.full(() if input_ranks[name] == 0 else (1,), scalars[name], dtype=np.float32)
    feeds[SEED_INPUT] = np.array([seed], dtype=np.int64)  # seeded graphs (graphs/seeded.py) only
    # Simplified exports may have dropped an input the graph never reads: feed only what it declares.
    return {k: v for k, v in feeds.items() if k in input_ranks}


class SynthStage:
    """Phone/tone/language ids + BERT features + style vector → float audio in [-1, 1]."""

    def __init__(self, voice: VoiceModel, session: ResilientSession):
        self.voice = voice
        self.session = session
        inputs = session.inputs
        self.jp_extra = check_graph_matches(voice, set(inputs), session.output_names)
        self.input_names = frozenset(inputs)  # kept: reading them must not reopen a released session
        self._input_ranks = {name: len(meta.shape) for name, meta in inputs.items()}

    def feeds(self, *args, **kwargs) -> dict[str, np.ndarray]:
        """The graph's inputs, by name, for one line (also what a split of this graph is fed); see `synth_feeds`."""
        return synth_feeds(self._input_ranks, self.jp_extra, *args, **kwargs)

    def run(self, *args, **kwargs) -> np.ndarray:
        """Float audio for one line; arguments as for `feeds`."""
        (audio,) = self.session.run(["output"], self.feeds(*args, **kwargs))
        return np.asarray(audio, dtype=np.float32).reshape(-1)
