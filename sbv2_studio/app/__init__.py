"""The application layer (no Qt): what the window, the CLI and an HTTP server drive.

This module is its face for front ends: the window (ui/) imports from here and from the public API
(`sbv2_studio`), never from the engine, the runtime or the model files directly.
"""

from __future__ import annotations

from ..engine.params import ALL_PARAMS, PARAMETER, PARAMETERS, Parameter, SynthesisParams
from ..engine.synthesis import STAGES, SynthesisPlan, SynthesisResult, timeline_rows
from ..errors import StudioError
from ..models.downloads import BERT_REPO, DownloadCancelled, download_bert, download_voice
from ..models.library import BUILTIN_ID, Library, ModelEntry, builtin_entry
from ..runtime.backends import CPU, Backend, FallbackEvent, SessionFactory, available_kinds, faults_from_env

__all__ = [
    "ALL_PARAMS", "BERT_REPO", "BUILTIN_ID", "Backend", "CPU", "DownloadCancelled", "FallbackEvent", "Library",
    "ModelEntry", "PARAMETER", "PARAMETERS", "Parameter", "STAGES", "SessionFactory", "StudioError",
    "SynthesisParams", "SynthesisPlan", "SynthesisResult", "available_kinds", "builtin_entry", "download_bert",
    "download_voice", "faults_from_env", "timeline_rows",
]  # fmt: skip
