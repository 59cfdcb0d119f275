"""A small ONNX graph writer (onnx.helper underneath) and the weight source that fills it.

`GraphWriter` adds nodes in order under a name scope (`/enc_p/encoder/attn_layers.0/…`, the layout exporters use,
so node names say which part of the model they belong to) and keeps initializers once by name. `Weights` hands
out checkpoint tensors as float32 and checks each against the shape the config implies, so a checkpoint that does
not fit its config is refused with the tensor named.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence

import numpy as np
import onnx
from onnx import TensorProto, helper


class CheckpointMismatch(ValueError):
    """A tensor the config implies is missing, or has another shape (the message names it)."""


class Weights:
    """Checkpoint tensors by name, as float32, shape-checked; weight-norm pairs folded to plain weights."""

    def __init__(self, tensors: Mapping[str, np.ndarray]):
        self._tensors = tensors
        self.used: set[str] = set()

    def has(self, name: str) -> bool:
        return name in self._tensors

    def _raw(self, name: str) -> np.ndarray:
        if name not in self._tensors:
            raise CheckpointMismatch(f"tensor '{name}' is missing")
        self.used.add(name)
        return np.asarray(self._tensors[name])

    def get(self, name: str, shape: Sequence[int] | None = None) -> np.ndarray:
        value = self._raw(name)
        if not np.issubdtype(value.dtype, np.floating):
            raise CheckpointMismatch(f"tensor '{name}' has dtype {value.dtype}, expected floating point")
        if shape is not None and tuple(value.shape) != tuple(shape):
            raise CheckpointMismatch(f"tensor '{name}' has shape {list(value.shape)}, expected {list(shape)}")
        return value.astype(np.float32, copy=False)

    def conv_weight(self, prefix: str, shape: Sequence[int]) -> np.ndarray:
        """`prefix.weight`, or the weight-norm pair folded: g · v / ‖v‖ (norm over all but the first axis).

        Checkpoints written with torch.nn.utils.weight_norm store `weight_g`/`weight_v`; those written with the
        newer parametrization store `parametrizations.weight.original0`/`original1` (the same g and v)."""
        for g_name, v_name in (
            (f"{prefix}.weight_g", f"{prefix}.weight_v"),
            (f"{prefix}.parametrizations.weight.original0", f"{prefix}.parametrizations.weight.original1"),
        ):
            if self.has(v_name):
                v = self.get(v_name, shape).astype(np.float64)
                g = self.get(g_name, (shape[0],) + (1,) * (len(shape) - 1)).astype(np.float64)
                norm = np.sqrt((v * v).sum(axis=tuple(range(1, v.ndim)), keepdims=True))
                return (g * v / norm).astype(np.float32)
        return self.get(f"{prefix}.weight", shape)


class GraphWriter:
    """Collects nodes, and writes initializers straight into `graph` (protobuf copies a message appended to a
    repeated field: building them apart and adding them afterwards would hold a full-size model's weights twice).
    """

    def __init__(self, graph: onnx.GraphProto) -> None:
        self.graph = graph
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: set[str] = set()
        self._scope: list[str] = []
        self._count = 0
        self._consts: dict[tuple, str] = {}

    @contextlib.contextmanager
    def scope(self, name: str) -> Iterator[None]:
        self._scope.append(name)
        try:
            yield
        finally:
            self._scope.pop()

    def _fresh(self, op_type: str) -> str:
        self._count += 1
        return f"/{'/'.join(self._scope)}/{op_type}_{self._count}" if self._scope else f"/{op_type}_{self._count}"

    def op(self, op_type: str, *inputs: str, outputs: Sequence[str] | None = None, n_out: int = 1, **attrs):
        """Add a node; returns its output name (or the list of them when n_out > 1)."""
        name = self._fresh(op_type)
        outs = list(outputs) if outputs is not None else [f"{name}_out{i}" for i in range(n_out)]
        self.nodes.append(helper.make_node(op_type, list(inputs), outs, name=name, **attrs))
        return outs[0] if len(outs) == 1 else outs

    def initializer(self, name: str, value: np.ndarray) -> str:
        if name not in self.initializers:
            self.initializers.add(name)
            value = np.ascontiguousarray(value)
            tensor = self.graph.initializer.add()
            tensor.name = name
            tensor.data_type = helper.np_dtype_to_tensor_dtype(value.dtype)
            tensor.dims.extend(value.shape)
            tensor.raw_data = value.tobytes()
        return name

    def const(self, value, dtype=np.float32) -> str:
        """A small constant (scalar or 1-D), shared by value."""
        array = np.asarray(value, dtype=dtype)
        key = (array.dtype.str, array.shape, array.tobytes())
        if key not in self._consts:
            self._consts[key] = self.initializer(f"const_{len(self._consts)}", array)
        return self._consts[key]

    def ints(self, *values: int) -> str:
        return self.const(list(values), np.int64)


def tensor_info(name: str, elem_type: int, dims: Sequence[int | str]) -> onnx.ValueInfoProto:
    return helper.make_tensor_value_info(name, elem_type, list(dims))


FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64
