#!/usr/bin/env python
"""The first streamed requests of a freshly started `sbv2-studio serve`, as a VOICEVOX client sees them: the
engine started, then (at once, or after `--delay` seconds: a client that comes later) new sentences through
/audio_query and /streaming_synthesis, read as they arrive. Per request: time from sending to the first byte of
speech, and underruns (a byte that came after a player started at the first byte would have played it). Each
build given (`--builds`: checkouts' roots, run as `python -m sbv2_studio` from there) starts its own server in
turn, round after round, so builds are compared side by side in one run (docs/benchmarks.md, "`serve`: the first
streamed request").

    python tools/sbv2_bench/serve_first_requests.py --model bench_models/jp_extra --bert bench_models/bert \
        --backend openvino:CPU@bf16 --stream-warm-up --builds . /tmp/old --rounds 3 --delays 0 6
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

# New to each server, 29-40 characters: what a program sends after the engine starts.
SENTENCES = [
    "夕方の駅前広場では、仕事帰りの人々が足早に家路を急いでいました。",
    "山あいの小さな村に、毎朝かならず同じ時刻に鳴る古い鐘がありました。",
    "新しい図書館が完成したので、週末には子どもたちと一緒に出かけてみたいと思います。",
]
HEADER = 44  # the streamed WAV's header; then 16-bit mono PCM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, body: bytes | None = None):
    headers = {"Content-Type": "application/json"} if body is not None else {}
    return urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST", headers=headers), timeout=120)


def offers_stream_warm_up(build: Path) -> bool:
    """Whether this build's `serve` has --stream-warm-up (earlier builds have none, and warm nothing)."""
    usage = subprocess.run([sys.executable, "-m", "sbv2_studio", "serve", "--help"], cwd=build, capture_output=True,
                           text=True).stdout  # fmt: skip
    return "--stream-warm-up" in usage


def one_server(build: Path, args, delay: float) -> dict:
    port = free_port()
    cmd = [sys.executable, "-m", "sbv2_studio", "serve", "--port", str(port), "--model", args.model,
           "--bert", args.bert, "--bert-backend", args.backend, "--synth-backend", args.backend]  # fmt: skip
    if args.stream_warm_up and offers_stream_warm_up(build):
        cmd.append("--stream-warm-up")
    started = time.perf_counter()
    server = subprocess.Popen(cmd, cwd=build, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        said = next((line for line in server.stderr if "engine on" in line or "error" in line), "")
        if "engine on" not in said:
            raise SystemExit(f"serve_first_requests: {build}: the server did not start: {said.strip()}")
        line_s = time.perf_counter() - started
        refused = 0
        while True:  # how long after its line a client can connect (polled: that is what is measured)
            try:
                urllib.request.urlopen(f"{base}/version", timeout=10).read()
                break
            except urllib.error.URLError:
                refused += 1
                time.sleep(0.01)
        listening_s = time.perf_counter() - started
        time.sleep(delay)  # a client that comes later: part of the scenario, not synchronisation
        speakers = json.loads(urllib.request.urlopen(f"{base}/speakers", timeout=10).read())
        sbv2 = [sp for sp in speakers if not any(w in json.dumps(sp).lower() for w in ("builtin", "openjtalk"))]
        style = sbv2[0]["styles"][0]["id"]
        requests = []
        for text in SENTENCES:
            query = json.loads(post(f"{base}/audio_query?" + urllib.parse.urlencode({"text": text, "speaker": style}))
                               .read())  # fmt: skip
            query.update(prePhonemeLength=0.0, outputSamplingRate=44100)
            sent = time.perf_counter()
            response = post(f"{base}/streaming_synthesis?speaker={style}", json.dumps(query).encode())
            got, first, underruns, worst = 0, None, 0, 0.0
            while chunk := response.read1(65536):
                now = time.perf_counter()
                if first is not None:  # this chunk's first sample was due when the player reached it
                    due = first + (got - HEADER) / 2 / 44100
                    if now > due + 0.001:
                        underruns, worst = underruns + 1, max(worst, (now - due) * 1000)
                got += len(chunk)
                if first is None and got > HEADER:
                    first = now
            requests.append({"ttfa_ms": round((first - sent) * 1000), "underruns": underruns,
                             "worst_gap_ms": round(worst), "audio_s": round((got - HEADER) / 88200, 2)})  # fmt: skip
        return {"line_s": round(line_s, 2), "listening_after_line_ms": round((listening_s - line_s) * 1000),
                "refused": refused, "requests": requests}  # fmt: skip
    finally:
        server.terminate()
        server.wait(60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="the voice (folder or .aivmx)")
    parser.add_argument("--bert", required=True, help="the BERT ONNX folder")
    parser.add_argument("--backend", default="openvino:CPU@bf16", help="both stages (e.g. cpu, openvino:CPU@bf16)")
    parser.add_argument("--builds", nargs="+", default=["."], help="checkouts to compare (their roots)")
    parser.add_argument("--rounds", type=int, default=3, help="servers started per build and delay")
    parser.add_argument("--delays", type=float, nargs="+", default=[0.0, 6.0], help="seconds before the client")
    parser.add_argument("--stream-warm-up", action="store_true", help="pass it to the builds that offer it")
    parser.add_argument("--json", help="also write the results here")
    args = parser.parse_args(argv)
    for name in ("model", "bert"):
        if not Path(getattr(args, name)).exists():
            print(f"serve_first_requests: --{name} {getattr(args, name)}: does not exist", file=sys.stderr)
            return 2
        setattr(args, name, str(Path(getattr(args, name)).resolve()))
    builds = [Path(b).resolve() for b in args.builds]
    for build in builds:
        if not (build / "sbv2_studio" / "__main__.py").is_file():
            print(f"serve_first_requests: {build}: not a checkout of sbv2_studio", file=sys.stderr)
            return 2
    if args.json and not Path(args.json).resolve().parent.is_dir():
        print(f"serve_first_requests: --json {args.json}: its folder does not exist", file=sys.stderr)
        return 2
    runs = {(str(b), d): [] for b in builds for d in args.delays}
    for _ in range(args.rounds):
        for build in builds:
            for delay in args.delays:
                run = one_server(build, args, delay)
                runs[(str(build), delay)].append(run)
                print(json.dumps({"build": str(build), "delay_s": delay, **run}, ensure_ascii=False), flush=True)
    print(
        "\n| build | client after | first request: time to first audio | with underruns (worst gap) "
        "| later requests: time to first audio | with underruns | connections refused after the line |"
    )
    print("|---|---|---|---|---|---|---|")
    for (build, delay), found in runs.items():
        first = [r["requests"][0] for r in found]
        later = [q for r in found for q in r["requests"][1:]]
        print(f"| {build} | {delay:g} s | {', '.join(str(q['ttfa_ms']) for q in first)} ms "
              f"| {sum(q['underruns'] > 0 for q in first)} of {len(first)} ({max(q['worst_gap_ms'] for q in first)} ms) "
              f"| median {statistics.median(q['ttfa_ms'] for q in later):.0f} ms "
              f"| {sum(q['underruns'] > 0 for q in later)} of {len(later)} "
              f"| {sum(r['refused'] > 0 for r in found)} of {len(found)} servers |")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps([{"build": b, "delay_s": d, "runs": r} for (b, d), r in runs.items()],
                                              ensure_ascii=False, indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
