"""Finding and validating the model files users have: SBV2 ONNX model folders, AIVMX files, and the DeBERTa
ONNX folder. Every problem is reported as a ModelError naming the file and what is wrong with it.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import ModelError, ParameterError

STYLE_DIM = 256
BERT_DIM = 1024
DEFAULT_STYLE = "Neutral"

# Inputs every SBV2 synthesizer export has; JP-Extra adds `bert`, older models `bert`/`ja_bert`/`en_bert`.
SYNTH_COMMON_INPUTS = {"x_tst", "x_tst_lengths", "sid", "tones", "language", "style_vec"}
SYNTH_SCALAR_INPUTS = ("length_scale", "sdp_ratio", "noise_scale", "noise_scale_w")


@dataclass
class VoiceModel:
    """An SBV2 voice: the synthesizer graph plus what the config and style vectors say about it."""

    name: str
    path: Path  # the model folder, or the .aivmx file
    onnx_path: Path
    version: str
    sampling_rate: int
    speakers: dict[str, int]  # name → sid
    styles: dict[str, int]  # name → row of style_vectors
    style_vectors: np.ndarray  # float32 [num_styles, 256]
    n_speakers: int
    add_blank: bool = True
    source: str = "sbv2"  # "sbv2" (folder) or "aivmx"
    description: str = ""
    config: dict = field(default_factory=dict, repr=False)
    speaker_uuids: dict[str, str] = field(default_factory=dict)  # name → UUID (an .aivmx manifest's; else none)

    @property
    def is_jp_extra(self) -> bool:
        return self.version.endswith("JP-Extra")

    @property
    def default_style(self) -> str:
        if DEFAULT_STYLE in self.styles:
            return DEFAULT_STYLE
        return min(self.styles, key=self.styles.__getitem__)

    def speaker_id(self, speaker: int | str) -> int:
        """A speaker given by id (int or digits) or by name → sid, checked against the model."""
        if isinstance(speaker, str) and speaker in self.speakers:
            return self.speakers[speaker]
        if isinstance(speaker, str) and not (speaker.strip().isascii() and speaker.strip().isdigit()):
            raise ParameterError(
                f"speaker '{speaker}' is not in {self.name} (speakers: {', '.join(self.speakers) or 'none'})"
            )
        sid = int(speaker)
        if not 0 <= sid < self.n_speakers:
            raise ParameterError(f"speaker id {sid} is out of range for {self.name} (0..{self.n_speakers - 1})")
        return sid

    def style_id(self, style: str | None) -> int:
        style = style or self.default_style
        if style not in self.styles:
            raise ParameterError(f"style '{style}' is not in {self.name} (styles: {', '.join(self.styles)})")
        return self.styles[style]

    def style_vector(self, style: str | None, weight: float) -> np.ndarray:
        """V0 + (V[style] − V0)·weight, as float32 [1, 256]."""
        sid = self.style_id(style)
        mean = self.style_vectors[0]
        vec = mean + (self.style_vectors[sid] - mean) * weight
        return vec.astype(np.float32)[None, :]


def _unreadable(path: Path, exc: OSError) -> ModelError:
    """An OSError as a person reads it: permission, a symlink loop, a folder where a file should be …"""
    return ModelError(path, f"cannot be read ({exc.strerror or exc})")


def read_json_object(path: Path) -> dict:
    """A JSON file that must hold an object; every way it can be wrong is a ModelError naming it."""
    if not path.is_file():
        raise ModelError(path, "missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _unreadable(path, exc) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ModelError(path, f"not valid JSON ({exc})") from exc
    except RecursionError:
        raise ModelError(path, "not a usable JSON file (nested too deeply)") from None
    if not isinstance(data, dict):
        raise ModelError(path, f"expected a JSON object, not {type(data).__name__}")
    return data


MIN_SAMPLING_RATE, MAX_SAMPLING_RATE = 8_000, 384_000


def _parse_config(config: dict, path: Path) -> dict:
    """The fields of an SBV2 config.json the engine needs, validated."""
    data = config.get("data")
    if not isinstance(data, dict):
        raise ModelError(path, "no 'data' section: this is not an SBV2 config.json")
    field_name = "data"
    try:
        field_name = "data.sampling_rate"
        sampling_rate = _whole_number(data.get("sampling_rate", 44100))
        field_name = "data.spk2id"
        spk2id = {str(k): _whole_number(v) for k, v in dict(data.get("spk2id") or {}).items()}
        field_name = "data.n_speakers"
        n_speakers = _whole_number(data.get("n_speakers", max(spk2id.values(), default=0) + 1))
        field_name = "data.style2id"
        style2id = {str(k): _whole_number(v) for k, v in dict(data.get("style2id") or {}).items()}
        if not style2id:
            style2id = {DEFAULT_STYLE: 0}
        field_name = "data.num_styles"
        num_styles = _whole_number(data.get("num_styles", len(style2id)))
    except (TypeError, ValueError, OverflowError) as exc:
        raise ModelError(path, f"malformed '{field_name}' ({exc})") from exc
    if not MIN_SAMPLING_RATE <= sampling_rate <= MAX_SAMPLING_RATE:
        raise ModelError(
            path,
            f"data.sampling_rate {sampling_rate} is not a sampling rate ({MIN_SAMPLING_RATE}..{MAX_SAMPLING_RATE})",
        )
    if n_speakers < 1 or num_styles < 1:
        raise ModelError(path, f"data.n_speakers ({n_speakers}) and data.num_styles ({num_styles}) must be 1 or more")
    _check_model_section(config.get("model"), path)
    bad = {k: v for k, v in spk2id.items() if not 0 <= v < n_speakers}
    if bad:
        raise ModelError(path, f"speaker ids {bad} are outside n_speakers={n_speakers}")
    return {
        "version": str(config.get("version", "")),
        "name": str(config.get("model_name", "")),
        "sampling_rate": sampling_rate,
        "speakers": spk2id,
        "n_speakers": n_speakers,
        "styles": style2id,
        "num_styles": num_styles,
        "add_blank": bool(data.get("add_blank", True)),
    }


def _whole_number(value) -> int:
    """An int from JSON: 3 or 3.0 (some exports write floats), never "seven", true or 3.5."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, float) and not value.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(value)


def _check_model_section(model, path: Path) -> None:
    """The `model` section's decoder layout, which chunked decoding reads (its receptive field)."""
    if model is None:
        return
    if not isinstance(model, dict):
        raise ModelError(path, f"malformed 'model' section: expected an object, not {type(model).__name__}")
    from ..graphs.split import decoder_part_fields, decoder_receptive_field

    try:
        decoder_receptive_field(model)
        decoder_part_fields(model)
    except (TypeError, ValueError, KeyError, IndexError, OverflowError, ZeroDivisionError) as exc:
        raise ModelError(
            path, f"malformed decoder layout in the 'model' section ({type(exc).__name__}: {exc})"
        ) from exc


def _check_style_vectors(vectors: np.ndarray, styles: dict[str, int], path: Path) -> np.ndarray:
    if not (np.issubdtype(vectors.dtype, np.floating) or np.issubdtype(vectors.dtype, np.integer)):
        raise ModelError(path, f"style vectors are {vectors.dtype}, not numbers")
    if vectors.ndim != 2 or vectors.shape[1] != STYLE_DIM:
        raise ModelError(path, f"style vectors have shape {vectors.shape}, expected [num_styles, {STYLE_DIM}]")
    out_of_range = {k: v for k, v in styles.items() if not 0 <= v < vectors.shape[0]}
    if out_of_range:
        raise ModelError(path, f"styles {out_of_range} have no row among the {vectors.shape[0]} style vectors")
    if not np.isfinite(vectors).all():
        raise ModelError(path, "style vectors contain NaN or infinity")
    return vectors.astype(np.float32)


def _load_npy(path: Path) -> np.ndarray:
    if not path.is_file():
        raise ModelError(path, "missing: an SBV2 model folder needs style_vectors.npy")
    try:
        return np.load(path, allow_pickle=False)
    except PermissionError as exc:
        raise _unreadable(path, exc) from exc
    except (ValueError, OSError, EOFError) as exc:
        raise ModelError(path, f"not a readable .npy array ({exc})") from exc


def check_synth_graph(onnx_path: Path, input_names: set[str]) -> bool:
    """Raise if the graph is not an SBV2 synthesizer; return True for JP-Extra's single `bert` input."""
    missing = SYNTH_COMMON_INPUTS - input_names
    if not input_names & {"bert", "ja_bert"}:
        missing.add("bert")
    if missing:
        raise ModelError(
            onnx_path, f"not an SBV2 synthesizer: inputs are {sorted(input_names)} (missing {sorted(missing)})"
        )
    return "ja_bert" not in input_names


def load_model_folder(folder: Path) -> VoiceModel:
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelError(folder, "not a folder")
    config_path = folder / "config.json"
    raw = read_json_object(config_path)
    cfg = _parse_config(raw, config_path)
    try:
        onnx_files = sorted(p for p in folder.glob("*.onnx") if not p.name.startswith("."))
        if not onnx_files:
            raise ModelError(
                folder,
                "no .onnx synthesizer in the folder (a .safetensors voice is converted when imported: "
                "sbv2-studio import FOLDER, or Import… in the window)",
            )
        # Several exports may sit side by side (checkpoints): the newest file is the one people mean.
        stamps = {}
        for p in onnx_files:
            try:
                stamps[p] = p.stat().st_mtime
            except OSError as exc:  # a symlink loop, a dangling link
                raise _unreadable(p, exc) from exc
        onnx_path = max(onnx_files, key=stamps.__getitem__)
    except PermissionError as exc:
        raise _unreadable(folder, exc) from exc
    style_path = folder / "style_vectors.npy"
    vectors = _check_style_vectors(_load_npy(style_path), cfg["styles"], style_path)
    return VoiceModel(
        name=cfg["name"] or folder.name,
        path=folder,
        onnx_path=onnx_path,
        version=cfg["version"],
        sampling_rate=cfg["sampling_rate"],
        speakers=cfg["speakers"],
        styles=cfg["styles"],
        style_vectors=vectors,
        n_speakers=cfg["n_speakers"],
        add_blank=cfg["add_blank"],
        source="sbv2",
        config=raw,
    )


def read_aivmx_metadata(path: Path, metadata: dict[str, str] | None = None):
    """The validated AIVM metadata of an .aivmx file (aivmlib's schema). `metadata` lets a caller pass the
    metadata props onnxruntime already read, so the file is not parsed twice."""
    import aivmlib  # imported here: it pulls in onnx/pydantic, which folder models never need

    try:
        if metadata is None:
            with open(path, "rb") as f:
                return aivmlib.read_aivmx_metadata(f)
        return aivmlib.validate_aivm_metadata(metadata)
    except aivmlib.AivmValidationError as exc:
        raise ModelError(path, f"not a valid AIVMX file: {exc}") from exc
    except OSError as exc:
        raise ModelError(path, f"cannot be read ({exc})") from exc
    except Exception as exc:
        raise ModelError(path, f"not an ONNX/AIVMX file ({type(exc).__name__}: {exc})") from exc


def load_aivmx(path: Path, metadata: dict[str, str] | None = None) -> VoiceModel:
    path = Path(path)
    if not path.is_file():
        raise ModelError(path, "missing")
    meta = read_aivmx_metadata(path, metadata)
    if meta.style_vectors is None:
        raise ModelError(path, "AIVMX metadata has no style vectors (aivm_style_vectors)")
    try:
        vectors = np.load(io.BytesIO(meta.style_vectors), allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise ModelError(path, f"AIVMX style vectors are not a readable .npy array ({exc})") from exc
    hyper = meta.hyper_parameters.model_dump(mode="json")
    cfg = _parse_config(hyper, path)
    # The manifest names speakers and styles for people; its local ids are the sid and style rows.
    speakers = {s.name: s.local_id for s in meta.manifest.speakers}
    styles: dict[str, int] = {}
    for speaker in meta.manifest.speakers:
        for style in speaker.styles:
            styles.setdefault(style.name, style.local_id)
    styles = styles or cfg["styles"]
    vectors = _check_style_vectors(vectors, styles, path)
    n_speakers = cfg["n_speakers"]
    bad = {k: v for k, v in speakers.items() if not 0 <= v < n_speakers}
    if bad:
        raise ModelError(path, f"AIVMX speakers {bad} are outside n_speakers={n_speakers}")
    return VoiceModel(
        name=meta.manifest.name,
        path=path,
        onnx_path=path,
        version=cfg["version"],
        sampling_rate=cfg["sampling_rate"],
        speakers=speakers or cfg["speakers"],
        styles=styles,
        style_vectors=vectors,
        n_speakers=n_speakers,
        add_blank=cfg["add_blank"],
        source="aivmx",
        description=meta.manifest.description,
        config=hyper,
        speaker_uuids={s.name: str(s.uuid) for s in meta.manifest.speakers},
    )


def load_voice_model(path: str | Path) -> VoiceModel:
    """An SBV2 model folder, an .onnx inside one, or an .aivmx file."""
    path = Path(path).expanduser()
    if path.suffix.lower() == ".aivmx":
        return load_aivmx(path)
    if path.is_file() and path.suffix.lower() == ".onnx":
        return load_model_folder(path.parent)
    if not path.exists():
        raise ModelError(path, "does not exist")
    if path.is_dir():
        return load_model_folder(path)
    raise ModelError(path, "not an SBV2 model folder or .aivmx file")


@dataclass
class BertModel:
    """The DeBERTa ONNX folder: a graph (FP32 or FP16) plus the tokenizer files beside it."""

    folder: Path
    onnx_path: Path

    @property
    def variant(self) -> str:
        return "fp16" if "fp16" in self.onnx_path.name else "fp32"


BERT_GRAPH_NAMES = ("model.onnx", "model_fp16.onnx")


def load_bert_folder(path: str | Path, prefer: str = "fp32") -> BertModel:
    """The DeBERTa ONNX folder at `path` (or the folder of an .onnx file given directly)."""
    path = Path(path).expanduser()
    if path.is_file() and path.suffix.lower() == ".onnx":
        folder, graphs = path.parent, [path]
    elif path.is_dir():
        folder = path
        order = BERT_GRAPH_NAMES if prefer == "fp32" else tuple(reversed(BERT_GRAPH_NAMES))
        graphs = [folder / n for n in order if (folder / n).is_file()]
        if not graphs:
            graphs = sorted(folder.glob("*.onnx"))
    else:
        raise ModelError(path, "does not exist" if not path.exists() else "not a BERT ONNX folder")
    if not graphs:
        raise ModelError(folder, "no model.onnx or model_fp16.onnx in the BERT folder")
    if not (folder / "vocab.txt").is_file():
        raise ModelError(folder / "vocab.txt", "missing: the BERT folder needs its tokenizer files beside the model")
    return BertModel(folder=folder, onnx_path=graphs[0])
