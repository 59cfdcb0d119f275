"""The C library, for the few memory calls the runtime makes: malloc_trim and mallopt (runtime/backends.py) and
madvise (runtime/ov_backend.py). glibc on Linux only; elsewhere (Windows, macOS, musl) None, and those calls are
simply not made. Also how much memory the machine has (the standard library tells it; one number is not worth a
dependency)."""

from __future__ import annotations

import functools
import sys


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
    """The machine's physical memory in bytes; None where it cannot be read."""
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
        import os

        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (OSError, ValueError, AttributeError):
        return None


__all__ = ["glibc", "physical_memory"]
