"""Command line: thin wrappers over the core (the GUI calls the same pipeline)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import StudioError


def _float_arg(name: str, default: float):
    return {"type": float, "default": default, "metavar": "F", "help": f"{name} (default {default})"}


def _add_synth_args(p: argparse.ArgumentParser) -> None:
    from .pipeline import SynthesisParams

    d = SynthesisParams()
    p.add_argument("--model", help="SBV2 ONNX model folder, .aivmx file, or 'builtin' (default: the library's)")
    p.add_argument("--bert", help="DeBERTa ONNX folder (model.onnx or model_fp16.onnx + tokenizer files)")
    p.add_argument("--bert-variant", choices=("fp32", "fp16"), default="fp32", help="which BERT graph to prefer")
    p.add_argument("--speaker", default="0", help="speaker id or name (default 0)")
    p.add_argument("--style", default=None, help="style name (default: the model's Neutral)")
    p.add_argument("--style-weight", **_float_arg("style strength", d.style_weight))
    p.add_argument("--sdp-ratio", **_float_arg("SDP/DP mix", d.sdp_ratio))
    p.add_argument("--noise", **_float_arg("noise scale", d.noise))
    p.add_argument("--noise-w", **_float_arg("duration noise scale", d.noise_w))
    p.add_argument("--length", **_float_arg("length scale (1/speed)", d.length))
    p.add_argument("--assist-text", default=None, help="text whose feel the speech should take on")
    p.add_argument("--assist-weight", **_float_arg("assist text weight", d.assist_text_weight))
    p.add_argument("--bert-backend", default="cpu", help="cpu, cuda[:N], dml[:N] … (default cpu)")
    p.add_argument("--synth-backend", default="cpu", help="cpu, cuda[:N], dml[:N] … (default cpu)")


def _params(args: argparse.Namespace):
    from .pipeline import SynthesisParams

    speaker: int | str = int(args.speaker) if str(args.speaker).isdigit() else args.speaker
    return SynthesisParams(
        speaker=speaker,
        style=args.style,
        style_weight=args.style_weight,
        sdp_ratio=args.sdp_ratio,
        noise=args.noise,
        noise_w=args.noise_w,
        length=args.length,
        assist_text=args.assist_text,
        assist_text_weight=args.assist_weight,
    )


def _open_voice(args: argparse.Namespace):
    """The voice named by --model, or the library's default: its first working SBV2 voice when the BERT model is
    installed, otherwise the built-in OpenJTalk voice (so a fresh install speaks offline)."""
    from .backends import Backend
    from .library import BUILTIN_ID, Library
    from .voices import open_voice

    library = Library()
    if args.model in (None, "", "builtin"):
        entry_id = BUILTIN_ID
        if args.model is None and library.find_bert(args.bert) is not None:
            entry_id = next((e.id for e in library.scan() if e.kind != "builtin" and e.valid), BUILTIN_ID)
    else:
        entry_id = args.model
    return open_voice(
        entry_id,
        library=library,
        bert=args.bert,
        bert_variant=args.bert_variant,
        bert_backend=Backend.parse(args.bert_backend),
        synth_backend=Backend.parse(args.synth_backend),
    )


def cmd_synth(args: argparse.Namespace) -> int:
    voice = _open_voice(args)
    result = voice.synthesize(args.text, _params(args))
    out = result.save(args.output)
    for event in result.fallbacks:
        print(f"warning: {event.describe()}", file=sys.stderr)
    for line in result.skipped_lines:
        print(f"warning: skipped a line with nothing readable: {line!r}", file=sys.stderr)
    if args.timings_json:
        Path(args.timings_json).write_text(json.dumps(result.report(), ensure_ascii=False, indent=2), "utf-8")
    stages = "  ".join(f"{k} {v:.1f}" for k, v in result.timings_ms.items())
    print(f"wrote {out}: {voice.label}, {result.audio_seconds:.2f} s at {result.sample_rate} Hz", file=sys.stderr)
    ran_on = ", ".join(f"{stage} on {provider}" for stage, provider in result.ran_on.items()) or "all on CPU"
    print(f"ms: {stages}  total {result.total_ms:.1f}  RTF {result.rtf:.3f}  ({ran_on})", file=sys.stderr)
    return 0


def cmd_g2p(args: argparse.Namespace) -> int:
    from .text import frontend
    from .tokenizer import CharTokenizer

    tokenizer = CharTokenizer.from_folder(args.bert) if args.bert else None
    stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
    for raw in stdin:
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        text = text.rstrip("\r\n")
        try:
            record = frontend.analyze(text, use_jp_extra=not args.legacy).to_json_dict()
            if tokenizer is not None:
                record["input_ids"] = tokenizer.encode(record["bert_text"]).tolist()
        except StudioError as exc:
            record = {"text": text, "error": str(exc)}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    import platform

    import numpy
    import onnxruntime

    from . import __version__
    from .backends import probe_backends
    from .library import Library, data_dir

    versions = {
        "sbv2-studio": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "onnxruntime": onnxruntime.__version__,
        "numpy": numpy.__version__,
    }
    for module in ("pyopenjtalk", "PySide6", "sounddevice", "huggingface_hub", "aivmlib"):
        try:
            versions[module] = getattr(__import__(module), "__version__", "installed")
        except Exception as exc:  # noqa: BLE001 - a missing or broken optional piece is exactly what doctor reports
            versions[module] = f"unavailable ({exc})"
    library = Library(extra_roots=args.models or [])
    try:
        bert = library.find_bert(args.bert)
        bert_report = {"path": str(bert.onnx_path), "variant": bert.variant} if bert else None
    except StudioError as exc:
        bert_report = {"error": str(exc)}
    report = {
        "versions": versions,
        "data_dir": str(data_dir()),
        "backends": [vars(p) for p in probe_backends()],
        "bert": bert_report,
        "models": [
            {"name": e.name, "kind": e.kind, "path": str(e.path or ""), "valid": e.valid, "error": e.error}
            for e in library.scan()
        ],
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print("Versions:")
    for name, version in versions.items():
        print(f"  {name:16} {version}")
    print(f"Data folder: {report['data_dir']}")
    print("Backends (offered by onnxruntime / working here):")
    for p in report["backends"]:
        state = "works" if p["works"] else ("offered, fails" if p["offered"] else "not offered")
        extra = f" — {p['error']}" if p["error"] else ""
        devices = f" [{'; '.join(p['devices'])}]" if p["devices"] else ""
        print(f"  {p['kind']:9} {state}{devices}{extra}")
    print(f"BERT: {bert_report or 'not found (SBV2 voices need it; the built-in voice does not)'}")
    print("Voices:")
    for m in report["models"]:
        status = "ok" if m["valid"] else f"BROKEN: {m['error']}"
        print(f"  {m['name']:24} {m['kind']:8} {status}  {m['path']}")
    return 0


class _ProgressPrinter:
    """Download progress on stderr: one line redrawn in a terminal, a line per 10 % in a log."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.last: tuple[str, int] | None = None

    def __call__(self, done: int, total: int, name: str) -> None:
        percent = done * 100 // total if total else 100
        key = (name, percent if self.tty else percent // 10 * 10)
        if key == self.last or not name:
            return
        self.last = key
        line = f"{name}: {done / 1e6:.1f} / {total / 1e6:.1f} MB ({percent}%)"
        self.stream.write(f"\r{line:<78}" if self.tty else line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty and self.last is not None:
            self.stream.write("\n")


def _run_download(fetch) -> int:
    """Run `fetch(progress)`; what arrived before an error or Ctrl+C is kept, and the same command resumes."""
    printer = _ProgressPrinter()
    result = None
    try:
        result = fetch(printer)
    except KeyboardInterrupt:
        pass
    finally:
        printer.finish()
    if result is None:
        print("interrupted: run the same command again to resume", file=sys.stderr)
        return 130
    print(f"installed {result}", file=sys.stderr)
    return 0


def cmd_download_bert(args: argparse.Namespace) -> int:
    from .downloads import download_bert
    from .library import Library

    variant = "fp16" if args.fp16 else "fp32"
    return _run_download(lambda cb: download_bert(Library(), variant=variant, progress=cb).onnx_path)


def cmd_download(args: argparse.Namespace) -> int:
    from .downloads import download_voice
    from .library import Library

    return _run_download(
        lambda cb: download_voice(
            Library(), args.repo_id, subfolder=args.subfolder, revision=args.revision, progress=cb
        ).path
    )


def cmd_self_test(args: argparse.Namespace) -> int:
    from .selftest import run_self_test

    return run_self_test(args.output, args.require_provider)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sbv2-studio", description="Style-Bert-VITS2 speech synthesis studio")
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("synth", help="synthesize TEXT to a WAV/FLAC file")
    p.add_argument("text", metavar="TEXT")
    _add_synth_args(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT.wav", help="output file (.wav or .flac)")
    p.add_argument("--timings-json", metavar="FILE", help="write per-stage timings and providers as JSON")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("g2p", help="text front end: one JSON object per stdin line")
    p.add_argument("--bert", help="BERT folder whose tokenizer files give input_ids")
    p.add_argument("--legacy", action="store_true", help="older (non-JP-Extra) models: N becomes n")
    p.set_defaults(func=cmd_g2p)

    p = sub.add_parser("doctor", help="versions, backends (offered vs working), devices, BERT and voices found")
    p.add_argument("--bert", help="a BERT folder to check besides the library's")
    p.add_argument("--models", action="append", metavar="DIR", help="extra folder of voices to check")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("download-bert", help="download the DeBERTa ONNX BERT model from Hugging Face")
    p.add_argument("--fp16", action="store_true", help="the FP16 graph (about 650 MB) instead of FP32 (1.3 GB)")
    p.set_defaults(func=cmd_download_bert)

    p = sub.add_parser("download", help="download an SBV2 ONNX voice (model folder or .aivmx) from Hugging Face")
    p.add_argument("repo_id", metavar="REPO_ID", help="the Hugging Face repo, owner/name")
    p.add_argument("--subfolder", metavar="S", help="the voice's folder (or .aivmx path) in a repo of several")
    p.add_argument("--revision", metavar="REV", help="branch, tag or commit (default: the main branch)")
    p.set_defaults(func=cmd_download)

    p = sub.add_parser("gui", help="open the studio window (what sbv2-studio with no subcommand does)")
    p.add_argument("--settings", metavar="FILE.ini", help="keep the window's settings in this INI file")
    p.set_defaults(
        func=lambda a: __import__("sbv2_studio.ui.app", fromlist=["run_gui"]).run_gui(
            [sys.argv[0], *(["--settings", a.settings] if a.settings else [])]
        )
    )

    p = sub.add_parser("self-test", help="synthesize with the built-in voice, check the WAV and onnxruntime (JSON)")
    p.add_argument("-o", "--output", metavar="OUT.wav", help="where to write the WAV (default: a temporary file)")
    p.add_argument(
        "--require-provider",
        action="append",
        metavar="KIND",
        help="fail unless onnxruntime offers this backend (dml, cuda …); repeatable",
    )
    p.set_defaults(func=cmd_self_test)
    return parser


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from .ui.app import run_gui

        return run_gui([sys.argv[0]])
    try:
        return args.func(args)
    except StudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
