"""`sbv2-studio bench` end to end on the tiny fixtures: JSON and Markdown written, the reference-style pipeline
timed beside the studio's, comparison with a previous report. No timing assertions."""

from __future__ import annotations

import json

import pytest

from sbv2_bench import bench
from sbv2_bench.bench import BenchConfig, compare, markdown, parse_backend_spec, run_bench
from sbv2_studio.errors import BackendError

from .conftest import FIXTURES
from .test_cli import run_cli

VOICE, BERT = FIXTURES / "jp_extra", FIXTURES / "bert"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    configs = [BenchConfig(kind="reference"), BenchConfig("studio", "fp32"), BenchConfig("studio", "int8")]
    texts = {"10": bench.TEXTS["10"], "user1": "はい、そうです。\nいいえ。"}
    return run_bench(
        configs, VOICE, BERT, texts, runs=2, warmup=1, memory=True,
        variant_cache_dir=tmp_path_factory.mktemp("variants"),
    )  # fmt: skip


def test_report_has_every_config_text_and_stage(report):
    assert [c["name"] for c in report["configs"]] == ["reference-style", "studio fp32 cpu", "studio int8 cpu"]
    for c in report["configs"]:
        assert set(c["results"]) == {"10", "user1"}
        for r in c["results"].values():
            assert set(r["stages_ms"]) == set(bench.STAGE_ORDER)
            assert r["total_ms"]["n"] == 2 and r["total_ms"]["min"] <= r["total_ms"]["median"] <= r["total_ms"]["max"]
            assert r["audio_s"] > 0 and r["rtf"] > 0
            assert 0 < r["ttfa_ms"]["median"] <= r["total_ms"]["max"] * 1.01
        mem = c["memory"]
        assert "error" not in mem, mem
        assert mem["peak_rss_mb"] >= mem["peak_rss_mb_after_load"] > 0 and mem["cold_load_s"] > 0
    # Two lines: the first line's audio is ready before the whole request.
    studio = report["configs"][1]["results"]["user1"]
    assert studio["ttfa_ms"]["median"] < studio["total_ms"]["median"]
    assert report["texts"]["10"]["chars"] == len(bench.TEXTS["10"])
    assert report["settings"]["interleaved"] is True
    json.dumps(report)  # JSON-ready


def test_feature_error_and_speedups_against_the_reference(report):
    fp32, int8 = report["configs"][1], report["configs"][2]
    assert fp32["feature_error_vs_fp32"]["max_abs"] < 1e-4
    assert 0 < int8["feature_error_vs_fp32"]["max_abs"] < 1.0 and int8["feature_error_vs_fp32"]["cos_min"] > 0.98
    assert int8["variant"]["variant"] == "int8"
    ups = report["speedups"]
    assert set(ups) == {"studio fp32 cpu", "studio int8 cpu"}
    assert all(v["total"] > 0 and v["bert"] > 0 for per in ups.values() for v in per.values())


def test_markdown_and_compare(report):
    table = markdown(report)
    assert "| text | configuration | total ms |" in table
    assert "reference-style" in table and "studio int8 cpu" in table
    assert table.count("\n| 10 (11 ch) |") == 3
    previous = json.loads(json.dumps(report))
    previous["configs"][1]["results"]["10"]["total_ms"]["median"] *= 2
    diff = compare(previous, report)
    assert "studio fp32 cpu" in diff and "2.00" in diff
    assert "no configuration" in compare({"configs": []}, report)


def test_backend_specs():
    assert parse_backend_spec("cpu") == ("cpu", "cpu")
    assert parse_backend_spec("cuda:1,cpu") == ("cuda:1", "cpu")
    with pytest.raises(BackendError, match="tpu"):
        parse_backend_spec("tpu")


def test_cli_bench_writes_json_markdown_and_compares(tmp_path):
    out_json, out_md, cmp_md = tmp_path / "b.json", tmp_path / "b.md", tmp_path / "c.md"
    args = ["bench", "--model", str(VOICE), "--bert", str(BERT), "--texts", "10", "--text", "こんにちは。",
            "--runs", "1", "--warmup", "0", "--bert-variant", "fp32-opt", "--no-memory", "--reference",
            "--variant-cache", str(tmp_path / "vc"), "--streaming"]  # fmt: skip
    proc = run_cli(*args, "--json", str(out_json), "--markdown", str(out_md), env={"SBV2_STUDIO_HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(out_json.read_text(encoding="utf-8"))
    names = [c["name"] for c in data["configs"]]
    assert names == ["reference-style", "studio fp32-opt cpu", "studio fp32-opt cpu streamed"]
    streamed = data["configs"][2]
    assert streamed["kind"] == "streaming" and set(streamed["ran_on"]) == {"bert", "synthesize"}
    for r in streamed["results"].values():  # first audio is the first chunk's, before the whole request ends
        assert 0 < r["ttfa_ms"]["median"] < r["total_ms"]["median"] and r["audio_s"] > 0
    assert set(data["texts"]) == {"10", "user1"}
    assert "| 10 (11 ch) | studio fp32-opt cpu |" in out_md.read_text(encoding="utf-8")
    proc = run_cli(
        *args, "--compare", str(out_json), "--markdown", str(cmp_md), env={"SBV2_STUDIO_HOME": str(tmp_path)}
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert "Compared with" in cmp_md.read_text(encoding="utf-8")


def test_cli_bench_errors_are_one_line(tmp_path):
    proc = run_cli("bench", "--models", str(tmp_path / "nothing"))
    assert proc.returncode == 2
    assert "make_bench_models.py" in proc.stderr.decode()
    proc = run_cli("bench", "--model", str(VOICE), "--bert", str(BERT), "--bert-variant", "int4")
    assert proc.returncode == 2 and "unknown BERT variant" in proc.stderr.decode()
