"""Runs hayakoe (the fastest CPU peer) for the bench, in its own Python environment.

hayakoe is GPL/LGPL and brings its own pyopenjtalk build, which clashes with pyopenjtalk-plus, so it never shares
a process (or an environment) with the studio: the bench starts this script with the interpreter given by
`--hayakoe PYTHON` and talks to it in JSON lines on stdin/stdout. This file imports hayakoe, numpy and
onnxruntime only.

    → {"text": ..., "params": {...}}      ← {"total_ms", "stages": {"bert", "synthesize"}, "audio_s"}
    → {"rss": true}                      ← {"peak_rss_mb"}
The first line out is {"ready": true, "load_s": ...} (or {"error": ...}).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


class TimedSession:
    """An onnxruntime session whose run() adds its wall time to a stage, so the bench can split hayakoe's total
    into BERT and synthesizer without changing hayakoe."""

    def __init__(self, session, stages: dict[str, float], stage: str):
        self._session, self._stages, self._stage = session, stages, stage

    def run(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self._session.run(*args, **kwargs)
        finally:
            self._stages[self._stage] += (time.perf_counter() - started) * 1000.0

    def __getattr__(self, name):
        return getattr(self._session, name)


def peak_rss_mb() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def main() -> int:
    spec = json.loads(sys.argv[1])
    out = sys.stdout
    sys.stdout = sys.stderr  # hayakoe's logging and prints must not mix with the replies
    stages = {"bert": 0.0, "synthesize": 0.0}
    try:
        started = time.perf_counter()
        import onnxruntime as ort
        from hayakoe.api.speaker import Speaker
        from hayakoe.nlp import bert_models

        bert_models.load_tokenizer(pretrained_model_name_or_path=spec["tokenizer"])
        options = ort.SessionOptions()  # as hayakoe's own BERT session (api/tts.py)
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        bert = ort.InferenceSession(spec["bert_onnx"], options, providers=["CPUExecutionProvider"])
        speaker = Speaker("bench", Path(spec["voice_dir"]), "cpu", backend="onnx", bert_session=bert)
        speaker._bert_session = TimedSession(speaker._bert_session, stages, "bert")
        speaker._synth_session = TimedSession(speaker._synth_session, stages, "synthesize")
        load_s = time.perf_counter() - started
    except Exception as exc:  # reported to the bench, which shows it instead of a number
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), file=out, flush=True)
        return 1
    print(json.dumps({"ready": True, "load_s": load_s}), file=out, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request.get("rss"):
            reply = {"peak_rss_mb": peak_rss_mb()}
        else:
            p = request["params"]
            for key in stages:
                stages[key] = 0.0
            started = time.perf_counter()
            result = speaker.generate(
                request["text"], style=p["style"], speaker_id=0, speed=p["length"], sdp_ratio=p["sdp_ratio"],
                noise=p["noise"], noise_w=p["noise_w"], style_weight=p["style_weight"], batch_bert=False,
            )  # fmt: skip
            total_ms = (time.perf_counter() - started) * 1000.0  # generate() returns 16-bit PCM, as the studio's
            reply = {"total_ms": total_ms, "stages": dict(stages), "audio_s": len(result.data) / result.sr}
        print(json.dumps(reply), file=out, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
