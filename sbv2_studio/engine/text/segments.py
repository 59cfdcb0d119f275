"""Text → segments: the pieces of a text that are synthesized on their own.

Lines (newlines), then sentences (after `。．！？!?…‥`, closing brackets kept with their sentence), then
over-long sentences at `、，,` (and, only if a piece is still too long, at spaces or hard at the limit). Streaming
speaks segment by segment; the whole-request pipeline splits only lines too long to synthesize in one piece.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

SENTENCE_ENDS = "。．！？!?…‥"
CLOSERS = "」』）)】〉》〕］]}｝\"'”’〟»"
COMMAS = "、，,､"
DEFAULT_MAX_CHARS = 100


@dataclass(frozen=True)
class Segment:
    """One piece of text synthesized on its own: a sentence, or part of an over-long one."""

    text: str
    index: int  # among all segments of the request
    line: int  # which non-empty line of the text it belongs to
    first_in_line: bool
    last_in_line: bool
    query: object | None = None  # an edited engine.query.AudioQuery: spoken as it says instead of analyzing text


def _is_sentence_end(text: str, i: int) -> bool:
    ch = text[i]
    if ch in SENTENCE_ENDS:
        return True
    if ch == ".":  # ASCII period: not inside a number (3.14) or an abbreviation-like run a.b
        nxt = text[i + 1] if i + 1 < len(text) else ""
        return not (nxt.isdigit() or nxt.isalpha() and nxt.isascii())
    return False


def _sentences(line: str) -> list[str]:
    """Split one line after each run of sentence-ending marks (closing brackets and spaces stay in front)."""
    out, start, i, n = [], 0, 0, len(line)
    while i < n:
        if _is_sentence_end(line, i):
            while i + 1 < n and (_is_sentence_end(line, i + 1) or line[i + 1] in CLOSERS):
                i += 1
            while i + 1 < n and line[i + 1].isspace():
                i += 1
            out.append(line[start : i + 1])
            start = i + 1
        i += 1
    if start < n:
        out.append(line[start:])
    return out


def _pack(pieces: list[str], max_chars: int) -> list[str]:
    """Join consecutive pieces while the result stays within max_chars."""
    out: list[str] = []
    for piece in pieces:
        if out and len(out[-1].strip()) + len(piece.strip()) <= max_chars:
            out[-1] += piece
        else:
            out.append(piece)
    return out


def _split_after(text: str, marks: str) -> list[str]:
    pieces, start = [], 0
    for i, ch in enumerate(text):
        if ch in marks:
            pieces.append(text[start : i + 1])
            start = i + 1
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _split_long(sentence: str, max_chars: int, hard: bool = True) -> list[str]:
    """An over-long sentence in pieces of at most max_chars: at commas, else at spaces, else (hard) anywhere."""
    if len(sentence.strip()) <= max_chars:
        return [sentence]
    out: list[str] = []
    for piece in _pack(_split_after(sentence, COMMAS), max_chars):
        if len(piece.strip()) <= max_chars or not hard:
            out.append(piece)
            continue
        for sub in _pack(re.split(r"(?<=\s)", piece), max_chars):
            while len(sub.strip()) > max_chars:
                out.append(sub[:max_chars])
                sub = sub[max_chars:]
            out.append(sub)
    return out


def _readable(piece: str) -> bool:
    return any(ch.isalnum() for ch in piece)


def split_sentences(line: str, max_chars: int = DEFAULT_MAX_CHARS) -> list[str]:
    """One line's segments: sentences, over-long ones split at commas; pieces without anything readable (a lone
    `」` or `……`) are joined to the piece before them."""
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    pieces: list[str] = []
    for sentence in _sentences(line):
        for piece in _split_long(sentence, max_chars):
            if pieces and not _readable(piece):
                pieces[-1] += piece
            else:
                pieces.append(piece)
    if len(pieces) > 1 and not _readable(pieces[0]):
        pieces[1] = pieces[0] + pieces[1]
        pieces.pop(0)
    return [p.strip() for p in pieces if p.strip()]


def iter_segments(
    text: str | Iterable[str],
    max_chars: int = DEFAULT_MAX_CHARS,
    first_max_chars: int | None = None,
    split_lines: bool = True,
    pack: bool = False,
) -> Iterator[Segment]:
    """The segments of a text (a string, or an iterable of lines such as an open file), lazily.

    `first_max_chars` splits the very first segment at a comma if it is longer (only at commas: a first segment
    without one is kept whole), which shortens the time to first audio. `pack` joins consecutive sentences of a
    line again while they fit in max_chars (a line that fits is then one segment, as a whole-line request)."""
    if isinstance(text, str):
        lines: Iterable[str] = text.split("\n") if split_lines else [text.replace("\n", " ")]
    else:
        lines = text
    index, line_no = 0, 0
    for raw in lines:
        pieces = split_sentences(raw.rstrip("\r\n"), max_chars)
        if not pieces:
            continue
        if pack:
            pieces = _pack(pieces, max_chars)
        if index == 0 and first_max_chars and len(pieces[0]) > first_max_chars:
            head = [h for h in _split_long(pieces[0], first_max_chars, hard=False) if h.strip()]
            if len(head) > 1 and _readable("".join(head[1:])):
                pieces = [head[0].strip(), "".join(head[1:]).strip(), *pieces[1:]]
        for j, piece in enumerate(pieces):
            yield Segment(piece, index, line_no, j == 0, j == len(pieces) - 1)
            index += 1
        line_no += 1


def split_long_line(line: str, max_chars: int) -> list[str]:
    """A line too long to synthesize in one piece, in sentence-sized pieces of at most max_chars (consecutive
    sentences packed together while they fit). A line within max_chars comes back whole and untouched."""
    if len(line) <= max_chars:
        return [line]
    return _pack(split_sentences(line, max_chars), max_chars)


__all__ = [
    "CLOSERS",
    "COMMAS",
    "DEFAULT_MAX_CHARS",
    "SENTENCE_ENDS",
    "Segment",
    "iter_segments",
    "split_long_line",
    "split_sentences",
]
