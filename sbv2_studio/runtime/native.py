"""The C library, for the few memory calls the runtime makes: malloc_trim and mallopt (runtime/backends.py) and
madvise (runtime/ov_backend.py). glibc on Linux only; elsewhere (Windows, macOS, musl) None, and those calls are
simply not made. Also how much memory the machine has (the standard library tells it; one number is not worth a
dependency)."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path, PurePosixPath


@functools.cache
def glibc():
    """glibc through ctypes, with the argument types of the calls made through it; None where it is not there."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        if not all(hasattr(libc, name) for name in ("malloc_trim", "mallopt", "madvise")):
            return None  # musl and friends
        libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]  # 64-bit addresses
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
        return libc
    except OSError:
        return None


def physical_memory() -> int | None:
    """The memory this process may use, in bytes: the machine's, or less where a container's (cgroup's) limit is
    lower (a server in Docker sees the host's memory otherwise); None where it cannot be read."""
    total = _machine_memory()
    limit = cgroup_memory_limit() if sys.platform.startswith("linux") else None
    return limit if total is None or (limit is not None and limit < total) else total


def cgroup_memory_limit(
    root: Path = Path("/sys/fs/cgroup"), membership: Path = Path("/proc/self/cgroup")
) -> int | None:
    """The lowest memory limit on this process's cgroup and its parents (cgroup v2 `memory.max`, v1
    `memory.limit_in_bytes`); None where there is none or it cannot be read."""
    try:
        lines = membership.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    places = []
    for line in lines:
        number, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if number == "0" and not controllers:
            places.append((root, path, "memory.max"))
        elif "memory" in controllers.split(","):
            places.append((root / "memory", path, "memory.limit_in_bytes"))
    limits = []
    for base, path, name in places:
        folder = PurePosixPath(path or "/")
        for level in (folder, *folder.parents):  # inside a container, its own cgroup is often the mount's root
            try:
                value = (base / level.relative_to("/") / name).read_text(encoding="utf-8").strip()
            except (OSError, ValueError):
                continue
            if value.isdigit() and int(value) < 2**60:  # "max", or v1's 2^63 rounded down to a page: no limit
                limits.append(int(value))
    return min(limits) if limits else None


def _machine_memory() -> int | None:
    try:
        if sys.platform == "win32":
            import ctypes
            from ctypes import wintypes

            class MemoryStatus(ctypes.Structure):  # MEMORYSTATUSEX
                _fields_ = [("length", wintypes.DWORD), ("load", wintypes.DWORD)] + [
                    (name, ctypes.c_ulonglong) for name in ("total", "available", "page_total", "page_available",
                                                             "virtual_total", "virtual_available", "extended")
                ]  # fmt: skip

            status = MemoryStatus(length=ctypes.sizeof(MemoryStatus))
            if not ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
                return None
            return int(status.total)
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (OSError, ValueError, AttributeError):
        return None


__all__ = ["cgroup_memory_limit", "glibc", "physical_memory"]
