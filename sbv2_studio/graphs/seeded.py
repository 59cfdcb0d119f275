"""Seeded noise: the synthesizer's random sampling replaced by noise computed from a `seed` input.

SBV2 graphs draw their noise (the stochastic duration predictor's and the prior's) with `RandomNormalLike`, whose
generator lives in the session: the same request gives different audio every time, and nothing brings a take
back. This surgery replaces each such node with a counter-based generator inside the graph: element i of the
noise is a pure function of (seed, node, i), so the same seed gives the same samples, bit for bit on the same
backend, whatever ran before, and the noise has whatever shape the graph needs at run time (the prior's length
depends on the predicted durations, so it cannot be fed from outside).

The generator: two integer streams per node, x = (48271·i + base(seed, node, stream)) mod p with p = 2³¹−1, mixed
by four rounds of x ← (x² + c) mod p (int64 arithmetic never overflows: x < 2³¹), as uniforms in (0, 1]; the
Box-Muller transform makes them normal. Its statistics are checked by tests/graphs/test_seeded.py.
"""

from __future__ import annotations

import hashlib
import math
import re
from pathlib import Path

import numpy as np

from .. import offload
from ..paths import derived_prefix, file_stamp, remove_replaced
from .onnx_utils import save_model_atomic

SEED_INPUT = "seed"
SEEDED_VERSION = 1
RANDOM_OPS = ("RandomNormalLike", "RandomNormal")
_P = 2147483647  # 2^31 - 1, prime
_MIX = (12345, 67891, 24680, 13579)


def seed_random_ops(model):
    """Replace the model's RandomNormal(Like) nodes with seeded noise from a new int64 input `seed` (shape [1]).
    Returns how many nodes were replaced (0: the model had no random sampling and is unchanged)."""
    import onnx
    from onnx import TensorProto, helper

    graph = model.graph
    targets = [n for n in graph.node if n.op_type in RANDOM_OPS and n.domain in ("", "ai.onnx")]
    if not targets:
        return 0
    if any(i.name == SEED_INPUT for i in graph.input):
        raise ValueError(f"the graph already has an input named {SEED_INPUT!r}")
    graph.input.append(helper.make_tensor_value_info(SEED_INPUT, TensorProto.INT64, [1]))

    def const(name: str, value, dtype=np.int64) -> str:
        graph.initializer.append(onnx.numpy_helper.from_array(np.asarray(value, dtype=dtype), name))
        return name

    p = const("seeded/p", _P)
    one = const("seeded/one", 1)
    zero = const("seeded/zero", 0)
    mult = const("seeded/mult", 48271)
    seed_mult = const("seeded/seed_mult", 1000003)
    mix = [const(f"seeded/mix{r}", c) for r, c in enumerate(_MIX)]
    p_plus_1 = const("seeded/p1", float(_P + 1), np.float32)
    minus_two = const("seeded/minus_two", -2.0, np.float32)
    two_pi = const("seeded/two_pi", 2.0 * math.pi, np.float32)
    reduce_axes = const("seeded/axes0", [0])

    new_nodes = {}
    for k, node in enumerate(targets):
        pre = f"seeded/n{k}/"
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        nodes = []
        if node.op_type == "RandomNormalLike":
            nodes.append(helper.make_node("Shape", [node.input[0]], [pre + "shape"]))
        else:
            const(pre + "shape", list(attrs["shape"]))
        # n = number of elements (a [1] tensor), i = 0 … n-1
        nodes.append(helper.make_node("ReduceProd", [pre + "shape"], [pre + "n1"], keepdims=1))
        nodes.append(helper.make_node("Squeeze", [pre + "n1", reduce_axes], [pre + "n"]))
        nodes.append(helper.make_node("Range", [zero, pre + "n", one], [pre + "i"]))
        nodes.append(helper.make_node("Mul", [pre + "i", mult], [pre + "ia"]))
        uniforms = []
        for stream in (0, 1):
            s = f"{pre}s{stream}/"
            salt = const(s + "salt", (2 * k + stream + 1) * 7919)
            nodes.append(helper.make_node("Mul", [SEED_INPUT, seed_mult], [s + "sm"]))
            nodes.append(helper.make_node("Add", [s + "sm", salt], [s + "b0"]))
            nodes.append(helper.make_node("Mod", [s + "b0", p], [s + "base"], fmod=0))
            nodes.append(helper.make_node("Add", [pre + "ia", s + "base"], [s + "x0"]))
            nodes.append(helper.make_node("Mod", [s + "x0", p], [s + "x"], fmod=0))
            x = s + "x"
            for r, c in enumerate(mix):
                nodes.append(helper.make_node("Mul", [x, x], [f"{s}sq{r}"]))
                nodes.append(helper.make_node("Add", [f"{s}sq{r}", c], [f"{s}sc{r}"]))
                nodes.append(helper.make_node("Mod", [f"{s}sc{r}", p], [f"{s}m{r}"], fmod=0))
                x = f"{s}m{r}"
            nodes.append(helper.make_node("Add", [x, one], [s + "x1"]))
            nodes.append(helper.make_node("Cast", [s + "x1"], [s + "xf"], to=TensorProto.FLOAT))
            nodes.append(helper.make_node("Div", [s + "xf", p_plus_1], [s + "u"]))  # (0, 1]
            uniforms.append(s + "u")
        # Box-Muller: sqrt(-2 ln u1) · cos(2π u2)
        nodes.append(helper.make_node("Log", [uniforms[0]], [pre + "ln"]))
        nodes.append(helper.make_node("Mul", [pre + "ln", minus_two], [pre + "r2"]))
        nodes.append(helper.make_node("Sqrt", [pre + "r2"], [pre + "r"]))
        nodes.append(helper.make_node("Mul", [uniforms[1], two_pi], [pre + "angle"]))
        nodes.append(helper.make_node("Cos", [pre + "angle"], [pre + "cos"]))
        nodes.append(helper.make_node("Mul", [pre + "r", pre + "cos"], [pre + "z"]))
        scale, mean = float(attrs.get("scale", 1.0)), float(attrs.get("mean", 0.0))
        z = pre + "z"
        if scale != 1.0 or mean != 0.0:
            nodes.append(helper.make_node("Mul", [z, const(pre + "scale", scale, np.float32)], [pre + "zs"]))
            nodes.append(helper.make_node("Add", [pre + "zs", const(pre + "mean", mean, np.float32)], [pre + "zm"]))
            z = pre + "zm"
        dtype = int(attrs.get("dtype", TensorProto.FLOAT))
        shaped = node.output[0] if dtype == TensorProto.FLOAT else pre + "shaped"
        nodes.append(helper.make_node("Reshape", [z, pre + "shape"], [shaped]))
        if dtype != TensorProto.FLOAT:
            nodes.append(helper.make_node("Cast", [shaped], [node.output[0]], to=dtype))
        new_nodes[id(node)] = nodes

    rebuilt = []
    for node in graph.node:
        rebuilt += new_nodes.get(id(node), [node])
    del graph.node[:]
    graph.node.extend(rebuilt)
    return len(targets)


def seeded_graph(onnx_path: str | Path, cache_root: str | Path) -> Path:
    """The seeded copy of a synthesizer graph (made once, cached by the file's path, size and time; written
    atomically). A graph without random sampling is returned as it is."""
    source = Path(onnx_path)
    key = hashlib.sha1(f"{file_stamp(source)}|v{SEEDED_VERSION}".encode()).hexdigest()[:20]
    folder = Path(cache_root)
    prefix = derived_prefix(source, "seeded")
    target = folder / f"{prefix}{key}.onnx"
    if target.is_file():
        return target
    made = offload.run(_write_seeded, source, target, source=source)
    if made == target:  # the copy of the voice as it was before (and its split graphs, IRs) is never read again
        remove_replaced(folder, prefix, key, _LEGACY_NAME)
    return made


_LEGACY_NAME = re.compile(r".+\.seeded-[0-9a-f]{20}\.onnx")  # before sources were part of the name


def _write_seeded(source: Path, target: Path) -> Path:
    import onnx  # only to make the copy: importing it costs about 1 s of every launch

    try:
        model = onnx.load(str(source))
    except Exception:  # unreadable (truncated …): opening its session reports that, naming the file
        return source
    if seed_random_ops(model) == 0:
        return source
    try:
        return save_model_atomic(model, target)
    except OSError:  # a read-only cache: the voice still speaks, its takes are just not reproducible
        return source


__all__ = ["RANDOM_OPS", "SEED_INPUT", "seed_random_ops", "seeded_graph"]
