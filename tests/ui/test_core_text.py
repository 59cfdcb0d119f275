"""The core's texts in Japanese (ui/core_text.py).

Errors: every message the core can raise has a template (read from the sources, so a new message without one
fails here), real errors come out in Japanese with their paths and values intact, English stays as it was, and
unknown messages pass through. Progress lines, the streaming schedule's chunk reasons, voice and configuration
labels and the About box: the texts the real code makes (an export, a comparison and a stream with the built-in
voice, a stream with the fixture SBV2 voice, the chunk scheduler's every branch) read Japanese with no English
word left, and stay byte for byte the same in English."""

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
from sbv2_studio.ui.core_text import CATALOGS, CONTEXT, TEMPLATES, core_text, error_text, template_of
from sbv2_studio.ui.widgets import NoticeBar

pytestmark = pytest.mark.ui

CORE = Path(sbv2_studio.__file__).resolve().parent
# Not shown by the window, so not translated: the CLI prints its own messages in English, the HTTP API answers
# its clients in English, `batch --jobs/--ray` (app/export_workers.py) is the CLI's alone, and ui/ translates its own
# strings with self.tr.
NOT_SHOWN_BY_THE_WINDOW = ("cli.py", "app/server/", "app/export_workers.py", "ui/")
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
    assert not missing, "messages with no template in sbv2_studio/ui/core_text.py:\n" + "\n".join(missing)


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


# --------------------------------------------------------------------------------------- progress, chunks, labels

# Words that stay in Japanese: names of things (backends, formats, programs) and units.
KEPT_WORDS = frozenset({"RTF", "ms", "CPU", "CUDA", "BERT", "SBV2", "OpenJTalk", "mei", "ONNX", "JSON", "wav"})
PROGRESS_CALLS = frozenset({"tick", "progress", "report"})  # app/compare.py, models/safetensors_voice.py


def english_words(text: str, keep=()) -> list[str]:
    """The Latin words of `text` left once the values in `keep` (paths, names, the json module's words) are taken
    out, less the words that are names rather than English."""
    for value in sorted(map(str, keep), key=len, reverse=True):
        text = text.replace(value, " ")
    return [w for w in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if w not in KEPT_WORDS]


def core_progress_texts() -> list[tuple[str, str]]:
    """(where, template) of every progress text the core hands out: the message of each `emit("progress", …)`
    and of each call to a progress callback (`tick`, `progress`, `report`)."""
    out = []
    for rel, tree in core_modules().items():
        todo: list[tuple[ast.AST, ast.AST | None]] = [(tree, None)]
        while todo:
            node, scope = todo.pop()
            for child in ast.iter_child_nodes(node):
                inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else scope
                todo.append((child, inner))
                if not isinstance(child, ast.Call) or not child.args:
                    continue
                func = child.func
                emits = (
                    isinstance(func, ast.Attribute)
                    and func.attr == "emit"
                    and isinstance(child.args[0], ast.Constant)
                    and child.args[0].value == "progress"
                )
                # emit("progress", job, done, total, text); tick(text, skip), progress(done, total, text) …
                args = child.args[-1:] if emits else child.args
                if emits or (isinstance(func, ast.Name) and func.id in PROGRESS_CALLS):
                    out += [(f"{rel}:{child.lineno}", t) for arg in args for t in message_templates(arg, tree, inner)]
    return out


def test_every_progress_text_of_the_core_has_a_template():
    found = core_progress_texts()
    templates = {t for _, t in found}
    # a few of each kind: the studio's, a comparison's, a conversion step
    assert {"Warming up \x00/\x00 (\x00 ms)", "Exporting \x00 lines to \x00…", "Converting \x00: \x00…"} <= templates
    assert {"\x00: warm-up \x00/\x00", "\x00: skipped", "reading \x00 and \x00", "done"} <= templates
    missing = []
    for where, template in found:
        if only_holes(template):
            continue
        shown = core_text(render(template), translate=marked)
        if LATIN.search(SAMPLE.sub("", shown)):
            missing.append(f"{where}: {template.replace(HOLE, '{}')!r} → {shown!r}")
    assert not missing, "progress texts with no template in sbv2_studio/ui/core_text.py:\n" + "\n".join(missing)


def test_every_catalog_is_made_of_distinct_templates():
    assert set(CATALOGS) == {"Errors", "Progress", "Chunks", "Labels", "About"}
    for context, templates in CATALOGS.items():
        assert len(templates) == len(set(templates)), context
        assert all("{}" not in t and t == t.strip() for t in templates), context


def progress_lines(tmp_path: Path) -> list[str]:
    """The lines a real export shows: spoken lines, an unreadable one, and the same lines again (resumed), with
    and without a total; a comparison's steps; the studio's own texts."""
    from sbv2_studio.app.compare import CompareConfig, run_comparison
    from sbv2_studio.app.export import export_lines, format_progress
    from sbv2_studio.engine.builtin import OpenJTalkVoice
    from sbv2_studio.engine.params import SynthesisParams
    from sbv2_studio.runtime.backends import Backend

    voice = OpenJTalkVoice()
    lines = ["こんにちは。", "♪♪", "", "さようなら。"]
    shown: list[str] = []
    for total, elapsed in ((3, 7.0), (None, 4000.0)):  # the second run finds the first's files: "already done"

        def on_progress(done, total_, line, elapsed=elapsed):
            shown.append(format_progress(done, total_, line, elapsed))

        export_lines(voice, lines, tmp_path / "out", SynthesisParams(), total=total, on_progress=on_progress)
    assert any("skipped" in s for s in shown) and any("already done" in s for s in shown)
    assert any("ETA" in s for s in shown) and any(s.startswith("[1] ") for s in shown)
    cpu = Backend("cpu")
    run_comparison(
        voice, [CompareConfig(cpu, cpu)], "こんにちは。", SynthesisParams(), runs=1, warmup_runs=1, label=voice.label,
        is_loaded=lambda config: True, open_config=None, progress=lambda done, total, text: shown.append(text),
    )  # fmt: skip
    assert "All CPU: run 1/1" in shown
    shown += ["Loading mei…", "Warming up 0/2", "Warming up 2/2 (431 ms)", "Warming up streaming…"]
    shown += [f"Exporting 3 lines to {tmp_path / 'out'}…", "Converting voice.safetensors: reading G_100.safetensors…"]
    return shown


def test_real_progress_lines_read_japanese(tmp_path, japanese):
    for line in progress_lines(tmp_path):
        shown = core_text(line)
        left = english_words(shown, keep=[tmp_path / "out", "voice.safetensors", "G_100.safetensors"])
        assert shown != line and not left, f"{line!r} → {shown!r}: {left}"
    assert core_text("[ 3/12] 0003.wav  2.41 s audio in 1.02 s (RTF 0.42)  elapsed 0:07  ETA 0:31") == (
        "[ 3/12] 0003.wav  音声 2.41 秒を 1.02 秒で合成（RTF 0.42）  経過 0:07  残り約 0:31"
    )
    assert core_text("All CUDA:0: warm-up 1/2") == "すべて CUDA:0: ウォームアップ 1/2"


def test_real_progress_lines_stay_english_without_the_translator(tmp_path):
    for line in progress_lines(tmp_path):
        assert core_text(line) == line


def chunk_reasons(pipeline) -> list[str]:
    """The reasons real streams give (the built-in voice, the fixture SBV2 voice), and every branch of the chunk
    scheduler and of the start buffer."""
    from sbv2_studio.engine.builtin import OpenJTalkVoice
    from sbv2_studio.engine.streaming import ChunkScheduler
    from sbv2_studio.engine.synthesis import MachineSpeed, PlaybackSchedule, SynthesisPlan, SynthesisResult

    text = "こんにちは。今日はいい天気ですね。散歩に行きましょう。"
    reasons = [c.reason for c in OpenJTalkVoice().stream(text, plan=SynthesisPlan.streaming()).collect().chunks]
    reasons += [c.reason for c in pipeline.stream(text, plan=SynthesisPlan.streaming()).collect().chunks]
    plan = SynthesisPlan(first_chunk_frames=8, min_chunk_frames=8, growth=2.0, safety=0.5, margin_ms=10.0)
    scheduler = ChunkScheduler(plan, overhead_frames=4.0)
    scheduler.next_size(None)
    reasons.append(scheduler.reason)  # the first chunk
    scheduler.observe(8, 60.0)
    for headroom in (None, 10_000.0, 140.0, 70.0, -50.0):  # filling; allows; sized to it; smallest; catch up
        scheduler.next_size(headroom)
        reasons.append(scheduler.reason + "; with the segment's short tail")
    fixed = ChunkScheduler(SynthesisPlan(first_chunk_frames=8, adaptive=False), 4.0)
    fixed.observe(8, 1000.0)
    fixed.next_size(0.0)
    reasons.append(fixed.reason)
    for prep_ms_per_char, rest in ((1.0, 20), (1000.0, 20), (None, None)):  # ≥ … ms ahead; waits; all ahead
        speed = MachineSpeed(prep_ms_per_char=prep_ms_per_char, samples_per_char=4000.0)
        schedule = PlaybackSchedule(SynthesisPlan.streaming(), 44100, None, SynthesisResult(sample_rate=44100), speed)
        schedule.rest_chars = rest
        reasons.append(schedule.handed_out(2000, "pause", 0, "pause")[1])
        reasons.append(schedule.handed_out(44100, "speech", 0, "fixed schedule" if rest is None else "")[1])
    return [r for r in reasons if r]


def test_real_chunk_reasons_read_japanese(jp_extra_pipeline, japanese):
    reasons = chunk_reasons(jp_extra_pipeline)
    starts = ("first chunk", "×2 the last one (", "sized to", "smallest", "fixed", "pause;", "playback", "start buffer")
    assert all(any(r.startswith(s) or f"; {s}" in r for r in reasons) for s in starts), reasons
    assert any("to catch up" in r for r in reasons) and any("keep all ahead" in r for r in reasons)
    for reason in reasons:
        shown = core_text(reason)
        assert not english_words(shown), f"{reason!r} → {shown!r}"
    assert core_text("sized to the headroom (310 ms ahead)") == "余裕に合わせた大きさ（310 ms 先行）"
    assert core_text(
        "first chunk: small, for time to first audio; start buffer: waiting (93 ms buffered would run 120 ms "
        "short at ×1.30)"
    ) == (
        "最初のチャンク: 最初の音声を早く出すため小さめ; 開始バッファ: 待機中（93 ms のバッファでは ×1.30 で 120 ms 足りない）"
    )


def test_real_chunk_reasons_stay_english_without_the_translator(jp_extra_pipeline):
    for reason in chunk_reasons(jp_extra_pipeline):
        assert core_text(reason) == reason


def labels(tmp_path: Path) -> tuple[list[str], list[str]]:
    """(labels, their values that stay: names, paths) of the built-in voice, a broken voice, the fixture voice,
    the configurations a comparison offers and an emulated backend."""
    from sbv2_studio.app.compare import configs_for
    from sbv2_studio.engine.builtin import OpenJTalkVoice
    from sbv2_studio.models.library import Library, builtin_entry

    broken = tmp_path / "models" / "壊れた声"
    broken.mkdir(parents=True)
    (broken / "config.json").write_text("[1, 2]", encoding="utf-8")
    entries = Library(home=tmp_path).scan()
    bad = next(e for e in entries if e.name == "壊れた声")
    assert bad.error and bad.label.startswith("壊れた声 (sbv2) — broken: ")
    texts = [builtin_entry().label, OpenJTalkVoice().label, bad.label, "CUDA:0 (emulated on CPU)"]
    texts += [c.label for c in configs_for(["cuda", "dml"])]
    return texts, [broken / "config.json", "sbv2", "list", "DirectML"]


def test_labels_read_japanese_and_names_stay(tmp_path, japanese):
    texts, kept = labels(tmp_path)
    for label in texts:
        shown = core_text(label)
        assert shown != label and not english_words(shown, keep=kept), f"{label!r} → {shown!r}"
    assert core_text("Built-in: OpenJTalk mei (not SBV2)") == "内蔵: OpenJTalk mei（SBV2 ではありません）"
    assert core_text("BERT CPU + synth CUDA:0") == "BERT CPU + 音声合成 CUDA:0"
    # a voice's own label has nothing to translate: its name and version stay
    assert core_text("tiny_jp_extra (SBV2 2.0-JP-Extra)") == "tiny_jp_extra (SBV2 2.0-JP-Extra)"


def test_labels_stay_english_without_the_translator(tmp_path):
    for label in labels(tmp_path)[0]:
        assert core_text(label) == label


def test_the_about_text_is_in_the_catalog_and_reads_japanese(japanese):
    from sbv2_studio.app.about import MEI_CREDIT, about_text

    parts = about_text().split("\n\n")
    assert MEI_CREDIT in CATALOGS["About"] and parts[1] in CATALOGS["About"]
    shown = [core_text(p) for p in parts]
    assert shown[0] == parts[0] and shown[1].startswith("Style-Bert-VITS2 の音声による日本語音声合成")
    assert shown[2].startswith('内蔵音声: HTS Voice "Mei"') and "クリエイティブ・コモンズ 表示 3.0" in shown[2]


def test_the_window_shows_progress_and_labels_in_japanese(qtbot, open_studio, studio_env, japanese):
    window = open_studio()
    assert window.model_combo.itemText(0) == "内蔵: OpenJTalk mei（SBV2 ではありません）"
    assert window.windowTitle() == "SBV2 Studio — 内蔵: OpenJTalk mei（SBV2 ではありません）"
    window.editor.setPlainText("こんにちは。\n♪♪\nさようなら。")
    shown: list[str] = []
    window.worker.exportProgress.connect(lambda done, total, text: shown.append(window.statusBar().currentMessage()))
    with qtbot.waitSignal(window.worker.exportDone, timeout=60_000):
        window.export_lines(studio_env / "out")
    assert len(shown) == 4, shown
    assert shown[0] == f"3 行を {studio_env / 'out'} に書き出しています…"
    assert all(not english_words(s, keep=[studio_env / "out"]) for s in shown), shown
    assert "2 行目を飛ばしました: " in shown[2] and "経過" in shown[1]
