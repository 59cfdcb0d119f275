"""The BERT stage (DeBERTa on onnxruntime → one 1024-dim row per token) and the align stage (rows spread over
phonemes by word2ph, optionally pulled towards an assist text's mean)."""

from __future__ import annotations

import numpy as np

from .backends import ResilientSession
from .errors import ModelError
from .models import BERT_DIM, BertModel


class BertStage:
    """Runs the DeBERTa graph: int64 ids [L] → float32 features [L, 1024] (hidden_states[-3])."""

    def __init__(self, model: BertModel, session: ResilientSession):
        self.model = model
        self.session = session
        names = set(session.inputs)
        if "input_ids" not in names:
            raise ModelError(model.onnx_path, f"not a BERT graph: inputs are {sorted(names)}, expected input_ids")
        self._needs_mask = "attention_mask" in names
        self._needs_types = "token_type_ids" in names
        outputs = session.active.output_names
        self._output = "output" if "output" in outputs else outputs[0]

    def run(self, input_ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(input_ids, dtype=np.int64)[None, :]
        feeds = {"input_ids": ids}
        if self._needs_mask:
            feeds["attention_mask"] = np.ones_like(ids)
        if self._needs_types:
            feeds["token_type_ids"] = np.zeros_like(ids)
        (out,) = self.session.run([self._output], feeds)
        out = np.asarray(out, dtype=np.float32)
        if out.ndim == 3:  # graphs exported with the batch axis kept
            out = out[0]
        if out.shape != (ids.shape[1], BERT_DIM):
            raise ModelError(
                self.model.onnx_path,
                f"BERT output has shape {out.shape}, expected [{ids.shape[1]}, {BERT_DIM}]",
            )
        return out


def expand_to_phones(
    features: np.ndarray,
    word2ph: list[int],
    assist_mean: np.ndarray | None = None,
    assist_weight: float = 1.0,
) -> np.ndarray:
    """Token rows repeated word2ph[i] times and transposed: [L, 1024] → [1024, sum(word2ph)].

    With an assist text, every row r becomes r·(1−w) + m·w, m the assist text's mean row."""
    if len(word2ph) != features.shape[0]:
        raise ValueError(f"word2ph has {len(word2ph)} entries for {features.shape[0]} BERT tokens")
    if assist_mean is not None:
        features = features * (1.0 - assist_weight) + assist_mean[None, :] * assist_weight
    return np.ascontiguousarray(np.repeat(features, word2ph, axis=0).T, dtype=np.float32)
