"""Streaming synthesis: the sentence splitter, chunked decoding equal to whole-sentence synthesis (noise off),
chunk accounting, the chunk scheduler, and long input in bounded memory."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from sbv2_studio.engine import streaming
from sbv2_studio.engine.params import SynthesisParams
from sbv2_studio.engine.streaming import (
    CascadeDecoder,
    ChunkScheduler,
    StreamingSynthesizer,
    padded_length,
    run_padded,
)
from sbv2_studio.engine.synthesis import ChunkTiming, SynthesisPlan, SynthesisResult
from sbv2_studio.engine.text.segments import iter_segments, split_sentences
from sbv2_studio.errors import TextError
from sbv2_studio.runtime.backends import Backend

from ..streaming_helpers import plan, streamer_for

EXACT = SynthesisParams(noise=0.0, sdp_ratio=0.0)
TOLERANCE = 1e-3

# One sentence each (no sentence end inside), short to long.
SENTENCES = [
    "今日はいい天気ですね。",
    "あらゆる現実を、すべて自分のほうへねじ曲げたのだ。",
    "古びた図書館の奥で一冊の不思議な本を見つけた少年は、春風が桜の花びらを舞わせる中、そっとページを開きました。",
]
# (first chunk, growth): every chunk one frame; a few frames; growing; one chunk for everything
SCHEDULES = [(1, 1.0), (3, 1.0), (7, 1.5), (16, 2.0), (10_000, 1.0)]


# --- the sentence splitter ---------------------------------------------------------------------------------------


def test_sentences_split_after_end_marks_keeping_closers():
    assert split_sentences("今日は晴れ。明日は雨！本当？うん!そう?ええ…") == [
        "今日は晴れ。", "明日は雨！", "本当？", "うん!", "そう?", "ええ…",
    ]  # fmt: skip
    assert split_sentences("「行くぞ！」と彼は言った。「待って……」") == [
        "「行くぞ！」",
        "と彼は言った。",
        "「待って……」",
    ]
    assert split_sentences("本当に？！　そうか。") == ["本当に？！", "そうか。"]
    assert split_sentences("円周率は3.14です。") == ["円周率は3.14です。"]  # no split inside a number
    assert split_sentences("終わり") == ["終わり"]
    assert split_sentences("   ") == []


def test_pieces_without_anything_readable_join_the_one_before():
    assert split_sentences("はい。」……") == ["はい。」……"]
    assert split_sentences("！はい。") == ["！はい。"]


def test_long_sentences_split_at_commas_within_the_limit():
    text = "一つ目の部分、二つ目の部分、三つ目の部分、四つ目の部分です。"
    pieces = split_sentences(text, max_chars=15)
    assert "".join(pieces) == text and all(len(p) <= 15 for p in pieces) and len(pieces) >= 3
    assert all(p.endswith("、") for p in pieces[:-1])
    # commas are joined again while they fit
    assert split_sentences(text, max_chars=100) == [text]


def test_a_sentence_without_commas_is_cut_hard_at_the_limit():
    text = "あ" * 250 + "。"
    pieces = split_sentences(text, max_chars=100)
    assert "".join(pieces) == text and [len(p) for p in pieces] == [100, 100, 51]


def test_segments_follow_lines_and_number_them():
    segs = list(iter_segments("一行目です。二文目。\n\n  \n三行目！"))
    assert [(s.text, s.line, s.first_in_line, s.last_in_line) for s in segs] == [
        ("一行目です。", 0, True, False), ("二文目。", 0, False, True), ("三行目！", 1, True, True),
    ]  # fmt: skip
    assert [s.index for s in segs] == [0, 1, 2]
    assert [s.text for s in iter_segments("一文目。二文目。", pack=True)] == ["一文目。二文目。"]


def test_first_sentence_split_once_at_a_comma_for_time_to_first_audio():
    text = "古びた図書館の奥で、一冊の本を見つけた少年は、そっとページを開きました。次の文。"
    segs = [s.text for s in iter_segments(text, first_max_chars=12)]
    assert segs == ["古びた図書館の奥で、", "一冊の本を見つけた少年は、そっとページを開きました。", "次の文。"]
    # no comma within reach: kept whole
    assert [s.text for s in iter_segments("あいうえおかきくけこさしすせそ。", first_max_chars=5)] == [
        "あいうえおかきくけこさしすせそ。"
    ]


def test_segments_are_made_lazily_from_endless_input():
    endless = (f"{i}行目の文です。" for i in itertools.count())
    first = list(itertools.islice(iter_segments(endless), 5))
    assert [s.line for s in first] == [0, 1, 2, 3, 4]


# --- chunked decoding equals whole-sentence synthesis ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["jp_extra", "legacy"])
@pytest.mark.parametrize("decoder", ["cascade", "overlap"])
def test_streamed_audio_equals_whole_sentence_synthesis(kind, decoder, request):
    pipeline = request.getfixturevalue(f"{kind}_pipeline")
    streamer_for(pipeline, decoder)
    worst = 0.0
    for text in SENTENCES:
        reference = pipeline.synthesize(text, EXACT).audio
        for first, growth in SCHEDULES:
            if first == 1 and len(text) > 40:
                continue  # one frame at a time is covered by the shorter sentences (and costs seconds here)
            schedule = plan(decoder, first_chunk_frames=first, min_chunk_frames=1, growth=growth, adaptive=False,
                            first_segment_chars=None, max_segment_chars=200, max_chunk_frames=100_000)  # fmt: skip
            result = pipeline.stream(text, EXACT, schedule).collect()
            audio = result.audio
            speech = [c for c in result.chunks if c.kind == "speech"]
            if first == 1:
                assert len(speech) >= reference.size // 512 - 4  # really one frame at a time
            if first == 10_000:
                assert len(speech) == 1
            assert audio.shape == reference.shape, (text, first)
            worst = max(worst, float(np.max(np.abs(audio - reference))))
    assert worst <= TOLERANCE
    print(f"{kind}/{decoder}: max |streamed - whole| = {worst:.3g}")


def test_streamed_audio_equals_whole_sentence_with_speaker_style_and_length(jp_extra_pipeline):
    streamer_for(jp_extra_pipeline)
    params = SynthesisParams(speaker="Taro", style="Happy", style_weight=2.0, length=1.3, noise=0.0, sdp_ratio=0.0,
                             noise_w=0.5, assist_text="楽しいね", assist_text_weight=0.5)  # fmt: skip
    reference = jp_extra_pipeline.synthesize(SENTENCES[1], params).audio
    schedule = plan(first_chunk_frames=5, min_chunk_frames=1, adaptive=False, first_segment_chars=None)
    audio = jp_extra_pipeline.stream(SENTENCES[1], params, schedule).collect().audio
    assert audio.shape == reference.shape and np.max(np.abs(audio - reference)) <= TOLERANCE


def test_decode_chunks_with_any_schedule_equals_whole_decode(legacy_pipeline):
    z, cond = streamer_for(legacy_pipeline).latent(SENTENCES[2], EXACT)
    whole = streamer_for(legacy_pipeline).decode(z, cond)
    rng = np.random.default_rng(3)
    for decoder in ("cascade", "overlap"):
        s = streamer_for(legacy_pipeline, decoder)
        sizes = iter(rng.integers(1, 40, size=1000).tolist())
        pieces = list(s.decode_chunks(z, cond, sizes))
        kept = [k for _, k, _, _ in pieces]
        assert kept[0][0] == 0 and kept[-1][1] == z.shape[-1]
        assert all(a[1] == b[0] for a, b in zip(kept, kept[1:]))  # contiguous, in order
        audio = np.concatenate([p[0] for p in pieces])
        assert np.max(np.abs(audio - whole)) <= TOLERANCE


def _record_lengths(streamer, monkeypatch) -> list[set]:
    """Adds (session, input length) of every decoder run of `streamer` from now on to the last set of the list
    returned (append a set to record apart)."""
    sets: list[set] = [set()]
    for i, session in enumerate([streamer.whole_decoder] + [part.session for part in streamer.decoder_parts]):
        real = session.run

        def recording(outputs, feeds, real=real, i=i):
            sets[-1].add((i, next(iter(feeds.values())).shape[-1]))
            return real(outputs, feeds)

        monkeypatch.setattr(session, "run", recording)
    return sets


@pytest.mark.parametrize("padded", [False, True], ids=["own lengths", "few lengths (AMX)"])
def test_after_the_chunk_shapes_are_warmed_a_requests_start_decodes_no_new_shape(legacy_pipeline, monkeypatch, padded):
    """OpenVINO prepares kernels per input shape (8-12-frame chunks took 105-120 ms the first time, 30-46 ms after,
    and the person's first request stuttered): the warm-up decodes each shape a request's start can ask for. Any
    start chunk the plan allows, then any chunk sizes the scheduler picks up to ×growth of it, decode only shapes
    the warm-up decoded (a segment's last chunk, any length, excepted)."""
    s = streamer_for(legacy_pipeline, "cascade")
    cfg = plan("cascade")
    list(s.decode_chunks(*s.latent(SENTENCES[0], EXACT), iter([cfg.first_chunk_frames] * 100)))  # parts open
    for part in s.decoder_parts:
        monkeypatch.setattr(part, "pad_lengths", padded)
    recorded = _record_lengths(s, monkeypatch)
    decoded = s.warm_chunk_shapes(cfg)
    warmed = recorded[-1]
    assert decoded > 0 and warmed
    z, cond = s.latent(SENTENCES[2], EXACT)
    z = np.tile(z, (1, 1, 1 + 1000 // z.shape[-1]))  # long enough for any start
    inside = [b for b in cfg.chunk_buckets if b <= cfg.max_start_chunk_frames * cfg.growth]
    starts = [b for b in cfg.chunk_buckets if b <= cfg.max_start_chunk_frames] + [cfg.first_chunk_frames]
    rng = np.random.default_rng(11)
    for start in starts:
        schedule = [start, *rng.choice(inside, size=6).tolist()]
        recorded.append(used := set())
        for _ in itertools.islice(s.decode_chunks(z, cond, iter(schedule)), len(schedule)):
            pass
        assert used and used <= warmed, (schedule, sorted(used - warmed))
    # a person's request waiting stops it before the next chunk
    waiting = iter([False, True])
    assert s.warm_chunk_shapes(cfg, stop=lambda: next(waiting)) == cfg.first_chunk_frames
    # shapes seen already are not decoded again
    seen: set = set()
    assert s.warm_chunk_shapes(cfg, seen=seen) == decoded and (cfg.first_chunk_frames, "first") in seen
    assert (cfg.max_start_chunk_frames, "inside") in seen and s.warm_chunk_shapes(cfg, seen=seen) == 0


def test_a_start_smaller_than_the_first_chunk_is_warmed_with_the_chunks_after_it(legacy_pipeline, monkeypatch):
    """After an 8-frame start (the least audio buffered) the next chunks ran slow on OpenVINO unless that very
    sequence had run once: the warm-up decodes it, once."""
    s = streamer_for(legacy_pipeline, "cascade")
    cfg = plan("cascade")
    schedules = []
    real = StreamingSynthesizer.decode_chunks

    def recording(self, z, cond, sizes, *args, **kwargs):
        sizes = list(sizes)
        schedules.append(sizes)
        return real(self, z, cond, iter(sizes), *args, **kwargs)

    monkeypatch.setattr(StreamingSynthesizer, "decode_chunks", recording)
    seen: set = set()
    s.warm_chunk_shapes(cfg, seen=seen)
    small = [n for n in cfg.chunk_buckets if n < cfg.first_chunk_frames]
    assert small == [8]
    assert [8, 8, 12] in schedules and [8, 12, 24] in schedules
    schedules.clear()
    assert s.warm_chunk_shapes(cfg, seen=seen) == 0 and schedules == []


def test_only_an_engine_that_prepares_kernels_per_shape_warms_chunk_shapes(jp_extra_pipeline, monkeypatch):
    asked = []
    monkeypatch.setattr(
        streaming.StreamingSynthesizer,
        "warm_chunk_shapes",
        lambda self, p, stop=None, seen=None: asked.append((p, seen)),
    )
    cfg = plan()
    jp_extra_pipeline.warm_chunk_shapes(cfg)
    assert asked == []  # onnxruntime's CPU provider: no cost per new shape
    monkeypatch.setattr(jp_extra_pipeline, "synth_backend", Backend("openvino"))
    jp_extra_pipeline.warm_chunk_shapes(cfg)
    jp_extra_pipeline.warm_chunk_shapes(SynthesisPlan.whole())  # nothing decoded in chunks
    # the shapes the scheduler has seen are skipped, and those warmed count as seen
    assert asked == [(cfg, jp_extra_pipeline.machine_speed.chunk_sizes_seen)]


def _conv_stack(x: np.ndarray, up: int, seen: list[int]) -> np.ndarray:
    """A stand-in for a decoder part: two zero-padded convolutions (each output reads 3 inputs before, 2 after,
    with a bias, so zeros in are not zeros out), then ×up. Records each length it runs at."""
    seen.append(x.shape[-1])
    for _ in range(2):
        padded = np.pad(x, [(0, 0), (0, 0), (3, 2)])
        n = x.shape[-1]
        x = np.tanh(sum(padded[..., k : k + n] * (0.3 + 0.1 * k) for k in range(6)) + 0.5)
    return np.repeat(x, up, axis=-1)


def test_padded_lengths_are_few_and_close():
    lengths = {padded_length(n) for n in range(1, 4097)}
    assert all(n <= padded_length(n) <= n * 1.125 for n in range(1, 4097))
    assert len(lengths) < 120  # 8 an octave above 16 (4,096 lengths otherwise)
    assert all(padded_length(m) == m for m in lengths)


def test_run_padded_gives_the_samples_of_one_run_at_few_lengths():
    """At the segment's end the padded run's last outputs are replaced by a fixed-length window's, so the samples
    are one run's exactly; elsewhere the caller keeps none of the outputs that read the padding."""
    rng = np.random.default_rng(0)
    left, right, up = 6, 4, 3  # two layers of 3 before, 2 after
    seen: list[int] = []
    run = lambda x: _conv_stack(x, up, seen)
    for n in (5, 16, 17, 100, 203, 517):
        x = rng.standard_normal((1, 2, n)).astype(np.float32)
        exact = _conv_stack(x, up, [])
        at_end = run_padded(run, x, up, left, right, at_end=True)
        assert at_end.shape == exact.shape and np.max(np.abs(at_end - exact)) < 1e-6, n
        inside = run_padded(run, x, up, left, right, at_end=False)
        kept = (n - right) * up  # what a caller keeps of a piece that does not end the segment
        assert inside.shape == exact.shape and np.max(np.abs(inside[..., :kept] - exact[..., :kept])) < 1e-6, n
    window = 16  # the power of two above left + right
    assert all(m == padded_length(m) or m == window or m <= window for m in seen)
    assert {m for m in seen if m > window} == {padded_length(n) for n in (17, 100, 203, 517)}


def test_a_decoder_at_few_lengths_gives_the_same_audio_whole_and_streamed(legacy_pipeline, monkeypatch):
    """Where new input lengths are costly (OpenVINO with AMX), the decoder and its parts run at `padded_length`s
    and fixed windows: the same audio, whole and chunk by chunk."""
    z, cond = streamer_for(legacy_pipeline).latent(SENTENCES[2], EXACT)
    whole = streamer_for(legacy_pipeline).decode(z, cond)
    monkeypatch.setattr(streaming.StreamingSynthesizer, "pads_lengths", property(lambda self: True))
    rng = np.random.default_rng(5)
    for decoder in ("cascade", "overlap"):
        s = streamer_for(legacy_pipeline, decoder)
        sessions = [s.whole_decoder] + [part.session for part in s.decoder_parts]
        lengths: list[int] = []
        for session in sessions:
            real = session.run

            def recording(outputs, feeds, real=real, lengths=lengths):
                lengths.append(next(iter(feeds.values())).shape[-1])
                return real(outputs, feeds)

            monkeypatch.setattr(session, "run", recording)
        for part in s.decoder_parts:
            monkeypatch.setattr(part, "pad_lengths", True)
        assert np.max(np.abs(s.decode(z, cond) - whole)) <= TOLERANCE
        pieces = list(s.decode_chunks(z, cond, iter(rng.integers(3, 40, size=1000).tolist())))
        audio = np.concatenate([p[0] for p in pieces])
        assert audio.shape == whole.shape and np.max(np.abs(audio - whole)) <= TOLERANCE, decoder
        odd = [m for m in lengths if m != padded_length(m) and m > 64]
        assert lengths and not odd, odd  # every longer run at one of the few lengths


def test_the_first_whole_decode_runs_at_its_own_length_the_next_ones_padded(legacy_pipeline, monkeypatch):
    """Padding pays when lengths come back: the first run of a process's decoder (a one-shot `synth`) runs at its
    own length, one new length instead of two (the padded one and the end's window)."""
    s = streamer_for(legacy_pipeline, "overlap")
    z, cond = s.latent(SENTENCES[2], EXACT)
    n = z.shape[-1]
    z = z[..., : n - 1] if padded_length(n) == n else z  # a length that padding changes
    n = z.shape[-1]
    monkeypatch.setattr(streaming.StreamingSynthesizer, "pads_lengths", property(lambda self: True))
    monkeypatch.setattr(s, "_whole_decodes", 0)
    lengths: list[int] = []
    real = s.whole_decoder.run
    monkeypatch.setattr(
        s.whole_decoder, "run", lambda out, feeds: lengths.append(feeds["z"].shape[-1]) or real(out, feeds)
    )
    first, second = s.decode(z, cond), s.decode(z, cond)
    window = 1 << (s.receptive_field.left + s.receptive_field.right + 2).bit_length()
    assert lengths[0] == n and sorted(lengths[1:]) == sorted([window, padded_length(n)])
    assert np.max(np.abs(first - second)) <= TOLERANCE


def test_padding_is_chosen_for_openvino_at_a_reduced_precision_where_new_lengths_are_costly(
    legacy_pipeline, monkeypatch
):
    from sbv2_studio.runtime import ov_backend
    from sbv2_studio.runtime.backends import Backend

    s = streamer_for(legacy_pipeline)
    for backend, amx, expected in ((Backend("openvino", precision="bf16"), True, True),
                                   (Backend("openvino", precision="bf16"), False, False),
                                   (Backend("openvino"), True, False), (Backend("cpu"), True, False)):  # fmt: skip
        monkeypatch.setattr(
            ov_backend, "cpu_flags", lambda amx=amx: frozenset({"amx_tile", "amx_bf16"} if amx else {"avx2"})
        )
        monkeypatch.setattr(s.pipeline, "synth_backend", backend)
        assert s.pads_lengths is expected, (backend, amx)


def test_too_little_overlap_would_not_be_equal(jp_extra_pipeline):
    """The equality above is not luck: with less context than the receptive field the joins differ."""
    s = streamer_for(jp_extra_pipeline, "overlap")
    z, cond = s.latent(SENTENCES[2], EXACT)
    whole = s.decode(z, cond)
    s.overlap_frames = s.receptive_field.radius
    exact = np.concatenate([p[0] for p in s.decode_chunks(z, cond, iter([8] * 1000))])
    s.overlap_frames = s.receptive_field.radius - 5
    short = np.concatenate([p[0] for p in s.decode_chunks(z, cond, iter([8] * 1000))])
    s.overlap_frames = None
    assert np.max(np.abs(exact - whole)) <= 1e-5
    assert np.max(np.abs(short - whole)) > 1e-3


def test_multi_sentence_text_is_each_segment_joined_with_gaps(jp_extra_pipeline):
    streamer_for(jp_extra_pipeline)
    text = "今日はいい天気ですね。散歩に行きましょう！\n\n吾輩は猫である。"
    params = SynthesisParams(noise=0.0, sdp_ratio=0.0, line_interval=0.25)
    result = jp_extra_pipeline.stream(text, params, plan(sentence_interval=0.1, first_segment_chars=None)).collect()
    audio = result.audio
    segments = ["今日はいい天気ですね。", "散歩に行きましょう！", "吾輩は猫である。"]
    assert result.segments == segments
    parts = [jp_extra_pipeline.synthesize(t, params).audio for t in segments]
    expected = np.concatenate([parts[0], np.zeros(4410, np.float32), parts[1], np.zeros(11025, np.float32), parts[2]])
    assert audio.shape == expected.shape and np.max(np.abs(audio - expected)) <= TOLERANCE
    gaps = [c for c in result.chunks if c.kind == "gap"]
    assert [c.samples for c in gaps] == [4410, 11025]


# --- accounting ------------------------------------------------------------------------------------------------


def test_report_accounts_for_every_chunk(jp_extra_pipeline):
    streamer_for(jp_extra_pipeline)
    seen = []
    run = jp_extra_pipeline.stream(
        "吾輩は猫である。名前はまだ無い。", EXACT, plan(first_chunk_frames=6, min_chunk_frames=6), on_chunk=seen.append
    )
    chunks = list(run)
    report = run.result
    assert report.finished and seen == report.chunks
    first = next(c for c in report.chunks if c.kind == "speech")
    assert report.first_chunk_ms == first.ready_ms and first.frames == (0, 6)
    starts = next(c for c in report.chunks if not c.buffering)  # playback begins with it (the start buffer)
    assert report.ttfa_ms == starts.ready_ms and all(c.reason for c in report.chunks)
    assert {"frontend", "tokenize", "bert", "align", "synthesize"} <= set(first.stages_ms)
    later = [c for c in report.chunks if c.kind == "speech" and c.frames[0] > 0]
    assert later and all(set(c.stages_ms) == {"synthesize"} for c in later)
    # the request's totals are the chunks' stages added up (one clock), plus postprocess
    summed = {}
    for c in report.chunks:
        for k, v in c.stages_ms.items():
            summed[k] = summed.get(k, 0.0) + v
    assert {k: pytest.approx(v) for k, v in summed.items()} == {
        k: v for k, v in report.timings_ms.items() if k != "postprocess"
    }
    position = 0
    for chunk, timing in zip(chunks, report.chunks):
        assert chunk.timing is timing and timing.start_sample == position and timing.samples == chunk.audio.size
        assert timing.started_ms <= timing.ready_ms <= report.total_ms
        position += timing.samples
    assert report.audio_samples == position
    assert report.rtf == pytest.approx(report.total_ms / 1000.0 / (position / 44100))
    assert [c.index for c in report.chunks] == list(range(len(report.chunks)))
    d = json.loads(json.dumps(report.report()))
    assert d["ttfa_ms"] == round(report.ttfa_ms, 3) and len(d["chunks"]) == len(chunks)
    assert d["chunks"][0]["audio_start_ms"] == 0.0 and d["mode"] == "cascade"
    assert d["part_context"][0] == [1, 4, 4]  # conv_pre: 3 frames of context + 1 of margin
    assert d["ran_on"] == {"bert": "CPU", "synthesize": "CPU"}


def test_headroom_says_whether_a_player_would_have_starved():
    def chunk(i, start, samples, ready):
        return ChunkTiming(i, "speech", 0, 0, start, samples, (0, 1), None, {"synthesize": 1.0}, 0.0, ready)

    report = SynthesisResult(sample_rate=1000, ttfa_ms=100.0)
    report.chunks = [chunk(0, 0, 100, 100.0)]
    assert report.min_headroom_ms() is None  # one chunk: nothing can be late
    report.chunks += [chunk(1, 100, 100, 150.0), chunk(2, 200, 100, 290.0)]
    assert report.min_headroom_ms() == pytest.approx(10.0)  # chunk 2 is due at 300 ms, ready at 290
    report.chunks.append(chunk(3, 300, 100, 420.0))  # due at 400 ms: 20 ms late
    assert report.min_headroom_ms() == pytest.approx(-20.0)


def test_cancel_stops_before_the_next_chunk(jp_extra_pipeline):
    streamer_for(jp_extra_pipeline)
    schedule = plan(first_chunk_frames=4, min_chunk_frames=4, growth=1.0, adaptive=False)
    run = jp_extra_pipeline.stream(SENTENCES[2], EXACT, schedule)
    got = []
    for chunk in run:
        got.append(chunk)
        if len(got) == 2:
            run.cancel()
    assert len(got) == 2 and not run.result.finished


def test_unreadable_text_is_refused_and_unreadable_lines_skipped(jp_extra_pipeline):
    streamer_for(jp_extra_pipeline)
    with pytest.raises(TextError):
        jp_extra_pipeline.stream("   \n ", EXACT)
    with pytest.raises(TextError):
        jp_extra_pipeline.stream("😀🎉", EXACT).collect()
    result = jp_extra_pipeline.stream("😀\n今日はいい天気ですね。", EXACT).collect()
    assert result.audio.size > 0 and result.skipped_lines == ["😀"] and result.segments == ["今日はいい天気ですね。"]
    assert len(result.skip_reasons) == 1 and result.skip_reasons[0]  # why, for the person
    # a plan that raises gives the segment's own reason
    with pytest.raises(TextError):
        jp_extra_pipeline.stream("😀\n今日はいい天気ですね。", EXACT, plan(on_unreadable="raise")).collect()


def test_the_export_plan_streams_each_line_as_the_whole_result_makes_it(jp_extra_pipeline):
    text = "今日はいい天気ですね。散歩に行きましょう！"
    run = jp_extra_pipeline.stream(text, EXACT, SynthesisPlan.export())
    audio = np.concatenate([c.audio for c in run])
    reference = jp_extra_pipeline.synthesize(text, EXACT)
    assert run.result.mode == "whole" and run.result.segments == [text]  # the line as one piece
    assert np.array_equal(audio, reference.audio)
    assert run.result.audio.size == 0  # export keeps nothing: the chunks were written as they came


# --- the scheduler -------------------------------------------------------------------------------------------


def test_scheduler_grows_while_there_is_headroom_and_shrinks_when_not():
    cfg = SynthesisPlan(first_chunk_frames=8, min_chunk_frames=8, growth=2.0, max_chunk_frames=256, safety=0.5,
                       margin_ms=10.0)  # fmt: skip
    sch = ChunkScheduler(cfg, overhead_frames=4.0)
    assert sch.next_size(None) == 8
    sch.observe(8, 60.0)  # 5 ms per frame (60 / (8 + 4))
    assert sch.next_size(10_000.0) == 16  # plenty of headroom: ×2
    # 220 ms of headroom: (0.5 × 220 − 10) / 5 − 4 = 16 frames
    assert sch.next_size(220.0) == 16 and sch.limit == pytest.approx(16.0)
    assert sch.next_size(140.0) == 8  # (70 − 10) / 5 − 4 = 8
    assert sch.next_size(70.0) == 8  # tight, but the smallest chunk (60 ms) still makes it
    # hopeless (the machine is slower than real time): grow to catch up instead of adding overhead
    assert sch.next_size(-50.0) == 16 and sch.limit == float("inf")
    for _ in range(10):
        sch.observe(sch.next_size(1e9), 1.0)
    assert sch.next_size(1e9) == 256
    fixed = SynthesisPlan(first_chunk_frames=8, adaptive=False, growth=2.0)
    sch = ChunkScheduler(fixed, 4.0)
    sch.observe(8, 1000.0)
    assert sch.next_size(0.0) == 16


def test_fixed_schedule_is_geometric_up_to_the_maximum():
    config = SynthesisPlan(first_chunk_frames=8, growth=2.0, max_chunk_frames=100)
    sizes = list(itertools.islice(config.chunk_sizes(), 6))
    assert sizes == [8, 16, 32, 64, 100, 100]


# --- long input, bounded memory --------------------------------------------------------------------------------


def test_cascade_keeps_only_the_context_it_needs(jp_extra_pipeline):
    s = streamer_for(jp_extra_pipeline)
    z = np.random.default_rng(9).normal(0.0, 1.0, size=(1, 16, 1500)).astype(np.float32)
    cond = s._conditioning(0)
    whole = s.decode(z, cond)
    decoder = CascadeDecoder(s.decoder_parts, z, cond)
    pieces, largest = [], 0
    while decoder.pos < decoder.total:
        pieces.append(decoder.next(24))
        held = sum(c.shape[-1] * c.shape[1] * 4 for c in decoder.cache[1:] if c is not None)
        largest = max(largest, held)
    assert np.max(np.abs(np.concatenate(pieces) - whole)) <= TOLERANCE
    # what stays between chunks is a few chunks' worth of each level, not the 1500 frames decoded
    one_chunk = sum(24 * p.field.up * 4 * c for p, c in zip(s.decoder_parts, [32, 16, 8, 4, 2, 1]))
    assert largest < 6 * one_chunk


def test_many_lines_stream_in_order(jp_extra_pipeline):
    streamer_for(jp_extra_pipeline)
    lines = [f"{i}番目の文です。" for i in range(1, 26)]
    params = SynthesisParams(noise=0.0, sdp_ratio=0.0, line_interval=0.05)
    run = jp_extra_pipeline.stream("\n".join(lines), params, plan(keep_audio=False))
    total = 0
    for chunk in run:
        total += chunk.audio.size  # consumed as it comes: nothing is kept by the stream itself
    assert len(run.result.segments) == 25 and run.result.audio_samples == total and run.result.audio.size == 0
    assert [c.segment for c in run.result.chunks if c.kind == "speech"] == sorted(
        c.segment for c in run.result.chunks if c.kind == "speech"
    )


def test_timeline_rows_and_the_kept_streamer(jp_extra_pipeline):
    from sbv2_studio.engine.streaming import StreamingSynthesizer

    s = jp_extra_pipeline.streamer("cascade")
    assert isinstance(s, StreamingSynthesizer) and jp_extra_pipeline.streamer("cascade") is s  # made once
    assert jp_extra_pipeline.streamer("overlap") is not s
    streamer_for(jp_extra_pipeline)
    result = jp_extra_pipeline.stream("吾輩は猫である。", EXACT).collect()
    rows = result.timeline()
    assert rows[0]["play_from_ms"] == round(result.ttfa_ms, 3) and rows[0]["late_ms"] == 0.0
    assert all(a["play_to_ms"] == pytest.approx(b["play_from_ms"], abs=1e-2) for a, b in zip(rows, rows[1:]))
    assert all(r["started_ms"] <= r["ready_ms"] for r in rows)


def test_bench_runner_reports_streamed_time_to_first_audio(jp_extra_pipeline, monkeypatch, tmp_path):
    from types import SimpleNamespace

    from sbv2_bench.bench import BenchConfig, Sample, _fmt_headroom, _headroom, bench_params
    from sbv2_bench.streaming import StreamingRunner

    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path))  # the split goes to the data folder's cache
    inner = SimpleNamespace(pipeline=jp_extra_pipeline, config=BenchConfig(name="studio streamed"),
                            variant_info=None, load_s=1.0)  # fmt: skip
    runner = StreamingRunner(inner)
    sample = runner.run("今日はいい天気ですね。散歩に行きましょう！", bench_params())
    assert isinstance(sample, Sample) and 0 < sample.ttfa_ms < sample.total_ms
    # headroom beside TTFA in the bench's table: the worst chunk and the median one
    assert sample.headroom_ms is not None and sample.headroom_median_ms >= sample.headroom_ms
    assert _headroom([(sample.headroom_ms, sample.headroom_median_ms), (None, None)]) == {
        "min": sample.headroom_ms, "median": sample.headroom_median_ms,
    }  # fmt: skip
    assert _fmt_headroom({"headroom_ms": None}) == "–"
    assert set(sample.stages) >= {"bert", "synthesize"} and sample.audio_s > 1.0
    assert runner.ran_on() == {"bert": "CPU", "synthesize": "CPU"}
