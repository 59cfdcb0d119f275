"""hayakoe, the fastest CPU peer, timed side by side with the studio on the same weights (`bench --hayakoe PYTHON`).
(Not named hayakoe.py: the worker runs as a script from this folder and must import the real package.)

hayakoe runs in its own environment (see hayakoe_worker.py for why); this side prepares what it loads from the
bench's models and drives it. What hayakoe gets:
- the voice's own ONNX graph with hayakoe's input names (x, x_lengths, tone instead of the reference exporter's
  x_tst, x_tst_lengths, tones) and only the audio output: the same weights and the same arithmetic;
- the studio's INT8 BERT build of the same DeBERTa (hayakoe ships a dynamically quantized `bert_q8.onnx` of the
  same model; ours is the same kind of quantization), with the batch axis its code indexes put back on the output
  (the reference exporter returns item 0), and the tokenizer files of the same folder;
- the same parameters. hayakoe splits text into sentences and joins them with at least 80 ms of silence, as it
  does for its users; its BERT runs sentence by sentence (`batch_bert=False`: the reference export holds one
  batch item).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sbv2_studio.errors import StudioError
from sbv2_studio.paths import file_stamp

INPUT_NAMES = {"x_tst": "x", "x_tst_lengths": "x_lengths", "tones": "tone"}
WORKER = Path(__file__).resolve().parent / "hayakoe_worker.py"


def prepare_voice(voice: Path, cache_dir: Path) -> Path:
    """A folder in hayakoe's layout (config.json, style_vectors.npy, synthesizer.onnx) for the SBV2 voice folder
    `voice`, built once per source graph."""
    import onnx

    from sbv2_studio.models.formats import load_voice_model

    model = load_voice_model(voice)
    folder = Path(model.path)
    if not folder.is_dir():
        raise StudioError(f"--hayakoe needs an SBV2 voice folder (config.json, style_vectors.npy, .onnx): {voice}")
    key = hashlib.sha1(file_stamp(model.onnx_path).encode()).hexdigest()[:12]
    out = cache_dir / f"hayakoe-voice-{key}"
    if (out / "synthesizer.onnx").is_file():
        return out
    tmp = cache_dir / f"hayakoe-voice-{key}.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in ("config.json", "style_vectors.npy"):
        shutil.copy2(folder / name, tmp / name)
    graph = onnx.load(str(model.onnx_path))
    renamed = {i.name: INPUT_NAMES[i.name] for i in graph.graph.input if i.name in INPUT_NAMES}
    for value in graph.graph.input:
        value.name = renamed.get(value.name, value.name)
    for node in graph.graph.node:
        for i, name in enumerate(node.input):
            if name in renamed:
                node.input[i] = renamed[name]
    del graph.graph.output[1:]  # hayakoe reads output 1 as per-phoneme durations; the reference export's is not
    onnx.save(graph, str(tmp / "synthesizer.onnx"))
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def prepare_bert(graph: Path, cache_dir: Path) -> Path:
    """`graph` (a BERT whose output is [tokens, 1024]) with hayakoe's output shape [1, tokens, 1024]."""
    import onnx
    from onnx import helper

    out = cache_dir / f"hayakoe-{graph.stem}.onnx"
    if out.is_file():
        return out
    model = onnx.load(str(graph))
    output = model.graph.output[0]
    if len(output.type.tensor_type.shape.dim) == 2:
        axes = helper.make_tensor("hayakoe_batch_axis", onnx.TensorProto.INT64, [1], [0])
        model.graph.initializer.append(axes)
        inner = output.name + "_tokens"
        for node in model.graph.node:
            node.output[:] = [inner if name == output.name else name for name in node.output]
        model.graph.node.append(helper.make_node("Unsqueeze", [inner, "hayakoe_batch_axis"], [output.name]))
        output.type.tensor_type.shape.dim.insert(0, onnx.TensorShapeProto.Dimension(dim_value=1))
    tmp = out.with_suffix(".partial")
    onnx.save(model, str(tmp))
    tmp.replace(out)
    return out


class HayakoeRunner:
    """One hayakoe worker process; run() has the bench's Sample interface."""

    def __init__(self, config, voice: Path, bert: Path, variant_cache_dir: Path | None):
        from sbv2_studio.graphs.bert_variants import default_cache_dir, prepare
        from sbv2_studio.models.formats import load_bert_folder

        if not config.python:
            raise StudioError(
                "the hayakoe configuration needs --hayakoe PYTHON (an interpreter with hayakoe installed)"
            )
        self.config = config
        cache = Path(variant_cache_dir) if variant_cache_dir else default_cache_dir()
        bert_model = load_bert_folder(bert, prefer="fp32")
        spec = {
            "voice_dir": str(prepare_voice(voice, cache)),
            "bert_onnx": str(prepare_bert(prepare(bert_model, "int8", cache).path, cache)),
            "tokenizer": str(bert_model.folder),
        }
        started = time.perf_counter()
        self.log = tempfile.TemporaryFile(
            "w+", encoding="utf-8"
        )  # hayakoe's own log; its last line tells why it stopped
        try:
            self.proc = subprocess.Popen(
                [config.python, str(WORKER), json.dumps(spec)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=self.log, text=True, encoding="utf-8",
            )  # fmt: skip
        except OSError as exc:
            raise StudioError(f"cannot run the hayakoe interpreter {config.python}: {exc.strerror or exc}") from exc
        ready = self._read()
        if "error" in ready:
            self.close()
            raise StudioError(f"hayakoe did not start ({config.python}): {ready['error']}")
        self.load_s = time.perf_counter() - started
        self.worker_load_s = ready["load_s"]
        self.variant_info = None

    def _read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(timeout=30)
            self.log.seek(0)
            why = ([line for line in self.log.read().splitlines() if line.strip()] or ["no message"])[-1]
            raise StudioError(f"the hayakoe worker stopped (exit status {self.proc.returncode}): {why}")
        return json.loads(line)

    def _ask(self, request: dict) -> dict:
        self.proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()
        return self._read()

    def run(self, text: str, params):
        from .bench import STAGE_ORDER, Sample

        keys = ("style", "style_weight", "length", "sdp_ratio", "noise", "noise_w")
        values = {k: getattr(params, k) for k in keys}
        values["style"] = values["style"] or "Neutral"  # the voice's default style: Neutral in SBV2 voices
        reply = self._ask({"text": text, "params": values})
        stages = dict.fromkeys(STAGE_ORDER, 0.0)
        stages.update(reply["stages"])
        return Sample(stages, reply["total_ms"], reply["audio_s"], reply["total_ms"])

    def peak_rss_mb(self) -> float | None:
        return self._ask({"rss": True})["peak_rss_mb"]

    def ran_on(self) -> dict[str, str]:
        return {"bert": "CPU (hayakoe: onnxruntime, INT8)", "synthesize": "CPU (hayakoe: onnxruntime FP32)"}

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()


def probe(config, voice: Path, bert: Path, texts: dict[str, str], params, variant_cache_dir: Path | None) -> dict:
    """The memory probe's figures for hayakoe: a fresh worker's load time, first request and peak RSS."""
    started = time.perf_counter()
    runner = HayakoeRunner(config, voice, bert, variant_cache_dir)
    load_s = time.perf_counter() - started
    try:
        after_load = runner.peak_rss_mb()
        first_ms = None
        for text in texts.values():
            sample = runner.run(text, params)
            first_ms = first_ms if first_ms is not None else sample.total_ms
        return {"cold_load_s": load_s, "first_request_ms": first_ms, "peak_rss_mb_after_load": after_load,
                "peak_rss_mb": runner.peak_rss_mb()}  # fmt: skip
    finally:
        runner.close()
