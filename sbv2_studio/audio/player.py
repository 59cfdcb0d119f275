"""One continuous audio output stream fed while synthesis runs.

A single sounddevice OutputStream stays open; its callback takes samples from a queue that the synthesis thread
fills chunk by chunk (`feed`). Samples leave in exactly the order they were fed, with nothing added between
chunks, so chunks that join sample-exactly play without gaps or clicks. When the queue runs dry in the middle of
an utterance the callback plays silence for the missing frames and counts an underrun; before an utterance's
first sample (while the first chunk is being made) and after its end, silence is expected and not counted.

Headless use and tests inject the stream (`stream_factory`): `ManualStream` lets a test drive the callback
itself, block by block; `ClockedStream` calls it in real time from a thread, like a device would (benchmarks on
machines without audio). With no device, `open()` raises AudioDeviceError with the reason.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np

from . import AudioDeviceError


@dataclass
class PlayerStats:
    fed_frames: int = 0
    played_frames: int = 0  # real samples handed to the device
    silence_frames: int = 0  # silence handed to the device (idle or underrun)
    underruns: int = 0  # times playback starved in the middle of an utterance (a run of short callbacks is one)
    underrun_callbacks: int = 0  # callbacks that ran short in the middle of an utterance
    underrun_frames: int = 0  # silence played because of them
    device_underflows: int = 0  # PortAudio's own output-underflow flags
    utterances: int = 0  # utterances played to their end
    callbacks: int = 0

    def to_dict(self, sample_rate: int | None = None) -> dict:
        d = asdict(self)
        if sample_rate:
            d["underrun_ms"] = round(self.underrun_frames * 1000.0 / sample_rate, 3)
            d["played_seconds"] = round(self.played_frames / sample_rate, 4)
        return d


StreamFactory = Callable[..., object]  # (callback=, samplerate=, channels=, dtype=, blocksize=, device=) → stream


class StreamPlayer:
    """Plays fed float32 mono chunks through one continuous output stream.

    `feed()` blocks while more than `max_buffer_s` is queued (so a long text never piles up in memory);
    `end()` marks the end of an utterance; `wait_done()` waits for it to have been played."""

    IDLE, PLAYING = "idle", "playing"

    def __init__(
        self,
        sample_rate: int,
        *,
        device: int | str | None = None,
        blocksize: int = 1024,
        max_buffer_s: float = 30.0,
        prebuffer_s: float = 0.0,
        stream_factory: StreamFactory | None = None,
        latency: str | float = "low",
    ):
        self.sample_rate = int(sample_rate)
        self.device = device
        self.blocksize = int(blocksize)
        self.max_buffer = max(1, int(max_buffer_s * sample_rate))
        self.prebuffer = int(prebuffer_s * sample_rate)
        self.latency = latency
        self._factory = stream_factory
        self._stream = None
        self._queue: collections.deque[np.ndarray] = collections.deque()
        self._offset = 0  # read position in _queue[0]
        self._queued = 0  # frames in the queue
        self._lock = threading.Condition()
        self._state = self.IDLE
        self._starving = False
        self._holding = False  # the synthesizer's start buffer is not complete: do not start yet
        self._ended = True  # no utterance open
        self._done = threading.Event()
        self._done.set()
        self.stats = PlayerStats()
        self.first_played_at: float | None = None  # time.perf_counter() of the first real sample per utterance
        self.on_underrun: Callable[[int], None] | None = None  # called from the audio thread with missing frames

    # -- the stream -------------------------------------------------------------------------------------------

    def open(self) -> StreamPlayer:
        """Create and start the output stream. Raises AudioDeviceError when there is nothing to play on."""
        if self._stream is not None:
            return self
        factory = self._factory
        if factory is None:
            factory = _sounddevice_factory()
        try:
            stream = factory(
                callback=self.callback,
                samplerate=self.sample_rate,
                channels=1,
                dtype="float32",
                blocksize=self.blocksize,
                device=self.device,
                latency=self.latency,
            )
            stream.start()
        except AudioDeviceError:
            raise
        except Exception as exc:
            raise AudioDeviceError(f"no audio device: the output stream could not be opened ({exc})") from exc
        self._stream = stream
        return self

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            for method in ("stop", "close"):
                try:
                    getattr(stream, method)()
                except Exception:
                    pass
        with self._lock:
            self._clear_locked()
            self._lock.notify_all()

    def __enter__(self) -> StreamPlayer:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def stream(self):
        return self._stream

    # -- feeding (the synthesis thread) ------------------------------------------------------------------------

    @property
    def buffered_frames(self) -> int:
        return self._queued

    def begin(self) -> None:
        """Start an utterance (feed() does it implicitly)."""
        with self._lock:
            if self._ended:
                self._ended = False
                self._done.clear()
                if self._queued == 0:
                    self._state = self.IDLE
                    self.first_played_at = None

    def feed(self, audio: np.ndarray, timeout: float | None = None, *, hold: bool = False) -> bool:
        """Queue samples (float32 mono, or int16). Blocks while the queue is full; False if it timed out or the
        player was closed/cleared meanwhile. `hold=True` (a chunk of the synthesizer's start buffer): an utterance
        not playing yet waits for a later feed without hold (or `end()`) before it starts."""
        data = np.asarray(audio)
        if data.dtype == np.int16:
            data = data.astype(np.float32) / 32768.0
        data = np.ascontiguousarray(data, dtype=np.float32).reshape(-1)
        self.begin()
        if data.size == 0:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            generation = self.stats.utterances
            while self._queued > 0 and self._queued + data.size > self.max_buffer:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._lock.wait(remaining)
                if self._ended and self.stats.utterances != generation:
                    return False
            if self._state == self.IDLE:
                self._holding = bool(hold)
            self._queue.append(data)
            self._queued += data.size
            self.stats.fed_frames += data.size
        return True

    def end(self) -> None:
        """No more audio for this utterance: once the queue drains, playback is done (not an underrun)."""
        with self._lock:
            self._ended = True
            if self._queued == 0:
                self._finish_locked()

    def clear(self) -> None:
        """Stop the current utterance now (queued audio is dropped)."""
        with self._lock:
            self._clear_locked()
            self._lock.notify_all()

    def wait_done(self, timeout: float | None = None) -> bool:
        """Wait until the utterance ended by `end()` has been played out."""
        return self._done.wait(timeout)

    def _clear_locked(self) -> None:
        self._queue.clear()
        self._offset = 0
        self._queued = 0
        self._ended = True
        self._finish_locked()

    def _finish_locked(self) -> None:
        if self._state == self.PLAYING:
            self.stats.utterances += 1
        self._state = self.IDLE
        self._holding = False
        self._starving = False
        self._done.set()

    # -- the audio thread --------------------------------------------------------------------------------------

    def callback(self, outdata, frames: int, time_info=None, status=None) -> None:
        """sounddevice's callback: fill `outdata` ([frames, 1] float32) from the queue, silence for the rest."""
        out = outdata.reshape(-1) if outdata.ndim > 1 else outdata
        if status is not None and getattr(status, "output_underflow", False):
            self.stats.device_underflows += 1
        with self._lock:
            self.stats.callbacks += 1
            if self._state == self.IDLE and self._queued > 0:
                if self._ended or (not self._holding and self._queued >= max(1, min(self.prebuffer, self.max_buffer))):
                    self._state = self.PLAYING
                    self.first_played_at = time.perf_counter()
            filled = 0
            if self._state == self.PLAYING:
                while filled < frames and self._queue:
                    head = self._queue[0]
                    take = min(frames - filled, head.size - self._offset)
                    out[filled : filled + take] = head[self._offset : self._offset + take]
                    filled += take
                    self._offset += take
                    if self._offset == head.size:
                        self._queue.popleft()
                        self._offset = 0
                self._queued -= filled
                self.stats.played_frames += filled
            missing = frames - filled
            if missing:
                out[filled:] = 0.0
                self.stats.silence_frames += missing
                if self._state == self.PLAYING:
                    if self._ended:
                        self._finish_locked()
                    else:
                        if not self._starving:
                            self.stats.underruns += 1
                            self._starving = True
                        self.stats.underrun_callbacks += 1
                        self.stats.underrun_frames += missing
                        if self.on_underrun is not None:
                            self.on_underrun(missing)
            else:
                self._starving = False
                if self._state == self.PLAYING and self._ended and self._queued == 0:
                    self._finish_locked()
            self._lock.notify_all()


# --- streams --------------------------------------------------------------------------------------------------


def _sounddevice_factory() -> StreamFactory:
    """sounddevice.OutputStream, after checking that there is an output device at all."""
    try:
        import sounddevice as sd
    except (OSError, ImportError) as exc:
        raise AudioDeviceError(f"no audio device: the PortAudio library could not be loaded ({exc})") from exc
    try:
        outputs = [d for d in sd.query_devices() if int(d.get("max_output_channels", 0)) > 0]
    except Exception as exc:
        raise AudioDeviceError(f"no audio device: the audio system could not list devices ({exc})") from exc
    if not outputs:
        raise AudioDeviceError("no audio device: no output device was found")
    return sd.OutputStream


def check_output_device() -> None:
    """Raise AudioDeviceError (with the reason) unless an output device can be used."""
    _sounddevice_factory()


class ManualStream:
    """A stream that plays nothing by itself: `pull(frames)` runs the callback once and returns what it wrote.
    Tests drive playback deterministically with it; `record=True` keeps everything pulled."""

    def __init__(self, callback, samplerate: int, channels: int = 1, record: bool = True, **_):
        self.callback = callback
        self.samplerate = samplerate
        self.channels = channels
        self.started = False
        self.closed = False
        self.record = record
        self.output: list[np.ndarray] = []

    @classmethod
    def factory(cls, record: bool = True) -> StreamFactory:
        made: list[ManualStream] = []

        def make(**kwargs):
            stream = cls(record=record, **kwargs)
            made.append(stream)
            return stream

        make.streams = made  # type: ignore[attr-defined]
        return make

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.started = False

    def close(self) -> None:
        self.closed = True

    def pull(self, frames: int, status=None) -> np.ndarray:
        buf = np.full((frames, self.channels), np.nan, dtype=np.float32)
        self.callback(buf, frames, None, status)
        out = buf[:, 0].copy()
        if self.record:
            self.output.append(out)
        return out

    @property
    def played(self) -> np.ndarray:
        return np.concatenate(self.output) if self.output else np.zeros(0, np.float32)


class ClockedStream(ManualStream):
    """A software device: a thread pulls one block every blocksize/samplerate seconds of wall-clock time, as a
    sound card would. For benchmarks on machines without audio (underruns measured against real time)."""

    def __init__(self, callback, samplerate: int, channels: int = 1, blocksize: int = 1024, record=False, **_):
        super().__init__(callback, samplerate, channels, record)
        self.blocksize = blocksize or 1024
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.started = True
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="clocked-audio", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        period = self.blocksize / float(self.samplerate)
        next_t = time.perf_counter()
        while not self._stop.is_set():
            self.pull(self.blocksize)
            next_t += period
            delay = next_t - time.perf_counter()
            if delay > 0:
                self._stop.wait(delay)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.started = False


def play_stream(run, player: StreamPlayer, *, wait: bool = True, timeout: float | None = None):
    """Feed a Stream's chunks to an open player as they come (held while they are the start buffer); end the
    utterance; optionally wait until it has been heard. Underruns are written into the stream's result. Returns the result."""
    before_n, before_f = player.stats.underruns, player.stats.underrun_frames
    player.begin()
    try:
        for chunk in run:
            if not player.feed(chunk.audio, hold=chunk.timing.buffering):
                run.cancel()
                break
    finally:
        player.end()
    if wait:
        player.wait_done(timeout)
    report = run.result
    report.underruns = player.stats.underruns - before_n
    report.underrun_ms = round((player.stats.underrun_frames - before_f) * 1000.0 / player.sample_rate, 3)
    return report


__all__ = ["ClockedStream", "ManualStream", "PlayerStats", "StreamPlayer", "check_output_device", "play_stream"]
