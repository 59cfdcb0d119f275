"""The streaming player, driven deterministically: a ManualStream whose callback the test calls itself, block by
block (no device, no sleeps). Samples come out exactly in the order fed, with nothing between chunks; a queue
that runs dry mid-utterance plays silence and counts an underrun; the waits before the first sample and after the
end are not underruns."""

from __future__ import annotations

import heapq

import numpy as np
import pytest

from sbv2_studio.audio import AudioDeviceError
from sbv2_studio.audio.player import ManualStream, StreamPlayer, play_stream

RATE = 1000  # samples per second: whole milliseconds in the virtual-clock tests


def open_player(**kwargs) -> tuple[StreamPlayer, ManualStream]:
    factory = ManualStream.factory()
    player = StreamPlayer(RATE, stream_factory=factory, blocksize=64, **kwargs).open()
    (stream,) = factory.streams
    assert stream.started and stream.samplerate == RATE
    return player, stream


def test_samples_leave_exactly_as_fed_without_gaps():
    player, stream = open_player()
    rng = np.random.default_rng(0)
    chunks = [rng.uniform(-1, 1, size=int(n)).astype(np.float32) for n in rng.integers(1, 700, size=40)]
    for chunk in chunks:
        player.feed(chunk)
    player.end()
    fed = np.concatenate(chunks)
    out = []
    while not player.wait_done(0):
        out.append(stream.pull(int(rng.integers(1, 300))))
    played = np.concatenate(out)
    assert np.array_equal(played[: fed.size], fed)  # same samples, same order, nothing inserted
    assert not played[fed.size :].any()  # then silence
    assert player.stats.underruns == 0 and player.stats.played_frames == fed.size
    assert player.stats.utterances == 1
    player.close()
    assert stream.closed


def test_a_dry_queue_mid_utterance_plays_silence_and_counts_an_underrun():
    player, stream = open_player()
    assert not stream.pull(100).any()  # nothing fed yet: idle silence, not an underrun
    assert player.stats.underruns == 0
    a = np.arange(1, 151, dtype=np.float32) / 1000
    b = -np.arange(1, 51, dtype=np.float32) / 1000
    player.feed(a)
    first = stream.pull(100)
    assert np.array_equal(first, a[:100])
    second = stream.pull(100)  # 50 left: 50 real samples, then 50 of silence
    assert np.array_equal(second[:50], a[100:]) and not second[50:].any()
    assert (player.stats.underruns, player.stats.underrun_callbacks, player.stats.underrun_frames) == (1, 1, 50)
    assert not stream.pull(30).any()  # still starving: the same underrun goes on
    assert (player.stats.underruns, player.stats.underrun_callbacks, player.stats.underrun_frames) == (1, 2, 80)
    player.feed(b)  # late audio resumes exactly where it stopped
    player.feed(a)
    assert np.array_equal(stream.pull(100), np.concatenate([b, a[:50]]))
    assert not stream.pull(150)[100:].any()  # a second starvation
    assert (player.stats.underruns, player.stats.underrun_frames) == (2, 130)
    player.feed(b)
    player.end()
    third = stream.pull(100)
    assert np.array_equal(third[:50], b) and not third[50:].any()
    assert player.wait_done(0) and (player.stats.underruns, player.stats.underrun_frames) == (2, 130)
    stream.pull(500)  # after the end: silence, not counted
    assert player.stats.underruns == 2


def test_underrun_callback_and_device_flags():
    player, stream = open_player()
    missing = []
    player.on_underrun = missing.append
    player.feed(np.ones(10, np.float32))
    stream.pull(16)

    class Status:
        output_underflow = True

    stream.pull(16, status=Status())
    assert missing == [6, 16] and player.stats.device_underflows == 1


def test_prebuffer_waits_for_enough_audio_or_the_end():
    player, stream = open_player(prebuffer_s=0.2)
    player.feed(np.ones(150, np.float32))
    assert not stream.pull(64).any() and player.stats.played_frames == 0
    player.feed(np.ones(60, np.float32))
    assert stream.pull(64).all()
    player2, stream2 = open_player(prebuffer_s=10.0)
    player2.feed(np.ones(20, np.float32))
    player2.end()  # a short utterance never reaches the prebuffer: it plays at its end
    assert stream2.pull(64)[:20].all() and player2.wait_done(0)


def test_feed_applies_backpressure_without_growing_the_queue():
    player, stream = open_player(max_buffer_s=0.5)  # 500 samples
    assert player.feed(np.ones(400, np.float32))
    assert not player.feed(np.ones(200, np.float32), timeout=0)  # would exceed the bound
    assert player.buffered_frames == 400
    stream.pull(200)
    assert player.feed(np.ones(200, np.float32), timeout=0)
    assert player.buffered_frames == 400


def test_clear_drops_what_is_queued():
    player, stream = open_player()
    player.feed(np.ones(1000, np.float32))
    stream.pull(100)
    player.clear()
    assert player.wait_done(0) and player.buffered_frames == 0
    assert not stream.pull(100).any() and player.stats.underruns == 0


def test_int16_input_is_scaled():
    player, stream = open_player()
    player.feed(np.array([16384, -32768], np.int16))
    assert np.array_equal(stream.pull(2), np.array([0.5, -1.0], np.float32))


def simulate(ready_ms: list[float], chunk_samples: int, block: int = 50) -> StreamPlayer:
    """Play chunks that become ready at the given times (virtual ms) on a device pulling `block` samples every
    block-duration, in time order: a feed and a pull at the same instant feed first."""
    player, stream = open_player()
    events = [(t, 0, i) for i, t in enumerate(ready_ms)]
    end = ready_ms[-1] + len(ready_ms) * chunk_samples + 500
    start = ready_ms[0]  # the device starts with the first chunk
    events += [(start + k * block, 1, k) for k in range(int((end - start) // block))]
    heapq.heapify(events)
    while events:
        t, kind, i = heapq.heappop(events)
        if kind == 0:
            player.feed(np.full(chunk_samples, (i + 1) / 1000, np.float32))
            if i == len(ready_ms) - 1:
                player.end()
        else:
            stream.pull(block)
    assert player.wait_done(0)
    return player


def test_playback_never_starves_while_synthesis_keeps_ahead():
    # chunks of 200 ms audio, each ready 150 ms after the one before (RTF 0.75): no underrun
    player = simulate([100 + 150 * i for i in range(20)], 200)
    assert player.stats.underruns == 0 and player.stats.played_frames == 20 * 200
    # the same at RTF 1.0 exactly: still none (each chunk arrives as the one before runs out)
    assert simulate([100 + 200 * i for i in range(20)], 200).stats.underruns == 0


def test_playback_starves_and_says_so_when_synthesis_falls_behind():
    player = simulate([100 + 260 * i for i in range(10)], 200)  # RTF 1.3: every chunk 60 ms late
    assert player.stats.underruns == 9 and player.stats.underrun_frames == pytest.approx(9 * 60, abs=50)
    assert player.stats.played_frames == 10 * 200  # late audio is still played, in full and in order


def test_play_stream_feeds_a_run_and_reports_underruns(jp_extra_pipeline):
    from sbv2_studio.engine.params import SynthesisParams

    from ..streaming_helpers import streamer_for

    streamer_for(jp_extra_pipeline)
    factory = ManualStream.factory()
    player = StreamPlayer(jp_extra_pipeline.sample_rate, stream_factory=factory, blocksize=512).open()
    (stream,) = factory.streams
    params = SynthesisParams(noise=0.0, sdp_ratio=0.0)
    run = jp_extra_pipeline.stream("今日はいい天気ですね。", params)
    report = play_stream(run, player, wait=False)  # everything is queued; nothing has been pulled yet
    expected = jp_extra_pipeline.stream("今日はいい天気ですね。", params).collect().audio
    while not player.wait_done(0):
        stream.pull(512)
    assert np.array_equal(stream.played[: expected.size], expected)
    assert report.underruns == 0


def test_no_audio_device_is_reported_cleanly(monkeypatch):
    class Broken:
        def __init__(self, **kwargs):
            raise OSError("Error querying device -1")

    with pytest.raises(AudioDeviceError, match="no audio device"):
        StreamPlayer(RATE, stream_factory=Broken).open()

    import sounddevice

    monkeypatch.setattr(sounddevice, "query_devices", lambda *a, **k: [{"name": "in", "max_output_channels": 0}])
    with pytest.raises(AudioDeviceError, match="no output device"):
        StreamPlayer(RATE).open()
