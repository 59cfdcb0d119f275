"""Throughput of the HTTP API for 1, 2, 4 … concurrent clients: requests/s, real-time factor (wall time / audio
seconds delivered) and median latency, each client posting /synthesis with a query made once.

    python tools/api_throughput.py [--url http://127.0.0.1:50210] [--speaker ID] [--clients 1 2 4] [--requests 8]

Without --url it starts an engine in this process on a free port with --model/--bert (default: the test
fixture voice, whose random weights make audio of about the real model's length at a fraction of its cost).
Rounds are interleaved (1, 2, 4, 1, 2, 4 …) and medians reported, so the machine's noise spreads evenly.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import threading
import time
from pathlib import Path

import httpx
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
TEXT = "今日はとてもいい天気ですね。散歩に行きましょう。"


def start_engine(model: Path, bert: Path) -> tuple[str, object]:
    from sbv2_studio.app.server import ApiServer, ServerConfig, StudioThread

    os.environ["SBV2_STUDIO_BERT"] = str(bert)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    runner = StudioThread()
    runner.studio.extra_roots = [str(model.resolve().parent)]
    server = ApiServer(runner, ServerConfig(port=port, max_wait_s=3600))
    return server.start(), server


def round_(url: str, speaker: int, query: dict, clients: int, requests: int) -> dict:
    latencies: list[float] = []
    audio_s = [0.0]
    lock = threading.Lock()

    def client(n: int) -> None:
        with httpx.Client(timeout=600) as http:
            for _ in range(n):
                t0 = time.perf_counter()
                r = http.post(f"{url}/synthesis", params={"speaker": speaker}, json=query)
                r.raise_for_status()
                info = sf.info(io.BytesIO(r.content))
                with lock:
                    latencies.append(time.perf_counter() - t0)
                    audio_s[0] += info.frames / info.samplerate

    per = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    threads = [threading.Thread(target=client, args=(n,)) for n in per]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {"rps": requests / wall, "rtf": wall / audio_s[0], "latency": statistics.median(latencies)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url")
    ap.add_argument("--model", type=Path, default=ROOT / "tests" / "fixtures" / "jp_extra")
    ap.add_argument("--bert", type=Path, default=ROOT / "tests" / "fixtures" / "bert")
    ap.add_argument("--speaker", type=int, help="style id (default: the first SBV2 style listed)")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--requests", type=int, default=8, help="requests per round")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    server = None
    url = args.url
    if url is None:
        url, server = start_engine(args.model, args.bert)
    try:
        speakers = httpx.get(f"{url}/speakers").json()
        speaker = args.speaker or next(s for s in speakers if s["version"] != "builtin")["styles"][0]["id"]
        query = httpx.post(f"{url}/audio_query", params={"text": TEXT, "speaker": speaker}).json()
        round_(url, speaker, query, 1, 2)  # warm: load the voice, first runs
        rows: dict[int, list[dict]] = {c: [] for c in args.clients}
        for _ in range(args.rounds):
            for c in args.clients:
                rows[c].append(round_(url, speaker, query, c, args.requests))
        print("| clients | requests/s | RTF (wall / audio) | median latency (s) |")
        print("|---:|---:|---:|---:|")
        for c, rs in rows.items():
            med = {k: statistics.median(r[k] for r in rs) for k in ("rps", "rtf", "latency")}
            print(f"| {c} | {med['rps']:.2f} | {med['rtf']:.3f} | {med['latency']:.3f} |")
    finally:
        if server is not None:
            server.stop()
            server.runner.close()


if __name__ == "__main__":
    main()
