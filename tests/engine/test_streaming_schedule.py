"""The playback schedule: a start buffer sized from the measured speed so that playback never starves while RTF < 1,
even with a slow decoder or a busy machine; the margin grows after a hiccup; each chunk says why it waited.

Timed tests play through a ClockedStream (a software sound card consuming audio in real time) and assert only
what must hold whatever the machine's speed: no underrun while the request ran faster than real time."""

from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from sbv2_studio.audio.player import ClockedStream, ManualStream, StreamPlayer, play_stream
from sbv2_studio.engine.params import SynthesisParams
from sbv2_studio.engine.streaming import ChunkScheduler
from sbv2_studio.engine.synthesis import (
    MachineSpeed,
    PlaybackSchedule,
    SynthesisPlan,
    SynthesisResult,
)
from sbv2_studio.engine.text.segments import Segment

from ..streaming_helpers import plan, streamer_for

EXACT = SynthesisParams(noise=0.0, sdp_ratio=0.0)
TEXT = "今日はいい天気ですね。散歩に行きましょう！駅の近くに新しい店ができました。"

# --- the prediction --------------------------------------------------------------------------------------------


def test_a_slower_step_than_predicted_grows_the_margin_which_then_shrinks_back():
    speed = MachineSpeed()
    speed.note_step(100.0, 110.0)
    assert speed.hiccup == 1.0  # within the noise
    speed.note_step(100.0, 180.0)
    assert speed.hiccup == pytest.approx(1.8)  # at once
    speed.note_step(100.0, 400.0)
    assert speed.hiccup == 2.0  # bounded
    for _ in range(30):
        speed.note_step(100.0, 100.0)
    assert 1.0 <= speed.hiccup < 1.02


def test_preparation_is_fitted_as_fixed_plus_per_character():
    speed = MachineSpeed()
    speed.note_segment(10, 70.0, 40_000)
    assert speed.prep_ms(20) == pytest.approx(140.0)  # one segment: all of it per character
    speed.note_segment(30, 110.0, 120_000)
    assert speed.prep_ms_per_char == pytest.approx(2.0) and speed.prep_fixed_ms == pytest.approx(50.0)
    assert speed.samples_per_char == pytest.approx(4000.0)


def test_bert_is_fitted_apart_from_the_segments_that_computed_it():
    """A segment whose features were ready (read ahead, or a text seen before) says nothing of BERT's speed: the
    segments after it that compute BERT are still predicted with it (they were predicted too fast)."""
    speed = MachineSpeed()
    speed.note_segment(10, 100.0, 40_000, bert_ms=40.0)
    speed.note_segment(30, 200.0, 120_000, bert_ms=80.0)
    assert speed.prep_ms(20) == pytest.approx(150.0)  # the same prediction as one fit of it all
    assert (speed.bert_fixed_ms, speed.bert_ms_per_char) == (pytest.approx(20.0), pytest.approx(2.0))
    for _ in range(8):  # requests whose features were all ready (0.01 ms from the cache)
        speed.note_segment(20, 90.0, 80_000, bert_ms=0.01)
    assert speed.prep_ms(20) == pytest.approx(90.0 + 60.0)  # not 90: the next text may not be read ahead
    # a cold request's BERT (first runs) predicts only for itself, like the rest of its preparation
    cold = MachineSpeed()
    cold.start_request(cold=True)
    cold.note_segment(10, 500.0, 40_000, bert_ms=230.0)
    assert cold.prep_ms(10) == pytest.approx(500.0)
    cold.start_request(cold=False)
    cold.note_segment(10, 90.0, 40_000, bert_ms=0.01)  # a warm request whose features were ready
    assert cold.prep_ms(10) == pytest.approx(90.0)  # not 90 + the cold BERT's 230


def test_a_cold_request_or_a_whole_one_does_not_slow_the_next_streamed_requests_start():
    """A streamed request predicts from streamed requests' preparation (a whole request's includes its decoding),
    and not from the first, cold request's (its sessions' first runs are slow) once a warm one has begun."""
    speed = MachineSpeed(decode_ms_per_frame=9.0)
    speed.start_request(cold=True, chunked=True)
    speed.note_segment(10, 800.0, 40_000)
    speed.note_step(10.0, 40.0)
    assert speed.prep_ms(10) == pytest.approx(800.0) and speed.hiccup == 2.0  # the cold request: its own numbers
    speed.start_request(cold=False, chunked=False)
    assert speed.hiccup == 1.0 and speed.decode_ms_per_frame is None  # measured again, warm
    speed.note_segment(10, 500.0, 40_000)  # a whole request: front end to audio
    assert speed.prep_ms(10) == pytest.approx(500.0)
    speed.start_request(cold=False, chunked=True)
    speed.note_segment(10, 80.0, 40_000)
    assert speed.prep_ms(10) == pytest.approx(80.0)  # neither the cold 800 ms nor the whole 500 ms
    speed.start_request(cold=False, chunked=False)
    assert speed.prep_ms(10) == pytest.approx(500.0)  # and whole requests keep their own


class _Clock:
    def __init__(self):
        self.t = 0.0

    def now_ms(self) -> float:
        return self.t


def _schedule(speed: MachineSpeed, ahead: list[str], **changes) -> tuple[PlaybackSchedule, SynthesisResult]:
    result = SynthesisResult(sample_rate=44100)
    schedule = PlaybackSchedule(SynthesisPlan.streaming(**changes), 44100, _Clock(), result, speed)
    schedule.ahead = [Segment(t, i + 1, 0, False, False) for i, t in enumerate(ahead)]
    schedule.rest_chars = 0
    return schedule, result


def test_playback_starts_at_once_on_a_fast_machine():
    speed = MachineSpeed(prep_ms_per_char=2.0, samples_per_char=4000.0, decode_ms_per_frame=2.0, hop=512)
    schedule, _ = _schedule(speed, ["散歩に行きましょう！"])
    buffering, why = schedule.handed_out(12 * 512, "speech", 100 * 512, "first chunk")
    assert not buffering and why.startswith("first chunk; playback starts")


def test_a_slow_decoder_makes_playback_wait_until_the_rest_cannot_run_dry():
    # decoding at 10 ms per 11.6 ms frame (RTF 0.86): × 1.3 safety that is slower than real time, so the queue
    # would empty over the segment's remaining 200 frames unless enough is buffered first
    speed = MachineSpeed(prep_ms_per_char=2.0, samples_per_char=4000.0, decode_ms_per_frame=10.0, hop=512)
    schedule, _ = _schedule(speed, [])
    done, pending, decisions = 0, 212, []
    for frames in (12, 24, 48, 96, 32):
        pending -= frames
        decisions.append(schedule.handed_out(frames * 512, "speech", pending * 512, "", frames))
        done += frames
        if not decisions[-1][0]:
            break
    assert [b for b, _ in decisions[:-1]] == [True] * (len(decisions) - 1) and not decisions[-1][0]
    assert 1 < len(decisions) < 5  # it waited, but not for everything
    assert "start buffer: waiting" in decisions[0][1] and "ms short" in decisions[0][1]
    # the start buffer it chose holds at the predicted speed: the rest's slack is at least the margin
    buffered = done * 512 * 1000.0 / 44100
    assert schedule.predict_slack(buffered, pending * 512, 32) >= schedule.plan.margin_ms
    assert schedule.predict_slack(0.0, pending * 512, 32) < 0  # (nothing buffered: it would starve at once)
    # and with the margin grown by a hiccup the same buffer is no longer enough
    speed.hiccup = 1.5
    assert schedule.predict_slack(buffered, pending * 512, 32) < schedule.plan.margin_ms


def test_the_start_buffer_is_one_chunk_once_the_speed_is_known():
    """Rather than a small first chunk and a wait for the next (a second chunk's context paid before any sound),
    the first chunk is the fewest frames (of the candidates tried) with which playback can start: it starts with
    it, where the usual small first chunk would have waited."""
    speed = MachineSpeed(prep_ms_per_char=2.0, samples_per_char=4000.0, decode_ms_per_frame=10.0, hop=512)
    schedule, _ = _schedule(speed, [])
    frames = schedule.start_chunk_frames(212, 8)
    assert frames is not None and 12 < frames < 212
    small, _ = _schedule(speed, [])
    assert small.handed_out(12 * 512, "speech", 200 * 512, "", 12)[0]  # the small first chunk would wait
    buffering, why = schedule.handed_out(frames * 512, "speech", (212 - frames) * 512, "start chunk", frames)
    assert not buffering and "playback starts" in why
    assert schedule.start_chunk_frames(100, 8) is None  # playing: no start buffer to size
    scheduler = ChunkScheduler(SynthesisPlan.streaming(), 9.0, speed)
    assert scheduler.next_size(None, frames) == frames and scheduler.reason.startswith("start buffer in one chunk")
    # a slower machine needs a larger one; one that needs more than max_start_chunk_frames fills it chunk by chunk
    slow = MachineSpeed(prep_ms_per_char=2.0, samples_per_char=4000.0, decode_ms_per_frame=12.0, hop=512)
    assert frames < _schedule(slow, [], max_start_chunk_frames=200)[0].start_chunk_frames(212, 8) < 200
    assert _schedule(slow, [], max_start_chunk_frames=40)[0].start_chunk_frames(212, 8) is None
    # not known yet (the first request measures it), not wanted, or no chunk of this segment would do (the next
    # sentence's preparation alone outlasts all of this one's audio)
    assert _schedule(MachineSpeed(), [])[0].start_chunk_frames(212, 8) is None
    assert _schedule(speed, [], start_in_one_chunk=False)[0].start_chunk_frames(212, 8) is None
    slow_bert = MachineSpeed(prep_ms_per_char=400.0, samples_per_char=4000.0, decode_ms_per_frame=2.0, hop=512)
    assert _schedule(slow_bert, ["駅の近くに新しい店ができました。"])[0].start_chunk_frames(212, 8) is None


def test_the_next_segments_preparation_is_part_of_the_prediction():
    speed = MachineSpeed(prep_ms_per_char=30.0, samples_per_char=4000.0, decode_ms_per_frame=2.0, hop=512)
    short, _ = _schedule(speed, [])
    assert not short.handed_out(12 * 512, "speech", 0, "")[0]  # nothing after it: start
    long, _ = _schedule(speed, ["駅の近くに新しい店ができました。" * 2])  # 32 chars × 30 ms of BERT and latent
    buffering, why = long.handed_out(12 * 512, "speech", 0, "")
    assert buffering and "waiting" in why


def test_scheduler_sizes_chunks_smaller_after_a_hiccup_and_says_why():
    cfg = SynthesisPlan(first_chunk_frames=8, min_chunk_frames=8, growth=2.0, safety=0.5, margin_ms=10.0)
    assert cfg.chunk_buckets[:5] == (8, 12, 16, 24, 32)  # sizes that repeat (an engine's kernels per shape)
    speed = MachineSpeed()
    sch = ChunkScheduler(cfg, 4.0, speed)
    assert sch.next_size(None) == 8 and "first chunk" in sch.reason
    sch.observe(8, 60.0)  # 5 ms per frame
    assert sch.next_size(220.0) == 16 and "allows" in sch.reason
    sch.observe(16, 300.0)  # predicted 100 ms, took 300, but the first 16-frame chunk ever: its shape's first run
    assert speed.hiccup == 1.0 and sch.ms_per_frame == pytest.approx(5.0)
    sch.observe(16, 300.0)  # the same size again, as slow: a hiccup
    assert speed.hiccup == 2.0
    # 1000 ms ahead: at 10 ms per frame ×2 for the hiccup, (0.5 × 1000 − 10) / 20 − 4 = 20 frames, not ×2 = 32;
    # in a size seen before, 16
    assert sch.next_size(1000.0) == 16 and "sized to the headroom" in sch.reason
    assert speed.decode_ms_per_frame == pytest.approx(sch.ms_per_frame)  # what the next request starts from


def test_a_chunk_shape_decoded_the_first_time_is_no_hiccup_wherever_it_is_in_its_segment():
    """A chunk inside a segment decodes other input lengths than a segment's first chunk of the same size (context
    on both sides): its first run prepares kernels too, and is no sign of a busy machine."""
    cfg = SynthesisPlan(first_chunk_frames=12, min_chunk_frames=8, growth=2.0, safety=0.5, margin_ms=10.0)
    speed = MachineSpeed()
    sch = ChunkScheduler(cfg, 4.0, speed)
    sch.next_size(None)
    sch.observe(12, 80.0, "first")  # 5 ms per frame (80 / (12 + 4))
    sch.next_size(1000.0)
    sch.observe(12, 240.0, "inside")  # 3× the prediction, the first 12-frame chunk inside a segment
    assert speed.hiccup == 1.0 and sch.ms_per_frame == pytest.approx(5.0)
    sch.next_size(1000.0)
    sch.observe(12, 240.0, "inside")  # the same shape again, as slow: a hiccup
    assert speed.hiccup == 2.0
    # an engine without a cost per shape (onnxruntime's CPU provider): any slow chunk is a hiccup
    speed = MachineSpeed()
    sch = ChunkScheduler(cfg, 4.0, speed, new_shapes_slow=False)
    sch.next_size(None)
    sch.observe(12, 80.0, "first")
    sch.next_size(1000.0)
    sch.observe(18, 330.0, "last")  # 15 ms per frame, predicted 5
    assert speed.hiccup == 2.0 and sch.ms_per_frame > 5.0


# --- the player holds the start buffer ---------------------------------------------------------------------------


def test_the_player_holds_a_start_buffer_without_counting_underruns():
    factory = ManualStream.factory(record=True)
    player = StreamPlayer(1000, stream_factory=factory, blocksize=10).open()
    stream = factory.streams[0]
    player.feed(np.ones(30, np.float32), hold=True)
    assert np.all(stream.pull(10) == 0.0) and player.buffered_frames == 30  # held: silence, nothing taken
    player.feed(np.full(30, 2.0, np.float32))  # the start buffer is complete
    out = np.concatenate([stream.pull(10) for _ in range(6)])
    assert out.tolist() == [1.0] * 30 + [2.0] * 30
    player.end()
    stream.pull(10)
    assert player.stats.underruns == 0 and player.wait_done(0)
    # a start buffer that is the whole utterance plays when it ends
    player.feed(np.ones(5, np.float32), hold=True)
    assert np.all(stream.pull(5) == 0.0)
    player.end()
    assert stream.pull(5).tolist() == [1.0] * 5
    player.close()


# --- real time: a slow decoder, a busy machine ---------------------------------------------------------------------


class _RealTimeDecoder:
    """A decoder part's session that takes `rtf` × the audio it produces (its own work included): a model of a
    slower decoder. The sleep is the work it models, not synchronisation."""

    def __init__(self, session, rtf: float, sample_rate: int):
        self.session, self.rtf, self.rate = session, rtf, sample_rate

    def run(self, names, feeds):
        t0 = time.perf_counter()
        out = self.session.run(names, feeds)
        seconds = self.rtf * np.asarray(out[0]).size / self.rate - (time.perf_counter() - t0)
        if seconds > 0:
            time.sleep(seconds)
        return out

    def __getattr__(self, name):
        return getattr(self.session, name)


@pytest.fixture
def slowed(jp_extra_pipeline):
    """The fixture pipeline whose decoder runs at a chosen RTF, with nothing known of its speed beforehand."""
    streamer = streamer_for(jp_extra_pipeline)
    last = streamer.decoder_parts[-1]
    original = last.session

    def slow_to(rtf: float):
        last.session = _RealTimeDecoder(original, rtf, jp_extra_pipeline.sample_rate)
        jp_extra_pipeline.__dict__.pop("_machine_speed", None)
        return jp_extra_pipeline

    yield slow_to
    last.session = original
    jp_extra_pipeline.__dict__.pop("_machine_speed", None)


@pytest.fixture
def busy_core():
    """Another program keeping one core busy for the test's duration."""
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    yield hog
    hog.terminate()
    hog.wait(timeout=10)


def _play(pipeline, text: str, schedule: SynthesisPlan) -> SynthesisResult:
    player = StreamPlayer(pipeline.sample_rate, stream_factory=ClockedStream.factory(record=False), blocksize=1024)
    player.open()
    try:
        return play_stream(pipeline.stream(text, EXACT, schedule), player, wait=True, timeout=120)
    finally:
        player.close()


def _assert_never_starved(result: SynthesisResult) -> None:
    assert result.finished and result.rtf < 1.0, f"RTF {result.rtf:.2f}: slower than real time, nothing to show"
    rows = "\n".join(f"{c.index} {c.ready_ms:.0f} {c.buffering} {c.reason}" for c in result.chunks)
    assert result.underruns == 0, f"{result.underruns} underrun(s), {result.underrun_ms} ms; chunks:\n{rows}"
    assert result.min_headroom_ms() is None or result.min_headroom_ms() > 0


def test_a_decoder_just_faster_than_real_time_never_starves_playback(slowed):
    # 0.85 for the decoder's last part: the request's other work comes on top (at 0.9 a CI run's whole request came
    # out at RTF 1.001, where a start buffer that holds everything shows nothing)
    pipeline = slowed(0.85)
    first = _play(pipeline, TEXT, plan())
    _assert_never_starved(first)
    # it waited for a start buffer, and said so in the timeline
    held = [c for c in first.chunks if c.buffering]
    assert held and all("start buffer: waiting" in c.reason for c in held)
    starts = next((c for c in first.chunks if not c.buffering), None)
    if starts is not None:  # (else all of it was start buffer, played when the text ended)
        assert "playback starts" in starts.reason and first.ttfa_ms == starts.ready_ms
    assert first.first_chunk_ms < first.ttfa_ms and first.start_buffer_ms > 0
    # the next request knows the machine already
    _assert_never_starved(_play(pipeline, TEXT, plan()))


def test_a_busy_core_does_not_starve_playback(slowed, busy_core):
    pipeline = slowed(0.7)  # a decoder with some margin, on a machine another program keeps busy
    for _ in range(2):
        result = _play(pipeline, TEXT, plan())
        assert busy_core.poll() is None  # the other program really ran throughout
        _assert_never_starved(result)


def test_the_builtin_voice_waits_for_its_sentences_too(monkeypatch):
    """The built-in voice is made sentence by sentence, each whole: the start buffer covers the next sentences."""
    from sbv2_studio.engine import builtin

    voice = builtin.OpenJTalkVoice()
    real = builtin.pyopenjtalk.synthesize

    def slow_synthesize(labels, **kwargs):  # OpenJTalk at RTF 0.8, its own work included
        t0 = time.perf_counter()
        wav, sr = real(labels, **kwargs)
        seconds = 0.8 * len(wav) / sr - (time.perf_counter() - t0)
        if seconds > 0:
            time.sleep(seconds)
        return wav, sr

    monkeypatch.setattr(builtin.pyopenjtalk, "synthesize", slow_synthesize)
    text = "こんにちは。今日はいい天気ですね。散歩に行きましょう。"
    result = _play(voice, text, SynthesisPlan.streaming())
    assert len(result.segments) == 3 and len(result.chunks) >= 3
    _assert_never_starved(result)
