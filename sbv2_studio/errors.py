"""Errors a person can read. Every failure the core expects raises one of these."""

from __future__ import annotations

from pathlib import Path


class StudioError(Exception):
    """Base of every error the studio reports to a person."""


class TextError(StudioError, ValueError):
    """The input text cannot be turned into speech (e.g. nothing readable is left after normalization)."""


class ModelError(StudioError):
    """A model file or folder is missing, broken or not what it claims to be.

    The message always names the file and the problem.
    """

    def __init__(self, path: str | Path, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self):  # rebuilt from its own arguments (it crosses process boundaries: offload.run)
        return type(self), (self.path, self.problem)


class ParameterError(StudioError, ValueError):
    """A synthesis parameter is out of range for the chosen model (speaker, style, scales)."""


class BackendError(StudioError):
    """An execution backend could not be created or failed while running."""


class DictionaryError(StudioError, ValueError):
    """A user-dictionary word or file is not usable; the message names the field (or file) and the problem."""

    def __init__(self, field: str, problem: str, where: str = ""):
        self.field = field
        self.problem = problem
        self.where = where
        super().__init__(f"{where}: {field}: {problem}" if where else f"{field}: {problem}")

    def __reduce__(self):
        return type(self), (self.field, self.problem, self.where)
