"""The model library: voices in the per-user data folder plus folders the person adds, the shared BERT model,
and the built-in voice that is always there."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ModelError, StudioError
from ..paths import APP_NAME, cache_dir, data_dir  # noqa: F401 - re-exported: callers import them from here
from .formats import BertModel, VoiceModel, load_bert_folder, load_voice_model

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
    kind = "aivmx" if path.suffix.lower() == ".aivmx" else "sbv2"
    try:
        model = load_voice_model(path)
    except ModelError as exc:
        return ModelEntry(str(path), path.stem if kind == "aivmx" else path.name, kind, path, error=str(exc))
    return ModelEntry(
        str(path), model.name, model.source, path, None, model.speakers, model.styles, model.version,
        model.speaker_uuids,
    )  # fmt: skip


def _candidates(root: Path) -> list[Path]:
    """Model folders (with a config.json) and .aivmx files directly in `root` or one level down."""
    if not root.is_dir():
        return []
    found: list[Path] = []
    for child in sorted(root.iterdir()):
        if child.name.startswith("."):
            continue
        if child.suffix.lower() == ".aivmx" and child.is_file():
            found.append(child)
        elif child.is_dir() and (child / "config.json").is_file() and not (child / "vocab.txt").is_file():
            found.append(child)  # a folder with tokenizer files beside its config is a BERT, not a voice
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
                key = path.resolve()
                if key not in seen:
                    seen.add(key)
                    entries.append(_entry_for(path))
        return entries

    def import_model(self, source: str | Path) -> ModelEntry:
        """Copy a model folder or .aivmx file into the library, after checking that it loads."""
        source = Path(source).expanduser()
        load_voice_model(source)  # raises ModelError naming the file and the problem
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
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()

    def load(self, entry_id: str) -> VoiceModel:
        if entry_id == BUILTIN_ID:
            raise StudioError("the built-in voice is not an SBV2 model")
        return load_voice_model(entry_id)

    def find_bert(self, explicit: str | Path | None = None, prefer: str = "fp32") -> BertModel | None:
        """The shared DeBERTa ONNX folder: an explicit path, SBV2_STUDIO_BERT, or the library's own copy."""
        for candidate in (explicit, os.environ.get("SBV2_STUDIO_BERT"), self.bert_dir):
            if candidate and Path(candidate).exists():
                return load_bert_folder(candidate, prefer=prefer)
        return None
