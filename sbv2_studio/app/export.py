"""Long-text export: every non-empty line of a text to its own WAV (0001.wav, 0002.wav …) plus all of them joined,
in bounded memory, with progress. The CLI's `batch` subcommand and the window's batch export both call
`export_lines`.

SBV2 voices go sentence by sentence through the StreamingSynthesizer (whole-sentence decoding: the fastest
when nobody is listening live), so a line of any length is fine: memory holds one sentence at a time, and the
audio goes to disk as it comes. Each line's WAV is peak-normalized on its own, as `sbv2-studio synth` would
write that line; joined.wav is normalized over all lines, as a single request of the whole text would be. Both
are written as float32 first and converted to 16-bit in a second pass (PeakNormalizingWriter), so neither needs
the whole audio in memory.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from ..audio import to_pcm16
from ..errors import StudioError, TextError

BLOCK = 1 << 16  # samples per block when converting to 16-bit


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
        self._file.close()
        try:
            with (
                sf.SoundFile(str(self._tmp), "r") as src,
                sf.SoundFile(str(self.path), "w", self.sample_rate, 1, subtype="PCM_16", format="WAV") as dst,
            ):
                for block in src.blocks(blocksize=BLOCK, dtype="float32", always_2d=False):
                    dst.write(to_pcm16(block, gain=self.gain, peak=self.peak))
        finally:
            self._tmp.unlink(missing_ok=True)
        return self.path

    def abort(self) -> None:
        try:
            self._file.close()
        finally:
            self._tmp.unlink(missing_ok=True)


def read_lines(path: str | Path, encoding: str = "utf-8") -> Iterator[str]:
    """The non-empty lines of a text file, lazily (a byte-order mark and line endings removed)."""
    with open(path, encoding=encoding, errors="strict", newline=None) as f:
        first = True
        for raw in f:
            line = raw.rstrip("\r\n")
            if first:
                line = line.lstrip("\ufeff")
                first = False
            if line.strip():
                yield line


def count_lines(path: str | Path, encoding: str = "utf-8") -> int:
    return sum(1 for _ in read_lines(path, encoding))


@dataclass
class LineResult:
    number: int  # 1-based among the non-empty lines
    text: str
    path: Path | None  # None when skipped
    audio_seconds: float = 0.0
    ms: float = 0.0
    error: str | None = None

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


def export_lines(
    voice,
    lines: Iterable[str],
    out_dir: str | Path,
    params=None,
    *,
    total: int | None = None,
    joined: str | None = "joined.wav",
    digits: int | None = None,
    plan=None,
    on_progress: ProgressCallback | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> BatchResult:
    """Synthesize each line to out_dir/NNNN.wav and (unless joined=None) all lines to out_dir/joined.wav, with
    `params.line_interval` seconds of silence between lines. An unreadable line is skipped (reported, no file;
    the numbering still follows the lines). `should_stop()` is asked between lines (cancel from a window).

    Each line is the voice's one synthesis stream under `plan` (default SynthesisPlan.export(): each line as the
    whole result makes it), its chunks written as they come."""
    from ..engine.params import SynthesisParams
    from ..engine.synthesis import SynthesisPlan

    params = params or SynthesisParams()
    params.validate()
    plan = plan or SynthesisPlan.export()
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file of that name, a read-only place
        raise StudioError(f"{out}: cannot write the exported files there ({exc.strerror or exc})") from exc
    rate = int(voice.sample_rate)
    width = digits or max(4, len(str(total)) if total else 4)
    result = BatchResult(out, sample_rate=rate)
    joined_writer = PeakNormalizingWriter(out / joined, rate, gain=params.volume) if joined else None
    gap = np.zeros(int(round(params.line_interval * rate)), np.float32)
    t_start = time.perf_counter()
    wrote_any = False
    try:
        for number, text in enumerate(lines, start=1):
            if should_stop is not None and should_stop():
                result.cancelled = True
                break
            path = out / f"{number:0{width}d}.wav"
            writer = PeakNormalizingWriter(path, rate, gain=params.volume)
            t0 = time.perf_counter()
            line = LineResult(number, text, path)
            try:
                for chunk in voice.stream(text, params, plan):
                    audio = chunk.audio
                    if joined_writer is not None and writer.frames == 0 and wrote_any and gap.size:
                        joined_writer.write(gap)
                    writer.write(audio)
                    if joined_writer is not None:
                        joined_writer.write(audio)
            except TextError as exc:
                writer.abort()
                line.path, line.error = None, str(exc)
            except BaseException:
                writer.abort()
                raise
            else:
                writer.close()
                wrote_any = wrote_any or writer.frames > 0
                line.audio_seconds = writer.frames / rate
            line.ms = (time.perf_counter() - t0) * 1000.0
            result.lines.append(line)
            if on_progress is not None:
                on_progress(number, total, line)
    except BaseException:
        if joined_writer is not None:
            joined_writer.abort()
        raise
    if joined_writer is not None:
        if wrote_any:
            result.joined = joined_writer.close()
        else:
            joined_writer.abort()
    result.total_ms = (time.perf_counter() - t_start) * 1000.0
    if not result.files and not result.cancelled:
        reason = f": {result.lines[0].error}" if result.lines else ""
        raise StudioError("no line of the text could be spoken" + reason)
    return result


def format_progress(done: int, total: int | None, line: LineResult, elapsed_s: float) -> str:
    """One progress line: `[  3/120] 0003.wav  2.41 s audio in 1.02 s (RTF 0.42)  elapsed 0:07  ETA 4:31`."""
    width = len(str(total)) if total else 1
    head = f"[{done:>{width}}/{total}]" if total else f"[{done}]"
    if line.path is None:
        body = f"line {line.number} skipped: {line.error}"
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
    "LineResult",
    "PeakNormalizingWriter",
    "count_lines",
    "export_lines",
    "format_progress",
    "read_lines",
]
