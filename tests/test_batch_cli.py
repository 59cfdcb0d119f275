"""`sbv2-studio batch FILE.txt -o DIR`: one WAV per non-empty line plus joined.wav, progress on stderr, as a
person runs it (a subprocess), and the export function under it."""

from __future__ import annotations

import json

import numpy as np
import pytest
import soundfile as sf

from sbv2_studio import audio as audio_io
from sbv2_studio.app.export import PeakNormalizingWriter, count_lines, export_lines, numbered_lines, read_lines
from sbv2_studio.engine.pipeline import SynthesisParams

from .conftest import FIXTURES
from .test_cli import run_cli

LINES = [
    "今日はいい天気ですね。",
    "",
    "吾輩は猫である。名前はまだ無い、どこで生れたかとんと見当がつかぬ。",
    "😀🎉",
    "   ",
    "こんにちは！",
]
SPOKEN = [LINES[0], LINES[2], LINES[5]]
EXACT = ["--noise", "0", "--sdp-ratio", "0"]


def test_batch_writes_a_wav_per_line_and_the_joined_file(tmp_path, jp_extra_pipeline):
    source = tmp_path / "input.txt"
    source.write_text("\ufeff" + "\r\n".join(LINES) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    report = tmp_path / "report.json"
    proc = run_cli(
        "batch", str(source), "-o", str(out), "--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert"),
        *EXACT, "--report-json", str(report), env={"SBV2_STUDIO_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err
    # file N is line N of the input; blank lines make no file and are not reported; the unreadable line 4 has none
    assert sorted(p.name for p in out.iterdir()) == ["0001.wav", "0003.wav", "0006.wav", "joined.wav"]
    assert "[1/4] 0001.wav" in err and "[3/4] line 4 skipped" in err and "[4/4] 0006.wav" in err
    assert "wrote 3 file(s)" in err and "1 line(s) skipped" in err

    # every line's WAV is what a single request of that line gives (noise off), peak-normalized on its own
    expected = [jp_extra_pipeline.synthesize(line, SynthesisParams(noise=0.0, sdp_ratio=0.0)) for line in SPOKEN]
    for name, result in zip(["0001.wav", "0003.wav", "0006.wav"], expected):
        data, sr = sf.read(out / name, dtype="int16")
        assert sr == 44100 and sf.info(out / name).subtype == "PCM_16"
        assert np.array_equal(data, result.pcm16)
    # joined: all lines with 0.5 s between them, normalized over the whole, as one request of the text
    joined, _ = sf.read(out / "joined.wav", dtype="int16")
    whole = audio_io.join_lines([r.audio for r in expected], 44100, 0.5)
    assert np.array_equal(joined, audio_io.to_pcm16(whole))

    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["lines"] == 4 and [s["line"] for s in data["skipped"]] == [4] and data["rtf"] > 0


def test_batch_refuses_missing_and_empty_files(tmp_path):
    proc = run_cli("batch", str(tmp_path / "nope.txt"), "-o", str(tmp_path / "o"))
    assert proc.returncode == 2 and "no such text file" in proc.stderr.decode()
    empty = tmp_path / "empty.txt"
    empty.write_text("\n  \n\n", encoding="utf-8")
    proc = run_cli("batch", str(empty), "-o", str(tmp_path / "o"))
    assert proc.returncode == 2 and "no non-empty line" in proc.stderr.decode()
    assert not (tmp_path / "o").exists()


def test_export_handles_many_lines_and_long_lines(tmp_path, jp_extra_pipeline):
    """Any length: a line far longer than one request may hold is cut into sentences; many lines stream to disk."""
    long_line = "".join(f"これは{i}番目の長い文で、途中に読点もあります。" for i in range(1, 16))  # ~400 chars
    lines = [long_line] + [f"{i}行目。" for i in range(1, 25)]
    progress = []
    result = export_lines(
        jp_extra_pipeline, iter(lines), tmp_path, SynthesisParams(noise=0.0, sdp_ratio=0.0, line_interval=0.1),
        total=len(lines), on_progress=lambda done, total, line: progress.append((done, total, line.path.name)),
    )  # fmt: skip
    assert [p[0] for p in progress] == list(range(1, 26)) and progress[-1] == (25, 25, "0025.wav")
    assert len(result.files) == 25 and result.joined == tmp_path / "joined.wav"
    first, _ = sf.read(tmp_path / "0001.wav", dtype="int16")
    assert len(first) / 44100 == pytest.approx(result.lines[0].audio_seconds, abs=1e-4) and len(first) > 44100 * 5
    joined, _ = sf.read(tmp_path / "joined.wav", dtype="int16")
    assert len(joined) == sum(int(r.audio_seconds * 44100 + 0.5) for r in result.lines) + 24 * 4410
    assert not list(tmp_path.glob(".*.part.wav"))  # temporary float files are gone


def test_export_stops_when_asked(tmp_path, jp_extra_pipeline):
    asked = iter([False, False, True])
    result = export_lines(
        jp_extra_pipeline, ["一。", "二。", "三。", "四。"], tmp_path, should_stop=lambda: next(asked)
    )
    assert result.cancelled and [p.name for p in result.files] == ["0001.wav", "0002.wav"]


def test_peak_normalizing_writer_matches_to_pcm16(tmp_path):
    rng = np.random.default_rng(1)
    pieces = [rng.normal(0, 0.3, size=int(n)).astype(np.float32) for n in rng.integers(1, 90_000, size=5)]
    writer = PeakNormalizingWriter(tmp_path / "x.wav", 22050)
    for piece in pieces:
        writer.write(piece)
    path = writer.close()
    data, sr = sf.read(path, dtype="int16")
    assert sr == 22050 and np.array_equal(data, audio_io.to_pcm16(np.concatenate(pieces)))
    silent = PeakNormalizingWriter(tmp_path / "s.wav", 22050)
    silent.write(np.zeros(100, np.float32))
    assert not sf.read(silent.close(), dtype="int16")[0].any()


def test_read_lines_keeps_the_numbering_and_drops_the_bom(tmp_path):
    f = tmp_path / "t.txt"
    f.write_bytes("\ufeff一行目\r\n\r\n  \n二行目".encode("utf-8"))
    assert list(read_lines(f)) == ["一行目", "", "  ", "二行目"]
    assert list(numbered_lines(read_lines(f))) == [(1, "一行目"), (4, "二行目")]
    assert count_lines(f) == 2 and count_lines(f, blank=True) == 4


def test_stream_subcommand_reports_time_to_first_audio(tmp_path):
    out_json, out_wav = tmp_path / "s.json", tmp_path / "s.wav"
    proc = run_cli(
        "stream", "今日はいい天気ですね。散歩に行きましょう！", "--model", str(FIXTURES / "jp_extra"),
        "--bert", str(FIXTURES / "bert"), *EXACT, "--no-audio", "--warmup", "0", "--json", str(out_json),
        "-o", str(out_wav), env={"SBV2_STUDIO_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 0, err
    assert "run 1: TTFA" in err and "underrun" in err
    summary = json.loads(out_json.read_text(encoding="utf-8"))
    assert summary["runs"] == 1 and summary["ttfa_ms_median"] > 0 and summary["underruns"] == [0]
    timeline = summary["last_run"]["chunks"]
    assert timeline[0]["frames"][0] == 0 and summary["last_run"]["segments"] == 2
    data, sr = sf.read(out_wav, dtype="int16")
    assert sr == 44100 and len(data) == sum(c["samples"] for c in timeline)
    # the split graphs were cached under the data folder, not beside the model
    assert list((tmp_path / "home" / "cache" / "graph_split").glob("*/latent.onnx"))


def test_stream_subcommand_without_a_device_says_so(tmp_path):
    import sounddevice

    try:
        has_output = any(d["max_output_channels"] > 0 for d in sounddevice.query_devices())
    except Exception:
        has_output = False
    if has_output:
        pytest.skip("this machine has an audio output device")
    proc = run_cli(
        "stream", "今日は。", "--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert"),
        env={"SBV2_STUDIO_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    assert proc.returncode == 2 and "no audio device" in proc.stderr.decode() and "--no-audio" in proc.stderr.decode()
