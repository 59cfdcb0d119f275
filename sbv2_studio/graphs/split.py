"""Split an SBV2 synthesizer ONNX into "text → latent" and "latent → audio" graphs, for chunked decoding.

The reference's `SynthesizerTrn.infer` ends with `o = dec(z * y_mask, g=g)` and returns
`o, attn, y_mask, (z, z_p, m_p, logs_p)`: the exported graph's 7 outputs, in that order. So the graph exposes the
latent `z` (output 3) and the mask `y_mask` (output 2), and the HiFi-GAN decoder reads exactly two tensors from the
rest of the graph: their product `z * y_mask` ([1, inter_channels, frames]) and the speaker conditioning
`g = emb_g(sid)[..., None]` ([1, gin_channels, 1]).

The split:

1. The cut tensor is found structurally: the Mul of graph outputs 3 and 2 (falling back to the tensor that feeds
   the nodes named `/dec/…`, for exports whose outputs were pruned).
2. Decoder nodes = the ancestors of `output` that are not ancestors of the cut tensor. Whatever those nodes read
   from outside themselves (besides initializers) is the decoder's input: the cut tensor, and conditioning
   tensors (`g`) that the latent graph computes too.
3. Both graphs are cut with onnx's own `onnx.utils.Extractor` (`graphs.onnx_utils.extract`): latent graph =
   graph inputs → the cut tensor and the conditioning tensors, decoder graph = those → `output` (checked to hold
   exactly the decoder nodes of step 2); the boundary tensors are renamed `z` and `g` afterwards (Extractor keeps
   the original names). Nodes keep their order and attributes, so the parts compute exactly what the whole does.

Both are written to a cache folder keyed by the model file (path, size, mtime) and this module's version, and
checked once when written: latent + decoder must reproduce the whole graph's `output` (noise off).

The latent graph is cut once more for a reduced-precision synthesizer (`prior_flow_paths`): the prior (text
encoder, duration predictors, the expanded m_p/logs_p and the noise: `z_p`) and the flow (`z_p` → z·y_mask). The
durations must stay in FP32 (bf16 over them changed a predicted duration), but the flow runs after them: in the
full-size JP-Extra voice it is 75–85 % of the latent graph's time, and at bf16 2.5–2.8× faster (42 dB SNR on z).
The flow's boundary is read from the whole graph's outputs (`infer` returns z_p as output 4, y_mask as output 2):
the flow = the ancestors of z that are not ancestors of z_p, y_mask or g; its inputs are what those nodes read
besides constants.

The decoder is a stack of convolutions and transposed convolutions without any normalization over time, so one
latent frame only influences the samples within a fixed radius: `decoder_receptive_field` computes it from the
config's upsample rates, kernel sizes and resblock dilations; `measure_receptive_field` checks it by perturbing
one frame.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import offload
from ..errors import StudioError
from ..paths import cache_dir, derived_prefix, file_stamp, remove_replaced, write_text_atomic
from .onnx_utils import ancestors, extract, node_inputs, producers, save_model, save_model_atomic

SPLIT_VERSION = 2  # bump when the way graphs are cut changes: old cache entries are then ignored
LATENT = "z"  # the latent graph's output / the decoder's input: z * y_mask, float32 [1, C, frames]
COND = "g"  # the speaker conditioning, float32 [1, gin, 1]
AUDIO = "output"


class GraphSplitError(StudioError):
    """The synthesizer graph could not be split (an unusual export); whole-sentence decoding still works."""


# --- receptive field ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReceptiveField:
    """How many latent frames before (`left`) and after (`right`) a frame influence that frame's samples."""

    left: int
    right: int
    hop: int  # samples per latent frame

    @property
    def radius(self) -> int:
        return max(self.left, self.right)


# Generator defaults of every SBV2 config (configs/config*.json of the reference).
DECODER_DEFAULTS = {
    "resblock": "1",
    "resblock_kernel_sizes": [3, 7, 11],
    "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
    "upsample_rates": [8, 8, 2, 2, 2],
    "upsample_kernel_sizes": [16, 16, 8, 2, 2],
}


def _conv_back(lo: int, hi: int, kernel: int, dilation: int, padding: int) -> tuple[int, int]:
    """Input interval a stride-1 Conv1d reads to produce outputs lo..hi."""
    return lo - padding, hi - padding + (kernel - 1) * dilation


def _conv_transpose_back(lo: int, hi: int, kernel: int, stride: int, padding: int) -> tuple[int, int]:
    """Input interval a ConvTranspose1d reads to produce outputs lo..hi (output j = i·stride − padding + m)."""
    return math.ceil((lo + padding - (kernel - 1)) / stride), math.floor((hi + padding) / stride)


def decoder_receptive_field(model_config: dict | None) -> ReceptiveField:
    """The decoder's exact receptive field in latent frames, from the config's `model` section.

    Walks one frame's output samples back through conv_post (k 7), each level's parallel resblocks (ResBlock1:
    per dilation d a conv (k, d) then a conv (k, 1); ResBlock2: a conv (k, d) per dilation), its transposed
    convolution (k, stride u, padding (k−u)//2), and conv_pre (k 7); cond(g) is a 1×1 conv on a constant."""
    cfg = dict(DECODER_DEFAULTS)
    cfg.update({k: v for k, v in (model_config or {}).items() if k in DECODER_DEFAULTS and v is not None})
    rates = [int(u) for u in cfg["upsample_rates"]]
    up_kernels = [int(k) for k in cfg["upsample_kernel_sizes"]]
    rb_kernels = [int(k) for k in cfg["resblock_kernel_sizes"]]
    rb_dilations = [[int(d) for d in ds] for ds in cfg["resblock_dilation_sizes"]]
    resblock2 = str(cfg["resblock"]) == "2"
    hop = int(np.prod(rates))
    frame = 10_000  # far from any edge
    lo, hi = frame * hop, (frame + 1) * hop - 1
    lo, hi = _conv_back(lo, hi, 7, 1, 3)  # conv_post
    for level in reversed(range(len(rates))):
        los, his = [], []
        for k, dilations in zip(rb_kernels, rb_dilations):
            a, b = lo, hi
            for d in reversed(dilations[:2] if resblock2 else dilations):
                if not resblock2:
                    a, b = _conv_back(a, b, k, 1, (k - 1) // 2)  # convs2[j], dilation 1
                a, b = _conv_back(a, b, k, d, (k * d - d) // 2)  # convs1[j], dilation d
            los.append(a)
            his.append(b)
        lo, hi = min(los), max(his)
        u, k = rates[level], up_kernels[level]
        lo, hi = _conv_transpose_back(lo, hi, k, u, (k - u) // 2)
    lo, hi = _conv_back(lo, hi, 7, 1, 3)  # conv_pre
    return ReceptiveField(left=frame - lo, right=hi - frame, hop=hop)


@dataclass(frozen=True)
class PartField:
    """One decoder part: output position j (in its own units) reads input positions
    floor(j/up) − left … floor(j/up) + right."""

    up: int
    left: int
    right: int


def _resblock_back(lo: int, hi: int, cfg: dict) -> tuple[int, int]:
    """Input interval of a level's parallel resblocks (their outputs summed) for outputs lo..hi."""
    resblock2 = str(cfg["resblock"]) == "2"
    los, his = [], []
    for k, dilations in zip(cfg["resblock_kernel_sizes"], cfg["resblock_dilation_sizes"]):
        k = int(k)
        a, b = lo, hi
        for d in reversed([int(d) for d in (dilations[:2] if resblock2 else dilations)]):
            if not resblock2:
                a, b = _conv_back(a, b, k, 1, (k - 1) // 2)
            a, b = _conv_back(a, b, k, d, (k * d - d) // 2)
        los.append(a)
        his.append(b)
    return min(los), max(his)


def decoder_part_fields(model_config: dict | None) -> list[PartField]:
    """Receptive fields of the decoder's parts as split by `split_decoder_levels`: conv_pre (+ cond), then one
    part per upsampling level (leaky ReLU, transposed conv, resblocks; the last one also conv_post and tanh)."""
    cfg = dict(DECODER_DEFAULTS)
    cfg.update({k: v for k, v in (model_config or {}).items() if k in DECODER_DEFAULTS and v is not None})
    rates = [int(u) for u in cfg["upsample_rates"]]
    kernels = [int(k) for k in cfg["upsample_kernel_sizes"]]
    base = 10_000
    fields = [PartField(1, 3, 3)]  # conv_pre: kernel 7, padding 3
    for level, (u, k) in enumerate(zip(rates, kernels)):
        lo_all, hi_all = [], []
        for phase in range(u):
            lo = hi = base * u + phase
            if level == len(rates) - 1:
                lo, hi = _conv_back(lo, hi, 7, 1, 3)  # conv_post
            lo, hi = _resblock_back(lo, hi, cfg)
            lo, hi = _conv_transpose_back(lo, hi, k, u, (k - u) // 2)
            lo_all.append(lo)
            hi_all.append(hi)
        fields.append(PartField(u, base - min(lo_all), max(hi_all) - base))
    return fields


def measure_part_field(run: Callable[[np.ndarray], np.ndarray], channels: int, up: int, length: int = 160, seed=0):
    """Empirical (left, right) of one decoder part: perturb input position i and see which outputs move
    (output j moves iff floor(j/up) ∈ [i − right, i + left])."""
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 1.0, size=(1, channels, length)).astype(np.float32)
    base = np.asarray(run(x), np.float32).reshape(-1, up * length)
    i = length // 2
    x2 = x.copy()
    x2[:, :, i] += rng.normal(0.0, 3.0, size=channels).astype(np.float32)
    moved = np.flatnonzero(np.any(np.asarray(run(x2), np.float32).reshape(-1, up * length) != base, axis=0))
    if moved.size == 0:
        return 0, 0
    return int(moved[-1]) // up - i, i - int(moved[0]) // up


def measure_receptive_field(
    decode: Callable[[np.ndarray], np.ndarray], channels: int, hop: int, frames: int = 96, seed: int = 0
) -> tuple[int, int]:
    """Empirical check of the receptive field: perturb one latent frame in the middle of a random latent and
    return how many frames before and after it the decoded audio changed. `decode(z [1, C, T]) → audio`."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 1.0, size=(1, channels, frames)).astype(np.float32)
    base = np.asarray(decode(z), dtype=np.float32).reshape(-1)
    mid = frames // 2
    z2 = z.copy()
    z2[:, :, mid] += rng.normal(0.0, 3.0, size=channels).astype(np.float32)
    changed = np.flatnonzero(np.asarray(decode(z2), dtype=np.float32).reshape(-1) != base)
    if changed.size == 0:
        return 0, 0
    return mid - int(changed[0]) // hop, int(changed[-1]) // hop - mid


# --- graph surgery -------------------------------------------------------------------------------------------


@dataclass
class Cut:
    """Where the decoder begins: the tensor it decodes and the conditioning tensors it reads besides."""

    latent: str  # tensor name of z * y_mask in the original graph
    conditioning: list[str]  # other tensors the decoder reads, computed by the latent part
    graph_inputs: list[str]  # original graph inputs the decoder reads directly (normally none)
    decoder_nodes: list[int]  # node indices, in the original (topological) order
    how: str  # "outputs" or "names"


def find_cut(model) -> Cut:
    """Locate the decoder inside an SBV2 synthesizer graph (see the module docstring)."""
    graph = model.graph
    outputs = [o.name for o in graph.output]
    if AUDIO not in outputs:
        raise GraphSplitError(f"the graph has no '{AUDIO}' output (outputs: {outputs})")
    made_by = producers(graph)
    latent, how = None, ""
    if len(outputs) >= 4:
        # infer() returns o, attn, y_mask, (z, z_p, m_p, logs_p): the decoder reads Mul(z, y_mask).
        y_mask, z = outputs[2], outputs[3]
        for node in graph.node:
            if node.op_type == "Mul" and sorted(node.input) == sorted([z, y_mask]):
                latent, how = node.output[0], "outputs"
                break
    if latent is None:
        # Exports without the extra outputs: the one tensor the `/dec/` nodes read besides g and constants.
        dec = [n for n in graph.node if n.name.startswith("/dec/")]
        made = {o for n in dec for o in n.output}
        inits = {t.name for t in graph.initializer}
        conv_pre = next((n for n in dec if n.name.startswith("/dec/conv_pre/") and n.op_type == "Conv"), None)
        if conv_pre is not None and conv_pre.input[0] not in made and conv_pre.input[0] not in inits:
            latent, how = conv_pre.input[0], "names"
    if latent is None:
        raise GraphSplitError("could not find the tensor the decoder reads (z * y_mask) in this graph")

    before = ancestors(graph, [latent], made_by)
    decoder = sorted(ancestors(graph, [AUDIO], made_by) - before)
    if not decoder:
        raise GraphSplitError("the decoder part of the graph is empty")
    inits = {t.name for t in graph.initializer}
    graph_inputs = {i.name for i in graph.input}
    external = _external_inputs(graph, decoder, inits)
    if latent not in external:
        raise GraphSplitError(f"the decoder does not read the latent tensor {latent!r}")
    conditioning = [t for t in external if t != latent and t not in graph_inputs]
    direct = [t for t in external if t in graph_inputs]
    return Cut(latent, conditioning, direct, decoder, how)


def _external_inputs(graph, nodes: Sequence[int], inits: set[str]) -> list[str]:
    """Tensors the given nodes read that none of them makes (initializers aside), in order of first use."""
    made = {o for i in nodes for o in graph.node[i].output}
    external: list[str] = []
    for i in sorted(nodes):
        for name in node_inputs(graph.node[i]):
            if name not in made and name not in inits and name not in external:
                external.append(name)
    return external


def _constant_tensors(graph) -> set[str]:
    """Tensors computed from initializers only (no graph input upstream), e.g. shared Constant nodes."""
    const = {t.name for t in graph.initializer} - {i.name for i in graph.input}
    for node in graph.node:  # topological order
        if all(t in const for t in node_inputs(node)):
            const.update(o for o in node.output if o)
    return const


def find_flow_inputs(model, conditioning: Sequence[str]) -> list[str] | None:
    """The tensors the flow reads (z_p, y_mask, g, shape tensors), or None for a graph whose outputs do not name
    z and z_p (an export with pruned outputs: the latent graph then stays in one piece)."""
    graph = model.graph
    outputs = [o.name for o in graph.output]
    if len(outputs) < 5:
        return None
    y_mask, z, z_p = outputs[2], outputs[3], outputs[4]
    made_by = producers(graph)
    if z not in made_by or z_p not in made_by:
        return None
    before = ancestors(graph, [z_p, y_mask, *conditioning], made_by)
    flow = sorted(ancestors(graph, [z], made_by) - before)
    if not flow:
        return None
    reads = _external_inputs(graph, flow, _constant_tensors(graph))
    if z_p not in reads or any(t in {i.name for i in graph.input} for t in reads):
        return None  # not the shape expected of a flow: keep the latent graph whole
    return reads


def _extract(model, inputs: Sequence[str], outputs: Sequence[str], rename: dict[str, str], name: str, extractor=None):
    try:
        return extract(model, inputs, outputs, rename, name, extractor)
    except ValueError as exc:  # a tensor Extractor cannot resolve (e.g. read by a subgraph from the outer scope)
        raise GraphSplitError(f"cannot cut {name} out of the graph: {exc}") from exc


def split_model(model) -> tuple[object, object, dict]:
    """(latent model, decoder model, info) from a loaded synthesizer ModelProto."""
    import onnx

    cut = find_cut(model)
    graph = model.graph
    cond_names = [COND] if len(cut.conditioning) == 1 else [f"{COND}{i}" for i in range(len(cut.conditioning))]
    rename = {cut.latent: LATENT, **dict(zip(cut.conditioning, cond_names))}
    ends = [cut.latent, *cut.conditioning]
    extractor = onnx.utils.Extractor(model)
    graph_inputs = [vi.name for vi in graph.input]

    # latent part: everything upstream of z·y_mask and g (from the graph inputs it reads)
    latent = _extract(model, graph_inputs, ends, rename, "sbv2_latent", extractor)
    # decoder part: from z and g (and any graph input it reads directly) to the audio
    decoder = _extract(model, [*ends, *cut.graph_inputs], [AUDIO], rename, "sbv2_decoder", extractor)
    if len(decoder.graph.node) != len(cut.decoder_nodes):
        raise GraphSplitError(
            f"the decoder cut holds {len(decoder.graph.node)} nodes, the decoder {len(cut.decoder_nodes)}"
        )
    info = {
        "latent_tensor": cut.latent,
        "conditioning_tensors": cut.conditioning,
        "conditioning": cond_names,
        "decoder_graph_inputs": cut.graph_inputs,
        "found_by": cut.how,
        "latent_nodes": len(latent.graph.node),
        "decoder_nodes": len(cut.decoder_nodes),
        "original_nodes": len(graph.node),
    }
    flow_inputs = find_flow_inputs(model, cut.conditioning)
    if flow_inputs is not None:  # named as in the latent graph (the conditioning renamed)
        info["flow_inputs"] = [rename.get(t, t) for t in flow_inputs]
    return latent, decoder, info


def decoder_boundaries(decoder) -> list[str]:
    """The tensors between the decoder's parts: the input of each leaky ReLU that feeds a transposed conv (the
    output of conv_pre + cond for the first level, of the previous level's resblock average for the others)."""
    graph = decoder.graph
    made_by = {out: node for node in graph.node for out in node.output if out}
    bounds = []
    for node in graph.node:
        if node.op_type == "ConvTranspose":
            relu = made_by.get(node.input[0])
            if relu is None or relu.op_type != "LeakyRelu":
                raise GraphSplitError("a decoder upsampling layer is not preceded by a leaky ReLU")
            bounds.append(relu.input[0])
    if not bounds:
        raise GraphSplitError("the decoder has no transposed convolutions")
    return bounds


def split_decoder_levels(decoder) -> list[tuple[object, list[str]]]:
    """The decoder graph in parts [(model, extra input names)], each reading `x` (the first: `z`, `g`) and
    writing `y`: conv_pre (+ cond), then one part per upsampling level.

    Each part is cut with `onnx.utils.Extractor` from its start tensor (and the graph inputs) to its end tensor:
    constants computed upstream are copied into every part that reads them; any other node must belong to exactly
    one part (checked), so the parts chain to the decoder without recomputing anything."""
    import onnx

    graph = decoder.graph
    graph_inputs = [i.name for i in graph.input]
    const = _constant_tensors(graph)
    work_nodes = {n.output[0] for n in graph.node if n.output and n.output[0] not in const}
    bounds = decoder_boundaries(decoder)
    starts: list[str | None] = [None, *bounds]
    ends = [*bounds, AUDIO]
    extractor = onnx.utils.Extractor(decoder)
    parts = []
    seen: list[str] = []
    for start, end in zip(starts, ends):
        first = start or LATENT
        rename = {end: "y", **({start: "x"} if start else {})}
        inputs = [first, *(t for t in graph_inputs if t != first)]
        part = _extract(decoder, inputs, [end], rename, "sbv2_decoder_part", extractor)
        extra = [vi.name for vi in part.graph.input if vi.name != ("x" if start else LATENT)]
        if (start and LATENT in extra) or any(t not in graph_inputs for t in extra):
            raise GraphSplitError(f"a decoder part reads {extra}: the decoder cannot be split into levels")
        # which decoder nodes the part computes (named by their first output, before renaming)
        back = {v: k for k, v in rename.items()}
        seen += [back.get(n.output[0], n.output[0]) for n in part.graph.node if n.output]
        parts.append((part, extra))
    computed = [t for t in seen if t in work_nodes]
    if len(computed) != len(set(computed)) or set(computed) != work_nodes:
        raise GraphSplitError("the decoder parts do not cover the decoder")
    return parts


def decoder_level_paths(split: SplitGraphs) -> list[Path]:
    """The decoder's parts as files beside the split (made once, then read from the cache entry)."""
    folder = split.decoder_path.parent
    count = split.info.get("decoder_parts")
    if count:
        paths = [folder / f"decoder_part{i}.onnx" for i in range(int(count))]
        if all(p.is_file() for p in paths):
            return paths
    paths, extras = offload.run(_write_decoder_parts, split.decoder_path, source=split.decoder_path)
    update_split_info(split, decoder_parts=len(paths), decoder_part_inputs=extras)
    return paths


def _write_decoder_parts(decoder_path: Path) -> tuple[list[Path], list]:
    import onnx

    parts = split_decoder_levels(onnx.load(str(decoder_path)))
    paths = [save_model_atomic(model, decoder_path.parent / f"decoder_part{i}.onnx") for i, (model, _) in
             enumerate(parts)]  # fmt: skip
    return paths, [extra for _, extra in parts]


PRIOR, FLOW = "prior.onnx", "flow.onnx"


def split_latent(latent, flow_inputs: Sequence[str], conditioning: Sequence[str]) -> tuple[object, object]:
    """(prior, flow) cut from the latent graph: graph inputs → the flow's inputs and the conditioning; the flow's
    inputs → z·y_mask. Each is cut with `onnx.utils.Extractor`; constants are copied into both."""
    import onnx

    extractor = onnx.utils.Extractor(latent)
    graph_inputs = [vi.name for vi in latent.graph.input]
    outputs = [*flow_inputs, *(c for c in conditioning if c not in flow_inputs)]
    prior = _extract(latent, graph_inputs, outputs, None, "sbv2_prior", extractor)
    flow = _extract(latent, list(flow_inputs), [LATENT], None, "sbv2_flow", extractor)
    if any(vi.name in graph_inputs for vi in flow.graph.input):
        raise GraphSplitError("the flow reads the synthesizer's inputs directly: the latent graph stays whole")
    return prior, flow


def prior_flow_paths(split: SplitGraphs) -> tuple[Path, Path] | None:
    """The latent graph as prior + flow files beside the split (made once, then read from the cache entry), or
    None when this graph's flow could not be located (the latent graph then runs whole)."""
    flow_inputs = split.info.get("flow_inputs")
    if not flow_inputs:
        return None
    folder = split.latent_path.parent
    paths = (folder / PRIOR, folder / FLOW)
    if all(p.is_file() for p in paths):
        return paths
    offload.run(_write_prior_flow, split.latent_path, flow_inputs, split.conditioning, paths,
                source=split.latent_path)  # fmt: skip
    return paths


def _write_prior_flow(latent_path: Path, flow_inputs: list[str], conditioning: list[str], paths) -> None:
    import onnx

    prior, flow = split_latent(onnx.load(str(latent_path)), flow_inputs, conditioning)
    for model, path in zip((prior, flow), paths):
        save_model_atomic(model, path)


# --- cached split files ------------------------------------------------------------------------------------------


@dataclass
class SplitGraphs:
    """The two halves of one synthesizer, on disk."""

    source: Path
    latent_path: Path
    decoder_path: Path
    conditioning: list[str]  # the latent graph's extra outputs, fed to the decoder (normally ["g"])
    decoder_graph_inputs: list[str]  # original inputs the decoder reads directly (normally none)
    info: dict = field(default_factory=dict)  # cut details, validation result

    @property
    def validation_max_abs_diff(self) -> float | None:
        return self.info.get("validation", {}).get("max_abs_diff")


def _source_key(path: Path) -> str:
    raw = f"{file_stamp(path)}|v{SPLIT_VERSION}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:20]


_LEGACY_ENTRY = re.compile(r"[0-9a-f]{20}")  # entries named before sources were part of the name


def default_cache_root() -> Path:
    return cache_dir() / "graph_split"


def split_synthesizer(
    onnx_path: str | Path,
    cache_root: str | Path | None = None,
    *,
    validate: bool | Callable[[SplitGraphs], dict] = True,
) -> SplitGraphs:
    """The split graphs for a synthesizer file: read from the cache, or made, checked and cached.

    `validate=True` runs the whole graph and the two parts on a synthetic input (noise off) and refuses the split
    (GraphSplitError) when they disagree by more than 1e-4; a callable replaces that check (tests, or a caller
    holding a session of the whole graph)."""
    source = Path(onnx_path)
    if not source.is_file():
        raise GraphSplitError(f"{source}: no such model file")
    folder = Path(cache_root) if cache_root is not None else default_cache_root()
    prefix, key = derived_prefix(source, "split"), _source_key(source)
    entry = folder / f"{prefix}{key}"
    meta_path = entry / "split.json"
    if meta_path.is_file():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            split = SplitGraphs(
                source=source,
                latent_path=entry / "latent.onnx",
                decoder_path=entry / "decoder.onnx",
                conditioning=list(meta["conditioning"]),
                decoder_graph_inputs=list(meta.get("decoder_graph_inputs", [])),
                info=meta,
            )
            if split.latent_path.is_file() and split.decoder_path.is_file():
                return split
        except (ValueError, KeyError, OSError):
            pass
        _remove_tree(entry)  # damaged or incomplete: make it again

    t0 = time.perf_counter()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=entry.name + ".", dir=folder))
    except OSError as exc:  # a read-only cache: chunked and reduced-precision decoding are not available
        raise GraphSplitError(f"{folder}: the cache folder cannot be written ({exc.strerror or exc})") from None
    try:
        info = offload.run(_write_split, source, work, source=source)
        info["source"] = str(source.resolve())
        info["split_ms"] = round((time.perf_counter() - t0) * 1000.0, 1)
        split = SplitGraphs(
            source,
            work / "latent.onnx",
            work / "decoder.onnx",
            info["conditioning"],
            info["decoder_graph_inputs"],
            info,
        )
        if validate:
            check = validate if callable(validate) else validate_split
            info["validation"] = check(split)
        (work / "split.json").write_text(json.dumps(info, indent=2, ensure_ascii=False), encoding="utf-8")
        try:
            os.replace(work, entry)  # atomic: another process may have written the same entry meanwhile
        except OSError:
            if not (entry / "split.json").is_file():
                raise
            _remove_tree(work)
    except BaseException:
        _remove_tree(work)
        raise
    split.latent_path, split.decoder_path = entry / "latent.onnx", entry / "decoder.onnx"
    # the split of the file as it was before (0.4 GB for a full-size voice) and what was made from it go
    remove_replaced(folder, prefix, key, _LEGACY_ENTRY)
    return split


def _write_split(source: Path, work: Path) -> dict:
    """Read the synthesizer, cut it, and write latent.onnx and decoder.onnx into `work`; the cut's details."""
    import onnx

    try:
        model = onnx.load(str(source))
    except Exception as exc:  # protobuf/IO errors of many kinds
        raise GraphSplitError(f"{source}: cannot read the ONNX graph ({exc})") from exc
    latent, decoder, info = split_model(model)
    del model
    save_model(latent, work / "latent.onnx")
    save_model(decoder, work / "decoder.onnx")
    return info


def update_split_info(split: SplitGraphs, **items) -> None:
    """Record facts learned about a split (validation, measured receptive field) in its cache entry."""
    split.info.update(items)
    meta_path = split.latent_path.parent / "split.json"
    try:
        write_text_atomic(meta_path, json.dumps(split.info, indent=2, ensure_ascii=False))
    except OSError:
        pass  # a read-only cache: the facts are re-learned next time


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


# --- validation ----------------------------------------------------------------------------------------------


def synthetic_feeds(input_meta: dict, n_phones: int = 12, seed: int = 0) -> dict[str, np.ndarray]:
    """Valid synthesizer inputs (blanks included, noise off) for whichever inputs the graph declares.

    `input_meta` maps input names to onnxruntime NodeArg (for the rank of the scalars)."""
    rng = np.random.default_rng(seed)
    t = 2 * n_phones + 1
    x = np.zeros(t, np.int64)
    tones = np.zeros(t, np.int64)
    lang = np.zeros(t, np.int64)
    x[1::2] = rng.integers(1, 100, n_phones)
    tones[1::2] = 6 + rng.integers(0, 2, n_phones)
    lang[1::2] = 1
    bert = rng.normal(0.0, 0.5, size=(1, 1024, t)).astype(np.float32)
    feeds = {
        "x_tst": x[None],
        "x_tst_lengths": np.array([t], np.int64),
        "sid": np.array([0], np.int64),
        "tones": tones[None],
        "language": lang[None],
        "style_vec": rng.normal(0.0, 0.5, size=(1, 256)).astype(np.float32),
        "bert": bert,
        "ja_bert": bert,
        "en_bert": np.zeros_like(bert),
        "seed": np.array([seed], np.int64),  # a seeded graph's noise (graphs/seeded.py)
    }
    if "ja_bert" in input_meta:
        feeds["bert"] = np.zeros_like(bert)
    scalars = {"length_scale": 1.0, "sdp_ratio": 0.0, "noise_scale": 0.0, "noise_scale_w": 0.0}
    for name, value in scalars.items():
        if name in input_meta:
            shape = () if len(input_meta[name].shape) == 0 else (1,)
            feeds[name] = np.full(shape, value, np.float32)
    return {k: v for k, v in feeds.items() if k in input_meta}


def compare_parts(
    whole_run,
    latent_run,
    decoder_run,
    whole_inputs: dict,
    latent_inputs,
    split: SplitGraphs,
    seed: int = 0,
    n_phones: int = 12,
) -> dict:
    """Run the whole graph and latent → decoder on the same synthetic input; report the difference.

    Each `*_run(outputs, feeds)` runs a session (onnxruntime's signature); `whole_inputs` maps the whole graph's
    input names to their NodeArgs, `latent_inputs` holds the latent graph's input names."""
    feeds = synthetic_feeds(whole_inputs, n_phones=n_phones, seed=seed)
    names = [LATENT, *split.conditioning]
    parts = latent_run(names, {k: v for k, v in feeds.items() if k in latent_inputs})
    dec_feeds = dict(zip(names, parts))
    dec_feeds.update({k: feeds[k] for k in split.decoder_graph_inputs})
    (audio,) = decoder_run([AUDIO], dec_feeds)
    (whole,) = whole_run([AUDIO], feeds)
    whole = np.asarray(whole, np.float32).reshape(-1)
    audio = np.asarray(audio, np.float32).reshape(-1)
    frames = int(parts[0].shape[-1])
    if whole.shape != audio.shape:
        raise GraphSplitError(
            f"{split.source}: the split graphs give {audio.size} samples, the whole graph {whole.size}"
        )
    diff = float(np.max(np.abs(whole - audio))) if whole.size else 0.0
    return {
        "max_abs_diff": diff,
        "samples": int(whole.size),
        "frames": frames,
        "hop": int(whole.size // frames) if frames else 0,
        "latent_channels": int(parts[0].shape[1]),
    }


def validate_split(split: SplitGraphs, tolerance: float = 1e-4) -> dict:
    """Run the original graph and the two parts (fresh CPU sessions) and require the same audio."""
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.log_severity_level = 3
    providers = ["CPUExecutionProvider"]
    whole = ort.InferenceSession(str(split.source), so, providers=providers)
    latent = ort.InferenceSession(str(split.latent_path), so, providers=providers)
    decoder = ort.InferenceSession(str(split.decoder_path), so, providers=providers)
    meta = {i.name: i for i in whole.get_inputs()}
    latent_inputs = {i.name for i in latent.get_inputs()}
    result = compare_parts(whole.run, latent.run, decoder.run, meta, latent_inputs, split)
    if not result["max_abs_diff"] <= tolerance:
        raise GraphSplitError(
            f"{split.source}: the split graphs differ from the whole graph by {result['max_abs_diff']:.3g}"
        )
    return result


__all__ = [
    "AUDIO",
    "COND",
    "LATENT",
    "Cut",
    "GraphSplitError",
    "PartField",
    "ReceptiveField",
    "SplitGraphs",
    "decoder_boundaries",
    "decoder_level_paths",
    "decoder_part_fields",
    "decoder_receptive_field",
    "find_cut",
    "find_flow_inputs",
    "measure_part_field",
    "measure_receptive_field",
    "prior_flow_paths",
    "split_decoder_levels",
    "split_latent",
    "split_model",
    "split_synthesizer",
    "synthetic_feeds",
    "update_split_info",
    "validate_split",
]
