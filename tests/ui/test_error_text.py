"""The core's error messages in Japanese: every message the core can raise has a template in ui/error_text.py
(read from the sources, so a new message without one fails here), real errors come out in Japanese with their
paths and values intact, English stays as it was, and unknown messages pass through."""

from __future__ import annotations

import ast
import re
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

import sbv2_studio
from sbv2_studio.errors import DictionaryError, ModelError, ParameterError, StudioError, TextError
from sbv2_studio.ui import i18n
from sbv2_studio.ui.error_text import CONTEXT, TEMPLATES, error_text, template_of
from sbv2_studio.ui.widgets import NoticeBar

pytestmark = pytest.mark.ui

CORE = Path(sbv2_studio.__file__).resolve().parent
# Not shown by the window, so not translated: the CLI prints its own messages in English, the HTTP API answers
# its clients in English, and ui/ translates its own strings with self.tr.
NOT_SHOWN_BY_THE_WINDOW = ("cli.py", "app/server/", "ui/")
# The argument that holds the message: ModelError(path, problem) and DictionaryError(field, problem, where) name
# their subject first; every other StudioError takes the message itself.
PROBLEM_SECOND = {"ModelError", "DictionaryError"}
HOLE = "\x00"  # a variable part of a message read from the sources
SAMPLE = re.compile(r"«\d+»")
LATIN = re.compile(r"[A-Za-z]")


# --------------------------------------------------------------------------------------- reading the sources


def core_modules() -> dict[str, ast.Module]:
    modules = {}
    for path in sorted(CORE.rglob("*.py")):
        rel = path.relative_to(CORE).as_posix()
        if not rel.startswith(NOT_SHOWN_BY_THE_WINDOW):
            modules[rel] = ast.parse(path.read_text(encoding="utf-8"), rel)
    return modules


def error_classes(modules: dict[str, ast.Module]) -> dict[str, int]:
    """Every StudioError subclass of the core → the index of its message argument."""
    found = {"StudioError": 0}
    classes = [node for tree in modules.values() for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    while True:
        new = {}
        for node in classes:
            bases = [getattr(b, "id", None) for b in node.bases]
            if node.name not in found and any(b in found for b in bases):
                new[node.name] = 1 if node.name in PROBLEM_SECOND or any(b in PROBLEM_SECOND for b in bases) else 0
        if not new:
            return found
        found.update(new)


def message_templates(node: ast.expr, tree: ast.Module, scope: ast.AST | None) -> list[str]:
    """The messages an expression can make: literal text, HOLE for each variable part; f-strings, "+", "x if c
    else y", a local variable (its assignments) and a call to a function of the module (its returns) are read."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        out = [""]
        for part in node.values:
            pieces = message_templates(part, tree, None) if isinstance(part, ast.Constant) else [HOLE]
            out = [a + b for a in out for b in pieces]
        return out
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = message_templates(node.left, tree, scope), message_templates(node.right, tree, scope)
        return [a + b for a in left for b in right]
    if isinstance(node, ast.IfExp):
        return message_templates(node.body, tree, scope) + message_templates(node.orelse, tree, scope)
    if isinstance(node, ast.Name) and scope is not None:
        values = [
            n.value
            for n in ast.walk(scope)
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == node.id for t in n.targets)
        ]
        return [t for v in values for t in message_templates(v, tree, None)] or [HOLE]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        for f in tree.body:
            if isinstance(f, ast.FunctionDef) and f.name == node.func.id:
                returns = [r.value for r in ast.walk(f) if isinstance(r, ast.Return) and r.value is not None]
                return [t for r in returns for t in message_templates(r, tree, f)] or [HOLE]
    return [HOLE]


def core_messages() -> list[tuple[str, str]]:
    """(where, template) of every message the core gives a StudioError (or a subclass): the calls' message
    arguments, and the default messages of the classes' own __init__."""
    modules = core_modules()
    classes = error_classes(modules)
    out = []
    for rel, tree in modules.items():
        todo: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]  # (node, the function it is in)
        while todo:
            node, scope = todo.pop()
            for child in ast.iter_child_nodes(node):
                inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else scope
                todo.append((child, inner))
                if isinstance(child, ast.Call) and getattr(child.func, "id", None) in classes:
                    index = classes[child.func.id]
                    arg = child.args[index] if len(child.args) > index else None
                    arg = arg or next((k.value for k in child.keywords if k.arg in ("problem", "message")), None)
                    if arg is not None:
                        out += [(f"{rel}:{child.lineno}", t) for t in message_templates(arg, tree, inner)]
                if isinstance(child, ast.ClassDef) and child.name in classes:
                    inits = [f for f in child.body if isinstance(f, ast.FunctionDef) and f.name == "__init__"]
                    defaults = [d for f in inits for d in f.args.defaults if isinstance(d, ast.Constant)]
                    out += [(f"{rel}:{d.lineno}", d.value) for d in defaults if isinstance(d.value, str)]
    return out


def only_holes(template: str) -> bool:
    """A message that is nothing but other messages and names (f"{path}: {exc}"): nothing of its own to say."""
    return not LATIN.search(template.replace(HOLE, ""))


def render(template: str) -> str:
    """The template with each variable part a distinct sample value: «0», «1» …"""
    parts = template.split(HOLE)
    return "".join(p + (f"«{i}»" if i < len(parts) - 1 else "") for i, p in enumerate(parts))


def marked(template: str) -> str:
    """A stand-in translation that keeps the placeholders and turns every Latin letter into ✓."""
    pieces = re.split(r"(\{\w+\})", template)
    return "".join(p if re.fullmatch(r"\{\w+\}", p) else LATIN.sub("✓", p) for p in pieces)


# --------------------------------------------------------------------------------------- the catalog covers the core


def test_the_sources_are_read():
    messages = core_messages()
    templates = {t for _, t in messages}
    assert len(messages) > 200
    # a few of each shape: a ModelError's problem, a DictionaryError's, an f-string, a helper's return, a default
    assert "not valid JSON (\x00)" in templates
    assert "is empty: give the word as it is written" in templates
    assert "\x00=\x00 is outside \x00..\x00" in templates
    assert "\x00: not found on Hugging Face" in templates
    assert "download cancelled; run it again to resume where it stopped" in templates


def test_every_message_of_the_core_has_a_template():
    """Each message, its variable parts filled with sample values, is translated whole: no English word of it is
    left over (a path, a field or a backend before ": " may stay; they are the sample values here)."""
    missing = []
    for where, template in core_messages():
        if only_holes(template):
            continue
        sample = render(template)
        shown = error_text(sample, translate=marked)
        if LATIN.search(SAMPLE.sub("", shown)):
            missing.append(f"{where}: {template.replace(HOLE, '{}')!r} → {shown!r}")
    assert not missing, "messages with no template in sbv2_studio/ui/error_text.py:\n" + "\n".join(missing)


def test_the_catalog_is_made_of_distinct_templates_with_named_placeholders():
    assert len(TEMPLATES) == len(set(TEMPLATES)) > 200
    for template in TEMPLATES:
        assert "{}" not in template and template == template.strip(), template


# --------------------------------------------------------------------------------------- matching


def test_unknown_messages_pass_through_unchanged():
    for message in ("", "something else went wrong", "a: b; c: d", "{path}: {error}", "(((", "x" * 5000):
        assert error_text(message, translate=marked) == message


def test_a_message_with_many_separators_is_quick():
    """Every ": " and "; " is a place to split: each piece is tried once, not once per way of reaching it."""
    message = "; ".join(f"step {i}: part {i}: missing" for i in range(60))
    started = time.perf_counter()
    shown = error_text(message, translate=marked)
    assert time.perf_counter() - started < 2.0
    assert shown == message.replace("missing", "✓✓✓✓✓✓✓")


def test_the_most_specific_template_wins_and_nested_messages_are_translated():
    assert template_of("pitch must be 0 (low) or 1 (high), not 3") == "pitch must be 0 (low) or 1 (high), not {pitch}"
    assert template_of("cannot be read (Permission denied)") == "cannot be read ({error})"
    # ModelError: "path: problem" keeps the path; a nested error's text is translated too
    shown = error_text("/v/a: b/config.json: malformed 'data' (not valid JSON (boom))", translate=marked)
    assert shown == "/v/a: b/config.json: ✓✓✓✓✓✓✓✓✓ 'data' (✓✓✓ ✓✓✓✓✓ ✓✓✓✓ (boom))"
    # two messages joined by "; " are two messages, not one holding "b); c (d"
    joined = "bert: CUDA could not start (x); finished on CPU; synthesize: DirectML failed (y); finished on CPU"
    shown = error_text(joined, translate=marked)
    assert shown == "bert: CUDA ✓✓✓✓✓ ✓✓✓ ✓✓✓✓✓ (x); ✓✓✓✓✓✓✓✓ ✓✓ ✓✓✓; synthesize: DirectML ✓✓✓✓✓✓ (y); ✓✓✓✓✓✓✓✓ ✓✓ ✓✓✓"


def test_english_messages_come_back_exactly_as_they_were():
    """Without the Japanese catalog (English, or a template the translator does not know), nothing changes."""
    for _, template in core_messages():
        sample = render(template)
        assert error_text(sample) == sample


# --------------------------------------------------------------------------------------- real errors, in Japanese


@pytest.fixture
def japanese(qapp):
    translation = i18n.Translation("ja").install(qapp)
    assert translation.missing == []
    yield translation
    translation.remove(qapp)


def raised(action) -> str:
    with pytest.raises(StudioError) as caught:
        action()
    return str(caught.value)


def real_errors(tmp_path: Path) -> dict[str, str]:
    """Messages made by really failing: a broken voice folder, a parameter out of range, a bad dictionary word,
    an unreadable text."""
    from sbv2_studio.engine.params import SynthesisParams
    from sbv2_studio.engine.text.frontend import analyze
    from sbv2_studio.engine.text.user_dict import UserWord
    from sbv2_studio.models.formats import load_voice_model

    broken = tmp_path / "ボイス"
    broken.mkdir()
    (broken / "config.json").write_text("{not json", encoding="utf-8")
    return {
        "json": raised(lambda: load_voice_model(broken)),
        "missing": raised(lambda: load_voice_model(tmp_path / "nowhere")),
        "param": raised(lambda: SynthesisParams(length=9.5).validate()),
        "word": raised(lambda: UserWord("菊池", "きくち", 0).checked()),
        "accent": raised(lambda: UserWord("菊池", "キクチ", 7).checked()),
        "text": raised(lambda: analyze("♪♪")),
    }


def test_real_errors_read_japanese_with_their_details_intact(tmp_path, japanese):
    errors = real_errors(tmp_path)
    shown = {key: error_text(message) for key, message in errors.items()}
    folder = tmp_path / "ボイス" / "config.json"
    assert errors["json"].startswith(f"{folder}: not valid JSON (")
    detail = errors["json"].removeprefix(f"{folder}: not valid JSON (").removesuffix(")")  # the json module's words
    assert shown["json"] == f"{folder}: JSON として正しくありません（{detail}）"
    assert shown["missing"] == f"{tmp_path / 'nowhere'}: 存在しません"
    assert errors["param"] == "length=9.5 is outside 0.1..5"
    assert shown["param"] == "length=9.5 は範囲 0.1..5 の外です"
    assert shown["word"] == "pronunciation: 'きくち' はカタカナの読みではありません（例: きくち ではなく キクチ）"
    assert shown["accent"] == "accent_type: 7 は キクチ の 3 モーラを超えています（0..3）"
    assert shown["text"] == "正規化すると読める文字が残りません: '♪♪'"
    assert all(shown[key] != message for key, message in errors.items())


def test_real_errors_stay_english_without_the_translator(tmp_path):
    assert QCoreApplication.translate(CONTEXT, "missing") == "missing"
    for message in real_errors(tmp_path).values():
        assert error_text(message) == message


def test_nested_and_wrapped_errors_are_translated(japanese):
    inner = str(ModelError("/m/v.onnx", "empty file (0 bytes): not an ONNX model"))
    outer = f"unexpected RuntimeError: {inner}"
    assert (
        error_text(outer)
        == "予期しないエラー RuntimeError: /m/v.onnx: 空のファイルです（0 バイト）: ONNX モデルではありません"
    )
    word = DictionaryError("priority", "99 is outside 0..10", where="/d/words.json: word 7")
    assert error_text(str(word)) == "/d/words.json: 単語 7: priority: 99 は範囲 0..10 の外です"
    assert error_text(str(TextError("no voice is loaded yet"))) == "音声がまだ読み込まれていません"
    assert error_text(str(ParameterError("something new"))) == "something new"


# --------------------------------------------------------------------------------------- the window


def test_the_window_shows_a_failed_load_in_japanese(qtbot, open_studio, studio_env, japanese):
    window = open_studio()
    broken = studio_env / "broken-voice"
    broken.mkdir()
    (broken / "config.json").write_text("[1, 2]", encoding="utf-8")
    with qtbot.waitSignal(window.worker.jobFailed, timeout=30_000) as failed:
        window.load_voice(str(broken))
    english = failed.args[1]
    assert english == f"{broken / 'config.json'}: expected a JSON object, not list"
    notice = window.findChild(NoticeBar, "errorNotice")
    assert notice is not None
    assert notice.text.startswith("<b>音声を読み込めませんでした:</b> ")
    assert f"{broken / 'config.json'}: JSON オブジェクトのはずが list です" in notice.text
    assert "expected" not in notice.text
