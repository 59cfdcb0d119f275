#!/usr/bin/env python
"""The window's first streamed requests, without Qt: a voice loaded and warmed the way the window's worker does it
(two whole warm-ups, streaming prepared, then `warm_streaming`), then new paragraphs (texts no request of the process
has read) streamed one after the other to a clocked software device. Prints, per request, the time to first audio,
underruns and the silence they played, and RTF, and the streaming warm-up's time. One process is one window
launch: run it several times, alternating builds, to compare them (docs/benchmarks.md, "The first streamed
request").

    python tools/sbv2_bench/first_requests.py --model bench_models/jp_extra --bert bench_models/bert \
        --backend openvino:CPU@bf16 [--read-ahead] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

# New to the process, 42-53 characters each, two or three sentences: what a person types after a voice loads.
PARAGRAPHS = [
    "古びた図書館の奥で、誰も読まなくなった一冊の日記を見つけた。ページをめくるたびに、知らない町の匂いがした。",
    "駅前の喫茶店は、朝七時に開く。常連の老人が新聞を広げ、店主は黙ってコーヒーを淹れる。",
    "夏休みの最後の日、僕たちは川沿いを自転車で走った。夕焼けが水面に映って、どこまでも赤かった。",
    "明日の会議は午後二時からに変更になりました。資料は前日までに共有フォルダへ入れておいてください。",
    "山の上の天文台では、晴れた夜にだけ一般公開が行われる。望遠鏡の向こうに、土星の輪がはっきり見えた。",
    "彼女は小さな声で歌い始めた。窓の外では雪が静かに降り続け、部屋の中は暖炉の火で明るかった。",
]


def main(argv: list[str] | None = None) -> int:
    from sbv2_studio.app.studio import STREAM_WARM_UPS, default_factory
    from sbv2_studio.app.voices import open_voice
    from sbv2_studio.audio.player import ClockedStream, StreamPlayer, play_stream
    from sbv2_studio.engine.synthesis import SynthesisPlan
    from sbv2_studio.errors import StudioError

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="the voice (folder, .onnx or .aivmx)")
    parser.add_argument("--bert", required=True, help="the BERT ONNX folder")
    parser.add_argument("--backend", default="openvino:CPU@bf16", help="both stages (e.g. cpu, openvino:CPU@bf16)")
    parser.add_argument("--read-ahead", action="store_true",
                        help="read each paragraph ahead before its request, as the window does while the person "
                             "pauses typing (not timed: it happens before the request)")  # fmt: skip
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    if args.json and not Path(args.json).resolve().parent.is_dir():  # before minutes of measuring, not after
        print(f"first_requests: --json {args.json}: its folder does not exist", file=sys.stderr)
        return 2

    try:
        voice = open_voice(args.model, bert=args.bert, bert_backend=args.backend, synth_backend=args.backend,
                           factory=default_factory(), cache=None)  # fmt: skip
    except StudioError as exc:  # a missing voice, an unknown backend: said in one line
        print(f"first_requests: {exc}", file=sys.stderr)
        return 2
    plan = SynthesisPlan.streaming()
    voice.warm_up(2)  # the window's load: two whole requests, then streaming made ready and warmed
    voice.prepare_streaming(plan.decoder)
    started = time.perf_counter()
    voice.warm_streaming(plan, STREAM_WARM_UPS)
    warm_ms = (time.perf_counter() - started) * 1000.0
    requests = []
    for text in PARAGRAPHS:
        if args.read_ahead:
            voice.read_ahead(text, plan=plan)
        player = StreamPlayer(voice.sample_rate, stream_factory=ClockedStream)
        player.open()
        try:
            result = play_stream(voice.stream(text, plan=plan), player, wait=True)
        finally:
            player.close()
        requests.append({"chars": len(text), "ttfa_ms": round(result.ttfa_ms, 1), "underruns": result.underruns,
                         "silence_ms": round(result.underrun_ms, 1), "rtf": round(result.rtf, 3)})  # fmt: skip
    print(f"streaming warm-up {warm_ms:.0f} ms ({args.backend}{', text read ahead' if args.read_ahead else ''})")
    for i, r in enumerate(requests, 1):
        print(f"request {i}: first audio {r['ttfa_ms']:.0f} ms, {r['underruns']} underrun(s) "
              f"({r['silence_ms']:.0f} ms of silence), RTF {r['rtf']:.3f}")  # fmt: skip
    if args.json:
        try:
            Path(args.json).write_text(json.dumps({"warm_up_ms": round(warm_ms), "requests": requests}, indent=2))
        except OSError as exc:  # the results are printed above: nothing is lost
            print(f"first_requests: --json {args.json}: {exc.strerror or exc}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
