"""The model library: voices in the per-user data folder plus folders the person adds, the shared BERT model,
and the built-in voice that is always there."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError, StudioError
from ..paths import APP_NAME, cache_dir, data_dir, remove_derived  # noqa: F401 - cache_dir, data_dir: re-exported
from .formats import BertModel, VoiceModel, load_bert_folder, load_voice_model
from .validate import check_voice

BUILTIN_ID = "builtin:openjtalk-mei"
BERT_FOLDER_NAME = "deberta-v2-large-japanese-char-wwm-onnx"


@dataclass
class ModelEntry:
    """One voice the library knows of, valid or not (a broken one is listed with its problem)."""

    id: str  # BUILTIN_ID, or the model's path
    name: str
    kind: str  # "builtin", "sbv2" (model folder) or "aivmx"
    path: Path | None = None
    error: str | None = None
    speakers: dict[str, int] = field(default_factory=dict)
    styles: dict[str, int] = field(default_factory=dict)
    version: str = ""
    speaker_uuids: dict[str, str] = field(default_factory=dict)  # name → UUID, where the model names them

    @property
    def valid(self) -> bool:
        return self.error is None

    @property
    def label(self) -> str:
        if self.kind == "builtin":
            return "Built-in: OpenJTalk mei (not SBV2)"
        suffix = f" — broken: {self.error}" if self.error else ""
        return f"{self.name} ({self.version or self.kind}){suffix}"


def builtin_entry() -> ModelEntry:
    return ModelEntry(BUILTIN_ID, "mei", "builtin", speakers={"mei": 0}, styles={"Normal": 0})


def _entry_for(path: Path) -> ModelEntry:
    """The listing's entry for one voice; a broken one is listed with its problem (never breaks the listing)."""
    kind = "aivmx" if path.suffix.lower() == ".aivmx" else "sbv2"
    try:
        model = check_voice(path)
    except Exception as exc:  # StudioError as a rule; anything else must not hide the voices beside it either
        error = str(exc) if isinstance(exc, StudioError) else f"{path}: cannot be read ({type(exc).__name__}: {exc})"
        return ModelEntry(str(path), path.stem if kind == "aivmx" else path.name, kind, path, error=error)
    return ModelEntry(
        str(path), model.name, model.source, path, None, model.speakers, model.styles, model.version,
        model.speaker_uuids,
    )  # fmt: skip


def _candidates(root: Path) -> list[Path]:
    """Model folders (with a config.json) and .aivmx files directly in `root` or one level down."""
    try:
        if not root.is_dir():
            return []
        children = sorted(root.iterdir())
    except OSError:  # an unreadable folder in the list: nothing to find there
        return []
    found: list[Path] = []
    for child in children:
        if child.name.startswith("."):
            continue
        try:
            if child.suffix.lower() == ".aivmx" and child.is_file():
                found.append(child)
            elif child.is_dir() and (child / "config.json").exists() and not (child / "vocab.txt").is_file():
                found.append(child)  # a folder with tokenizer files beside its config is a BERT, not a voice
        except OSError:  # a folder it may not look into: listed, broken, with the reason
            found.append(child)
    return found


class Library:
    def __init__(self, extra_roots: list[str | Path] | None = None, home: Path | None = None):
        self.home = Path(home) if home is not None else data_dir()
        self.extra_roots = [Path(p) for p in (extra_roots or [])]

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def bert_dir(self) -> Path:
        return self.home / "bert" / BERT_FOLDER_NAME

    def roots(self) -> list[Path]:
        return [self.models_dir, *self.extra_roots]

    def scan(self) -> list[ModelEntry]:
        """The built-in voice first, then every SBV2 voice found (broken ones included, with their problem)."""
        entries = [builtin_entry()]
        seen: set[Path] = set()
        for root in self.roots():
            for path in _candidates(root):
                try:
                    key = path.resolve()
                except (OSError, RuntimeError):  # a symlink loop
                    key = path.absolute()
                if key not in seen:
                    seen.add(key)
                    entries.append(_entry_for(path))
        return entries

    def import_model(self, source: str | Path, checkpoint: str | None = None, progress=None) -> ModelEntry:
        """Copy a model folder or .aivmx file into the library, after checking that it loads.

        A safetensors voice (folder with config.json, *.safetensors and style_vectors.npy, or one .safetensors
        file of such a folder) is converted to an ONNX voice folder instead (see safetensors_voice); `checkpoint`
        names the .safetensors file to convert (default: the newest step), `progress(fraction, what)` follows it.
        """
        source = Path(source).expanduser()
        from .safetensors_voice import convert_voice, find_safetensors_voice

        voice = find_safetensors_voice(source, checkpoint)
        if voice is not None:
            return _entry_for(convert_voice(voice, self.models_dir / voice.folder.name, progress))
        check_voice(source, deep=True)  # the checks loading does: raises ModelError naming the file and the problem
        if source.is_file() and source.suffix.lower() == ".onnx":
            source = source.parent
        target = self.models_dir / source.name
        if target.exists():
            raise StudioError(f"{target}: a model of that name is already in the library")
        self.models_dir.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
        return _entry_for(target)

    def remove(self, entry: ModelEntry) -> None:
        """Delete a voice that lives in the library folder (voices in added folders are only forgotten)."""
        if entry.kind == "builtin" or entry.path is None:
            raise StudioError("the built-in voice cannot be removed")
        path = Path(entry.path)
        if self.models_dir.resolve() not in path.resolve().parents:
            raise StudioError(f"{path} is not inside the library folder; remove its folder from the list instead")
        files = [p.resolve() for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path.resolve()]
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
        for file in files:  # its seeded copy, split graphs and compiled IRs in the cache: 0.7 GB for a full-size voice
            remove_derived(file)

    def load(self, entry_id: str) -> VoiceModel:
        if entry_id == BUILTIN_ID:
            raise StudioError("the built-in voice is not an SBV2 model")
        return load_voice_model(entry_id)

    def find_bert(self, explicit: str | Path | None = None, prefer: str = "fp32") -> BertModel | None:
        """The shared DeBERTa ONNX folder: an explicit path, SBV2_STUDIO_BERT, or the library's own copy."""
        # A folder the person named (the argument, the environment) must be there: never silently another one.
        for candidate, named_by in ((explicit, "given"), (os.environ.get("SBV2_STUDIO_BERT"), "SBV2_STUDIO_BERT")):
            if candidate:
                if not Path(candidate).expanduser().exists():
                    raise ModelError(Path(candidate), f"no such BERT folder ({named_by})")
                return load_bert_folder(candidate, prefer=prefer)
        if self.bert_dir.exists():
            return load_bert_folder(self.bert_dir, prefer=prefer)
        return None
