"""Export files (issue 17 items 8, 22, 23): one numbering rule for every front end, files that appear only when
complete, and a re-run that resumes."""

from __future__ import annotations

import errno

import numpy as np
import pytest
import soundfile as sf

from sbv2_studio import audio as audio_io
from sbv2_studio.app.export import count_lines, export_lines, read_lines
from sbv2_studio.engine.builtin import OpenJTalkVoice
from sbv2_studio.engine.params import SynthesisParams
from sbv2_studio.errors import StudioError

TEXT = ["一行目です。", "", "😀", "三つ目。", "   ", "最後の行。"]


@pytest.fixture(scope="module")
def voice():
    return OpenJTalkVoice()


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_the_editor_and_a_text_file_number_files_the_same(tmp_path, voice):
    """The window exports the editor's lines (a list), `batch` and the window's file export read the file: file N
    is line N either way, a blank line is neither a file nor 'skipped'."""
    source = tmp_path / "t.txt"
    source.write_text("\n".join(TEXT) + "\n", encoding="utf-8")
    from_editor = export_lines(voice, TEXT, tmp_path / "editor", total=4)
    from_file = export_lines(
        voice, read_lines(source), tmp_path / "file", total=count_lines(source),
        last_number=count_lines(source, blank=True),
    )  # fmt: skip
    expected = ["0001.wav", "0004.wav", "0006.wav", "joined.wav"]
    assert names(tmp_path / "editor") == names(tmp_path / "file") == expected
    for result in (from_editor, from_file):
        assert [(r.number, r.path is None) for r in result.lines] == [(1, False), (3, True), (4, False), (6, False)]
        assert [r.number for r in result.skipped] == [3]  # the emoji line only; blank lines are not counted


def test_a_failed_write_leaves_no_file_at_the_final_name(tmp_path, voice, monkeypatch):
    """A full disk half-way through a line's WAV: nothing at 0002.wav (not even a truncated file that looks whole),
    no temporary file left, the line reported, the other lines written."""
    real_write = sf.SoundFile.write

    def write(self, data):
        if ".0002.wav." in self.name and self.subtype == "PCM_16":
            real_write(self, data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(sf.SoundFile, "write", write)
    result = export_lines(voice, ["一つ目。", "二つ目の文です。", "三つ目。"], tmp_path)
    assert names(tmp_path) == ["0001.wav", "0003.wav", "joined.wav"]  # no hidden leftovers either
    (bad,) = result.skipped
    assert bad.number == 2 and "0002.wav" in bad.error and "No space left" in bad.error
    # joined.wav holds exactly the lines that have their own file
    first, _ = sf.read(tmp_path / "0001.wav")
    third, _ = sf.read(tmp_path / "0003.wav")
    assert sf.info(tmp_path / "joined.wav").frames == len(first) + len(third) + int(0.5 * voice.sample_rate)


def test_save_replaces_a_file_only_when_the_new_one_is_complete(tmp_path, monkeypatch):
    target = tmp_path / "take.wav"
    audio_io.save(target, np.full(1000, 100, np.int16), 22050)
    before = target.read_bytes()

    def failing_write(file, data, samplerate, **kw):
        with sf.SoundFile(file, "w", samplerate, 1, format=kw["format"], subtype=kw["subtype"]) as f:
            f.write(data[:10])
        raise sf.LibsndfileError(0, "disk full")

    monkeypatch.setattr(sf, "write", failing_write)
    with pytest.raises(StudioError, match="take.wav: cannot write the audio"):
        audio_io.save(target, np.full(50_000, 7, np.int16), 22050)
    assert target.read_bytes() == before and names(tmp_path) == ["take.wav"]


def test_a_rerun_resumes_finished_lines(tmp_path, voice, monkeypatch):
    lines = ["一つ目。", "二つ目の文です。", "三つ目。"]
    params = SynthesisParams(line_interval=0.2)
    first = export_lines(voice, lines, tmp_path, params)
    joined_before, _ = sf.read(tmp_path / "joined.wav", dtype="int16")
    line2 = (tmp_path / "0002.wav").read_bytes()
    (tmp_path / "0003.wav").write_bytes((tmp_path / "0003.wav").read_bytes()[:-200])  # a damaged file: redone
    spoken = []
    real_stream = type(voice).stream

    def counting_stream(self, text, *a, **kw):
        spoken.append(text)
        return real_stream(self, text, *a, **kw)

    monkeypatch.setattr(type(voice), "stream", counting_stream)
    again = export_lines(voice, lines, tmp_path, params)
    assert spoken == ["三つ目。"] and [r.resumed for r in again.lines] == [True, True, False]
    assert (tmp_path / "0002.wav").read_bytes() == line2
    assert again.audio_seconds == pytest.approx(first.audio_seconds, abs=1e-6)
    joined_after, _ = sf.read(tmp_path / "joined.wav", dtype="int16")
    # rebuilt from the 16-bit line files: the same audio to within a step or two of rounding
    assert len(joined_after) == len(joined_before)
    assert np.abs(joined_after.astype(int) - joined_before).max() <= 2
    # other settings (or another text) are a different line: synthesized again
    spoken.clear()
    export_lines(voice, lines, tmp_path, SynthesisParams(length=1.2))
    assert spoken == lines
    spoken.clear()
    export_lines(voice, lines, tmp_path, SynthesisParams(length=1.2), resume=False)
    assert spoken == lines
