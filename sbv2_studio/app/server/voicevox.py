"""VOICEVOX's request shapes onto the studio's: an AudioQuery body → engine.query.AudioQuery + SynthesisParams,
and audio back as WAV bytes (whole, or a streamed WAV whose sizes are not known yet).

What each AudioQuery field does with an SBV2 voice is in docs/http-api.md (the table there follows this code).
"""

from __future__ import annotations

import io
import struct
from typing import Any

import numpy as np
import soundfile as sf

from ...engine.params import PARAMETER, SynthesisParams
from ...engine.query import AudioQuery, accent_pitches
from ...errors import TextError

DEFAULT_STYLE_WEIGHT = PARAMETER["style_weight"].default
DEFAULT_SDP_RATIO = PARAMETER["sdp_ratio"].default
MAX_STYLE_WEIGHT_FROM_INTONATION = 10.0  # intonationScale 2 → style strength 10, as AivisSpeech maps it
# Fields read as VOICEVOX defines them but not applied to an SBV2 voice (listed in X-SBV2-Ignored when set).
NOT_APPLIED = {"pitchScale": 0.0, "pauseLength": None, "pauseLengthScale": 1.0}


def _number(body: dict, key: str, default: float) -> float:
    value = body.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
        raise TextError(f"{key}: {value!r} is not a number")
    return float(value)


def style_weight_of(intonation: float) -> float:
    """AivisSpeech's mapping: 0..1 → 0..default strength, 1..2 → default..10 (outside 0..2: clamped)."""
    x = min(max(intonation, 0.0), 2.0)
    if x <= 1.0:
        return x * DEFAULT_STYLE_WEIGHT
    return DEFAULT_STYLE_WEIGHT + (x - 1.0) * (MAX_STYLE_WEIGHT_FROM_INTONATION - DEFAULT_STYLE_WEIGHT)


def sdp_ratio_of(tempo: float) -> float:
    """AivisSpeech's tempoDynamicsScale: 0..1 → 0..default SDP ratio, 1..2 → default..1 (clamped)."""
    x = min(max(tempo, 0.0), 2.0)
    if x <= 1.0:
        return x * DEFAULT_SDP_RATIO
    return DEFAULT_SDP_RATIO + (x - 1.0) * (1.0 - DEFAULT_SDP_RATIO)


def params_of(body: dict, sid: int, style: str) -> tuple[SynthesisParams, list[str]]:
    """SynthesisParams from an AudioQuery's scales; also the names of fields set but not applied."""
    speed = _number(body, "speedScale", 1.0)
    if not 0.2 <= speed <= 10.0:
        raise TextError(f"speedScale: {speed:g} is outside 0.2..10 (SBV2's length 0.1..5 is 1/speedScale)")
    params = SynthesisParams(
        speaker=sid, style=style, length=1.0 / speed,
        style_weight=style_weight_of(_number(body, "intonationScale", 1.0)),
        sdp_ratio=sdp_ratio_of(_number(body, "tempoDynamicsScale", 1.0)),
    )  # fmt: skip
    ignored = [k for k, default in NOT_APPLIED.items() if body.get(k, default) not in (default, None)]
    return params, ignored


def _katakana_words(phrases: list[dict]) -> None:
    """Give every mora and mark a word when the client dropped them (one word per accent phrase)."""
    for p, phrase in enumerate(phrases):
        for mora in phrase.get("moras") or []:
            if isinstance(mora, dict) and not isinstance(mora.get("word"), int):
                mora["word"] = p
        pause = phrase.get("pause_mora")
        if isinstance(pause, dict) and not isinstance(pause.get("markWords"), list):
            pause["markWords"] = [p] * len(str(pause.get("text") or ""))


def query_of(body: Any) -> AudioQuery:
    """The studio's AudioQuery from a client's. A query made by this engine round-trips as it is. One that a
    client rebuilt without the SBV2 fields (`text`, `words`, `word`, `markWords`) or with VOICEVOX's pitches (Hz
    on a log scale) is still spoken: words become the phrases' katakana, pitches the phrase's accent pattern."""
    if not isinstance(body, dict):
        raise TextError("the body must be an AudioQuery (a JSON object)")
    data = dict(body)
    phrases = data.get("accent_phrases")
    if not isinstance(phrases, list):
        raise TextError("accent_phrases: a list of accent phrases is needed")
    phrases = [dict(p) if isinstance(p, dict) else p for p in phrases]
    for phrase in phrases:
        if not isinstance(phrase, dict) or not isinstance(phrase.get("moras"), list):
            raise TextError("accent_phrases[].moras: a list of moras is needed")
        phrase["moras"] = [dict(m) if isinstance(m, dict) else m for m in phrase["moras"]]
        for mora in phrase["moras"]:
            if not isinstance(mora, dict):
                raise TextError("accent_phrases[].moras[]: a mora is an object")
            vowel = mora.get("vowel")
            if vowel == "cl":  # VOICEVOX's sokuon; SBV2's is q
                mora["vowel"] = "q"
            elif isinstance(vowel, str) and vowel in "AIUEO" and len(vowel) == 1:  # VOICEVOX's devoiced vowels
                mora["vowel"] = vowel.lower()
        pitches = [m.get("pitch") for m in phrase["moras"]]
        if any(p not in (0, 1) for p in pitches):  # VOICEVOX pitches: the accent says the pattern
            accent = phrase.get("accent")
            n = len(pitches)
            if isinstance(accent, bool) or not isinstance(accent, int) or not 0 <= accent <= n:
                raise TextError(f"accent: {accent!r} is not a mora position in 0..{n}")
            for mora, pitch in zip(phrase["moras"], accent_pitches(n, accent)):
                mora["pitch"] = pitch
    data["accent_phrases"] = phrases
    words = data.get("words")
    if not (isinstance(words, list) and words and isinstance(data.get("text"), str)):
        _katakana_words(phrases)
        count = 1 + max(
            [m["word"] for ph in phrases for m in ph["moras"]]
            + [w for ph in phrases if isinstance(ph.get("pause_mora"), dict) for w in ph["pause_mora"]["markWords"]]
            + [0]
        )
        words = [""] * count
        for ph in phrases:
            for m in ph["moras"]:
                words[m["word"]] += str(m.get("text", ""))
            pause = ph.get("pause_mora")
            if isinstance(pause, dict):
                for mark, w in zip(str(pause.get("text") or ""), pause["markWords"]):
                    words[w] += mark
        data["words"] = [w or "ー" for w in words]
        data["text"] = "".join(data["words"])
    return AudioQuery.from_dict(data)


def finish_audio(audio: np.ndarray, rate: int, body: dict) -> tuple[np.ndarray, int, bool]:
    """int16 audio with VOICEVOX's output fields applied: volumeScale, pre/post silence, sampling rate."""
    volume = _number(body, "volumeScale", 1.0)
    if not 0.0 <= volume <= 5.0:
        raise TextError(f"volumeScale: {volume:g} is outside 0..5")
    pre, post = _number(body, "prePhonemeLength", 0.1), _number(body, "postPhonemeLength", 0.1)
    for name, value in (("prePhonemeLength", pre), ("postPhonemeLength", post)):
        if not 0.0 <= value <= 10.0:
            raise TextError(f"{name}: {value:g} s is outside 0..10")
    out_rate = int(_number(body, "outputSamplingRate", rate))
    if not 8000 <= out_rate <= 192000:
        raise TextError(f"outputSamplingRate: {out_rate} is outside 8000..192000")
    x = np.asarray(audio, np.float32) / 32768.0 * volume
    x = np.concatenate([np.zeros(int(rate * pre), np.float32), x, np.zeros(int(rate * post), np.float32)])
    if out_rate != rate:
        import soxr

        x = soxr.resample(x, rate, out_rate).astype(np.float32)
    return to_int16(x), out_rate, bool(body.get("outputStereo", False))


def to_int16(x: np.ndarray) -> np.ndarray:
    return (np.clip(x, -1.0, 32767 / 32768) * 32768).astype(np.int16)


def wav_bytes(pcm16: np.ndarray, rate: int, stereo: bool = False) -> bytes:
    data = np.stack([pcm16, pcm16], axis=1) if stereo else pcm16
    buf = io.BytesIO()
    sf.write(buf, data, rate, format="WAV", subtype="PCM_16")
    return buf.getvalue()


def streaming_wav_header(rate: int, channels: int = 1) -> bytes:
    """A 16-bit PCM WAV header whose sizes say "unknown" (0xFFFFFFFF), as streamed WAV is sent: players read
    the data to its end."""
    unknown = 0xFFFFFFFF
    return (
        b"RIFF" + struct.pack("<I", unknown) + b"WAVE"
        + b"fmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate, rate * channels * 2, channels * 2, 16)
        + b"data" + struct.pack("<I", unknown)
    )  # fmt: skip


def read_wav(data: bytes, what: str) -> tuple[np.ndarray, int]:
    try:
        audio, rate = sf.read(io.BytesIO(data), dtype="int16", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, ValueError) as exc:
        raise TextError(f"{what}: not a readable WAV ({exc})") from None
    return audio[:, 0], int(rate)


__all__ = [
    "finish_audio", "params_of", "query_of", "read_wav", "sdp_ratio_of", "streaming_wav_header", "style_weight_of",
    "to_int16", "wav_bytes",
]  # fmt: skip
