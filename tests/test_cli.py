"""The command line, run the way a person runs it: as a subprocess of the installed entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import soundfile as sf

from .conftest import FIXTURES


def run_cli(*args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sbv2_studio", *args],
        input=stdin.encode("utf-8") if stdin is not None else None,
        capture_output=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_synth_writes_a_valid_wav_and_timings(tmp_path):
    out, timings = tmp_path / "out.wav", tmp_path / "t.json"
    proc = run_cli(
        "synth", "今日はいい天気ですね。", "--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert"),
        "--speaker", "Taro", "--style", "Happy", "--style-weight", "2", "--sdp-ratio", "0", "--noise", "0",
        "--noise-w", "0.5", "--length", "1.2", "-o", str(out), "--timings-json", str(timings),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    data, sr = sf.read(out, dtype="int16")
    assert sr == 44100 and sf.info(out).subtype == "PCM_16" and len(data) > 4410
    assert np.abs(data).max() == 32767
    report = json.loads(timings.read_text(encoding="utf-8"))
    assert set(report["stages_ms"]) == {"frontend", "tokenize", "bert", "align", "synthesize", "postprocess"}
    assert report["ran_on"] == {"bert": "CPU", "synthesize": "CPU"}
    assert report["audio_seconds"] == round(len(data) / 44100, 4)


def test_synth_error_is_one_clear_line(tmp_path):
    proc = run_cli("synth", "あ", "--model", str(tmp_path / "nope"), "--bert", str(FIXTURES / "bert"), "-o", "x.wav")
    assert proc.returncode == 2
    err = proc.stderr.decode()
    assert err.startswith("error: ") and "nope: does not exist" in err and "Traceback" not in err


def test_g2p_contract():
    lines = ["今日はいい天気ですね。", "😀", "こんにちは！"]
    proc = run_cli("g2p", "--bert", str(FIXTURES / "bert"), stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr.decode()
    records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
    assert [r["text"] for r in records] == lines
    ok = records[0]
    assert set(ok) == {
        "text", "normalized", "phones", "tones", "word2ph", "bert_text",
        "x_tst", "tone_ids", "language_ids", "word2ph_blank", "input_ids",
    }  # fmt: skip
    assert ok["phones"] == "_ ky o o w a i i t e N k i d e s u n e . _".split()
    assert ok["x_tst"][:6] == [0, 0, 0, 58, 0, 65]
    assert len(ok["x_tst"]) == 2 * len(ok["phones"]) + 1
    assert len(ok["input_ids"]) == len(ok["word2ph"]) == len(ok["bert_text"]) + 2
    assert set(records[1]) == {"text", "error"} and "nothing readable" in records[1]["error"]
    assert "!" in records[2]["phones"]


def test_g2p_legacy_uses_n():
    proc = run_cli("g2p", "--legacy", stdin="天気\n")
    record = json.loads(proc.stdout.decode("utf-8"))
    assert "n" in record["phones"] and "N" not in record["phones"] and "input_ids" not in record


def test_doctor_lists_backends_and_voices(tmp_path):
    proc = run_cli("doctor", "--json", "--models", str(FIXTURES), env={"SBV2_STUDIO_HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout.decode("utf-8"))
    cpu = next(b for b in report["backends"] if b["kind"] == "cpu")
    assert cpu["works"] and cpu["offered"]
    models = {m["path"]: m for m in report["models"]}
    assert models[str(FIXTURES / "jp_extra")]["valid"]
    assert report["models"][0]["kind"] == "builtin"
    assert str(FIXTURES / "bert") not in models  # a BERT folder is not listed as a broken voice


def test_doctor_says_where_the_cache_is_and_what_takes_its_space(tmp_path):
    env = {"SBV2_STUDIO_HOME": str(tmp_path)}
    (tmp_path / "cache" / "seeded").mkdir(parents=True)
    (tmp_path / "cache" / "seeded" / "voice.seeded.0123abcd.00.onnx").write_bytes(b"x" * 2_500_000)
    (tmp_path / "cache" / "graph_io").mkdir()
    (tmp_path / "cache" / "graph_io" / "a.json").write_bytes(b"x" * 3_000)
    report = json.loads(run_cli("doctor", "--json", env=env).stdout.decode("utf-8"))
    assert report["cache"]["folder"] == str(tmp_path / "cache")
    used = {name: size for name, size in report["cache"]["bytes"].items() if size}  # (doctor made openvino/)
    assert list(used.items()) == [("seeded", 2_500_000), ("graph_io", 3_000)]  # largest first
    text = run_cli("doctor", env=env).stdout.decode("utf-8")
    line = next(line for line in text.splitlines() if line.startswith("Cache folder: "))
    assert line.startswith(f"Cache folder: {tmp_path / 'cache'}: 3 MB (seeded 2 MB, ") and "graph_io 3 KB" in line


def test_unwritable_outputs_and_the_builtin_voice_streaming_are_one_clear_line(tmp_path):
    env = {"SBV2_STUDIO_HOME": str(tmp_path / "home")}
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    lines = tmp_path / "lines.txt"
    lines.write_text("こんにちは。\n", encoding="utf-8")
    for args, says in (
        (["synth", "こんにちは", "--model", "builtin", "-o", str(blocker / "x.wav")], "cannot write the audio"),
        (["batch", str(lines), "--model", "builtin", "-o", str(blocker)], "cannot write the exported files"),
    ):
        proc = run_cli(*args, env=env)
        err = proc.stderr.decode("utf-8")
        assert proc.returncode != 0 and says in err and str(blocker) in err and "Traceback" not in err, err
    assert blocker.read_text(encoding="utf-8") == "not a folder"  # nothing of the person's was touched
    proc = run_cli("stream", "こんにちは。元気ですか。", "--model", "builtin", "--no-audio", "--runs", "1", env=env)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0 and "run 1: TTFA" in err and "Traceback" not in err, err


def test_every_slider_of_the_parameter_table_is_a_synth_option(tmp_path):
    out = tmp_path / "o.wav"
    r = run_cli(
        "synth", "こんにちは", "--volume", "0.5", "--pre-silence", "0.3", "--post-silence", "0.2", "-o", str(out)
    )
    assert r.returncode == 0, r.stderr
    audio, rate = sf.read(out, dtype="int16")
    assert not audio[: int(0.3 * rate)].any() and not audio[-int(0.2 * rate) :].any()
    assert abs(int(np.abs(audio).max()) - 32767 // 2) <= 1  # the volume survives peak normalization
    bad = run_cli("synth", "こんにちは", "--volume", "9", "-o", str(out))
    message = bad.stderr.decode("utf-8")
    assert bad.returncode != 0 and "volume=9.0 is outside 0..2" in message and "Traceback" not in message


def test_machine_defaults_run_each_stage_as_this_machine_measured_and_an_option_given_wins(tmp_path):
    """`--machine-defaults`: the backends `sbv2-studio defaults --measure` (or the window's Fastest for this
    machine) stored, for `synth` as for `serve`; a stage named on the command line keeps what it was given; not
    measured yet: one line saying how to measure."""
    import pytest

    from sbv2_studio.app.precision import Defaults, save_defaults

    pytest.importorskip("openvino")
    home = tmp_path / "home"
    env = {"SBV2_STUDIO_HOME": str(home)}
    voice = ["--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert"), "--sdp-ratio", "0"]

    def synth(*extra: str) -> dict:
        timings = tmp_path / "t.json"
        proc = run_cli("synth", "今日はいい天気ですね。", *voice, "-o", str(tmp_path / "x.wav"),
                       "--timings-json", str(timings), *extra, env=env)  # fmt: skip
        assert proc.returncode == 0, proc.stderr.decode()
        return json.loads(timings.read_text(encoding="utf-8"))["ran_on"]

    proc = run_cli("synth", "あ", *voice, "-o", str(tmp_path / "x.wav"), "--machine-defaults", env=env)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and len(err.strip().splitlines()) == 1 and "defaults --measure" in err
    assert not (tmp_path / "x.wav").exists()

    home.mkdir()  # stored where and as the measurement stores it
    measured = Defaults("openvino:CPU", "fp32", "openvino:CPU", "fp32", "fastest within the limits", "measured")
    save_defaults(measured, home / "backend_defaults.json")
    assert synth("--machine-defaults") == {"bert": "OpenVINO:CPU", "synthesize": "OpenVINO:CPU"}
    assert synth("--machine-defaults", "--bert-backend", "cpu") == {"bert": "CPU", "synthesize": "OpenVINO:CPU"}
    assert synth() == {"bert": "CPU", "synthesize": "CPU"}  # without the option: onnxruntime FP32, as before
