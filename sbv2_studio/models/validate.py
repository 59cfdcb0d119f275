"""Checking a voice or a BERT folder before it is used: what the library listing, `doctor`, import (window and
CLI) and loading all rely on, so a broken file is refused with a message naming it and the reason, never listed
as healthy and never a traceback.

Two depths: `check_voice` (listing, doctor) reads the config, the style vectors and the graph's declared inputs
and outputs (the ONNX file parsed with `onnx`; results remembered per file version), and checks that they belong
together; `check_voice(deep=True)` (import) also opens the graph in onnxruntime, as loading does.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from ..errors import ModelError, StudioError
from .formats import BertModel, VoiceModel, check_synth_graph, load_bert_folder, load_voice_model

_SIGNATURES: dict[tuple, tuple[dict[str, str], list[str]]] = {}
_LOCK = threading.Lock()


def _dtype_name(elem_type: int) -> str:
    import onnx

    try:
        return onnx.TensorProto.DataType.Name(elem_type).lower()
    except ValueError:
        return f"type {elem_type}"


def graph_signature(onnx_path: str | Path) -> tuple[dict[str, str], list[str]]:
    """The graph's declared inputs (name → element type: "int64", "float" …) and output names. Raises a
    ModelError naming the file for an unreadable, empty, truncated or non-ONNX file."""
    path = Path(onnx_path)
    try:
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    except OSError as exc:  # missing, a symlink loop, no permission
        raise ModelError(path, f"cannot be read ({exc.strerror or exc})") from exc
    with _LOCK:
        if key in _SIGNATURES:
            return _SIGNATURES[key]
    if st.st_size == 0:
        raise ModelError(path, "empty file (0 bytes): not an ONNX model")
    import onnx

    try:
        model = onnx.load(str(path), load_external_data=False)
    except OSError as exc:
        raise ModelError(path, f"cannot be read ({exc.strerror or exc})") from exc
    except Exception as exc:  # protobuf raises DecodeError and friends for corrupt or truncated bytes
        raise ModelError(path, f"not an ONNX model: corrupt or truncated ({type(exc).__name__})") from exc
    graph = model.graph
    initializers = {init.name for init in graph.initializer}
    inputs = {i.name: _dtype_name(i.type.tensor_type.elem_type) for i in graph.input if i.name not in initializers}
    outputs = [o.name for o in graph.output]
    if not graph.node or not inputs or not outputs:
        raise ModelError(path, "not an ONNX model: no graph (corrupt, truncated or another kind of file)")
    with _LOCK:
        _SIGNATURES[key] = (inputs, outputs)
    return inputs, outputs


def check_graph_matches(voice: VoiceModel, input_names: set[str], output_names: list[str]) -> bool:
    """Raise unless the graph is an SBV2 synthesizer of the kind the config says; True for JP-Extra."""
    graph_is_jp_extra = check_synth_graph(voice.onnx_path, set(input_names))
    if graph_is_jp_extra != voice.is_jp_extra and voice.version:
        raise ModelError(
            voice.onnx_path,
            f"the graph is {'JP-Extra' if graph_is_jp_extra else 'not JP-Extra'} but config.json says "
            f"version '{voice.version}': the config and the model do not belong together",
        )
    if "output" not in output_names:
        raise ModelError(voice.onnx_path, f"not an SBV2 synthesizer: no 'output' among outputs {output_names}")
    return graph_is_jp_extra


@contextmanager
def _read_errors_named(path: str | Path):
    """A file that cannot be read (permissions, a link loop) or is nested too deeply becomes a ModelError naming
    it; the project's own errors pass as they are."""
    try:
        yield
    except StudioError:
        raise
    except OSError as exc:
        raise ModelError(
            Path(getattr(exc, "filename", None) or path), f"cannot be read ({exc.strerror or exc})"
        ) from exc
    except RecursionError:
        raise ModelError(Path(path), "a file of this model is nested too deeply to read") from None


def _open_cpu_session(path: Path):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL  # a check, not a run: quick
    so.log_severity_level = 3
    try:
        return ort.InferenceSession(str(path), sess_options=so, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own types for graphs it cannot run
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(path, f"onnxruntime cannot open the graph ({first})") from exc


def check_voice(path: str | Path, *, deep: bool = False) -> VoiceModel:
    """The voice at `path` (model folder, .onnx inside one, or .aivmx), checked; a ModelError otherwise.
    `deep`: also open the graph in onnxruntime (seconds for a full-size model: import does it, listing not)."""
    with _read_errors_named(path):
        voice = load_voice_model(path)
        inputs, outputs = graph_signature(voice.onnx_path)
        check_graph_matches(voice, set(inputs), outputs)
        if deep:
            session = _open_cpu_session(voice.onnx_path)
            check_graph_matches(voice, {i.name for i in session.get_inputs()}, [o.name for o in session.get_outputs()])
    return voice


BERT_ID_INPUTS = ("input_ids", "attention_mask")  # what the studio feeds; both int64 (token_type_ids too, if any)


def check_bert_inputs(onnx_path: Path, inputs: dict[str, str]) -> None:
    """Raise unless a graph takes BERT token ids: input_ids and attention_mask (and token_type_ids, if it has
    them) as int64, nothing else."""
    missing = [name for name in BERT_ID_INPUTS if name not in inputs]
    if missing:
        raise ModelError(onnx_path, f"not a BERT graph: inputs are {sorted(inputs)} (missing {missing})")
    for name, dtype in inputs.items():
        if name not in (*BERT_ID_INPUTS, "token_type_ids"):
            raise ModelError(onnx_path, f"not a BERT graph: unexpected input '{name}' ({dtype})")
        if dtype not in ("int64", "tensor(int64)"):
            raise ModelError(onnx_path, f"not a BERT graph: input '{name}' is {dtype}, expected int64 token ids")


def check_bert(path: str | Path, prefer: str = "fp32", *, deep: bool = False) -> BertModel:
    """The BERT folder at `path`, checked for real: its graph is a BERT (token-id inputs, int64), its tokenizer
    files parse; `deep` also opens the graph in onnxruntime. A ModelError naming the file otherwise."""
    from ..engine.tokenizer import CharTokenizer

    with _read_errors_named(path):
        bert = load_bert_folder(path, prefer=prefer)
        inputs, outputs = graph_signature(bert.onnx_path)
        check_bert_inputs(bert.onnx_path, inputs)
        CharTokenizer.from_folder(bert.folder)
        if deep:
            session = _open_cpu_session(bert.onnx_path)
            check_bert_inputs(bert.onnx_path, {i.name: i.type for i in session.get_inputs()})
    return bert


__all__ = ["check_bert", "check_bert_inputs", "check_graph_matches", "check_voice", "graph_signature"]
