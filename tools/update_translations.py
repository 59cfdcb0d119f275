#!/usr/bin/env python
"""Refresh the window's translations: extract every string of sbv2_studio/ui into the .ts catalogs, then compile
them into the .qm files the window loads.

    python tools/update_translations.py          # lupdate + lrelease
    python tools/update_translations.py --check  # exit 1 if a .ts misses a string or has one untranslated

After running it, translate the new entries of sbv2_studio/ui/i18n/sbv2_studio_ja.ts (Qt Linguist, or by hand:
replace `<translation type="unfinished"></translation>`), and run it again to compile them.
tests/ui/test_i18n.py fails while a string of the window has no translation or the .qm is stale.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "sbv2_studio" / "ui"
I18N = UI / "i18n"
LANGUAGES = ("ja",)


def ts_path(language: str) -> Path:
    return I18N / f"sbv2_studio_{language}.ts"


def qm_path(language: str) -> Path:
    return I18N / f"sbv2_studio_{language}.qm"


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease: beside this Python (a venv's bin/Scripts), else on PATH."""
    here = Path(sys.executable).parent
    for candidate in (here / name, here / f"{name}.exe"):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found: install PySide6 (it ships {name})")
    return found


def sources() -> list[Path]:
    return sorted(p for p in UI.rglob("*.py") if "__pycache__" not in p.parts)


def lupdate(ts: Path, language: str = "ja") -> None:
    """Extract the strings of every ui module into `ts` (new ones unfinished; vanished ones dropped)."""
    files = [str(p.relative_to(ROOT)) for p in sources()]
    cmd = [
        tool("pyside6-lupdate"),
        *files,
        "-no-obsolete",
        "-locations",
        "relative",
        "-target-language",
        language,
        "-ts",
        str(ts),
    ]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, text=True)


def lrelease(ts: Path, qm: Path) -> None:
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(qm)], check=True, capture_output=True, text=True)


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) -> the <translation> element of every message in `ts`."""
    out = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            out[(name, message.findtext("source"))] = message.find("translation")
    return out


def untranslated(ts: Path) -> list[tuple[str, str]]:
    """Messages with no finished, non-empty translation."""
    return [
        key
        for key, translation in messages(ts).items()
        if translation is None
        or translation.get("type") in ("unfinished", "obsolete", "vanished")
        or not (translation.text or "").strip()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; change nothing")
    args = parser.parse_args(argv)
    status = 0
    for language in LANGUAGES:
        ts = ts_path(language)
        if args.check:
            import tempfile

            with tempfile.TemporaryDirectory() as tmp:
                fresh = Path(tmp) / ts.name
                shutil.copy(ts, fresh)
                lupdate(fresh)
                missing = set(messages(fresh)) - set(messages(ts))
            for context, source in sorted(missing):
                print(f"{ts.name}: not extracted yet: [{context}] {source!r}")
        else:
            I18N.mkdir(parents=True, exist_ok=True)
            lupdate(ts)
            missing = set()
        todo = untranslated(ts)
        for context, source in todo:
            print(f"{ts.name}: untranslated: [{context}] {source!r}")
        if not args.check:
            lrelease(ts, qm_path(language))
        total = len(messages(ts))
        print(
            f"{ts.name}: {total} messages, {len(todo)} untranslated"
            + ("" if args.check else f"; wrote {qm_path(language).name}")
        )
        status |= bool(missing or todo)
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
