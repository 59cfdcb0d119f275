"""runtime/native.py: how much memory this process may use (it decides how much OpenVINO keeps, ov_backend)."""

from __future__ import annotations

import sys

import pytest

from sbv2_studio.runtime import native

GIB = 2**30


def _cgroups(tmp_path, membership: str, limits: dict[str, str]):
    for relative, value in limits.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(value + "\n", encoding="utf-8")
    (tmp_path / "self-cgroup").write_text(membership, encoding="utf-8")
    return native.cgroup_memory_limit(tmp_path / "fs", tmp_path / "self-cgroup")


@pytest.mark.parametrize(
    ("membership", "limits", "expected"),
    [
        # cgroup v2 on a host: the process's own group is limited, its parent is not
        ("0::/app.slice/studio.scope\n", {"fs/app.slice/studio.scope/memory.max": "4294967296",
                                          "fs/app.slice/memory.max": "max"}, 4 * GIB),
        # a parent's lower limit is the one that counts
        ("0::/a/b\n", {"fs/a/b/memory.max": str(8 * GIB), "fs/a/memory.max": str(3 * GIB)}, 3 * GIB),
        # inside a container its own group is the mount's root, under a path that only the host has
        ("0::/docker/0123abcd\n", {"fs/memory.max": str(2 * GIB)}, 2 * GIB),
        ("0::/\n", {"fs/memory.max": "max"}, None),
        # cgroup v1: "no limit" is 2^63 rounded down to a page
        ("4:memory:/process_api/abc\n3:cpuset:/\n", {"fs/memory/process_api/abc/memory.limit_in_bytes":
                                                     "9223372036854771712"}, None),
        ("4:memory:/process_api/abc\n", {"fs/memory/process_api/abc/memory.limit_in_bytes": str(6 * GIB)}, 6 * GIB),
        ("4:cpu,memory:/x\n", {"fs/memory/memory.limit_in_bytes": str(5 * GIB)}, 5 * GIB),
    ],
)  # fmt: skip
def test_a_containers_memory_limit_is_read_from_its_cgroup(tmp_path, membership, limits, expected):
    assert _cgroups(tmp_path, membership, limits) == expected


def test_no_cgroup_file_means_no_limit(tmp_path):
    assert native.cgroup_memory_limit(tmp_path, tmp_path / "absent") is None


def test_the_memory_a_process_may_use_is_the_machines_or_its_containers_if_lower(monkeypatch):
    real = native.physical_memory()
    assert real is None or real > 256 * 2**20  # read on this machine (None only where it cannot be)
    monkeypatch.setattr(native, "_machine_memory", lambda: 24 * GIB)
    monkeypatch.setattr(native, "cgroup_memory_limit", lambda: 4 * GIB)
    assert native.physical_memory() == (4 * GIB if sys.platform.startswith("linux") else 24 * GIB)
    monkeypatch.setattr(native, "cgroup_memory_limit", lambda: 64 * GIB)
    assert native.physical_memory() == 24 * GIB
    monkeypatch.setattr(native, "_machine_memory", lambda: None)
    monkeypatch.setattr(native, "cgroup_memory_limit", lambda: None)
    assert native.physical_memory() is None
