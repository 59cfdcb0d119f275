"""The application layer (no Qt): what the window, the CLI and an HTTP server drive.

This module is its face for front ends: the window (ui/) imports from here and from the public API
(`sbv2_studio`), never from the engine, the runtime or the model files directly. Names load on first use, so
importing a module of this package (the CLI's `app.voices`) does not also import the downloader and its
huggingface_hub (measured: 0.18-0.24 s of every CLI start).
"""

from __future__ import annotations

from .._lazy import lazy_getattr

_EXPORTS = {
    "sbv2_studio.engine.query": ("AccentPhrase", "AudioQuery", "Mora"),
    "sbv2_studio.engine.text.user_dict": (
        "UserDictionary", "UserWord", "WORD_TYPES", "activate_user_dictionary", "mora_count",
    ),
    "sbv2_studio.engine.params": ("ALL_PARAMS", "PARAMETER", "PARAMETERS", "Parameter", "SynthesisParams"),
    "sbv2_studio.engine.synthesis": ("STAGES", "SynthesisPlan", "SynthesisResult", "timeline_rows"),
    "sbv2_studio.errors": ("DictionaryError", "StudioError", "TextError"),
    "sbv2_studio.models.downloads": ("BERT_REPO", "DownloadCancelled", "download_bert", "download_voice"),
    "sbv2_studio.models.library": ("BUILTIN_ID", "Library", "ModelEntry", "builtin_entry"),
    "sbv2_studio.runtime.backends": (
        "CPU", "Backend", "FallbackEvent", "SessionFactory", "available_kinds", "faults_from_env",
    ),
}  # fmt: skip
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}
__all__ = sorted(_MODULE_OF)


__getattr__ = lazy_getattr(__name__, _MODULE_OF)
