"""Small ONNX graph helpers shared by the graph transforms: who reads and makes which tensor, the one ancestor
walk, cutting a sub-model out of a graph (onnx's own `onnx.utils.Extractor`, plus renaming its ends), and saving
one without ever leaving a half-written file under its name."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..paths import replaced_atomically


def subgraphs(node) -> list:
    """The graphs a node holds in its attributes (If branches, Loop/Scan bodies)."""
    found = []
    for attr in node.attribute:
        if attr.HasField("g"):
            found.append(attr.g)
        found.extend(attr.graphs)
    return found


def outer_names(graph) -> set[str]:
    """The names a (sub)graph reads from the scope around it."""
    local = {o for n in graph.node for o in n.output} | {t.name for t in graph.initializer}
    local |= {i.name for i in graph.input}
    return {name for node in graph.node for name in node_inputs(node) if name not in local}


def node_inputs(node) -> list[str]:
    """A node's inputs, plus the outer-scope names its subgraphs (If/Loop bodies) read."""
    names = [i for i in node.input if i]
    for sub in subgraphs(node):
        names += sorted(outer_names(sub) - set(names))
    return names


def producers(graph) -> dict[str, int]:
    """Tensor name → index of the node that makes it."""
    return {out: i for i, node in enumerate(graph.node) for out in node.output if out}


def ancestors(
    graph,
    tensors: Iterable[str],
    made_by: dict[str, int] | None = None,
    follow: Callable[[int], bool] | None = None,
) -> set[int]:
    """Indices of the nodes the tensors are computed from (their producers and everything upstream).
    `follow(i)` False stops the walk at node i (it is neither included nor walked through)."""
    made_by = producers(graph) if made_by is None else made_by
    seen: set[int] = set()
    stack = [made_by[t] for t in tensors if t in made_by]
    while stack:
        i = stack.pop()
        if i in seen or (follow is not None and not follow(i)):
            continue
        seen.add(i)
        stack.extend(made_by[t] for t in node_inputs(graph.node[i]) if t in made_by)
    return seen


def extract(
    model,
    inputs: Sequence[str],
    outputs: Sequence[str],
    rename: dict[str, str] | None = None,
    name: str | None = None,
    extractor=None,
):
    """The sub-model computing `outputs` from `inputs` (and the initializers), cut with `onnx.utils.Extractor`.

    On top of what Extractor does: boundary tensors without a declared type get float32 of unknown shape, inputs
    the extracted nodes do not read are dropped, `rename` is applied afterwards (Extractor keeps the names), and
    the result must be closed (every tensor it reads is made, an input or an initializer: Extractor follows plain
    node inputs only, so a subgraph reading an outer tensor would be refused here rather than left dangling).
    Pass `extractor` to reuse one Extractor for several cuts of the same model. Needs onnx >= 1.19 (its
    Extractor's `value_infos`, which this fills in for untyped boundary tensors)."""
    import onnx
    from onnx import TensorProto, helper

    ex = extractor if extractor is not None else onnx.utils.Extractor(model)
    for tensor in [*inputs, *outputs]:
        if tensor not in ex.value_infos:
            ex.value_infos[tensor] = helper.make_tensor_value_info(tensor, TensorProto.FLOAT, None)
    sub = ex.extract_model(list(inputs), list(outputs))
    graph = sub.graph
    rename = rename or {}

    read = {t for node in graph.node for t in node_inputs(node)}
    unread = [vi for vi in graph.input if vi.name not in read]
    for vi in unread:
        graph.input.remove(vi)
    ends = {vi.name for vi in graph.input} | {vi.name for vi in graph.output}
    stale = [vi for vi in graph.value_info if vi.name in ends or vi.name in rename]
    for vi in stale:
        graph.value_info.remove(vi)

    if rename:
        for node in graph.node:
            for j, t in enumerate(node.input):
                if t in rename:
                    node.input[j] = rename[t]
            for j, t in enumerate(node.output):
                if t in rename:
                    node.output[j] = rename[t]
        for vi in [*graph.input, *graph.output]:
            if vi.name in rename:
                vi.name = rename[vi.name]

    known = {o for n in graph.node for o in n.output} | {t.name for t in graph.initializer}
    known |= {vi.name for vi in graph.input}
    missing = sorted({t for n in graph.node for t in node_inputs(n)} - known)
    missing += [vi.name for vi in graph.output if vi.name not in known]
    if missing:
        raise ValueError(f"the extracted graph reads tensors it does not have: {missing[:5]}")
    if name:
        graph.name = name
    sub.producer_name = "sbv2-studio"
    return sub


PROTOBUF_SAFE_BYTES = 1_900_000_000  # protobuf's 2 GB limit, with room: larger graphs keep their weights beside them


def save_model(model, path: Path) -> None:
    """onnx.save_model, the weights in a `.data` file beside the graph when it is too large for one protobuf."""
    import onnx

    if model.ByteSize() < PROTOBUF_SAFE_BYTES:
        onnx.save_model(model, str(path))
    else:
        onnx.save_model(model, str(path), save_as_external_data=True, location=Path(path).name + ".data")


def save_model_atomic(model, target: Path) -> Path:
    """Save under a hidden name beside `target`, then rename: a reader sees the whole graph or none (OSError when
    the folder cannot be written; nothing is left behind)."""
    with replaced_atomically(target) as tmp:
        save_model(model, tmp)
    return target


__all__ = ["ancestors", "extract", "node_inputs", "outer_names", "producers", "save_model", "save_model_atomic",
           "subgraphs"]  # fmt: skip
