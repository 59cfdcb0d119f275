"""The query model: one line of text as accent phrases of moras, what a person edits to fix a reading or an
accent, and what the synthesizer is then fed instead of the front end's own analysis.

It follows VOICEVOX's AudioQuery (`accent_phrases` of `moras` with `text`, `consonant`, `vowel`, `pitch`, an
`accent` and a `pause_mora`), adapted to SBV2, whose tone input is exactly one low/high (0/1) value per phoneme:

* `pitch` is that tone, 0 or 1, for both phonemes of a mora. The pitches are the truth; a phrase's `accent`
  (1-based position of the accent nucleus, as VOICEVOX counts it: the phrase's length for a flat one) is derived
  from them when written, and `set_accent` rewrites the pitches in the Tokyo pattern.
* SBV2 speaks punctuation: a `pause_mora` holds the marks that follow a phrase (`text` is the marks, `vowel`
  "pau" as in VOICEVOX) and `markWords` says which word each mark came from.
* The BERT reads the text: `words` are OpenJTalk's surface words, and each mora's `word` says which one it
  belongs to, so word2ph (phones per BERT character) follows the moras through edits.

`from_text(text)` gives exactly the front end's phones, tones and word2ph (tests/engine/test_query.py checks it
on the parity sentences). JSON: `to_json()` / `AudioQuery.from_json()`; VOICEVOX's fields keep their names
(`accent_phrases`, `pause_mora`, `speedScale` …), fields only SBV2 has are camelCase (`markWords`, `words`).
VOICEVOX's duration and scale fields are kept as given (round trip); the engine itself reads only the moras,
pauses and words (an HTTP layer maps the scales onto SynthesisParams).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from ..errors import TextError
from .text.g2p import analyze_moras, finish_phones, mora_phonemes, reading_to_moras, words_to_word2ph
from .text.normalize import normalize_text
from .text.symbols import PUNCTUATION_SET

PAUSE_VOWEL = "pau"  # VOICEVOX's vowel for a pause mora
# VOICEVOX's top-level AudioQuery fields and their defaults, kept through a round trip.
VOICEVOX_SCALARS: dict[str, Any] = {
    "speedScale": 1.0,
    "pitchScale": 0.0,
    "intonationScale": 1.0,
    "volumeScale": 1.0,
    "prePhonemeLength": 0.1,
    "postPhonemeLength": 0.1,
    "pauseLength": None,
    "pauseLengthScale": 1.0,
    "outputSamplingRate": 44100,
    "outputStereo": False,
}


@dataclass
class Mora:
    """One mora: its katakana, consonant (None for a lone vowel, `N`, `q`), vowel, pitch 0/1, and the index of the
    word (AudioQuery.words) it belongs to. Lengths are VOICEVOX's (kept, not used: SBV2 predicts durations)."""

    text: str
    consonant: str | None
    vowel: str
    pitch: int
    word: int
    consonant_length: float | None = None
    vowel_length: float | None = None

    @property
    def phonemes(self) -> list[str]:
        return mora_phonemes((self.text, self.consonant, self.vowel))


@dataclass
class Pause:
    """Punctuation after a phrase: its marks (SBV2 phonemes, tone 0) and the word each came from."""

    marks: list[str]
    words: list[int]


@dataclass
class AccentPhrase:
    """Moras spoken as one accent phrase, then the punctuation (if any) after it. Only a text's leading
    punctuation makes a phrase with no moras."""

    moras: list[Mora]
    pause: Pause | None = None

    @property
    def accent(self) -> int:
        """VOICEVOX's accent: the 1-based mora after which the pitch falls (the phrase's length when it does not)."""
        pitches = [m.pitch for m in self.moras]
        if 1 not in pitches:
            return len(pitches)
        start = pitches.index(1)
        end = start
        while end + 1 < len(pitches) and pitches[end + 1] == 1:
            end += 1
        return end + 1

    @property
    def is_interrogative(self) -> bool:
        return self.pause is not None and "?" in self.pause.marks

    @property
    def reading(self) -> str:
        return "".join(m.text for m in self.moras)

    @property
    def word_indices(self) -> list[int]:
        return sorted({m.word for m in self.moras} | set(self.pause.words if self.pause else ()))


def accent_pitches(n_moras: int, accent: int) -> list[int]:
    """Tokyo pattern pitches for `accent` (1..n, as VOICEVOX counts; n, like 0, is flat): low-high…, falling
    after the nucleus; accent 1 starts high."""
    if n_moras == 0:
        return []
    if not 0 <= accent <= n_moras:
        raise TextError(f"accent {accent} is outside 0..{n_moras} (the phrase has {n_moras} moras)")
    accent = accent or n_moras
    if accent == 1:
        return [1] + [0] * (n_moras - 1)
    return [0] + [1 if i < accent else 0 for i in range(1, n_moras)]


@dataclass
class AudioQuery:
    """One line as accent phrases (see the module docstring). Edits happen in place and keep it consistent."""

    text: str
    words: list[str]
    accent_phrases: list[AccentPhrase]
    scalars: dict[str, Any] = field(default_factory=lambda: dict(VOICEVOX_SCALARS))

    # -- building ----------------------------------------------------------------------------------------------

    @classmethod
    def from_text(cls, text: str) -> AudioQuery:
        """The query for one line, exactly as the front end analyzes it (phones, tones, word2ph). Raises TextError
        for text the front end cannot read."""
        normalized = normalize_text(text)
        if not normalized:
            raise TextError(f"the text has nothing readable after normalization: {text!r}")
        analysis = analyze_moras(normalized)
        phrases: list[AccentPhrase] = []
        current: AccentPhrase | None = None
        current_key: object = object()
        k = 0  # phoneme position in analysis.tones / analysis.phrases
        for w, moras in enumerate(analysis.word_moras):
            for text_, consonant, vowel in moras:
                n = 2 if consonant else 1
                tones = analysis.tones[k : k + n]
                key = analysis.phrases[k + n - 1]
                k += n
                if consonant is None and vowel in PUNCTUATION_SET:  # a mark: the pause after the current phrase
                    if current is None:
                        current = AccentPhrase([])
                        phrases.append(current)
                    if current.pause is None:
                        current.pause = Pause([], [])
                    current.pause.marks.append(vowel)
                    current.pause.words.append(w)
                    continue
                if len(set(tones)) != 1:
                    raise TextError(f"cannot read {text!r}: the mora {text_!r} has two pitches {tones}")
                if current is None or current.pause is not None or key != current_key:
                    current = AccentPhrase([])
                    phrases.append(current)
                    current_key = key
                current.moras.append(Mora(text_, consonant, vowel, tones[0], w))
        query = cls(text, list(analysis.words), phrases)
        query.validate()
        return query

    # -- what the synthesizer gets -------------------------------------------------------------------------------

    @property
    def bert_text(self) -> str:
        return "".join(self.words)

    def _phonemes(self) -> tuple[list[str], list[int], list[int]]:
        phonemes: list[str] = []
        tones: list[int] = []
        owners: list[int] = []
        for phrase in self.accent_phrases:
            for mora in phrase.moras:
                for p in mora.phonemes:
                    # The moraic nasal is `N` here whichever way the query wrote it (`n` for an older model):
                    # finish_phones writes it for the model at hand.
                    phonemes.append("N" if p == "n" and mora.consonant is None else p)
                    tones.append(mora.pitch)
                    owners.append(mora.word)
            if phrase.pause is not None:
                phonemes += phrase.pause.marks
                tones += [0] * len(phrase.pause.marks)
                owners += phrase.pause.words
        return phonemes, tones, owners

    def phones_tones_word2ph(self, use_jp_extra: bool = True) -> tuple[list[str], list[int], list[int]]:
        """What `g2p` gives for the text, but from the (edited) moras: phones and tones with pads, word2ph."""
        phonemes, tones, owners = self._phonemes()
        counts = [0] * len(self.words)
        for owner in owners:
            counts[owner] += 1
        phones = finish_phones(phonemes, use_jp_extra, self.text)
        return phones, [0, *tones, 0], words_to_word2ph(self.words, counts, self.text)

    # -- edits -------------------------------------------------------------------------------------------------

    def _phrase(self, index: int) -> AccentPhrase:
        if not 0 <= index < len(self.accent_phrases):
            raise TextError(f"accent phrase {index} does not exist (the line has {len(self.accent_phrases)})")
        return self.accent_phrases[index]

    def set_pitch(self, phrase: int, mora: int, pitch: int) -> None:
        moras = self._phrase(phrase).moras
        if not 0 <= mora < len(moras):
            raise TextError(f"mora {mora} does not exist in accent phrase {phrase} ({len(moras)} moras)")
        if pitch not in (0, 1):
            raise TextError(f"pitch must be 0 (low) or 1 (high), not {pitch!r}")
        moras[mora].pitch = pitch

    def flip_pitch(self, phrase: int, mora: int) -> int:
        """Low ↔ high for one mora; returns the new pitch."""
        moras = self._phrase(phrase).moras
        if not 0 <= mora < len(moras):
            raise TextError(f"mora {mora} does not exist in accent phrase {phrase} ({len(moras)} moras)")
        moras[mora].pitch = 1 - moras[mora].pitch
        return moras[mora].pitch

    def set_accent(self, phrase: int, accent: int) -> None:
        """Move the accent nucleus (1..n as VOICEVOX counts; n or 0 is flat): the phrase's pitches in that pattern."""
        target = self._phrase(phrase)
        for mora, pitch in zip(target.moras, accent_pitches(len(target.moras), accent), strict=True):
            mora.pitch = pitch

    def set_reading(self, phrase: int, reading: str) -> None:
        """A new katakana reading for a phrase: new moras (phones), the accent kept where it still fits. The moras
        are shared among the phrase's words in proportion to what each had, so the BERT rows stay with them."""
        target = self._phrase(phrase)
        if not target.moras:
            raise TextError(f"accent phrase {phrase} is punctuation only: it has no reading to change")
        new = reading_to_moras(reading.strip(), f"reading of accent phrase {phrase}")
        if any(c is None and v in PUNCTUATION_SET for _, c, v in new):
            raise TextError(f"reading of accent phrase {phrase}: {reading!r} is not a katakana reading")
        accent = min(target.accent, len(new))
        words = [m.word for m in target.moras]
        owners = [words[i * len(words) // len(new)] for i in range(len(new))]
        target.moras = [Mora(t, c, v, 0, w) for (t, c, v), w in zip(new, owners)]
        self.set_accent(phrase, accent)

    def split_phrase(self, phrase: int, at: int) -> None:
        """Split a phrase before its mora `at` (1..n-1): two phrases, each in its own accent pattern (the first
        keeps its nucleus where it still fits); the punctuation goes with the second."""
        target = self._phrase(phrase)
        if not 1 <= at < len(target.moras):
            raise TextError(f"accent phrase {phrase} can be split after 1..{len(target.moras) - 1} moras, not {at}")
        accent = target.accent
        second = AccentPhrase(target.moras[at:], target.pause)
        target.moras, target.pause = target.moras[:at], None
        self.accent_phrases.insert(phrase + 1, second)
        self.set_accent(phrase, min(accent, at))
        self.set_accent(phrase + 1, second.accent)

    def join_phrases(self, phrase: int) -> None:
        """Join a phrase with the next one: one accent phrase, with the first one's accent."""
        first = self._phrase(phrase)
        if phrase + 1 >= len(self.accent_phrases):
            raise TextError(f"accent phrase {phrase} is the last one: there is nothing to join it with")
        if first.pause is not None:
            raise TextError(f"accent phrase {phrase} ends in punctuation: phrases cannot be joined across it")
        second = self.accent_phrases.pop(phrase + 1)
        accent = first.accent
        first.moras += second.moras
        first.pause = second.pause
        self.set_accent(phrase, accent)

    def copy(self) -> AudioQuery:
        return copy.deepcopy(self)

    # -- checks and JSON ---------------------------------------------------------------------------------------

    def validate(self) -> None:
        """Refuse a query that cannot be spoken as it says (raises TextError naming the field)."""
        last = 0
        for p, phrase in enumerate(self.accent_phrases):
            where = f"accent_phrases[{p}]"
            if not phrase.moras and not (p == 0 and phrase.pause):
                raise TextError(f"{where}: an accent phrase needs moras (only leading punctuation stands alone)")
            owners: list[int] = []
            for m, mora in enumerate(phrase.moras):
                at = f"{where}.moras[{m}]"
                if mora.pitch not in (0, 1):
                    raise TextError(f"{at}.pitch: SBV2 pitches are 0 (low) or 1 (high), not {mora.pitch!r}")
                if mora.consonant is None and mora.vowel in PUNCTUATION_SET:
                    raise TextError(f"{at}.vowel: punctuation {mora.vowel!r} belongs in the pause_mora")
                owners.append(mora.word)
            if phrase.pause is not None:
                if not phrase.pause.marks or len(phrase.pause.marks) != len(phrase.pause.words):
                    raise TextError(f"{where}.pause_mora: markWords must give one word per mark")
                bad = [mark for mark in phrase.pause.marks if mark not in PUNCTUATION_SET]
                if bad:
                    raise TextError(f"{where}.pause_mora.text: {bad[0]!r} is not a punctuation mark SBV2 speaks")
                owners += phrase.pause.words
            for owner in owners:
                if not isinstance(owner, int) or not last <= owner < len(self.words):
                    raise TextError(f"{where}: word {owner!r} is out of order or not among the {len(self.words)} words")
                last = owner
        # The phonemes must exist for the model (raises TextError naming them).
        finish_phones(self._phonemes()[0], True, self.text)

    def to_dict(self, use_jp_extra: bool = True) -> dict[str, Any]:
        """The JSON form; `use_jp_extra=False` writes the moraic nasal `n`, as older models spell it."""

        def mora(m: Mora) -> dict[str, Any]:
            vowel = m.vowel
            if m.consonant is None and vowel in ("N", "n"):
                vowel = "N" if use_jp_extra else "n"
            return {
                "text": m.text,
                "consonant": m.consonant,
                "consonant_length": m.consonant_length,
                "vowel": vowel,
                "vowel_length": m.vowel_length,
                "pitch": m.pitch,
                "word": m.word,
            }

        phrases = []
        for phrase in self.accent_phrases:
            pause = None
            if phrase.pause is not None:
                pause = {
                    "text": "".join(phrase.pause.marks),
                    "consonant": None,
                    "consonant_length": None,
                    "vowel": PAUSE_VOWEL,
                    "vowel_length": 0.0,
                    "pitch": 0,
                    "markWords": list(phrase.pause.words),
                }
            phrases.append(
                {
                    "moras": [mora(m) for m in phrase.moras],
                    "accent": phrase.accent,
                    "pause_mora": pause,
                    "is_interrogative": phrase.is_interrogative,
                }
            )
        return {
            "accent_phrases": phrases,
            **self.scalars,
            "kana": self.kana,
            "text": self.text,
            "words": list(self.words),
        }

    def to_json(self, indent: int | None = 2, use_jp_extra: bool = True) -> str:
        return json.dumps(self.to_dict(use_jp_extra), ensure_ascii=False, indent=indent)

    @property
    def kana(self) -> str:
        """AquesTalk-like notation as VOICEVOX writes it: `'` after the nucleus, `/` between phrases, `、` at a
        pause, `？` for a question."""
        parts = []
        for i, phrase in enumerate(self.accent_phrases):
            if not phrase.moras:
                continue
            reading = [m.text for m in phrase.moras]
            reading.insert(phrase.accent, "'")
            parts.append("".join(reading) + ("？" if phrase.is_interrogative else ""))
            if i + 1 < len(self.accent_phrases):
                parts.append("、" if phrase.pause else "/")
        return "".join(parts).rstrip("、/")

    @classmethod
    def from_dict(cls, data: Any) -> AudioQuery:
        """A query from its JSON form (see to_dict). Raises TextError naming the field that is wrong."""
        if not isinstance(data, dict):
            raise TextError("a query must be a JSON object")
        text, words = data.get("text"), data.get("words")
        if not isinstance(text, str):
            raise TextError("text: the query must say which text it speaks")
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            raise TextError("words: a list of the text's words (strings, what the BERT reads) is needed")
        phrases_data = data.get("accent_phrases")
        if not isinstance(phrases_data, list):
            raise TextError("accent_phrases: a list of accent phrases is needed")
        phrases = []
        for p, item in enumerate(phrases_data):
            where = f"accent_phrases[{p}]"
            if not isinstance(item, dict) or not isinstance(item.get("moras"), list):
                raise TextError(f"{where}.moras: a list of moras is needed")
            moras = []
            for m, md in enumerate(item["moras"]):
                at = f"{where}.moras[{m}]"
                try:
                    moras.append(
                        Mora(
                            text=str(md["text"]),
                            consonant=md.get("consonant") or None,
                            vowel=str(md["vowel"]),
                            pitch=int(md["pitch"]),
                            word=int(md["word"]),
                            consonant_length=md.get("consonant_length"),
                            vowel_length=md.get("vowel_length"),
                        )
                    )
                except (KeyError, TypeError, ValueError) as exc:
                    raise TextError(f"{at}: needs text, vowel, pitch (0/1) and word ({exc})") from None
            pause = None
            pd = item.get("pause_mora")
            if pd:
                marks = list(str(pd.get("text", "")))
                mark_words = pd.get("markWords")
                if not isinstance(mark_words, list):
                    raise TextError(f"{where}.pause_mora.markWords: the word of each mark is needed")
                pause = Pause(marks, [int(w) for w in mark_words])
            phrases.append(AccentPhrase(moras, pause))
        scalars = {key: data.get(key, default) for key, default in VOICEVOX_SCALARS.items()}
        query = cls(text, list(words), phrases, scalars)
        query.validate()
        return query

    @classmethod
    def from_json(cls, source: str) -> AudioQuery:
        try:
            data = json.loads(source)
        except json.JSONDecodeError as exc:
            raise TextError(f"not a JSON query: {exc}") from None
        return cls.from_dict(data)


__all__ = ["AccentPhrase", "AudioQuery", "Mora", "Pause", "accent_pitches"]
