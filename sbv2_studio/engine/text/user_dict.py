"""The user dictionary: words a person adds so that OpenJTalk reads them their way (reading and accent).

Kept in the user data folder as `user_dict.json`, in VOICEVOX's user-dictionary format (an object of word id →
{surface, priority, context_id, part_of_speech, part_of_speech_detail_1..3, inflectional_type,
inflectional_form, stem, yomi, pronunciation, accent_type, mora_count, accent_associative_rule}), so that
export is the file itself and VOICEVOX / AivisSpeech dictionaries import as they are.

Applying it compiles a MeCab user dictionary (OpenJTalk's naist-jdic CSV → .dic with pyopenjtalk-plus's
`mecab_dict_index`) and installs it into the process's OpenJTalk (`update_global_jtalk_with_user_dict`): every
later analysis (`g2p`, the front end, the query model, the built-in voice) reads with it. Writes are atomic
(temporary file + rename); a file that cannot be read is moved aside with a timestamp and reported, never
overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyopenjtalk

from ...errors import DictionaryError
from ...paths import cache_dir, data_dir, write_text_atomic
from .normalize import normalize_text

FILE_NAME = "user_dict.json"
MIN_PRIORITY, MAX_PRIORITY, DEFAULT_PRIORITY = 0, 10, 5


@dataclass(frozen=True)
class WordType:
    """A part of speech a person can pick, as naist-jdic (OpenJTalk's dictionary, left-id.def) writes it."""

    name: str
    label: str
    context_id: int
    pos: tuple[str, str, str, str]
    inflection: tuple[str, str] = ("*", "*")


WORD_TYPES: dict[str, WordType] = {
    t.name: t
    for t in (
        WordType("PROPER_NOUN", "Proper noun", 1348, ("名詞", "固有名詞", "一般", "*")),
        WordType("COMMON_NOUN", "Common noun", 1345, ("名詞", "一般", "*", "*")),
        WordType("VERB", "Verb", 642, ("動詞", "自立", "*", "*"), ("一段", "基本形")),
        WordType("ADJECTIVE", "Adjective", 20, ("形容詞", "自立", "*", "*"), ("形容詞・アウオ段", "基本形")),
        WordType("SUFFIX", "Suffix", 1358, ("名詞", "接尾", "一般", "*")),
    )
}
DEFAULT_WORD_TYPE = "PROPER_NOUN"

_KATAKANA = re.compile(r"[ァ-ヴー]+")
_SMALL = set("ァィゥェォャュョヮ")  # these join the kana before them into one mora (ッ is a mora of its own)


def mora_count(pronunciation: str) -> int:
    """Moras of a katakana pronunciation: every kana but the small ones that join the one before (キャ is one)."""
    return sum(1 for i, c in enumerate(pronunciation) if not (c in _SMALL and i > 0))


@dataclass(frozen=True)
class UserWord:
    """One dictionary word. `accent_type` is the mora after which the pitch falls (0: flat)."""

    surface: str
    pronunciation: str
    accent_type: int
    word_type: str = DEFAULT_WORD_TYPE
    priority: int = DEFAULT_PRIORITY

    @property
    def mora_count(self) -> int:
        return mora_count(self.pronunciation)

    def checked(self) -> UserWord:
        """This word with its fields tidied (surface and pronunciation stripped), or DictionaryError naming the
        field that is wrong."""
        surface = str(self.surface or "").strip()
        if not surface:
            raise DictionaryError("surface", "is empty: give the word as it is written")
        if any(c in surface for c in ',"\n\r\t') or any(c.isspace() for c in surface):
            raise DictionaryError("surface", f"{surface!r} must not contain commas, quotes or spaces")
        pronunciation = str(self.pronunciation or "").strip()
        if not _KATAKANA.fullmatch(pronunciation) or pronunciation[0] == "ー" or pronunciation[0] in _SMALL:
            raise DictionaryError(
                "pronunciation", f"{pronunciation!r} is not a katakana pronunciation (e.g. キクチ, not きくち)"
            )
        from .g2p import reading_to_moras  # the same mora table the front end reads words with

        try:
            reading_to_moras(pronunciation, "pronunciation")
        except Exception as exc:
            raise DictionaryError("pronunciation", str(exc).removeprefix("pronunciation: ")) from None
        moras = mora_count(pronunciation)
        if not isinstance(self.accent_type, int) or isinstance(self.accent_type, bool):
            raise DictionaryError("accent_type", f"{self.accent_type!r} is not a whole number")
        if not 0 <= self.accent_type <= moras:
            raise DictionaryError(
                "accent_type", f"{self.accent_type} is beyond the {moras} mora(s) of {pronunciation} (0..{moras})"
            )
        if self.word_type not in WORD_TYPES:
            raise DictionaryError("word_type", f"{self.word_type!r} is not one of {', '.join(WORD_TYPES)}")
        if not isinstance(self.priority, int) or not MIN_PRIORITY <= self.priority <= MAX_PRIORITY:
            raise DictionaryError("priority", f"{self.priority!r} is outside {MIN_PRIORITY}..{MAX_PRIORITY}")
        return replace(self, surface=surface, pronunciation=pronunciation)

    # -- VOICEVOX's form --------------------------------------------------------------------------------------

    def to_voicevox(self) -> dict[str, Any]:
        t = WORD_TYPES[self.word_type]
        return {
            "surface": _full_width(self.surface),
            "priority": self.priority,
            "context_id": t.context_id,
            "part_of_speech": t.pos[0],
            "part_of_speech_detail_1": t.pos[1],
            "part_of_speech_detail_2": t.pos[2],
            "part_of_speech_detail_3": t.pos[3],
            "inflectional_type": t.inflection[0],
            "inflectional_form": t.inflection[1],
            "stem": "*",
            "yomi": self.pronunciation,
            "pronunciation": self.pronunciation,
            "accent_type": self.accent_type,
            "mora_count": self.mora_count,
            "accent_associative_rule": "*",
        }

    @classmethod
    def from_voicevox(cls, data: Any) -> UserWord:
        if not isinstance(data, dict):
            raise DictionaryError("word", "is not a JSON object")
        pos = tuple(str(data.get(k, "*")) for k in ("part_of_speech", "part_of_speech_detail_1",
                                                    "part_of_speech_detail_2", "part_of_speech_detail_3"))  # fmt: skip
        word_type = next((t.name for t in WORD_TYPES.values() if t.pos == pos), None)
        if word_type is None:
            raise DictionaryError("part_of_speech", f"{','.join(pos)} is not a part of speech the studio offers")
        return cls(
            surface=_half_width(str(data.get("surface", ""))),
            pronunciation=str(data.get("pronunciation", "")),
            accent_type=data.get("accent_type"),
            word_type=word_type,
            priority=data.get("priority", DEFAULT_PRIORITY),
        ).checked()

    def csv_line(self) -> str:
        """The word as a naist-jdic CSV row: surface, left/right context id, cost, part of speech ×4, inflection
        ×2, base form, reading, pronunciation, accent/moras, chain rule."""
        t = WORD_TYPES[self.word_type]
        # As OpenJTalk will see it: after the studio's normalizer (digits become kanji numbers …) and OpenJTalk's
        # own widening of ASCII.
        surface = _full_width(normalize_text(self.surface) or self.surface)
        fields = [surface, t.context_id, t.context_id, priority_cost(self.priority), *t.pos, *t.inflection,
                  surface, self.pronunciation, self.pronunciation, f"{self.accent_type}/{self.mora_count}", "*"]  # fmt: skip
        return ",".join(str(f) for f in fields)


def priority_cost(priority: int) -> int:
    """MeCab word cost for a priority 0..10: lower costs win. 5 (the default) is low enough to win over the system
    dictionary's words for the same text; 10 nearly always wins, 0 only where nothing else fits."""
    return 4000 - 1200 * priority


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _half_width(text: str) -> str:
    return "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in text)


# --------------------------------------------------------------------------------------------------------------


_APPLY_LOCK = threading.Lock()
_installed: dict[str, Any] = {"folder": None, "key": None}


class UserDictionary:
    """The words, their file, and installing them into OpenJTalk. Every change is checked, compiled, written
    (atomically) and installed, in that order: a change that cannot be compiled changes nothing."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else data_dir() / FILE_NAME
        self.words: dict[str, UserWord] = {}
        self.notices: list[str] = []  # what a person should read (a file moved aside, entries dropped)
        self._load()

    # -- reading the file --------------------------------------------------------------------------------------

    def _load(self) -> None:
        if not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("the file is not a JSON object of words")
        except (OSError, ValueError) as exc:
            aside = self._move_aside()
            self.notices.append(f"{self.path}: the user dictionary could not be read ({exc}); it was moved to "
                                f"{aside.name} and an empty one started")  # fmt: skip
            return
        bad: list[str] = []
        for word_id, entry in data.items():
            try:
                self.words[str(word_id)] = UserWord.from_voicevox(entry)
            except DictionaryError as exc:
                bad.append(f"{word_id}: {exc}")
        if bad:
            aside = self._move_aside(copy=True)
            self.notices.append(f"{self.path}: {len(bad)} word(s) could not be used and were left out "
                                f"({'; '.join(bad[:3])}); the file as it was is kept as {aside.name}")  # fmt: skip

    def _move_aside(self, copy: bool = False) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.stem}.broken-{stamp}{self.path.suffix}")
        n = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.stem}.broken-{stamp}-{n}{self.path.suffix}")
            n += 1
        (shutil.copy2 if copy else os.replace)(self.path, aside)
        return aside

    # -- changes -----------------------------------------------------------------------------------------------

    def add(self, word: UserWord) -> str:
        """Add a word; returns its id."""
        word = word.checked()
        word_id = str(uuid.uuid4())
        self._commit({**self.words, word_id: word})
        return word_id

    def update(self, word_id: str, word: UserWord) -> None:
        word_id = self.resolve_id(word_id)
        self._commit({**self.words, word_id: word.checked()})

    def remove(self, word_id: str) -> UserWord:
        word_id = self.resolve_id(word_id)
        word = self.words[word_id]
        self._commit({k: v for k, v in self.words.items() if k != word_id})
        return word

    def import_voicevox(self, source: str | Path | dict, override: bool = True) -> int:
        """Add the words of a VOICEVOX user-dictionary JSON (a file or its parsed object); a word whose id is
        already here replaces it (unless `override` is False). All or nothing: one bad word refuses the file,
        naming the word and the field. Returns how many words were imported."""
        name = "the dictionary"
        if not isinstance(source, dict):
            name = str(source)
            try:
                source = json.loads(Path(source).read_text("utf-8"))
            except OSError as exc:
                raise DictionaryError("file", f"{name}: cannot be read ({exc.strerror or exc})") from None
            except ValueError as exc:
                raise DictionaryError("file", f"{name}: not a VOICEVOX user dictionary (invalid JSON: {exc})") from None
        if not isinstance(source, dict):
            raise DictionaryError("file", f"{name}: not a VOICEVOX user dictionary (expected an object of words)")
        imported: dict[str, UserWord] = {}
        for word_id, entry in source.items():
            try:
                imported[str(word_id)] = UserWord.from_voicevox(entry)
            except DictionaryError as exc:
                raise DictionaryError(exc.field, exc.problem, where=f"{name}: word {word_id}") from None
        words = dict(self.words)
        for word_id, word in imported.items():
            if override or word_id not in words:
                words[word_id] = word
        self._commit(words)
        return len(imported)

    def export_voicevox(self, target: str | Path | None = None) -> dict[str, Any]:
        """The words in VOICEVOX's format; written (atomically) to `target` when given."""
        data = {word_id: word.to_voicevox() for word_id, word in self.words.items()}
        if target is not None:
            write_text_atomic(Path(target), json.dumps(data, ensure_ascii=False, indent=2))
        return data

    def _require(self, word_id: str) -> UserWord:
        if word_id not in self.words:
            matches = [k for k in self.words if k.startswith(word_id)] if len(word_id) >= 4 else []
            if len(matches) != 1:
                raise DictionaryError("id", f"no word with the id {word_id!r} in the user dictionary")
            word_id = matches[0]
        return self.words[word_id]

    def resolve_id(self, word_id: str) -> str:
        """A full id for an id or a unique prefix of one (at least 4 characters), as `dict list` prints them."""
        self._require(word_id)
        return word_id if word_id in self.words else next(k for k in self.words if k.startswith(word_id))

    def _commit(self, words: dict[str, UserWord]) -> None:
        folder = _compile(words.values())  # first: a dictionary MeCab refuses changes nothing
        data = {word_id: word.to_voicevox() for word_id, word in words.items()}
        try:
            write_text_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=2))
        except OSError as exc:
            shutil.rmtree(folder, ignore_errors=True) if folder else None
            raise DictionaryError("file", f"{self.path}: cannot be written ({exc.strerror or exc})") from None
        self.words = words
        _install(folder, self._key())

    def _key(self) -> tuple:
        return (str(self.path), tuple(sorted((k, w) for k, w in self.words.items())))

    # -- OpenJTalk ---------------------------------------------------------------------------------------------

    def apply(self) -> None:
        """Install these words into OpenJTalk (nothing to do when they already are)."""
        if _installed["key"] == self._key():
            return
        _install(_compile(self.words.values()), self._key())


def _compile(words: Iterable[UserWord]) -> Path | None:
    """Compile the words into a MeCab user dictionary in a fresh folder (None: no words)."""
    rows = [w.csv_line() for w in words]
    if not rows:
        return None
    root = cache_dir() / "user_dict"
    root.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="dic-", dir=root))
    csv_path, dic_path = folder / "user.csv", folder / "user.dic"
    csv_path.write_text("\n".join(rows) + "\n", "utf-8")
    try:
        with _quiet_stdout():  # MeCab prints its progress on stdout, where the CLI writes JSON
            pyopenjtalk.mecab_dict_index(str(csv_path), str(dic_path))
    except Exception as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise DictionaryError("words", f"MeCab could not compile the user dictionary ({exc})") from None
    if not dic_path.is_file() or dic_path.stat().st_size == 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise DictionaryError("words", "MeCab could not compile the user dictionary (no .dic was written)")
    return folder


@contextlib.contextmanager
def _quiet_stdout():
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:  # no stdout at all (a windowed app): nothing to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _install(folder: Path | None, key: tuple) -> None:
    """Swap OpenJTalk to the compiled dictionary (or to none), then remove the one it replaced."""
    with _APPLY_LOCK:
        if folder is None:
            pyopenjtalk.unset_user_dict()
        else:
            pyopenjtalk.update_global_jtalk_with_user_dict(str(folder / "user.dic"))
        previous, _installed["folder"], _installed["key"] = _installed["folder"], folder, key
    if previous is not None and previous != folder:
        shutil.rmtree(previous, ignore_errors=True)  # may fail on Windows while mapped: the cache folder keeps it


_active: dict[str, UserDictionary] = {}


def activate_user_dictionary(path: str | Path | None = None) -> UserDictionary:
    """The user dictionary of this data folder, loaded once per process and installed into OpenJTalk: what every
    entry point (CLI, window, server) calls before analyzing text. Its `notices` say what a person must know."""
    target = Path(path) if path is not None else data_dir() / FILE_NAME
    with _APPLY_LOCK:
        dictionary = _active.get(str(target))
    if dictionary is None:
        dictionary = UserDictionary(target)
        with _APPLY_LOCK:
            _active[str(target)] = dictionary
    dictionary.apply()
    return dictionary


def deactivate() -> None:
    """Take every user dictionary out of OpenJTalk and forget the loaded ones (tests; switching data folders)."""
    with _APPLY_LOCK:
        _active.clear()
    _install(None, None)


__all__ = [
    "DEFAULT_PRIORITY",
    "MAX_PRIORITY",
    "MIN_PRIORITY",
    "UserDictionary",
    "UserWord",
    "WORD_TYPES",
    "activate_user_dictionary",
    "deactivate",
    "mora_count",
    "priority_cost",
]
