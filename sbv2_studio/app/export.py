"""Long-text export: every non-empty line of a text to its own WAV (0001.wav, 0002.wav …) plus all of them joined,
in bounded memory, with progress. The CLI's `batch` subcommand and the window's batch export both call
`export_lines`.

SBV2 voices go sentence by sentence through the StreamingSynthesizer (whole-sentence decoding: the fastest
when nobody is listening live), so a line of any length is fine: memory holds one sentence at a time, and the
audio goes to disk as it comes. Each line's WAV is peak-normalized on its own, as `sbv2-studio synth` would
write that line; joined.wav is normalized over all lines, as a single request of the whole text would be. Both
are written as float32 first and converted to 16-bit in a second pass (PeakNormalizingWriter), so neither needs
the whole audio in memory.

Numbering: file N is line N of the input (lines counted as a text editor counts them, blank ones included), so
`0003.wav` is always the third line whichever front end exported it. A blank line makes no file and is not
reported; a line with text that cannot be read is reported as skipped and makes no file either.

Every file is written under a temporary name in the same folder and renamed when complete, so a file at its final
name is always whole. Each line's WAV carries, in its comment (a RIFF INFO field), a digest of what made it: the
line's text, the voice, the synthesis settings and the plan, plus its frame count and peak. A re-run into the same
folder skips a line whose WAV has the same digest and frame count (it resumes), and joined.wav is rebuilt from
those files (their 16-bit samples scaled back by the stored peak).
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from ..audio import discard, partial_path, replace_into, to_pcm16
from ..errors import StudioError

BLOCK = 1 << 16  # samples per block when converting to 16-bit
RESUME_TAG = "sbv2-studio line"  # how a line WAV's comment starts


class PeakNormalizingWriter:
    """A 16-bit WAV of audio that arrives in pieces, scaled like audio.to_pcm16 (x / max|x| · 32767, truncated)
    over all of it, without holding it: pieces go to a float32 file beside the target, then one pass converts."""

    def __init__(self, path: str | Path, sample_rate: int, gain: float = 1.0):
        self.path = Path(path)
        self.sample_rate = int(sample_rate)
        self.gain = float(gain)  # the volume parameter, applied after normalization as audio.to_pcm16 does
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = self.path.with_name(f".{self.path.name}.part.wav")
        self._file = sf.SoundFile(str(self._tmp), "w", self.sample_rate, 1, subtype="FLOAT", format="WAV")
        self.peak = 0.0
        self.frames = 0
        self.comment = ""  # written into the WAV's INFO comment (export's resume digest)

    def write(self, audio: np.ndarray) -> None:
        data = np.asarray(audio, dtype=np.float32).reshape(-1)
        if data.size == 0:
            return
        peak = float(np.max(np.abs(data)))
        if np.isfinite(peak):
            self.peak = max(self.peak, peak)
        self._file.write(data)
        self.frames += data.size

    def close(self) -> Path:
        """Convert to 16-bit under a temporary name beside the target, then rename: the target appears whole or
        not at all (a full disk, a kill, an error mid-way leave no file at its name)."""
        self._file.close()
        target = partial_path(self.path)
        try:
            with (
                sf.SoundFile(str(self._tmp), "r") as src,
                sf.SoundFile(str(target), "w", self.sample_rate, 1, subtype="PCM_16", format="WAV") as dst,
            ):
                if self.comment:
                    dst.comment = self.comment
                for block in src.blocks(blocksize=BLOCK, dtype="float32", always_2d=False):
                    dst.write(to_pcm16(block, gain=self.gain, peak=self.peak))
            replace_into(target, self.path)
        except (OSError, sf.LibsndfileError) as exc:  # a full disk, a folder gone read-only
            raise StudioError(f"{self.path}: cannot write the audio there ({exc})") from exc
        finally:
            discard(self._tmp)
            discard(target)
        return self.path

    def truncate(self, frames: int, peak: float) -> None:
        """Go back to when `frames` had been written with this `peak` (a line that failed part-way)."""
        if frames < self.frames:
            self._file.seek(frames)
            self._file.truncate(frames)
            self.frames = frames
        self.peak = peak

    def abort(self) -> None:
        try:
            self._file.close()
        finally:
            self._tmp.unlink(missing_ok=True)


def read_lines(path: str | Path, encoding: str = "utf-8") -> Iterator[str]:
    """Every line of a text file, blank ones included (they keep the numbering), lazily (a byte-order mark and
    line endings removed)."""
    with open(path, encoding=encoding, errors="strict", newline=None) as f:
        first = True
        for raw in f:
            line = raw.rstrip("\r\n")
            if first:
                line = line.lstrip("\ufeff")
                first = False
            yield line


def count_lines(path: str | Path, encoding: str = "utf-8", *, blank: bool = False) -> int:
    """The non-empty lines of a text file (`blank=True`: all of them, the number of the last one)."""
    return sum(1 for line in read_lines(path, encoding) if blank or line.strip())


def numbered_lines(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-blank line: the one numbering rule of every export (see the module)."""
    for number, line in enumerate(lines, start=1):
        if line.strip():
            yield number, line


@dataclass
class LineResult:
    number: int  # the line's number in the input (1-based, blank lines counted)
    text: str
    path: Path | None  # None when skipped
    audio_seconds: float = 0.0
    ms: float = 0.0
    error: str | None = None
    resumed: bool = False  # its WAV was already there from an earlier run (same text and settings)

    @property
    def rtf(self) -> float | None:
        return (self.ms / 1000.0) / self.audio_seconds if self.audio_seconds else None


@dataclass
class BatchResult:
    out_dir: Path
    lines: list[LineResult] = field(default_factory=list)
    joined: Path | None = None
    total_ms: float = 0.0
    sample_rate: int = 0
    cancelled: bool = False

    @property
    def files(self) -> list[Path]:
        return [r.path for r in self.lines if r.path is not None]

    @property
    def skipped(self) -> list[LineResult]:
        return [r for r in self.lines if r.path is None]

    @property
    def audio_seconds(self) -> float:
        return sum(r.audio_seconds for r in self.lines)

    @property
    def rtf(self) -> float | None:
        return (self.total_ms / 1000.0) / self.audio_seconds if self.audio_seconds else None

    def to_dict(self) -> dict:
        return {
            "out_dir": str(self.out_dir),
            "files": [str(p) for p in self.files],
            "resumed": [r.number for r in self.lines if r.resumed],
            "joined": str(self.joined) if self.joined else None,
            "lines": len(self.lines),
            "skipped": [{"line": r.number, "text": r.text, "error": r.error} for r in self.skipped],
            "audio_seconds": round(self.audio_seconds, 3),
            "total_ms": round(self.total_ms, 1),
            "rtf": None if self.rtf is None else round(self.rtf, 4),
            "sample_rate": self.sample_rate,
            "cancelled": self.cancelled,
        }


ProgressCallback = Callable[[int, int | None, LineResult], None]  # (done, total, the line just finished)


def voice_identity(voice) -> dict:
    """What a line's digest knows of the voice: its kind and name, its rate, its model file and BERT variant (SBV2
    voices). A worker process or a Ray actor reports its loaded voice's identity so the digests are the same."""
    model_file = getattr(getattr(voice, "voice", None), "onnx_path", None)
    return {
        # the model file by its absolute path: the same voice whether it was named relatively or not
        "voice": [
            voice.kind,
            voice.name,
            int(voice.sample_rate),
            str(Path(model_file).absolute()) if model_file else "",
        ],
        "bert_variant": str(getattr(getattr(voice, "bert", None), "variant", "")),
    }


def line_digest(voice, text: str, params, plan) -> str:
    """What made a line's audio, as a short digest: the text, the voice (a voice, or its `voice_identity`), the
    settings that shape the sound (not line_interval: only joined.wav has it) and the plan."""
    settings = {k: v for k, v in vars(params).items() if k != "line_interval"}
    identity = voice if isinstance(voice, dict) else voice_identity(voice)
    blob = json.dumps(
        {"text": text, **identity, "settings": settings, "plan": repr(plan)},
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def _line_comment(digest: str, frames: int, peak: float) -> str:
    return f"{RESUME_TAG} {digest} frames={frames} peak={peak!r}"


def _finished_line(path: Path, digest: str, rate: int, gain: float = 1.0) -> np.ndarray | None:
    """The float audio of a line WAV an earlier run finished with the same digest, or None (redo the line).
    `gain`: the volume the file was written with (undone here: joined.wav applies it once, to everything)."""
    if not path.is_file():
        return None
    try:
        with sf.SoundFile(str(path)) as f:
            words = (f.comment or "").split()
            if len(words) != 5 or " ".join(words[:3]) != f"{RESUME_TAG} {digest}" or f.samplerate != rate:
                return None
            frames, peak = int(words[3].removeprefix("frames=")), float(words[4].removeprefix("peak="))
            if f.frames != frames:
                return None
            data = f.read(dtype="int16")
    except (ValueError, OSError, sf.LibsndfileError):
        return None  # not ours, or damaged: synthesized again
    if gain == 0.0:
        return np.zeros(data.shape, np.float32)
    return data.astype(np.float32) * np.float32(peak / (32767.0 * gain))


@dataclass
class LineTask:
    """One non-blank line to export: where its WAV goes, the digest of what makes it, and its audio when an
    earlier run already finished it (then it is not synthesized again)."""

    number: int
    text: str
    path: Path
    digest: str
    earlier: np.ndarray | None = None


class InProcessLines:
    """Lines synthesized by a voice loaded in this process, one after the other, each streamed chunk by chunk
    (memory holds one sentence). app/export_workers.py has the same `render_lines` over worker processes and Ray."""

    def __init__(self, voice):
        self.voice = voice
        self.sample_rate = int(voice.sample_rate)
        self.identity = voice_identity(voice)

    def render_lines(self, tasks: Iterable[LineTask], params, plan) -> Iterator[tuple[LineTask, Iterable[np.ndarray]]]:
        """(task, its audio chunks) in the order of `tasks`; the chunks raise StudioError if the line cannot be
        spoken. Finished tasks (`earlier`) come back with no chunks."""
        for task in tasks:
            yield task, () if task.earlier is not None else self._chunks(task.text, params, plan)

    def _chunks(self, text, params, plan) -> Iterator[np.ndarray]:
        for chunk in self.voice.stream(text, params, plan):
            yield chunk.audio


def export_lines(
    voice,
    lines: Iterable[str],
    out_dir: str | Path,
    params=None,
    *,
    total: int | None = None,
    joined: str | None = "joined.wav",
    digits: int | None = None,
    last_number: int | None = None,
    plan=None,
    resume: bool = True,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> BatchResult:
    """Synthesize line N of `lines` to out_dir/NNNN.wav (blank lines make no file; see the module for the rule)
    and (unless joined=None) all lines to out_dir/joined.wav, with `params.line_interval` seconds of silence
    between lines. `total`: the non-blank lines, for progress; `last_number` (default len(lines) for a list):
    the highest line number, for the width of the names. A line that cannot be spoken is skipped (reported, no
    file) and the others go on. `resume`: keep a line's WAV that an earlier run finished with the same text and
    settings. `should_stop()` is asked between lines (cancel from a window).

    `voice`: a loaded voice (its lines synthesized here), or what renders lines elsewhere with the same voice
    (app/export_workers.py: worker processes, Ray actors): the files are the same either way. Each line is the
    voice's one synthesis stream under `plan` (default SynthesisPlan.export(): each line as the whole result
    makes it), written as it comes; files are written here, in line order, whoever synthesized them."""
    from ..engine.params import SynthesisParams
    from ..engine.synthesis import SynthesisPlan

    params = params or SynthesisParams()
    params.validate()
    plan = plan or SynthesisPlan.export()
    renderer = voice if hasattr(voice, "render_lines") else InProcessLines(voice)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file of that name, a read-only place
        raise StudioError(f"{out}: cannot write the exported files there ({exc.strerror or exc})") from exc
    rate = renderer.sample_rate
    if last_number is None and isinstance(lines, Sequence):
        last_number = len(lines)
    width = digits or max(4, len(str(last_number or total or 0)))
    result = BatchResult(out, sample_rate=rate)
    joined_writer = PeakNormalizingWriter(out / joined, rate, gain=params.volume) if joined else None
    gap = np.zeros(int(round(params.line_interval * rate)), np.float32)
    stopped = should_stop or (lambda: False)

    def tasks() -> Iterator[LineTask]:
        for number, text in numbered_lines(lines):
            path = out / f"{number:0{width}d}.wav"
            digest = line_digest(renderer.identity, text, params, plan)
            earlier = _finished_line(path, digest, rate, params.volume) if resume else None
            yield LineTask(number, text, path, digest, earlier)

    t_start = t0 = time.perf_counter()
    wrote_any = False
    done = 0
    rendering = renderer.render_lines(tasks(), params, plan)
    try:
        for task, chunks in rendering:
            if stopped():  # once a line, before its audio is written (or, here, made)
                result.cancelled = True
                break
            line = LineResult(task.number, task.text, task.path)
            if task.earlier is not None:
                if joined_writer is not None and wrote_any and gap.size and task.earlier.size:
                    joined_writer.write(gap)
                if joined_writer is not None:
                    joined_writer.write(task.earlier)
                line.audio_seconds, line.resumed = task.earlier.size / rate, True
            else:
                _write_line(chunks, rate, params.volume, line, task.digest, joined_writer, gap if wrote_any else None)
            wrote_any = wrote_any or line.audio_seconds > 0
            now = time.perf_counter()
            line.ms, t0 = (now - t0) * 1000.0, now  # how long the export waited for this line
            result.lines.append(line)
            done += 1
            if on_progress is not None:
                on_progress(done, total, line)
    except BaseException:
        if joined_writer is not None:
            joined_writer.abort()
        raise
    finally:
        rendering.close()  # lines still being made elsewhere are given up (cancel, an error)
    if joined_writer is not None:
        if wrote_any:
            result.joined = joined_writer.close()
        else:
            joined_writer.abort()
    if not result.cancelled:
        _remove_leftovers(out)
    result.total_ms = (time.perf_counter() - t_start) * 1000.0
    if not result.files and not result.cancelled:
        reason = f": {result.lines[0].error}" if result.lines else ""
        raise StudioError("no line of the text could be spoken" + reason)
    return result


LEFTOVER = re.compile(r"\.(\d+|joined)\.wav\.(part\.wav|\d+\.partial)")  # PeakNormalizingWriter's, partial_path's


def _remove_leftovers(out: Path) -> None:
    """The hidden half-written files of an earlier export that was killed (its lines are done now)."""
    for path in out.glob(".*.wav.*"):
        if LEFTOVER.fullmatch(path.name):
            discard(path)


def _write_line(chunks, rate: int, gain: float, line: LineResult, digest: str, joined_writer, gap) -> None:
    """One line's audio chunks to its WAV (and into joined.wav); a line that cannot be spoken is recorded in
    `line`, not raised."""
    writer = PeakNormalizingWriter(line.path, rate, gain=gain)
    joined_at = (joined_writer.frames, joined_writer.peak) if joined_writer is not None else None
    try:
        for audio in chunks:
            if joined_writer is not None and writer.frames == 0 and gap is not None and gap.size:
                joined_writer.write(gap)
            writer.write(audio)
            if joined_writer is not None:
                joined_writer.write(audio)
        writer.comment = _line_comment(digest, writer.frames, writer.peak)
        writer.close()
    except StudioError as exc:  # unreadable text, a broken voice for this line, a stage that failed, a full disk
        writer.abort()
        if joined_writer is not None:
            joined_writer.truncate(*joined_at)  # the joined file holds only lines that have their own file
        line.path, line.error = None, str(exc)
        return
    except BaseException:
        writer.abort()
        raise
    line.audio_seconds = writer.frames / rate


def format_progress(done: int, total: int | None, line: LineResult, elapsed_s: float) -> str:
    """One progress line: `[  3/120] 0003.wav  2.41 s audio in 1.02 s (RTF 0.42)  elapsed 0:07  ETA 4:31`."""
    width = len(str(total)) if total else 1
    head = f"[{done:>{width}}/{total}]" if total else f"[{done}]"
    if line.path is None:
        body = f"line {line.number} skipped: {line.error}"
    elif line.resumed:
        body = f"{line.path.name}  {line.audio_seconds:.2f} s audio (already done)"
    else:
        rtf = f" (RTF {line.rtf:.2f})" if line.rtf is not None else ""
        body = f"{line.path.name}  {line.audio_seconds:.2f} s audio in {line.ms / 1000.0:.2f} s{rtf}"
    tail = f"  elapsed {_clock(elapsed_s)}"
    if total and done:
        tail += f"  ETA {_clock(elapsed_s / done * (total - done))}"
    return f"{head} {body}{tail}"


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


__all__ = [
    "BatchResult",
    "InProcessLines",
    "LineResult",
    "LineTask",
    "PeakNormalizingWriter",
    "count_lines",
    "export_lines",
    "format_progress",
    "line_digest",
    "numbered_lines",
    "read_lines",
    "voice_identity",
]
