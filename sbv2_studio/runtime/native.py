"""The C library, for the few memory calls the runtime makes: malloc_trim and mallopt (runtime/backends.py) and
madvise (runtime/ov_backend.py). glibc on Linux only; elsewhere (Windows, macOS, musl) None, and those calls are
simply not made."""

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


__all__ = ["glibc"]
