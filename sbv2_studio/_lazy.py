"""Names a package hands out but imports only when first used (the public API and the app layer's facade)."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable


def lazy_getattr(package: str, module_of: dict[str, str]) -> Callable[[str], object]:
    """A module `__getattr__` for `package` that imports `module_of[name]` on first use and keeps the value."""

    def __getattr__(name: str):
        module = module_of.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__
