"""Batch export that scales out (issue 16): `sbv2-studio batch --jobs N` (local worker processes) and `--ray`
(Ray actors) write the same files as a plain batch, a killed batch resumes, and bad options get a message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import soundfile as sf

from sbv2_studio.app.export import RESUME_TAG, LineTask
from sbv2_studio.app.export_workers import in_order, threads_per_worker
from sbv2_studio.errors import StudioError

from ..conftest import FIXTURES
from ..test_cli import run_cli

LINES = [
    "今日はいい天気ですね。",
    "",
    "吾輩は猫である。名前はまだ無い。",
    "😀🎉",
    "こんにちは！",
    "二つ目の文です。どこで生れたかとんと見当がつかぬ。",
    "最後の行。",
]
WAVS = ["0001.wav", "0003.wav", "0005.wav", "0006.wav", "0007.wav", "joined.wav"]
# Noise on, from a fixed seed: the workers must draw the very same noise as the plain run.
VOICE = ["--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert"), "--seed", "7"]


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "book.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def long_text(tmp_path):
    """The text six times over: long enough to stop a batch mid-way."""
    path = tmp_path / "long.txt"
    path.write_text("\n".join(LINES * 6) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def env(tmp_path):
    return {"SBV2_STUDIO_HOME": str(tmp_path / "home")}


def batch(text_file, out, env, *extra):
    proc = run_cli("batch", str(text_file), "-o", str(out), *VOICE, *extra, env=env)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    return err


def same_files(a, b) -> None:
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir()) == WAVS
    for name in WAVS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.fixture
def plain(tmp_path, text_file, env):
    out = tmp_path / "plain"
    batch(text_file, out, env)
    return out


def test_jobs_write_the_same_files_as_a_plain_batch(tmp_path, text_file, env, plain):
    out = tmp_path / "jobs"
    err = batch(text_file, out, env, "--jobs", "2")
    assert "on 2 worker processes" in err
    # in line order, whichever worker finished first; the unreadable line skipped as in a plain run
    order = [err.index(f"{name} ") for name in WAVS[:-1]]
    assert order == sorted(order) and "line 4 skipped" in err and "wrote 5 file(s)" in err
    same_files(plain, out)


def _ctrl_c_as_in_a_terminal() -> None:
    """SIGINT handled and unblocked, as in a command typed at a terminal: a test run started in the background
    (`cmd &` in a script) passes SIGINT on ignored, and the batch would never hear its Ctrl+C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def batch_until(text, out, env, name, signum):
    """`batch --jobs 2` in a process group of its own, sent `signum` (as a terminal does) as soon as `name`
    appears in `out` (a condition, not a sleep); returns the process, ended."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "sbv2_studio", "batch", str(text), "-o", str(out), *VOICE, "--jobs", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, **env}, start_new_session=True,
        preexec_fn=_ctrl_c_as_in_a_terminal,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    try:
        while not (out / name).exists():
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "the batch wrote nothing within 120 s"
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signum)
    proc.err = proc.communicate(timeout=120)[1].decode("utf-8")
    return proc


def only_whole_files(out) -> list[str]:
    """What looks finished (not the hidden .part files), each whole, with the digest a resume trusts."""
    finished = sorted(p.name for p in out.glob("[!.]*.wav"))
    for name in finished:
        with sf.SoundFile(out / name) as f:
            assert f.comment.startswith(RESUME_TAG) and f"frames={f.frames} " in f.comment
    return finished


def test_a_killed_batch_leaves_only_whole_files_and_resumes(tmp_path, long_text, env, plain):
    """A batch killed mid-way (the whole process group, as a closed terminal does) leaves every WAV at its final
    name complete, and the same command again finishes the rest, keeping what was done."""
    out = tmp_path / "killed"
    batch_until(long_text, out, env, "0005.wav", signal.SIGKILL)  # as soon as the third line's file is there
    finished = only_whole_files(out)
    assert "joined.wav" not in finished and len(finished) < len(LINES) * 6

    err = batch(long_text, out, env, "--jobs", "2")
    assert "(already done)" in err and "wrote 30 file(s)" in err
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # the killed run's leftovers are gone
    for number, plain_name in zip((1, 3, 5, 6, 7), WAVS):  # the first copy of the text, as a plain run made it
        assert (out / f"{number:04d}.wav").read_bytes() == (plain / plain_name).read_bytes()


def test_ctrl_c_stops_a_batch_with_workers_cleanly(tmp_path, long_text, env):
    """Ctrl+C (SIGINT to the whole process group, as a terminal sends it): one line saying so, exit 130, no
    traceback from the parent or a worker, and only whole files."""
    out = tmp_path / "stopped"
    proc = batch_until(long_text, out, env, "0001.wav", signal.SIGINT)
    assert proc.returncode == 130 and "interrupted" in proc.err and "Traceback" not in proc.err, proc.err
    only_whole_files(out)


def test_ray_writes_the_same_files_as_a_plain_batch(tmp_path, text_file, env, plain):
    pytest.importorskip("ray")
    out = tmp_path / "ray"
    err = batch(text_file, out, {**env, "RAY_ADDRESS": ""}, "--ray", "--jobs", "2")
    assert "on 2 Ray actors" in err
    same_files(plain, out)


def test_bad_scale_out_options_get_a_message(tmp_path, text_file, env, monkeypatch):
    proc = run_cli("batch", str(text_file), "-o", str(tmp_path / "x"), *VOICE, "--jobs", "0", env=env)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "--jobs 0: give at least 1 worker" in err and "Traceback" not in err
    # a voice the workers cannot open: the loading error, once, from the worker
    proc = run_cli(
        "batch", str(text_file), "-o", str(tmp_path / "y"), "--model", str(tmp_path / "nope"), "--bert",
        str(FIXTURES / "bert"), "--jobs", "2", env=env,
    )  # fmt: skip
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "nope: does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "y").exists() or not list((tmp_path / "y").iterdir())


def test_a_ray_address_that_answers_nothing_is_refused_at_once(tmp_path, text_file, env):
    pytest.importorskip("ray")
    import socket

    with socket.socket() as unused:  # a loopback port nobody listens on
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    proc = run_cli("batch", str(text_file), "-o", str(tmp_path / "x"), *VOICE, "--ray", f"127.0.0.1:{port}", env=env)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and f"--ray 127.0.0.1:{port}: no Ray cluster answers there" in err
    assert "Traceback" not in err


def test_ray_missing_is_a_message(monkeypatch):
    from sbv2_studio.app import export_workers

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails as where it is not installed
    with pytest.raises(StudioError, match=r"--ray needs Ray.*sbv2-studio\[cluster\]"):
        export_workers._import_ray()


def test_lines_come_back_in_order_with_at_most_a_window_in_flight():
    """Workers finish in any order; lines are handed back in theirs, finished lines are not sent again, and no
    more than `window` lines wait at once (what bounds memory)."""
    tasks = [LineTask(n, f"line {n}", None, "d", np.zeros(3, np.float32) if n % 3 == 0 else None) for n in range(1, 10)]
    started, in_flight, most = [], set(), 0

    def start(task):
        nonlocal most
        started.append(task.number)
        in_flight.add(task.number)
        most = max(most, len(in_flight))
        return task.number

    def finish(handle):
        in_flight.discard(handle)
        return ("ok", np.full(2, handle, np.float32)) if handle != 5 else ("error", "cannot read line 5")

    handed = []
    for task, chunks in in_order(tasks, start, finish, window=3):
        try:
            handed.append((task.number, [float(a[0]) for a in chunks]))
        except StudioError as exc:
            handed.append((task.number, str(exc)))
    assert [n for n, _ in handed] == list(range(1, 10))
    assert started == [n for n in range(1, 10) if n % 3]  # finished (resumed) lines are not synthesized again
    assert dict(handed)[5] == "cannot read line 5" and dict(handed)[4] == [4.0] and dict(handed)[3] == []
    assert most <= 3


def test_threads_share_the_cores():
    assert threads_per_worker(1, 8) == 8 and threads_per_worker(3, 8) == 2 and threads_per_worker(16, 8) == 1


def _blocked_signals():
    return signal.pthread_sigmask(signal.SIG_BLOCK, [])


@pytest.mark.skipif(not hasattr(signal, "pthread_sigmask"), reason="POSIX signal masks")
def test_a_ctrl_c_while_a_worker_starts_is_not_lost_and_the_worker_never_sees_it():
    """While a submit may start a worker, Ctrl+C is held, not dropped: it interrupts the batch as soon as the
    submit is done (a lost one let a batch run on to the end), and a worker started meanwhile has it blocked from
    its first instruction (a KeyboardInterrupt traceback from a worker would reach the person)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from sbv2_studio.app.export_workers import _workers_ignore_ctrl_c

    steps = []
    handler = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal (see above)
    mask = signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            with pytest.raises(KeyboardInterrupt):
                with _workers_ignore_ctrl_c():
                    started = pool.submit(_blocked_signals)
                    os.kill(os.getpid(), signal.SIGINT)
                    steps.append("the block went on")
            assert steps == ["the block went on"]
            assert signal.SIGINT in started.result()
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
    finally:
        signal.signal(signal.SIGINT, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
