"""The CLI forms the accent-editing issue says are relied on: `dict add/list/remove/import/export`, `query TEXT`,
`synth --query FILE.json -o OUT.wav`, run as a person runs them (subprocesses, a fresh data folder)."""

from __future__ import annotations

import json

import numpy as np
import soundfile as sf

from .conftest import FIXTURES
from .test_cli import run_cli

MODEL = ["--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert")]
EXACT = ["--sdp-ratio", "0", "--noise", "0", "--noise-w", "0"]


def _home(tmp_path) -> dict:
    return {"SBV2_STUDIO_HOME": str(tmp_path / "home")}


def test_dict_add_list_remove_and_it_changes_g2p(tmp_path):
    env = _home(tmp_path)
    before = json.loads(run_cli("g2p", stdin="菊池さん\n", env=env).stdout)["phones"]
    proc = run_cli("dict", "add", "--surface", "菊池", "--pronunciation", "キクイケ", "--accent-type", "1",
                   "--word-type", "PROPER_NOUN", "--priority", "5", env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode()
    word_id = proc.stdout.decode().strip()
    assert len(word_id) == 36
    listed = run_cli("dict", "list", env=env).stdout.decode()
    assert word_id in listed and "キクイケ" in listed and "1/4" in listed
    as_json = json.loads(run_cli("dict", "list", "--json", env=env).stdout)
    assert as_json[word_id]["pronunciation"] == "キクイケ" and as_json[word_id]["accent_type"] == 1
    after = json.loads(run_cli("g2p", stdin="菊池さん\n", env=env).stdout)["phones"]
    assert after[:8] == ["_", "k", "i", "k", "u", "i", "k", "e"] and after != before
    query = json.loads(run_cli("query", "菊池さん", env=env).stdout)
    assert "".join(m["text"] for m in query["accent_phrases"][0]["moras"]).startswith("キクイケ")
    proc = run_cli("dict", "remove", word_id[:8], env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(run_cli("g2p", stdin="菊池さん\n", env=env).stdout)["phones"] == before
    assert json.loads(run_cli("dict", "list", "--json", env=env).stdout) == {}


def test_dict_bad_entries_are_one_line_naming_the_field(tmp_path):
    env = _home(tmp_path)
    for args, field in [
        (["--surface", "菊池", "--pronunciation", "きくち", "--accent-type", "1"], "pronunciation"),
        (["--surface", "菊池", "--pronunciation", "キクチ", "--accent-type", "4"], "accent_type"),
        (["--surface", "", "--pronunciation", "キクチ", "--accent-type", "1"], "surface"),
    ]:
        proc = run_cli("dict", "add", *args, env=env)
        err = proc.stderr.decode()
        assert proc.returncode == 2 and err.startswith(f"error: {field}: ") and "Traceback" not in err
    proc = run_cli("dict", "remove", "no-such-id", env=env)
    assert proc.returncode == 2 and "no word with the id" in proc.stderr.decode()


def test_dict_export_then_import_elsewhere(tmp_path):
    env_a, env_b = _home(tmp_path / "a"), _home(tmp_path / "b")
    run_cli("dict", "add", "--surface", "鬼滅", "--pronunciation", "キメツ", "--accent-type", "0", env=env_a)
    out = tmp_path / "voicevox.json"
    assert run_cli("dict", "export", str(out), env=env_a).returncode == 0
    proc = run_cli("dict", "import", str(out), env=env_b)
    assert proc.returncode == 0 and "imported 1 word(s)" in proc.stderr.decode()
    assert json.loads(run_cli("dict", "list", "--json", env=env_b).stdout) == json.loads(out.read_text("utf-8"))
    out.write_text("{broken", "utf-8")
    proc = run_cli("dict", "import", str(out), env=env_b)
    assert proc.returncode == 2 and "not a VOICEVOX user dictionary" in proc.stderr.decode()


def test_a_corrupt_dictionary_is_reported_and_kept(tmp_path):
    env = _home(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    (home / "user_dict.json").write_text("{half", "utf-8")
    proc = run_cli("dict", "list", env=env)
    assert proc.returncode == 0
    assert "could not be read" in proc.stderr.decode() and "user_dict.broken-" in proc.stderr.decode()
    (kept,) = home.glob("user_dict.broken-*.json")
    assert kept.read_text("utf-8") == "{half"


def test_query_legacy_spelling_and_synth_from_an_edited_query(tmp_path):
    env = _home(tmp_path)
    text = "今日はいい天気ですね。"
    proc = run_cli("query", text, env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    query = json.loads(proc.stdout)
    assert [p["accent"] for p in query["accent_phrases"]] == [1, 2, 1]
    legacy = json.loads(run_cli("query", "天気", "--legacy", env=env).stdout)
    assert [m["vowel"] for m in legacy["accent_phrases"][0]["moras"]] == ["e", "n", "i"]
    # unedited: the same audio as the text
    plain, same, edited = tmp_path / "plain.wav", tmp_path / "same.wav", tmp_path / "edited.wav"
    qfile = tmp_path / "q.json"
    qfile.write_text(json.dumps(query, ensure_ascii=False), "utf-8")
    assert run_cli("synth", text, *MODEL, *EXACT, "-o", str(plain), env=env).returncode == 0
    proc = run_cli("synth", "--query", str(qfile), *MODEL, *EXACT, "-o", str(same), env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert np.array_equal(sf.read(plain, dtype="int16")[0], sf.read(same, dtype="int16")[0])
    # an accent edit (テンキデスネ: nucleus on the 3rd mora) is heard
    for mora, pitch in zip(query["accent_phrases"][2]["moras"], [0, 1, 1, 0, 0, 0]):
        mora["pitch"] = pitch
    qfile.write_text(json.dumps(query, ensure_ascii=False), "utf-8")
    assert run_cli("synth", "--query", str(qfile), *MODEL, *EXACT, "-o", str(edited), env=env).returncode == 0
    a, b = sf.read(plain, dtype="int16")[0], sf.read(edited, dtype="int16")[0]
    assert len(a) != len(b) or not np.array_equal(a, b)
    # a broken query is one line naming the field
    query["accent_phrases"][0]["moras"][0]["pitch"] = 5
    qfile.write_text(json.dumps(query, ensure_ascii=False), "utf-8")
    proc = run_cli("synth", "--query", str(qfile), *MODEL, "-o", str(edited), env=env)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "accent_phrases[0].moras[0].pitch" in err and "Traceback" not in err
    proc = run_cli("synth", *MODEL, "-o", str(edited), env=env)
    assert proc.returncode == 2 and "TEXT" in proc.stderr.decode()
