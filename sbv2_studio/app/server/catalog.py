"""The voices as VOICEVOX "speakers" and "styles", with style ids that stay the same across restarts.

A VOICEVOX speaker is one speaker of one voice (an SBV2 model can hold several speakers; each gets the model's
styles). Its `speaker_uuid` is the one in an .aivmx file's manifest, or else a UUID made from the voice's own name
and the speaker's (uuid5, so the same model gives the same UUID wherever its folder lies). A style id is made as
AivisSpeech Engine makes its own: the low 27 bits of the MD5 of the speaker UUID, shifted left 5 bits, with the
style's local id (its row in the model's style vectors, 0..31) in the low 5 bits, the sign bit cleared (a
non-negative 32-bit int). So an .aivmx voice has the same style ids here as in AivisSpeech. Should two styles
still meet on one id (another copy of the same model, or a local id above 31), the later-listed one takes the
next free id; `/speakers` always says which id is whose.
"""

from __future__ import annotations

import hashlib
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import StudioError
from ...models.library import BUILTIN_ID, Library, ModelEntry

# A namespace of our own for the UUIDs made from voice names (uuid5 of this name in the URL namespace).
SPEAKER_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://sbv2-studio.invalid/speakers")
UUID_BITS, LOCAL_BITS = 27, 5
MAX_STYLE_ID = 2**31 - 1


def speaker_uuid(voice_name: str, speaker_name: str) -> str:
    return str(uuid.uuid5(SPEAKER_NAMESPACE, f"{voice_name}\n{speaker_name}"))


def style_id(speaker_uuid_: str, local_id: int) -> int:
    """The AivisSpeech scheme: md5(uuid)'s low 27 bits << 5 | local id (5 bits), as a non-negative int32."""
    digest = int(hashlib.md5(speaker_uuid_.encode(), usedforsecurity=False).hexdigest(), 16)
    combined = ((digest & ((1 << UUID_BITS) - 1)) << LOCAL_BITS) | (local_id & ((1 << LOCAL_BITS) - 1))
    return combined & MAX_STYLE_ID


class SpeakerNotFound(StudioError):
    """A style id or speaker UUID that no installed voice has (answered with 404)."""


@dataclass(frozen=True)
class Style:
    id: int
    name: str  # the model's style name
    local_id: int
    speaker: Speaker = field(repr=False, compare=False)

    @property
    def entry_id(self) -> str:
        return self.speaker.entry.id


@dataclass(frozen=True)
class Speaker:
    name: str
    uuid: str
    version: str
    entry: ModelEntry
    sid: int  # the speaker's id inside its model
    speaker_name: str  # the speaker's name inside its model
    styles: list[Style] = field(default_factory=list, compare=False)

    @property
    def builtin(self) -> bool:
        return self.entry.id == BUILTIN_ID


def build_speakers(entries: list[ModelEntry]) -> list[Speaker]:
    """Speakers for the valid entries (broken voices are left out), styles in the model's order."""
    taken: set[int] = set()
    speakers: list[Speaker] = []
    for entry in entries:
        if not entry.valid:
            continue
        several = len(entry.speakers) > 1
        uuids = getattr(entry, "speaker_uuids", {}) or {}
        for spk_name, sid in sorted(entry.speakers.items(), key=lambda kv: kv[1]):
            uid = uuids.get(spk_name) or speaker_uuid(entry.name, spk_name)
            if any(s.uuid == uid for s in speakers):  # another copy of the same voice: its own UUID by path
                uid = speaker_uuid(f"{entry.name}\n{entry.path}", spk_name)
            name = f"{entry.name} ({spk_name})" if several and spk_name != entry.name else entry.name
            if entry.id == BUILTIN_ID:
                name = "OpenJTalk mei (built-in, not SBV2)"
            version = entry.version or ("builtin" if entry.id == BUILTIN_ID else entry.kind)
            speaker = Speaker(name, uid, version, entry, sid, spk_name)
            for style_name, local in sorted(entry.styles.items(), key=lambda kv: kv[1]):
                sid_ = style_id(uid, local)
                while sid_ in taken:
                    sid_ = (sid_ + 1) & MAX_STYLE_ID
                taken.add(sid_)
                speaker.styles.append(Style(sid_, style_name, local, speaker))
            speakers.append(speaker)
    return speakers


def _roots_stamp(library: Library) -> tuple:
    """What changes when a voice is added, removed or replaced in the library's folders."""
    stamp = []
    for root in library.roots():
        try:
            stamp.append((str(root), root.stat().st_mtime_ns))
            stamp += [(c.name, c.stat().st_mtime_ns) for c in sorted(Path(root).iterdir())]
        except OSError:
            stamp.append((str(root), None))
    return tuple(stamp)


class Catalog:
    """The speakers of a library, rescanned only when its folders change. Thread-safe."""

    def __init__(self, library_of):
        self._library_of = library_of  # () -> Library (the Studio's, with the window's added folders)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._speakers: list[Speaker] = []
        self._styles: dict[int, Style] = {}

    def speakers(self) -> list[Speaker]:
        library = self._library_of()
        stamp = (tuple(str(r) for r in library.roots()), _roots_stamp(library))
        with self._lock:
            if stamp != self._stamp:
                self._speakers = build_speakers(library.scan())
                self._styles = {st.id: st for sp in self._speakers for st in sp.styles}
                self._stamp = stamp
            return list(self._speakers)

    def style(self, style_id_: int) -> Style:
        self.speakers()
        with self._lock:
            style = self._styles.get(style_id_)
        if style is None:
            raise SpeakerNotFound(f"speaker={style_id_}: no installed voice has this style id (see GET /speakers)")
        return style

    def speaker(self, uuid_: str) -> Speaker:
        for speaker in self.speakers():
            if speaker.uuid == uuid_:
                return speaker
        raise SpeakerNotFound(f"speaker_uuid={uuid_}: no installed voice has this speaker (see GET /speakers)")


__all__ = ["Catalog", "Speaker", "SpeakerNotFound", "Style", "build_speakers", "speaker_uuid", "style_id"]
