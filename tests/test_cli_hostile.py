"""Hostile input through the command line, as a person types it (issue 17): every case ends with a non-zero
exit, one message naming the file or the field at fault, and never a Python traceback."""

from __future__ import annotations

import json
import shutil

import pytest
import soundfile as sf

from .conftest import FIXTURES
from .test_cli import run_cli

VOICE = ["--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert")]


def hostile_cases(tmp):
    """(name, argv, environment, what the message must contain)."""
    broken = tmp / "broken_voice"
    shutil.copytree(FIXTURES / "jp_extra", broken)
    next(broken.glob("*.onnx")).write_bytes(b"\0not onnx" * 100)
    nested = tmp / "nested_voice"
    shutil.copytree(FIXTURES / "jp_extra", nested)
    (nested / "config.json").write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    weird = tmp / "weird_voice"
    shutil.copytree(FIXTURES / "jp_extra", weird)
    config = json.loads((weird / "config.json").read_text(encoding="utf-8"))
    config["model"] = "weird"
    (weird / "config.json").write_text(json.dumps(config), encoding="utf-8")
    latin1 = tmp / "latin1.txt"
    latin1.write_bytes("caf\xe9\n".encode("latin-1"))
    out = str(tmp / "o.wav")
    return [
        ("corrupt onnx", ["synth", "あ", "--model", str(broken), "--bert", str(FIXTURES / "bert"), "-o", out], {},
         [str(broken), ".onnx", "not an ONNX model"]),
        ("nested config", ["synth", "あ", "--model", str(nested), "--bert", str(FIXTURES / "bert"), "-o", out], {},
         [str(nested / "config.json"), "nested"]),
        ("model weird, streamed", ["stream", "あ", "--model", str(weird), "--bert", str(FIXTURES / "bert"),
                                   "--no-audio"], {}, [str(weird / "config.json"), "'model'"]),
        ("missing bert", ["synth", "あ", "--model", str(FIXTURES / "jp_extra"), "--bert", "/nonexistent/bert",
                          "-o", out], {}, ["/nonexistent/bert", "no such BERT folder"]),
        ("missing bert, default voice", ["synth", "あ", "--bert", "/nonexistent/bert", "-o", out], {},
         ["/nonexistent/bert"]),
        ("superscript speaker", ["synth", "あ", *VOICE, "--speaker", "²", "-o", out], {}, ["speaker '²'"]),
        ("bert backend", ["synth", "あ", *VOICE, "--bert-backend", "cuda:x", "-o", out], {}, ["cuda:x"]),
        ("synth backend", ["synth", "あ", *VOICE, "--synth-backend", "cpu:abc", "-o", out], {}, ["cpu:abc"]),
        ("fault spec", ["synth", "あ", *VOICE, "-o", out], {"SBV2_STUDIO_FAULT": "cuda:run:x"},
         ["SBV2_STUDIO_FAULT", "cuda:run:x"]),
        ("fault kind", ["synth", "あ", *VOICE, "-o", out], {"SBV2_STUDIO_FAULT": "gpu:create"},
         ["SBV2_STUDIO_FAULT", "gpu:create"]),
        ("style for the built-in voice", ["synth", "あ", "--model", "builtin", "--style", "Happy", "-o", out], {},
         ["--style Happy", "built-in voice"]),
        ("speaker for the built-in voice", ["synth", "あ", "--model", "builtin", "--speaker", "Taro", "-o", out],
         {}, ["--speaker Taro", "built-in voice"]),
        ("unknown style", ["synth", "あ", *VOICE, "--style", "Sleepy", "-o", out], {}, ["style 'Sleepy'"]),
        ("not utf-8", ["batch", str(latin1), "--model", "builtin", "-o", str(tmp / "d")], {},
         [str(latin1), "--encoding"]),
        ("unwritable output", ["synth", "あ", "--model", "builtin", "-o", "/proc/x.wav"], {}, ["/proc/x.wav"]),
        ("bad extension", ["synth", "あ", "--model", "builtin", "-o", str(tmp / "x.mp3")], {}, ["x.mp3", ".mp3"]),
        ("no voice there", ["doctor", "--bert", str(broken)], {}, [str(broken)]),
    ]  # fmt: skip


def test_hostile_arguments_and_files_give_one_clear_line(tmp_path):
    env = {"SBV2_STUDIO_HOME": str(tmp_path / "home")}
    failures = []
    for name, argv, extra, says in hostile_cases(tmp_path):
        proc = run_cli(*argv, env={**env, **extra})
        text = proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace")
        if proc.returncode == 0 or "Traceback" in text or not all(s in text for s in says):
            failures.append(f"{name}: rc {proc.returncode}: {text.strip()[-400:]}")
    assert not failures, "\n".join(failures)


def test_g2p_keeps_going_past_a_very_long_line():
    long_line = "今日はいい天気ですね。" * 560  # 5,600 characters: OpenJTalk alone refuses it
    proc = run_cli("g2p", stdin="\n".join(["一行目。", long_line, "😀", "最後。"]) + "\n")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr.decode()
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["text"] for r in records] == ["一行目。", long_line, "😀", "最後。"]
    assert "phones" in records[1] and len(records[1]["phones"]) > 10_000
    assert "error" in records[2] and "phones" in records[3]


def test_g2p_with_a_missing_bert_names_it():
    proc = run_cli("g2p", "--bert", "/nonexistent/bert", stdin="あ\n")
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "/nonexistent/bert" in err and "Traceback" not in err


def test_a_huge_number_does_not_abort_a_batch(tmp_path):
    source = tmp_path / "lines.txt"
    source.write_text("一行目。\n残高は" + "9" * 60 + "円です。\n三行目。\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("batch", str(source), "--model", "builtin", "-o", str(out),
                   env={"SBV2_STUDIO_HOME": str(tmp_path / "home")})  # fmt: skip
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert sorted(p.name for p in out.iterdir()) == ["0001.wav", "0002.wav", "0003.wav", "joined.wav"]
    proc = run_cli("synth", "残高は" + "1" + "0" * 55 + "円です。", *VOICE, "-o", str(tmp_path / "n.wav"),
                   env={"SBV2_STUDIO_HOME": str(tmp_path / "home")})  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()


def test_batch_resumes_and_says_so(tmp_path):
    source = tmp_path / "lines.txt"
    source.write_text("一行目。\n\n三行目。\n", encoding="utf-8")
    out = tmp_path / "new" / "out"
    env = {"SBV2_STUDIO_HOME": str(tmp_path / "home")}
    first = run_cli("batch", str(source), "--model", "builtin", "-o", str(out), env=env)
    assert first.returncode == 0 and f"note: {out} does not exist; creating it" in first.stderr.decode("utf-8")
    assert sorted(p.name for p in out.iterdir()) == ["0001.wav", "0003.wav", "joined.wav"]
    again = run_cli("batch", str(source), "--model", "builtin", "-o", str(out), env=env)
    err = again.stderr.decode("utf-8")
    assert again.returncode == 0 and err.count("(already done)") == 2 and "creating it" not in err, err


def test_version_and_new_output_folders(tmp_path):
    from sbv2_studio import __version__

    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.decode().strip() == f"sbv2-studio {__version__}"
    out = tmp_path / "a" / "b" / "x.wav"
    proc = run_cli("synth", "こんにちは", "--model", "builtin", "-o", str(out))
    assert proc.returncode == 0 and f"note: {out.parent} does not exist; creating it" in proc.stderr.decode()
    assert sf.info(out).frames > 0


@pytest.mark.parametrize("command", ["synth", "stream"])
def test_one_line_per_fallback(tmp_path, command):
    """A lost device fails every session on it: one warning for the failure, not one per stage, chunk or log."""
    args = [command, "今日は。いい天気ですね。散歩に行きましょう。", *VOICE, "--bert-backend", "cuda",
            "--synth-backend", "cuda"]  # fmt: skip
    args += ["-o", str(tmp_path / "x.wav")] if command == "synth" else ["--no-audio", "--warmup", "0", "--runs", "2"]
    proc = run_cli(*args, env={"SBV2_STUDIO_FAULT": "cuda:run:2", "SBV2_STUDIO_HOME": str(tmp_path / "home")})
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err
    warnings = [line for line in err.splitlines() if "failed" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: CUDA:0 failed (CUDA failure"), err
