"""BERT graph variants: the DeBERTa ONNX graph transformed once, cached on disk, and picked by the person.

| variant | what | exact? | for |
|---|---|---|---|
| `fp32` | the graph as shipped (cleaned only when it has dangling nodes or per-call constant projections) | yes | every backend |
| `fp32-opt` | `fp32` specialized for the studio's batch of one (the per-call copies of the relative-position tables dropped) | yes (batch 1) | every backend |
| `int8` | `fp32-opt` with every MatMul weight, the folded relative-position tables and the embedding table quantized to INT8 (onnxruntime dynamic quantization: weights per tensor, activations per call) | no (measured: see `sbv2-studio bench`) | CPU |
| `fp16` | the folder's `model_fp16.onnx` when there is one, else `fp32-opt` converted to float16 with float32 inputs/outputs (onnxruntime's `onnxruntime.transformers.float16` converter; checked to load before it is cached) | no | GPUs (CPUs have no fast FP16 kernels) |

Structural facts checked on every graph (`analyze`):

- *Cut the unused last two layers*: the reference export outputs `hidden_states[-3]`, the output of layer 22 of 24.
  Torch's exporter already drops what the output does not depend on, so the published graph holds layers 0–21
  only (no MLM head either). `prune_unused` removes whatever an export left dangling (exact by construction)
  and reports how many nodes it removed (0 for reference exports).
- *Precompute the relative-position projections*: each layer projects the (constant) relative-position
  embeddings with its query and key weights. onnxsim, which the reference export applies, folds them into
  constants ([16, 512, 64] per projection, 44 of them); `fold_constants` folds any constant MatMul/Gemm chain a
  graph still computes per call (exact up to float rounding of the same operations).

This module needs `onnx` (a runtime dependency); `int8` and `fp16` need onnxruntime's quantization and float16
tools (both shipped with onnxruntime).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .. import offload
from ..errors import ModelError, StudioError
from ..paths import cache_dir as _user_cache_dir
from ..paths import derived_prefix, file_stamp, remove_replaced, replaced_atomically
from .onnx_utils import ancestors, node_inputs, producers, save_model_atomic

log = logging.getLogger(__name__)

VARIANTS = ("fp32", "fp32-opt", "int8", "fp16")
RECIPE_VERSION = 5  # bump when a transform changes: cached variants are rebuilt
_CONST_OPS_WORTH_FOLDING = {"MatMul", "Gemm", "Conv", "LayerNormalization", "Einsum"}
_NONDETERMINISTIC = {"RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial"}
_FOLD_LIMIT_BYTES = 64 << 20  # never materialize a folded tensor bigger than this
_PROTOBUF_LIMIT_BYTES = 2**31 - 1
_FP16_CONVERTER = "onnxruntime.transformers.float16"


class VariantUnavailable(StudioError):
    """The variant cannot be built here (a missing optional package, or no such graph)."""


@dataclass
class GraphReport:
    """What `analyze` found in a BERT graph."""

    nodes: int
    layers: list[int]  # encoder layer indices the graph computes (from node and weight names)
    outputs: list[str]
    unused_nodes: int  # nodes no graph output depends on
    foldable_nodes: int  # expensive nodes (MatMul, Gemm…) whose inputs are all constant: recomputed per call
    folded_projections: int  # [heads, buckets*2, head] constants: relative-position projections already folded
    gemm_nodes: int
    weights_mb: float

    def describe(self) -> str:
        layers = f"layers {self.layers[0]}–{self.layers[-1]} ({len(self.layers)})" if self.layers else "no layers"
        return (
            f"{self.nodes} nodes, {layers}, {self.weights_mb:.0f} MB of weights; unused nodes {self.unused_nodes}; "
            f"per-call constant projections {self.foldable_nodes} (already folded: {self.folded_projections})"
        )


@dataclass
class VariantInfo:
    variant: str
    path: Path
    source: Path
    built: bool  # built now (False: taken from the cache or the folder)
    build_s: float = 0.0
    steps: dict = field(default_factory=dict)  # what each transform did
    size_mb: float = 0.0

    def to_json(self) -> dict:
        data = asdict(self)
        data["path"], data["source"] = str(self.path), str(self.source)
        return data


# --- graph analysis and exact transforms -------------------------------------------------------------------


def _load(path: Path):
    import onnx

    try:
        return onnx.load(str(path))
    except Exception as exc:  # protobuf/onnx raise many types for a bad file
        raise ModelError(path, f"not a readable ONNX graph ({type(exc).__name__}: {exc})") from exc


def _used_nodes(graph) -> list[bool]:
    """Which nodes some graph output depends on (walking back from the outputs)."""
    used = ancestors(graph, [o.name for o in graph.output])
    return [i in used for i in range(len(graph.node))]


def prune_unused(model) -> int:
    """Drop the nodes no output depends on, then the initializers nothing reads. Returns nodes removed."""
    graph = model.graph
    needed = _used_nodes(graph)
    keep = [n for n, k in zip(graph.node, needed) if k]
    removed = len(graph.node) - len(keep)
    if removed:
        del graph.node[:]
        graph.node.extend(keep)
    read = {x for n in graph.node for x in node_inputs(n)} | {o.name for o in graph.output}
    unused_inits = [i for i in graph.initializer if i.name not in read]
    for init in unused_inits:
        graph.initializer.remove(init)
    return removed


def _constant_nodes(graph) -> list[bool]:
    """Nodes whose every input is an initializer or another constant node's output (deterministic ops)."""
    const = {i.name for i in graph.initializer}
    graph_inputs = {i.name for i in graph.input} - const
    flags = []
    for node in graph.node:
        is_const = (
            node.op_type not in _NONDETERMINISTIC
            and node.op_type not in ("If", "Loop", "Scan")
            and all((not x) or (x in const and x not in graph_inputs) for x in node.input)
        )
        flags.append(is_const)
        if is_const:
            const.update(node.output)
    return flags


def foldable(graph) -> tuple[list[int], list[str]]:
    """Indices of constant nodes worth folding (chains that contain an expensive op) and the tensors to
    materialize (constant outputs read by non-constant nodes or the graph outputs)."""
    flags = _constant_nodes(graph)
    const_nodes = [i for i, f in enumerate(flags) if f]
    if not any(graph.node[i].op_type in _CONST_OPS_WORTH_FOLDING for i in const_nodes):
        return [], []
    # Keep only the constant nodes an expensive constant node depends on (itself included).
    expensive = [graph.node[i].output[0] for i in const_nodes if graph.node[i].op_type in _CONST_OPS_WORTH_FOLDING]
    upstream = ancestors(graph, expensive, follow=lambda i: flags[i])
    chosen = sorted(upstream)
    chosen_outputs = {o for i in chosen for o in graph.node[i].output}
    readers = {x for j, n in enumerate(graph.node) if j not in upstream for x in n.input}
    readers |= {o.name for o in graph.output}
    frontier = sorted(o for o in chosen_outputs if o in readers)
    return chosen, frontier


def fold_constants(model) -> int:
    """Evaluate constant MatMul/Gemm/… chains once (with onnxruntime) and store their results as initializers.
    Returns how many expensive nodes were folded."""
    import onnx
    import onnxruntime as ort
    from onnx import helper, numpy_helper

    graph = model.graph
    chosen, frontier = foldable(graph)
    if not chosen:
        return 0
    expensive = sum(graph.node[i].op_type in _CONST_OPS_WORTH_FOLDING for i in chosen)
    nodes = [graph.node[i] for i in chosen]
    needed = {x for n in nodes for x in n.input}
    inits = [i for i in graph.initializer if i.name in needed]
    outputs = [onnx.ValueInfoProto(name=name) for name in frontier]
    sub = helper.make_graph(nodes, "fold", [], outputs, inits)
    sub_model = helper.make_model(sub, opset_imports=list(model.opset_import))
    sub_model.ir_version = model.ir_version
    try:
        so = ort.SessionOptions()
        so.log_severity_level = 3
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        session = ort.InferenceSession(sub_model.SerializeToString(), so, providers=["CPUExecutionProvider"])
        values = session.run(frontier, {})
    except Exception:
        from onnx.reference import ReferenceEvaluator

        values = ReferenceEvaluator(sub_model).run(frontier, {})
    if any(v.nbytes > _FOLD_LIMIT_BYTES for v in values):
        return 0
    chosen_set = set(chosen)
    keep = [n for i, n in enumerate(graph.node) if i not in chosen_set]
    del graph.node[:]
    graph.node.extend(keep)
    for name, value in zip(frontier, values):
        graph.initializer.append(numpy_helper.from_array(np.asarray(value), name))
    prune_unused(model)
    return expensive


def gemm_to_matmul(model) -> int:
    """Gemm(A, B, C) with alpha=beta=1 and no transA → MatMul(A, Bᵀ?) + Add(C), so that dynamic quantization
    (which knows MatMul, not Gemm) reaches every projection. Exact. Returns nodes rewritten."""
    from onnx import helper, numpy_helper

    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    new_nodes = []
    rewritten = 0
    for node in graph.node:
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        ok = (
            node.op_type == "Gemm"
            and attrs.get("alpha", 1.0) == 1.0
            and attrs.get("beta", 1.0) == 1.0
            and not attrs.get("transA", 0)
            and len(node.input) >= 2
            and node.input[1] in inits
        )
        if not ok:
            new_nodes.append(node)
            continue
        weight_name = node.input[1]
        if attrs.get("transB", 0):
            weight = numpy_helper.to_array(inits[weight_name]).T.copy()
            weight_name = f"{weight_name}_T"
            if weight_name not in inits:
                t = numpy_helper.from_array(weight, weight_name)
                graph.initializer.append(t)
                inits[weight_name] = t
        has_bias = len(node.input) > 2 and node.input[2]
        mm_out = f"{node.output[0]}_mm" if has_bias else node.output[0]
        new_nodes.append(helper.make_node("MatMul", [node.input[0], weight_name], [mm_out], name=f"{node.name}_MatMul"))
        if has_bias:
            new_nodes.append(
                helper.make_node("Add", [mm_out, node.input[2]], [node.output[0]], name=f"{node.name}_Add")
            )
        rewritten += 1
    del graph.node[:]
    graph.node.extend(new_nodes)
    prune_unused(model)
    return rewritten


def specialize_batch1(model) -> int:
    """The studio always runs BERT on one sequence (batch 1; the output is batch item 0 anyway). DeBERTa tiles
    each folded relative-position projection [heads, 2·buckets, head_size] to batch·heads rows per call: for
    batch 1 that is a copy of the constant. Replace those Tiles by the constant itself. Exact for batch 1.
    Returns the Tiles removed."""
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    rename: dict[str, str] = {}
    keep = []
    for node in graph.node:
        data = node.input[0] if node.input else ""
        if node.op_type == "Tile" and data in inits and len(inits[data].dims) == 3:
            rename[node.output[0]] = data
            continue
        keep.append(node)
    if not rename:
        return 0
    outputs = {o.name for o in graph.output}
    if outputs & set(rename):
        return 0
    for node in keep:
        for i, name in enumerate(node.input):
            if name in rename:
                node.input[i] = rename[name]
    del graph.node[:]
    graph.node.extend(keep)
    prune_unused(model)
    return len(rename)


def fold_constant_transposes(model) -> int:
    """Store each transposed constant as its own constant: Transpose(initializer) and Shape(initializer) become
    initializers. Exact. In DeBERTa every folded relative-position table reaches its MatMul through a Transpose,
    which hides it from dynamic quantization (it quantizes constant MatMul weights only): folded, the 44 tables
    (92 MB in FP32 for the large model) are quantized like the other weights. Returns the nodes folded."""
    from onnx import numpy_helper

    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    outputs = {o.name for o in graph.output}
    for feed in graph.input:  # an initializer that is also a graph input can be fed: not a constant
        inits.pop(feed.name, None)
    keep, folded = [], 0
    for node in graph.node:
        source = node.input[0] if node.input else ""
        if source in inits and node.output[0] not in outputs:
            if node.op_type == "Transpose":
                perm = next((list(a.ints) for a in node.attribute if a.name == "perm"), None)
                value = np.ascontiguousarray(np.transpose(numpy_helper.to_array(inits[source]), perm))
                graph.initializer.append(numpy_helper.from_array(value, node.output[0]))
                folded += 1
                continue
            if node.op_type == "Shape" and not node.attribute:  # start/end attributes: leave those alone
                dims = np.array(list(inits[source].dims), dtype=np.int64)
                graph.initializer.append(numpy_helper.from_array(dims, node.output[0]))
                folded += 1
                continue
        keep.append(node)
    if folded:
        del graph.node[:]
        graph.node.extend(keep)
        prune_unused(model)
    return folded


def _layers(model) -> list[int]:
    found = set()
    pattern = re.compile(r"layers?[./_](\d+)[./_]")
    for node in model.graph.node:
        m = pattern.search(node.name)
        if m:
            found.add(int(m.group(1)))
    for init in model.graph.initializer:
        m = pattern.search(init.name)
        if m:
            found.add(int(m.group(1)))
    return sorted(found)


def analyze(model_or_path) -> GraphReport:
    model = _load(Path(model_or_path)) if isinstance(model_or_path, (str, Path)) else model_or_path
    graph = model.graph
    used = _used_nodes(graph)
    chosen, _ = foldable(graph)
    weights = sum(int(np.prod(i.dims)) * (4 if i.data_type == 1 else 1 if i.data_type in (2, 3) else 2)
                  for i in graph.initializer)  # fmt: skip
    projections = sum(1 for i in graph.initializer if len(i.dims) == 3 and i.dims[1] >= 256 and i.dims[0] <= 64)
    return GraphReport(
        nodes=len(graph.node),
        layers=_layers(model),
        outputs=[o.name for o in graph.output],
        unused_nodes=used.count(False),
        foldable_nodes=sum(graph.node[i].op_type in _CONST_OPS_WORTH_FOLDING for i in chosen),
        folded_projections=projections,
        gemm_nodes=sum(n.op_type == "Gemm" for n in graph.node),
        weights_mb=weights / 1e6,
    )


# --- building variants -------------------------------------------------------------------------------------


def _cache_path(cache_dir: Path, source: Path, variant: str, options: dict) -> Path:
    import onnxruntime as ort

    key = json.dumps([file_stamp(source), variant, RECIPE_VERSION, ort.__version__, options], sort_keys=True)
    digest = hashlib.sha1(key.encode()).hexdigest()[:16]
    return cache_dir / f"{derived_prefix(source, variant)}{digest}.onnx"


def _remove_replaced(target: Path, source: Path, variant: str) -> None:
    """Delete the variant built before from the same file (it changed, or onnxruntime or the recipe did: 0.3–1.2 GB
    each) and what was derived from it, and variants named the earlier way, which nothing reads."""
    legacy = re.compile(rf".+\.{re.escape(variant)}\.[0-9a-f]{{16}}\.(?:onnx|json)")
    remove_replaced(target.parent, derived_prefix(source, variant), target.name.split(".")[-2], legacy)


def drop_self_attention_ifs(model) -> int:
    """Replace each `If (query length != key length)` of DeBERTa's disentangled attention by its else branch.

    The exported attention recomputes the relative positions only when the query and key lengths differ; in
    self-attention both are the hidden states' length, so the condition is always false and the else branch (an
    Identity of the positions computed once outside) is what runs. Exact. OpenVINO's CPU plug-in cannot compile
    the If (its then branch has a dynamic rank), and onnxruntime is spared the branch. Matched structurally:
    the condition must be Not(Equal(·, ·)) and the else branch a lone Identity of an outer tensor."""
    from onnx import helper

    graph = model.graph
    made = producers(graph)

    def maker(name: str):
        return graph.node[made[name]] if name in made else None

    replaced = 0
    for node in list(graph.node):
        if node.op_type != "If" or len(node.output) != 1:
            continue
        cond = maker(node.input[0])
        equal = maker(cond.input[0]) if cond is not None and cond.op_type == "Not" else None
        if equal is None or equal.op_type != "Equal":
            continue
        branch = next((a.g for a in node.attribute if a.name == "else_branch"), None)
        if branch is None or len(branch.node) != 1 or branch.node[0].op_type != "Identity":
            continue
        inner = branch.node[0]
        if inner.output[0] != branch.output[0].name or inner.input[0] in {i.name for i in branch.input}:
            continue
        position = list(graph.node).index(node)
        graph.node.remove(node)
        graph.node.insert(position, helper.make_node("Identity", [inner.input[0]], [node.output[0]], name=node.name))
        replaced += 1
    return replaced


def _clean(model, batch1: bool = True) -> dict:
    """The exact transforms every derived variant starts from."""
    steps = {"self_attention_ifs_dropped": drop_self_attention_ifs(model)}
    steps.update({"pruned_nodes": prune_unused(model), "folded_constant_nodes": fold_constants(model)})
    if batch1:
        steps["batch1_tiles_removed"] = specialize_batch1(model)
    return steps


def build_fp32(source: Path, cache_dir: Path) -> VariantInfo:
    """The shipped graph, or a cleaned copy when it has dangling nodes or per-call constant projections.
    The analysis (which reads the whole graph) is remembered in a small JSON beside the cached variants."""
    target = _cache_path(cache_dir, source, "fp32", {})
    if target.is_file():
        return VariantInfo("fp32", target, source, False, size_mb=target.stat().st_size / 1e6)
    verdict = target.with_suffix(".json")
    try:
        known = json.loads(verdict.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = None
    if known is None:
        report = offload.run(analyze, source, source=source)
        known = {"unchanged": report.unused_nodes == 0 and report.foldable_nodes == 0, "report": report.describe()}
        try:
            verdict.parent.mkdir(parents=True, exist_ok=True)
            verdict.write_text(json.dumps(known), encoding="utf-8")
            _remove_replaced(target, source, "fp32")
        except OSError:
            pass  # a read-only cache only costs the analysis next time
    if known.get("unchanged"):
        return VariantInfo("fp32", source, source, False, steps={"unchanged": known.get("report", "")},
                           size_mb=source.stat().st_size / 1e6)  # fmt: skip
    started = time.perf_counter()
    steps = offload.run(_clean_and_save, source, target, False, source=source)
    _remove_replaced(target, source, "fp32")
    return VariantInfo("fp32", target, source, True, time.perf_counter() - started, steps, target.stat().st_size / 1e6)


def build_fp32_opt(source: Path, cache_dir: Path) -> VariantInfo:
    target = _cache_path(cache_dir, source, "fp32-opt", {})
    if target.is_file():
        return VariantInfo("fp32-opt", target, source, False, size_mb=target.stat().st_size / 1e6)
    started = time.perf_counter()
    steps = offload.run(_clean_and_save, source, target, True, source=source)
    elapsed = time.perf_counter() - started
    _remove_replaced(target, source, "fp32-opt")
    return VariantInfo("fp32-opt", target, source, True, elapsed, steps, target.stat().st_size / 1e6)


def _clean_and_save(source: Path, target: Path, batch1: bool) -> dict:
    model = _load(source)
    steps = _clean(model, batch1=batch1)
    save_model_atomic(model, target)
    return steps


INT8_DEFAULTS = {"per_channel": False, "reduce_range": False, "embeddings": True}


def build_int8(source: Path, cache_dir: Path, **options) -> VariantInfo:
    opts = {**INT8_DEFAULTS, **options}
    target = _cache_path(cache_dir, source, "int8", opts)
    if target.is_file():
        return VariantInfo("int8", target, source, False, steps={"options": opts}, size_mb=target.stat().st_size / 1e6)
    started = time.perf_counter()
    steps = offload.run(_quantize_int8, source, target, opts, source=source)
    _remove_replaced(target, source, "int8")
    return VariantInfo("int8", target, source, True, time.perf_counter() - started, steps, target.stat().st_size / 1e6)


@contextlib.contextmanager
def _no_root_log_records():
    """Drop what a library logs through the root logger (`logging.warning(...)`) while this runs. onnxruntime's
    quantizer advises "Please consider to run pre-processing before quantization" that way, and the call also
    installed a handler on the root logger (logging.basicConfig, when it has none) that echoed it and every later
    record raw to the person's terminal. The studio's own records use named loggers and pass."""
    root = logging.getLogger()

    def not_from_root(record: logging.LogRecord) -> bool:
        return record.name != "root"

    placeholder = logging.NullHandler() if not root.handlers else None
    if placeholder is not None:
        root.addHandler(placeholder)  # a handler present: no basicConfig
    root.addFilter(not_from_root)
    try:
        yield
    finally:
        root.removeFilter(not_from_root)
        if placeholder is not None:
            root.removeHandler(placeholder)


def _quantize_int8(source: Path, target: Path, opts: dict) -> dict:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model = _load(source)
    steps = _clean(model)
    steps["gemm_to_matmul"] = gemm_to_matmul(model)
    steps["folded_transposes"] = fold_constant_transposes(model)
    op_types = ["MatMul"] + (["Gather"] if opts["embeddings"] else [])
    with replaced_atomically(target) as tmp, _no_root_log_records():
        quantize_dynamic(
            model,
            tmp,
            op_types_to_quantize=op_types,
            per_channel=bool(opts["per_channel"]),
            reduce_range=bool(opts["reduce_range"]),
            weight_type=QuantType.QInt8,
            extra_options={"MatMulConstBOnly": True},
        )
    steps["options"] = opts
    return steps


def build_fp16(source: Path, cache_dir: Path, shipped: Path | None = None) -> VariantInfo:
    """The folder's `model_fp16.onnx`, else `source` converted to float16 with onnxruntime's own converter
    (`onnxruntime.transformers.float16`: float32 inputs/outputs, its default list of ops kept in float32). The
    converted graph is loaded once in a CPU session before it is cached, so a graph onnxruntime refuses (as it
    refused an earlier converter's DeBERTa: "Type Error … /embeddings/Cast_output_0") is never offered."""
    if shipped is not None and shipped.is_file():
        return VariantInfo("fp16", shipped, shipped, False, steps={"shipped": True},
                           size_mb=shipped.stat().st_size / 1e6)  # fmt: skip
    # the converter is part of the key: graphs an earlier converter cached (which onnxruntime refused) are not reused
    target = _cache_path(cache_dir, source, "fp16", {"converter": _FP16_CONVERTER})
    if target.is_file():
        return VariantInfo("fp16", target, source, False, size_mb=target.stat().st_size / 1e6)
    started = time.perf_counter()
    steps = offload.run(_convert_fp16, source, target, source=source)
    _remove_replaced(target, source, "fp16")
    return VariantInfo("fp16", target, source, True, time.perf_counter() - started, steps, target.stat().st_size / 1e6)


def _convert_fp16(source: Path, target: Path) -> dict:
    import onnxruntime as ort
    from onnxruntime.transformers.float16 import convert_float_to_float16

    model = _load(source)
    steps = _clean(model)
    # Shape inference gives the converter the types it inserts Casts by; onnx can only infer in memory below
    # protobuf's 2 GB limit (the large DeBERTa is 1.3 GB in FP32).
    half = convert_float_to_float16(
        model, keep_io_types=True, disable_shape_infer=model.ByteSize() >= _PROTOBUF_LIMIT_BYTES
    )
    del model
    so = ort.SessionOptions()
    so.log_severity_level = 3
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # only the load-time type checks
    try:
        ort.InferenceSession(half.SerializeToString(), so, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own exception types
        raise VariantUnavailable(f"the fp16 conversion of {source} does not load in onnxruntime ({exc})") from exc
    steps["float16_converter"] = _FP16_CONVERTER
    save_model_atomic(half, target)
    return steps


def default_cache_dir() -> Path:
    return _user_cache_dir() / "bert-variants"


def fp32_source(bert) -> Path:
    """The FP32 graph of a BERT folder (model.onnx), or the graph the BertModel points at."""
    candidate = Path(bert.folder) / "model.onnx"
    return candidate if candidate.is_file() else Path(bert.onnx_path)


def prepare(bert, variant: str = "fp32", cache_dir: Path | None = None, **options) -> VariantInfo:
    """The ONNX file for `variant` of the BertModel `bert`, built and cached on first use."""
    if variant not in VARIANTS:
        raise StudioError(f"unknown BERT variant '{variant}' (choose from {', '.join(VARIANTS)})")
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    source = fp32_source(bert)
    shipped_fp16 = Path(bert.folder) / "model_fp16.onnx"
    if variant != "fp16" and (source.name == "model_fp16.onnx" or "fp16" in source.name):
        if variant == "fp32":  # a folder with only the FP16 graph: use it, as the studio always did
            return VariantInfo("fp16", source, source, False, steps={"fallback": "no model.onnx in the folder"},
                               size_mb=source.stat().st_size / 1e6)  # fmt: skip
        raise VariantUnavailable(f"the {variant} BERT variant needs the FP32 graph (model.onnx) in {bert.folder}")
    try:
        if variant == "fp16":
            return build_fp16(source, cache_dir, shipped_fp16)
        if variant == "int8":
            return build_int8(source, cache_dir, **options)
        if variant == "fp32-opt":
            return build_fp32_opt(source, cache_dir)
        return build_fp32(source, cache_dir)
    except OSError as exc:
        if not str(exc.filename or "").startswith(str(cache_dir)):
            raise
        # the variant is built into the cache folder: one that cannot be written is the person's to fix
        raise VariantUnavailable(f"{cache_dir}: the cache folder cannot be written ({exc.strerror or exc})") from None


def feature_error(reference: np.ndarray, other: np.ndarray) -> dict:
    """Max absolute error and cosine similarity (mean and worst over tokens) of [L, 1024] features."""
    ref = np.asarray(reference, dtype=np.float64)
    oth = np.asarray(other, dtype=np.float64)
    dot = (ref * oth).sum(axis=1)
    norms = np.linalg.norm(ref, axis=1) * np.linalg.norm(oth, axis=1)
    cos = dot / np.maximum(norms, 1e-30)
    return {
        "max_abs": float(np.abs(ref - oth).max()),
        "mean_abs": float(np.abs(ref - oth).mean()),
        "cos_mean": float(cos.mean()),
        "cos_min": float(cos.min()),
    }
