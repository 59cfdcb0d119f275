"""`sbv2-studio bench` end to end on the tiny fixtures: JSON and Markdown written, the reference-style pipeline
timed beside the studio's, comparison with a previous report. No timing assertions."""

from __future__ import annotations

import json
import sys

import numpy as np
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


def _synth_audio(graph, feeds: dict) -> np.ndarray:
    import onnxruntime as ort

    session = ort.InferenceSession(str(graph), providers=["CPUExecutionProvider"])
    names = {i.name for i in session.get_inputs()}
    return session.run(None, {k: v for k, v in feeds.items() if k in names})[0].reshape(-1)


def test_hayakoe_gets_the_same_voice_under_its_input_names(tmp_path):
    """hayakoe is timed on the voice's own graph: only the input names change, not one sample of the audio."""
    import onnx

    from sbv2_bench.hayakoe_peer import INPUT_NAMES, prepare_voice
    from sbv2_studio.engine.synth import synth_feeds
    from sbv2_studio.models.formats import load_voice_model

    folder = prepare_voice(VOICE, tmp_path)
    assert {p.name for p in folder.iterdir()} == {"config.json", "style_vectors.npy", "synthesizer.onnx"}
    graph = onnx.load(str(folder / "synthesizer.onnx"), load_external_data=False)
    inputs = {i.name for i in graph.graph.input}
    assert {"x", "x_lengths", "tone", "bert", "style_vec", "sdp_ratio"} <= inputs and not inputs & set(INPUT_NAMES)
    assert [o.name for o in graph.graph.output] == ["output"]  # hayakoe would read a second output as durations

    voice = load_voice_model(VOICE)
    original = onnx.load(str(voice.onnx_path), load_external_data=False)
    ranks = {i.name: len(i.type.tensor_type.shape.dim) for i in original.graph.input}
    rng = np.random.default_rng(0)
    n = 9
    feeds = synth_feeds(
        ranks, "ja_bert" not in ranks, rng.integers(1, 50, n), rng.integers(0, 2, n), np.ones(n, np.int64),
        rng.standard_normal((1024, n)).astype(np.float32), sid=0, style_vec=voice.style_vector("Neutral", 1.0),
        length_scale=1.0, sdp_ratio=0.0, noise_scale=0.0, noise_scale_w=0.0,
    )  # fmt: skip
    renamed = {INPUT_NAMES.get(k, k): v for k, v in feeds.items()}
    np.testing.assert_array_equal(
        _synth_audio(folder / "synthesizer.onnx", renamed), _synth_audio(voice.onnx_path, feeds)
    )
    built = (folder / "synthesizer.onnx").stat().st_mtime_ns
    assert prepare_voice(VOICE, tmp_path) == folder and (folder / "synthesizer.onnx").stat().st_mtime_ns == built


STAND_IN = """
import numpy as np


class Speaker:  # what the worker uses of hayakoe's Speaker: its two sessions and generate()
    def __init__(self, name, model_dir, device, backend, bert_session):
        assert (model_dir / "synthesizer.onnx").is_file() and backend == "onnx"
        self._bert_session, self._synth_session = bert_session, bert_session

    def generate(self, text, **params):
        assert params["sdp_ratio"] == 0.0 and params["style"] == "Neutral"
        ids = np.array([[1, 5, 6, 2]], np.int64)
        self._bert_session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})

        class Result:
            sr = 44100
            data = np.zeros(4410 * len(text), np.int16)

        return Result()
"""


def test_hayakoe_runner_drives_a_worker_and_reports_its_memory(tmp_path, monkeypatch):
    """The bench side of the hayakoe comparison against a stand-in package with hayakoe's module layout: the worker
    starts, answers each request with timings and the audio length, reports its peak RSS and stops."""
    from sbv2_bench.bench import bench_params
    from sbv2_bench.hayakoe_peer import HayakoeRunner

    package = tmp_path / "site" / "hayakoe"
    (package / "api").mkdir(parents=True)
    (package / "nlp").mkdir()
    for init in (package, package / "api", package / "nlp"):
        (init / "__init__.py").write_text("")
    (package / "api" / "speaker.py").write_text(STAND_IN)
    (package / "nlp" / "bert_models.py").write_text("def load_tokenizer(pretrained_model_name_or_path):\n    pass\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "site"))
    runner = HayakoeRunner(
        BenchConfig(kind="hayakoe", bert_variant="int8", python=sys.executable), VOICE, BERT, tmp_path / "cache"
    )
    try:
        assert runner.config.name == "hayakoe (INT8 BERT)" and runner.load_s > 0
        sample = runner.run("あいうえおかきくけこ", bench_params())
        assert sample.audio_s == pytest.approx(1.0) and sample.total_ms > 0
        assert set(sample.stages) == set(bench.STAGE_ORDER) and sample.stages["bert"] > 0
        assert runner.peak_rss_mb() > 10
    finally:
        runner.close()
    assert runner.proc.returncode == 0


def test_hayakoe_without_its_interpreter_is_a_clear_error(tmp_path):
    proc = run_cli("bench", "--model", str(VOICE), "--bert", str(BERT), "--texts", "10", "--runs", "1", "--no-memory",
                   "--hayakoe", str(tmp_path / "no-python"), "--variant-cache", str(tmp_path / "vc"),
                   env={"SBV2_STUDIO_HOME": str(tmp_path)})  # fmt: skip
    assert proc.returncode == 2, proc.stderr.decode()
    err = proc.stderr.decode()
    assert "hayakoe" in err and "no-python" in err and "Traceback" not in err
