"""The BERT stage (DeBERTa on onnxruntime → one 1024-dim row per token) and the align stage (rows spread over
phonemes by word2ph, optionally pulled towards an assist text's mean)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import numpy as np

from ..errors import ModelError
from ..models.formats import BERT_DIM, BertModel
from ..paths import file_stamp
from ..runtime.backends import ResilientSession

DEFAULT_FEATURE_CACHE = 256  # entries; a 100-character line's features are ~0.4 MB


class FeatureCache:
    """A bounded LRU of BERT features keyed by (graph identity, variant, token ids). Entries are read-only
    arrays, so a caller can never change what a later hit returns. Thread-safe."""

    def __init__(self, max_entries: int = DEFAULT_FEATURE_CACHE):
        self.max_entries = max(0, int(max_entries))
        self._data: OrderedDict[tuple, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: tuple) -> np.ndarray | None:
        with self._lock:
            value = self._data.get(key)
            if value is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return value

    def put(self, key: tuple, value: np.ndarray) -> np.ndarray:
        if self.max_entries == 0:
            return value
        value = np.array(value, dtype=np.float32, copy=True)
        value.flags.writeable = False
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.max_entries:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0


def _graph_identity(path: Path | bytes) -> str:
    if isinstance(path, bytes):
        import hashlib

        return hashlib.sha1(path).hexdigest()
    try:
        return file_stamp(path)
    except OSError:
        return str(path)


class BertStage:
    """Runs the DeBERTa graph: int64 ids [L] → float32 features [L, 1024] (hidden_states[-3]).

    With a FeatureCache, a text seen before (same graph, same variant, same ids) is not recomputed."""

    def __init__(
        self,
        model: BertModel,
        session: ResilientSession,
        *,
        cache: FeatureCache | None = None,
        variant: str = "",
        graph_path: Path | bytes | None = None,
    ):
        self.model = model
        self.session = session
        self.cache = cache
        self.variant = variant or model.variant
        self.graph_path = graph_path if graph_path is not None else model.onnx_path
        self._identity = (_graph_identity(self.graph_path), self.variant)
        names = set(session.inputs)
        if "input_ids" not in names:
            raise ModelError(model.onnx_path, f"not a BERT graph: inputs are {sorted(names)}, expected input_ids")
        for name, meta in session.inputs.items():
            # onnxruntime says "tensor(int64)", OpenVINO "<Type: 'int64_t'>"
            if name in ("input_ids", "attention_mask", "token_type_ids") and "int64" not in str(meta.type):
                raise ModelError(model.onnx_path, f"not a BERT graph: input '{name}' is {meta.type}, expected int64")
        self._needs_mask = "attention_mask" in names
        self._needs_types = "token_type_ids" in names
        outputs = session.active.output_names
        self._output = "output" if "output" in outputs else outputs[0]

    def run(self, input_ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(input_ids, dtype=np.int64)
        if self.cache is None:
            return self.compute(ids)
        key = (*self._identity, ids.tobytes())
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        return self.cache.put(key, self.compute(ids))

    def compute(self, input_ids: np.ndarray) -> np.ndarray:
        """The features, always computed (no cache)."""
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
