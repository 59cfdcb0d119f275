"""Command line: thin wrappers over the core (the GUI calls the same pipeline)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from pathlib import Path

from .errors import StudioError

BERT_VARIANTS = ("fp32", "fp32-opt", "int8", "fp16")  # bert_variants.VARIANTS, without importing onnx here
PRECISIONS = ("fp32", "bf16", "fp16", "int8")  # runtime.ov_backend.PRECISIONS, without importing the engines


def _add_param_option(p: argparse.ArgumentParser, name: str) -> None:
    """A numeric parameter's option, from the one parameter table (range, default and help written once)."""
    from .engine.params import PARAMETER

    spec = PARAMETER[name]
    p.add_argument(
        spec.option, dest=name, type=float, default=spec.default, metavar="F",
        help=f"{spec.help} ({spec.lo:g}..{spec.hi:g}, default {spec.default:g})",
    )  # fmt: skip


def _add_synth_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", help="SBV2 ONNX model folder, .aivmx file, or 'builtin' (default: the library's)")
    p.add_argument("--bert", help="DeBERTa ONNX folder (model.onnx or model_fp16.onnx + tokenizer files)")
    p.add_argument(
        "--bert-variant",
        choices=BERT_VARIANTS,
        default=None,
        help="BERT graph: fp32 (as shipped), fp32-opt (exact, batch-1 specialized), int8 (CPU, fastest, "
        "approximate), fp16 (GPU); variants are built once and cached (default: what --bert-precision needs)",
    )
    p.add_argument("--speaker", default=None, help="speaker id or name (default 0)")
    p.add_argument("--style", default=None, help="style name (default: the model's Neutral)")
    from .engine.params import PARAMETERS

    for spec in PARAMETERS:  # the table's sliders are the CLI's per-request numbers too
        if spec.slider:
            _add_param_option(p, spec.name)
    p.add_argument("--assist-text", default=None, help="text whose feel the speech should take on")
    p.add_argument("--seed", type=int, default=None, metavar="N",
                   help="the noise's seed: the same seed gives the same take again (default: a new one, printed)")  # fmt: skip
    _add_param_option(p, "assist_text_weight")
    _add_backend_args(p)


class _Unset(str):
    """A default that says it was not given (argparse hands a string default back as it is)."""


DEFAULT_BACKEND = _Unset("cpu")


def _add_backend_args(p: argparse.ArgumentParser) -> None:
    """Where each stage runs and at what precision (`sbv2-studio defaults` prints this machine's fastest)."""
    backends = "cpu, cuda[:N], dml[:N], openvino[:CPU|GPU|NPU] … (default cpu, or this machine's: --machine-defaults)"
    p.add_argument("--bert-backend", default=DEFAULT_BACKEND, help=backends)
    p.add_argument("--synth-backend", default=DEFAULT_BACKEND, help=backends)
    p.add_argument(
        "--machine-defaults", action="store_true",
        help="run each stage as this machine measured fastest within the fidelity limits (`sbv2-studio defaults`); "
        "a stage's --*-backend or --*-precision given too wins for that stage",
    )  # fmt: skip
    precision = "where the backend runs it natively; see `sbv2-studio doctor` (default fp32)"
    p.add_argument("--bert-precision", choices=PRECISIONS, default=None, help=f"BERT's precision, {precision}")
    p.add_argument(
        "--synth-precision", choices=PRECISIONS, default=None,
        help=f"the synthesizer decoder's precision (durations stay fp32), {precision}",
    )  # fmt: skip


def _apply_machine_defaults(args: argparse.Namespace) -> None:
    """Each stage's backend and precision: what the options say, else this machine's measured defaults with
    --machine-defaults, else onnxruntime's CPU at FP32 (the reference's numbers)."""
    if not hasattr(args, "bert_backend"):
        return
    machine = None
    if args.machine_defaults:
        from .app.precision import defaults_path, load_defaults

        machine = load_defaults()
        if machine is None or not machine.measured:
            raise StudioError(
                "--machine-defaults: this machine's fastest backends were not measured yet (`sbv2-studio defaults "
                f"--measure [--model VOICE]`, or the window's Backends → Fastest for this machine; {defaults_path()})"
            )
    for stage, measured in zip(("bert", "synth"), machine.backends() if machine else ()):
        if isinstance(getattr(args, f"{stage}_backend"), _Unset) and getattr(args, f"{stage}_precision") is None:
            setattr(args, f"{stage}_backend", measured.spec)  # with its precision: openvino:CPU@bf16


def _params(args: argparse.Namespace):
    from .engine.params import PARAMETERS, SynthesisParams

    speaker: int | str = 0 if args.speaker is None else args.speaker.strip()
    if isinstance(speaker, str) and speaker.isascii() and speaker.isdigit():  # not "²": isdigit() alone takes it
        speaker = int(speaker)
    numbers = {p.name: getattr(args, p.name) for p in PARAMETERS if hasattr(args, p.name)}
    seed = getattr(args, "seed", None)
    return SynthesisParams(speaker=speaker, style=args.style, assist_text=args.assist_text, seed=seed, **numbers)


class _FallbackNotices:
    """Fallback events as warnings, one line per failure: a lost device fails every session on it (BERT, the
    synthesizer, each decoder part), which is one event for a person, with the stages that moved to CPU."""

    def __init__(self, stream=None):
        self.stream = stream
        self.pending: dict[tuple, list[str]] = {}
        self.printed: set[tuple] = set()

    def __call__(self, event) -> None:
        key = (event.backend, event.during, event.error)
        stages = self.pending.setdefault(key, [])
        if event.stage not in stages:
            stages.append(event.stage)

    def flush(self) -> None:
        for (backend, during, error), stages in self.pending.items():
            if (backend, during, error) in self.printed:
                continue
            self.printed.add((backend, during, error))
            verb = "could not start" if during == "create" else "failed"
            print(
                f"warning: {backend} {verb} ({error}); {', '.join(stages)} finished on CPU",
                file=self.stream or sys.stderr,
            )
        self.pending.clear()


def _check_builtin_params(voice, args: argparse.Namespace) -> None:
    """--style/--speaker name SBV2 voices' styles and speakers; the built-in voice has one of each."""
    if voice.kind == "sbv2":
        return
    wrong = []
    if args.style is not None and args.style not in voice.styles:
        wrong.append(f"--style {args.style}")
    if args.speaker is not None and args.speaker.strip() not in ("0", *voice.speakers):
        wrong.append(f"--speaker {args.speaker}")
    if wrong:
        raise StudioError(
            f"{' and '.join(wrong)}: the built-in voice has one speaker ({', '.join(voice.speakers)}) and one style "
            f"({', '.join(voice.styles)}); speakers and styles belong to SBV2 voices (--model)"
        )


def _announce_folder(path: str | Path) -> None:
    """An output folder that does not exist yet is created (every command does the same), and said so."""
    folder = Path(path)
    if not folder.exists():
        print(f"note: {folder} does not exist; creating it", file=sys.stderr)


def _model_entry(args: argparse.Namespace, library) -> str:
    """The voice --model names, or the library's default: its first working SBV2 voice when the BERT model is
    installed, otherwise the built-in OpenJTalk voice (so a fresh install speaks offline)."""
    from .models.library import BUILTIN_ID

    if args.model in (None, "", "builtin"):
        if args.model is None and library.find_bert(args.bert) is not None:
            return next((e.id for e in library.scan() if e.kind != "builtin" and e.valid), BUILTIN_ID)
        return BUILTIN_ID
    return args.model


def _open_voice(args: argparse.Namespace, factory=None, notices: _FallbackNotices | None = None):
    """The voice named by --model, or the library's default: its first working SBV2 voice when the BERT model is
    installed, otherwise the built-in OpenJTalk voice (so a fresh install speaks offline). `factory`: the session
    factory to load it with (default: the standard one). --style/--speaker that the voice cannot have: refused."""
    from .app.voices import open_voice
    from .models.library import Library

    library = Library()
    voice = open_voice(
        _model_entry(args, library),
        library=library,
        bert=args.bert,
        bert_variant=args.bert_variant,
        bert_backend=args.bert_backend,
        synth_backend=args.synth_backend,
        on_fallback=notices,
        bert_precision=getattr(args, "bert_precision", None),
        synth_precision=getattr(args, "synth_precision", None),
        **({"factory": factory} if factory is not None else {}),
    )
    _check_builtin_params(voice, args)
    return voice


def _user_dictionary():
    """The person's user dictionary, installed into OpenJTalk; what it has to report goes to stderr."""
    from .engine.text.user_dict import activate_user_dictionary

    dictionary = activate_user_dictionary()
    for notice in dictionary.notices:
        print(f"warning: {notice}", file=sys.stderr)
    dictionary.notices.clear()
    return dictionary


def _read_queries(path: str):
    """An edited query (`sbv2-studio query` prints them) from a JSON file: one object, or a list for several lines."""
    from .engine.query import AudioQuery

    source = Path(path)
    try:
        data = json.loads(source.read_text("utf-8"))
    except OSError as exc:
        raise StudioError(f"{source}: cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise StudioError(f"{source}: not a JSON query ({exc})") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise StudioError(f"{source}: the list of queries is empty")
    queries = []
    for i, item in enumerate(items):
        try:
            queries.append(AudioQuery.from_dict(item))
        except StudioError as exc:
            where = f"{source}[{i}]" if isinstance(data, list) else str(source)
            raise StudioError(f"{where}: {exc}") from None
    return queries


def cmd_synth(args: argparse.Namespace) -> int:
    if (args.text is None) == (args.query is None):
        raise StudioError("give the TEXT to speak or --query FILE.json (an edited query), one of the two")
    _user_dictionary()
    params = _params(args)
    what = args.text if args.query is None else _read_queries(args.query)
    notices = _FallbackNotices()
    voice = _open_voice(args, notices=notices)
    if not isinstance(what, str):
        from .engine.synthesis import SynthesisPlan

        result = voice.stream(what, params, SynthesisPlan.whole(on_unreadable="raise")).collect()
    else:
        result = voice.synthesize(what, params)
    notices.flush()
    _announce_folder(Path(args.output).parent)
    out = result.save(args.output)
    for line in result.skipped_lines:
        print(f"warning: skipped a line with nothing readable: {line!r}", file=sys.stderr)
    if args.timings_json:
        Path(args.timings_json).write_text(json.dumps(result.report(), ensure_ascii=False, indent=2), "utf-8")
    stages = "  ".join(f"{k} {v:.1f}" for k, v in result.timings_ms.items())
    seed = f", seed {result.seed}" if result.seed is not None and voice.kind == "sbv2" else ""
    print(f"wrote {out}: {voice.label}, {result.audio_seconds:.2f} s at {result.sample_rate} Hz{seed}", file=sys.stderr)
    ran_on = ", ".join(f"{stage} on {provider}" for stage, provider in result.ran_on.items()) or "all on CPU"
    print(f"ms: {stages}  total {result.total_ms:.1f}  RTF {result.rtf:.3f}  ({ran_on})", file=sys.stderr)
    if result.copies_ms:  # GPU stages: how much of their time was copying tensors to and from the device
        copies = ", ".join(f"{stage} {ms:.2f}" for stage, ms in result.copies_ms.items())
        print(f"host-device copies, ms (within the stages above): {copies}", file=sys.stderr)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    """Each non-empty line of FILE to DIR/0001.wav …, plus DIR/joined.wav; progress on stderr."""
    import time

    from .app.export import count_lines, export_lines, format_progress, read_lines

    source = Path(args.file)
    if not source.is_file():
        raise StudioError(f"{source}: no such text file")
    try:
        total, last = count_lines(source, args.encoding), count_lines(source, args.encoding, blank=True)
    except UnicodeDecodeError as exc:
        raise StudioError(f"{source}: not {args.encoding} text ({exc}); pass --encoding") from exc
    if total == 0:
        raise StudioError(f"{source}: the file has no non-empty line")
    params = _params(args)
    notices = _FallbackNotices()
    scale_out = args.ray is not None or args.jobs not in (None, 1) or args.threads is not None
    voice = _line_workers(args) if scale_out else _open_voice(args, notices=notices)
    workers = f" on {voice}" if scale_out else ""
    print(f"{voice.label}: {total} line(s) from {source} to {args.output_dir}{workers}", file=sys.stderr)
    cores = os.cpu_count() or 1
    if args.ray is None and (args.jobs or 1) > 1 and cores < 2 * args.jobs:
        print(f"note: {args.jobs} workers share {cores} CPU core(s), and one worker's sessions already use them: "
              "measured on 2 cores, --jobs 2 was not faster than a plain run (docs/batch.md)", file=sys.stderr)  # fmt: skip
    _announce_folder(args.output_dir)
    started = time.perf_counter()

    def progress(done, total_, line) -> None:
        notices.flush()
        print(format_progress(done, total_, line, time.perf_counter() - started), file=sys.stderr, flush=True)

    try:
        result = export_lines(
            voice,
            read_lines(source, args.encoding),
            args.output_dir,
            params,
            total=total,
            last_number=last,
            joined=None if args.no_joined else "joined.wav",
            on_progress=progress,
        )
    finally:
        if scale_out:
            voice.close()
    if args.report_json:
        Path(args.report_json).write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2), "utf-8")
    joined = f", joined in {result.joined}" if result.joined else ""
    resumed = sum(1 for line in result.lines if line.resumed)
    joined += f" ({resumed} kept from an earlier run)" if resumed else ""
    rtf = f", RTF {result.rtf:.3f}" if result.rtf is not None else ""
    print(
        f"wrote {len(result.files)} file(s){joined}: {result.audio_seconds:.1f} s of audio in "
        f"{result.total_ms / 1000.0:.1f} s{rtf}; {len(result.skipped)} line(s) skipped",
        file=sys.stderr,
    )
    return 0 if result.files else 1


def _line_workers(args: argparse.Namespace):
    """`batch --jobs N` / `--ray [ADDRESS]`: workers that each open the voice the options name."""
    from .app.export_workers import VoiceSpec, line_workers
    from .models.library import BUILTIN_ID, Library

    entry = _model_entry(args, Library())
    if entry != BUILTIN_ID and Path(entry).exists():
        entry = str(Path(entry).resolve())  # workers may start in another folder
    bert = str(Path(args.bert).resolve()) if args.bert and Path(args.bert).exists() else args.bert
    spec = VoiceSpec(
        model=entry, bert=bert, bert_backend=args.bert_backend, synth_backend=args.synth_backend,
        bert_precision=args.bert_precision, synth_precision=args.synth_precision, bert_variant=args.bert_variant,
    )  # fmt: skip
    return line_workers(
        spec, args.jobs, threads=args.threads, ray_address=args.ray or None, use_ray=args.ray is not None
    )


def cmd_stream(args: argparse.Namespace) -> int:
    """Speak TEXT while it is synthesized (sentence by sentence, chunk by chunk); print TTFA, RTF, underruns."""
    import statistics
    from dataclasses import replace

    from .audio import AudioDeviceError
    from .audio.player import ClockedStream, StreamPlayer, check_output_device, play_stream
    from .engine.synthesis import SynthesisPlan

    if not args.no_audio:
        try:
            check_output_device()  # before loading anything
        except AudioDeviceError as exc:
            raise StudioError(f"{exc} (use --no-audio to measure against a clock instead)") from exc
    params = _params(args)
    notices = _FallbackNotices()
    voice = _open_voice(args, factory=_no_spin_factory(), notices=notices)
    if args.output:
        _announce_folder(Path(args.output).parent)
    plan = SynthesisPlan.streaming(
        decoder=args.decoder, first_chunk_frames=args.first_chunk, min_chunk_frames=args.first_chunk
    )
    voice.prepare_streaming(args.decoder)
    factory = ClockedStream if args.no_audio else None
    reports = []
    for i in range(max(1, args.runs) + args.warmup):
        cache = getattr(getattr(voice, "bert", None), "cache", None)  # SBV2 voices keep BERT features
        if cache is not None and hasattr(cache, "clear"):
            cache.clear()  # every run pays for its BERT, like a new text
        player = StreamPlayer(voice.sample_rate, stream_factory=factory, device=args.device)
        try:
            player.open()
        except AudioDeviceError as exc:
            raise StudioError(f"{exc} (use --no-audio to measure against a clock instead)") from exc
        try:
            keep = bool(args.output) and i == args.warmup
            stream = voice.stream(args.text, params, replace(plan, keep_audio=keep))
            report = play_stream(stream, player, wait=True)
        finally:
            player.close()
            notices.flush()
        if keep:
            report.save(args.output)
        if i < args.warmup:
            continue
        reports.append(report)
        print(_stream_run_line(len(reports), report), file=sys.stderr)
    med = lambda values: statistics.median(values) if values else None
    heads = [(r.min_headroom_ms(), r.median_headroom_ms()) for r in reports]
    summary = {
        "voice": voice.label,
        "chars": len(args.text),
        "runs": len(reports),
        "device": "clocked" if args.no_audio else "audio device",
        "ttfa_ms_median": round(med([r.ttfa_ms for r in reports]), 1),
        "first_chunk_ms_median": round(med([r.first_chunk_ms for r in reports]), 1),
        "rtf_median": round(med([r.rtf for r in reports]), 4),
        "underruns": [r.underruns for r in reports],
        "headroom_ms_min_median": _round(med([h for h, _ in heads if h is not None])),
        "headroom_ms_median_median": _round(med([m for _, m in heads if m is not None])),
        "mode": reports[-1].mode,
        "last_run": reports[-1].report(),
    }
    print(_timeline_table(reports[-1]), file=sys.stderr)
    if len(reports) > 1:
        head = summary["headroom_ms_min_median"], summary["headroom_ms_median_median"]
        print(
            f"median of {len(reports)}: TTFA {summary['ttfa_ms_median']:.0f} ms, RTF {summary['rtf_median']:.3f}, "
            f"{sum(r.underruns or 0 for r in reports)} underrun(s) in all, headroom min {_ms(head[0])} / "
            f"median {_ms(head[1])}",
            file=sys.stderr,
        )
    if args.json:
        Path(args.json).write_text(json.dumps(summary, ensure_ascii=False, indent=2), "utf-8")
    return 0


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} ms"


def _stream_run_line(number: int, report) -> str:
    """One streamed run: TTFA (and what the start buffer cost), RTF, underruns, headroom (worst / median)."""
    waited = ""
    if report.first_chunk_ms is not None and report.ttfa_ms - report.first_chunk_ms >= 1.0:
        waited = f" (first chunk at {report.first_chunk_ms:.0f} ms, start buffer {report.start_buffer_ms:.0f} ms)"
    return (
        f"run {number}: TTFA {report.ttfa_ms:.0f} ms{waited}, RTF {report.rtf:.3f}, {report.audio_seconds:.2f} s "
        f"of audio in {len(report.chunks)} chunks, {report.underruns} underrun(s) "
        f"({report.underrun_ms:.0f} ms of silence), headroom min {_ms(report.min_headroom_ms())} / median "
        f"{_ms(report.median_headroom_ms())}"
    )


def _timeline_table(report) -> str:
    """The last run's chunk timeline: when each chunk was ready, when it was due, and why it had its size or why
    playback waited."""
    lines = ["chunk timeline (last run): #  kind    audio ms  ready ms  plays at  ahead ms  why"]
    for row, c in zip(report.timeline(), report.chunks):
        audio_ms = c.samples * 1000.0 / report.sample_rate
        ahead = "held" if row["buffering"] else f"{row['headroom_ms']:.0f}"
        lines.append(
            f"  {row['index']:>3}  {row['kind']:<6} {audio_ms:>8.0f} {row['ready_ms']:>9.0f} "
            f"{row['play_from_ms']:>9.0f} {ahead:>9}  {row['reason']}"
        )
    return "\n".join(lines)


def _no_spin_factory():
    """Sessions whose worker threads sleep between runs: a streamed request runs BERT, the latent graph and the
    decoder parts back to back, and a session that spins after its run slows the next one down on few cores."""
    from dataclasses import fields

    from .runtime.backends import SessionConfig, SessionFactory

    if "allow_spinning" not in {f.name for f in fields(SessionConfig)}:
        return None
    return SessionFactory(SessionConfig(allow_spinning=False))


def cmd_query(args: argparse.Namespace) -> int:
    """TEXT as an editable query (VOICEVOX's AudioQuery shape, SBV2's 0/1 pitches): one JSON object, or a list of
    them (one per non-empty line) for several lines. `synth --query` speaks it, edited or not."""
    from .engine.query import AudioQuery

    use_jp_extra = not args.legacy
    if args.model not in (None, "", "builtin") and not args.legacy:
        from .models.library import Library

        use_jp_extra = Library().load(args.model).is_jp_extra  # its config only: no graph is opened
    _user_dictionary()
    lines = [line for line in args.text.splitlines() if line.strip()]
    if not lines:
        raise StudioError("the text is empty: type some Japanese to speak")
    queries = [AudioQuery.from_text(line).to_dict(use_jp_extra) for line in lines]
    out = queries[0] if len(queries) == 1 else queries
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=None if args.compact else 2) + "\n")
    return 0


def _word_from_args(args: argparse.Namespace):
    from .engine.text.user_dict import UserWord

    return UserWord(args.surface, args.pronunciation, args.accent_type, args.word_type, args.priority)


def cmd_dict(args: argparse.Namespace) -> int:
    """The user dictionary: add / list / remove / import / export (VOICEVOX's JSON)."""
    dictionary = _user_dictionary()
    if args.dict_command == "add":
        word_id = dictionary.add(_word_from_args(args))
        word = dictionary.words[word_id]
        print(f"added {word_id}: {word.surface} → {word.pronunciation} (accent {word.accent_type}/{word.mora_count}, "
              f"{word.word_type}, priority {word.priority})", file=sys.stderr)  # fmt: skip
        print(word_id)
    elif args.dict_command == "list":
        if args.json:
            print(json.dumps(dictionary.export_voicevox(), ensure_ascii=False, indent=2))
        elif not dictionary.words:
            print(f"the user dictionary is empty ({dictionary.path})", file=sys.stderr)
        else:
            for word_id, w in dictionary.words.items():
                print(
                    f"{word_id}  {w.surface}\t{w.pronunciation}\t{w.accent_type}/{w.mora_count}\t{w.word_type}\t{w.priority}"
                )
    elif args.dict_command == "remove":
        word_id = dictionary.resolve_id(args.id)
        word = dictionary.remove(word_id)
        print(f"removed {word_id}: {word.surface} → {word.pronunciation}", file=sys.stderr)
    elif args.dict_command == "import":
        count = dictionary.import_voicevox(args.file, override=not args.keep_existing)
        print(f"imported {count} word(s) from {args.file}; the dictionary has {len(dictionary.words)}", file=sys.stderr)
    elif args.dict_command == "export":
        dictionary.export_voicevox(args.file)
        print(f"wrote {len(dictionary.words)} word(s) to {args.file}", file=sys.stderr)
    return 0


def cmd_g2p(args: argparse.Namespace) -> int:
    from .engine.text import frontend
    from .engine.tokenizer import CharTokenizer

    _user_dictionary()
    tokenizer = None
    if args.bert:
        from .models.formats import load_bert_folder

        tokenizer = CharTokenizer.from_folder(load_bert_folder(args.bert).folder)
    stdin = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
    for raw in stdin:
        text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
        text = text.rstrip("\r\n")
        try:
            record = frontend.analyze(text, use_jp_extra=not args.legacy).to_json_dict()
            if tokenizer is not None:
                record["input_ids"] = tokenizer.encode(record["bert_text"]).tolist()
        except StudioError as exc:  # this line cannot be read: an error record, and the next lines go on
            record = {"text": text, "error": str(exc)}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def cmd_defaults(args: argparse.Namespace) -> int:
    """This machine's default backends: show what is stored, or measure (--measure) the fastest configuration
    whose fidelity against FP32 is within the limits, on an SBV2 voice, and store it."""
    from .app import precision
    from .models.library import BUILTIN_ID, Library

    if args.measure:
        library = Library()
        entry = _model_entry(args, library)
        if entry == BUILTIN_ID:
            raise StudioError("--measure needs an SBV2 voice (--model) and the BERT model: the built-in voice runs "
                              "on OpenJTalk alone")  # fmt: skip
        print(f"measuring on {Path(entry).name}: " + ", ".join(
            f"{b.label} + {s.label}" for b, s in precision.candidate_defaults()) + " …", file=sys.stderr)  # fmt: skip
        chosen = precision.fastest_safe_defaults(entry, args.bert, library=library, force=True)
    else:
        chosen = precision.load_defaults()
    if args.json:
        print(json.dumps({"defaults": dataclasses.asdict(chosen) if chosen else None, "path": str(precision.defaults_path()),
                          "limits": precision.LIMITS}, ensure_ascii=False, indent=2))  # fmt: skip
        return 0
    if chosen is None:
        print(
            "not measured on this machine yet: `sbv2-studio defaults --measure [--model VOICE]` (or Backends → "
            "Fastest for this machine in the window) picks the fastest configuration within the limits"
        )
    else:
        print(chosen.describe())
        bert, synth = chosen.backends()
        print(
            f"  --bert-backend {bert.at('fp32').spec} --bert-precision {bert.precision} "
            f"--synth-backend {synth.at('fp32').spec} --synth-precision {synth.precision}  "
            "(what `--machine-defaults` gives synth, stream, batch and serve)"
        )
    limits = precision.LIMITS
    print(
        f"limits: synthesizer SNR ≥ {limits['synth_snr_db']:.0f} dB with the same audio length, BERT cosine ≥ "
        f"{limits['bert_cos_min']} (against onnxruntime FP32); stored in {precision.defaults_path()}"
    )
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    import platform

    import numpy
    import onnxruntime

    from . import __version__
    from .models.library import Library, data_dir
    from .paths import cache_dir, cache_usage
    from .runtime.backends import probe_backends

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
        except Exception as exc:
            versions[module] = f"unavailable ({exc})"
    from .models.validate import check_bert

    library = Library(extra_roots=args.models or [])
    try:
        bert = library.find_bert(args.bert)
        if bert is not None:
            check_bert(bert.folder, prefer=bert.variant, deep=True)  # the graph is a BERT, the tokenizer parses
        bert_report = {"path": str(bert.onnx_path), "variant": bert.variant} if bert else None
    except StudioError as exc:
        bert_report = {"error": str(exc)}
    # a broken voice is listed with its reason and does not fail the check; a BERT asked for by --bert does
    status = 1 if args.bert and bert_report and "error" in bert_report else 0
    from .runtime import ov_backend

    versions["openvino"] = ov_backend.version() or "unavailable (pip install openvino)"
    openvino = {
        "devices": [
            {"name": d.name, "full_name": d.full_name, "capabilities": d.capabilities, "precisions": d.precisions}
            for d in ov_backend.devices()
        ],
        "cpu_flags": sorted(f for f in ov_backend.cpu_flags() if f in ov_backend.INTERESTING_CPU_FLAGS),
        "model_cache": str(ov_backend.model_cache_dir()),
        "primitive_cache": dict(zip(("kept", "why"), ov_backend.primitive_cache_setting())),
    }
    report = {
        "versions": versions,
        "data_dir": str(data_dir()),
        "cache": {"folder": str(cache_dir()), "bytes": cache_usage()},
        "backends": [vars(p) for p in probe_backends()],
        "openvino": openvino,
        "bert": bert_report,
        "models": [
            {"name": e.name, "kind": e.kind, "path": str(e.path or ""), "valid": e.valid, "error": e.error}
            for e in library.scan()
        ],
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return status
    print("Versions:")
    for name, version in versions.items():
        print(f"  {name:16} {version}")
    print(f"Data folder: {report['data_dir']}")
    usage = report["cache"]["bytes"]
    parts = ", ".join(f"{name} {_size(size)}" for name, size in usage.items() if size)
    print(f"Cache folder: {report['cache']['folder']}: {_size(sum(usage.values()))}" + (f" ({parts})" if parts else ""))
    print("Backends (offered by onnxruntime or OpenVINO / working here):")
    for p in report["backends"]:
        state = "works" if p["works"] else ("offered, fails" if p["offered"] else "not offered")
        extra = f" — {p['error']}" if p["error"] else ""
        devices = f" [{'; '.join(p['devices'])}]" if p["devices"] else ""
        print(f"  {p['kind']:9} {state}{devices}{extra}")
    print(f"CPU flags: {', '.join(openvino['cpu_flags']) or 'unknown'}")
    kept = openvino["primitive_cache"]
    print(f"OpenVINO keeps {kept['kept']} prepared primitives ({kept['why']}; fewer: less memory, repeats slower)")
    for d in openvino["devices"]:
        native = ", ".join(p for p, verdict in d["precisions"].items() if verdict == "native")
        print(f"  openvino:{d['name']:6} {d['full_name']} — native precisions: {native}")
    if bert_report is None:
        print("BERT: not found (SBV2 voices need it; the built-in voice does not)")
    elif "error" in bert_report:
        print(f"BERT: BROKEN: {bert_report['error']}")
    else:
        print(f"BERT: ok, {bert_report['variant']}  {bert_report['path']}")
    print("Voices:")
    for m in report["models"]:
        state = "ok" if m["valid"] else f"BROKEN: {m['error']}"
        print(f"  {m['name']:24} {m['kind']:8} {state}  {m['path']}")
    return status


def _size(size: int) -> str:
    if size >= 1e9:
        return f"{size / 1e9:.1f} GB"
    if size >= 1e6:
        return f"{size / 1e6:.0f} MB"
    return f"{size / 1e3:.0f} KB" if size >= 1e3 else f"{size} bytes"


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
    from .models.downloads import download_bert
    from .models.library import Library

    variant = "fp16" if args.fp16 else "fp32"
    return _run_download(lambda cb: download_bert(Library(), variant=variant, progress=cb).onnx_path)


def cmd_download(args: argparse.Namespace) -> int:
    from .models.downloads import download_voice
    from .models.library import Library

    return _run_download(
        lambda cb: (
            download_voice(Library(), args.repo_id, subfolder=args.subfolder, revision=args.revision, progress=cb).path
        )
    )


def cmd_import(args: argparse.Namespace) -> int:
    """Import a voice into the library; a safetensors voice is converted to ONNX on the way (no torch)."""
    from .models.library import Library
    from .models.safetensors_voice import find_safetensors_voice

    voice = find_safetensors_voice(args.path, args.checkpoint)
    if voice is not None and args.list_checkpoints:
        for p in voice.checkpoints:
            print(f"{p.name}{'  (default: newest step)' if p == voice.checkpoints[0] else ''}")
        return 0
    if voice is not None:
        others = len(voice.checkpoints) - 1
        more = f" ({others} other checkpoint{'s' * (others > 1)}: --list-checkpoints)" if others else ""
        print(f"converting {voice.checkpoint.name}{more}", file=sys.stderr)

    def progress(fraction: float, what: str) -> None:
        print(f"\r{fraction * 100:3.0f}% {what:<48}", end="", file=sys.stderr, flush=True)

    try:
        entry = Library().import_model(args.path, checkpoint=args.checkpoint, progress=progress)
    finally:
        if voice is not None:
            print(file=sys.stderr)
    print(f"imported {entry.name} into {entry.path}")
    return 0


def cmd_self_test(args: argparse.Namespace) -> int:
    from .app.selftest import run_self_test

    return run_self_test(args.output, args.require_provider)


def _bench_module():
    """The benchmark lives outside the shipped package (tools/sbv2_bench: it needs models built with torch).

    It is importable when installed beside the studio or when running from a checkout; None otherwise."""
    try:
        from sbv2_bench import bench
    except ImportError:
        tools = Path(__file__).resolve().parent.parent / "tools"
        if not (tools / "sbv2_bench" / "bench.py").is_file():
            return None
        sys.path.insert(0, str(tools))
        from sbv2_bench import bench
    return bench


BENCH_MISSING = (
    "the benchmark is not part of the installed studio: run it from a source checkout "
    "(git clone …; pip install -e '.[test,reference]'; sbv2-studio bench …, or python -m sbv2_bench.bench …); "
    "its models come from tools/make_bench_models.py"
)


def cmd_bench(args: argparse.Namespace) -> int:
    bench = _bench_module()
    if bench is None:
        raise StudioError(BENCH_MISSING)
    for variant in args.bert_variants or []:
        if variant not in BERT_VARIANTS:
            raise StudioError(f"unknown BERT variant '{variant}' (choose from {', '.join(BERT_VARIANTS)})")
    return bench.main_from_args(args)


def build_parser(bench_options: bool = True) -> argparse.ArgumentParser:
    """`bench_options=False`: the bench command without its options (importing the benchmark costs every other
    command's launch 0.15–0.25 s)."""
    from .app.about import version_text

    parser = argparse.ArgumentParser(prog="sbv2-studio", description="Style-Bert-VITS2 speech synthesis studio")
    parser.add_argument("--version", action="version", version=version_text())
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("synth", help="synthesize TEXT (or an edited query, --query) to a WAV/FLAC file")
    p.add_argument("text", metavar="TEXT", nargs="?")
    p.add_argument("--query", metavar="FILE.json", help="speak an edited query (what `sbv2-studio query` prints)")
    _add_synth_args(p)
    p.add_argument("-o", "--output", required=True, metavar="OUT.wav", help="output file (.wav or .flac)")
    p.add_argument("--timings-json", metavar="FILE", help="write per-stage timings and providers as JSON")
    p.set_defaults(func=cmd_synth)

    p = sub.add_parser("batch", help="each line of a text file to its own WAV (0001.wav …) plus joined.wav")
    p.add_argument("file", metavar="FILE.txt", help="UTF-8 text; one WAV per non-empty line")
    _add_synth_args(p)
    p.add_argument("-o", "--output-dir", required=True, metavar="DIR", help="folder for the WAV files")
    _add_param_option(p, "line_interval")
    p.add_argument("--no-joined", action="store_true", help="do not write joined.wav")
    p.add_argument("--encoding", default="utf-8", help="text encoding of FILE (default utf-8)")
    p.add_argument("--report-json", metavar="FILE", help="write per-line results and timings as JSON")
    p.add_argument(
        "--jobs", type=int, default=None, metavar="N",
        help="synthesize N lines at once, each worker with its own sessions (default 1; with --ray: the actors, "
        "default one per two CPUs of the cluster); the files are the same as a plain run's",
    )  # fmt: skip
    p.add_argument(
        "--threads", type=int, default=None, metavar="T",
        help="threads per worker's session (default: as a plain run, which keeps the files bit-identical to it; "
        "another count, e.g. cores/N, rounds differently by up to 1 in 32767)",
    )  # fmt: skip
    p.add_argument(
        "--ray", nargs="?", const="", default=None, metavar="ADDRESS",
        help="run the workers as Ray actors: on the cluster at ADDRESS (e.g. 192.0.2.7:6379 or auto), else on "
        "RAY_ADDRESS or a local Ray instance (needs the 'cluster' extra; docs/batch.md)",
    )  # fmt: skip
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("stream", help="speak TEXT while it is synthesized; report time to first audio, RTF, underruns")
    p.add_argument("text", metavar="TEXT")
    _add_synth_args(p)
    p.add_argument("--no-audio", action="store_true", help="no device: play against a clock (measures the same)")
    p.add_argument("--device", default=None, help="output device (index or name; default: the system's)")
    p.add_argument("--runs", type=int, default=1, help="requests to time (medians reported)")
    p.add_argument("--warmup", type=int, default=1, help="untimed requests first (default 1)")
    p.add_argument("--decoder", choices=("cascade", "overlap"), default="cascade", help="chunked decoding method")
    p.add_argument("--first-chunk", type=int, default=8, metavar="FRAMES", help="first chunk in latent frames")
    p.add_argument("-o", "--output", metavar="OUT.wav", help="also save the streamed audio (first timed run)")
    p.add_argument("--json", metavar="FILE", help="write the summary and the last run's chunk timeline as JSON")
    p.set_defaults(func=cmd_stream)

    p = sub.add_parser("g2p", help="text front end: one JSON object per stdin line")
    p.add_argument("--bert", help="BERT folder whose tokenizer files give input_ids")
    p.add_argument("--legacy", action="store_true", help="older (non-JP-Extra) models: N becomes n")
    p.set_defaults(func=cmd_g2p)

    p = sub.add_parser("query", help="TEXT as an editable query (accent phrases, moras, 0/1 pitches) in JSON")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--model", help="the voice it is for (an older, non-JP-Extra one writes ン as n)")
    p.add_argument("--legacy", action="store_true", help="for older (non-JP-Extra) models: ン as n")
    p.add_argument("--compact", action="store_true", help="one line of JSON")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("dict", help="the user dictionary: add, list, remove, import, export (VOICEVOX JSON)")
    dsub = p.add_subparsers(dest="dict_command", required=True, metavar="{add,list,remove,import,export}")
    d = dsub.add_parser("add", help="add a word (prints its id)")
    d.add_argument("--surface", required=True, help="the word as it is written")
    d.add_argument("--pronunciation", required=True, metavar="KATAKANA", help="how it is read, in katakana")
    d.add_argument("--accent-type", required=True, type=int, metavar="N",
                   help="the mora after which the pitch falls (0: flat)")  # fmt: skip
    d.add_argument("--word-type", default="PROPER_NOUN",
                   choices=("PROPER_NOUN", "COMMON_NOUN", "VERB", "ADJECTIVE", "SUFFIX"))  # fmt: skip
    d.add_argument("--priority", type=int, default=5, metavar="0..10", help="higher wins more often (default 5)")
    d = dsub.add_parser("list", help="the words (id, surface, pronunciation, accent/moras, type, priority)")
    d.add_argument("--json", action="store_true", help="VOICEVOX's user-dictionary JSON")
    d = dsub.add_parser("remove", help="remove a word by its id (or a unique start of it)")
    d.add_argument("id", metavar="ID")
    d = dsub.add_parser("import", help="add the words of a VOICEVOX user-dictionary JSON file")
    d.add_argument("file", metavar="FILE")
    d.add_argument("--keep-existing", action="store_true", help="a word whose id is already here is not replaced")
    d = dsub.add_parser("export", help="write the words as a VOICEVOX user-dictionary JSON file")
    d.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_dict)

    p = sub.add_parser("doctor", help="versions, backends (offered vs working), devices, BERT and voices found")
    p.add_argument("--bert", help="a BERT folder to check besides the library's")
    p.add_argument("--models", action="append", metavar="DIR", help="extra folder of voices to check")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("defaults", help="this machine's default backends and precisions: show, or measure and store")
    p.add_argument("--measure", action="store_true", help="measure the candidates on an SBV2 voice and store the "
                   "fastest within the fidelity limits")  # fmt: skip
    p.add_argument("--model", help="the SBV2 voice to measure on (default: the library's first)")
    p.add_argument("--bert", help="the DeBERTa ONNX folder (default: the library's)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_defaults)

    p = sub.add_parser(
        "bench",
        help="latency/RTF/memory benchmark of the pipeline (optionally side by side with a reference-style one)",
    )
    bench = _bench_module() if bench_options else None
    if bench is None:
        p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    else:
        bench.add_arguments(p)
    p.set_defaults(func=cmd_bench)

    p = sub.add_parser("download-bert", help="download the DeBERTa ONNX BERT model from Hugging Face")
    p.add_argument("--fp16", action="store_true", help="the FP16 graph (about 650 MB) instead of FP32 (1.3 GB)")
    p.set_defaults(func=cmd_download_bert)

    p = sub.add_parser(
        "download", help="download an SBV2 voice (ONNX folder, .aivmx, or .safetensors: converted) from Hugging Face"
    )
    p.add_argument("repo_id", metavar="REPO_ID", help="the Hugging Face repo, owner/name")
    p.add_argument(
        "--subfolder", metavar="S", help="the voice's folder (or .aivmx / .safetensors path) in a repo of several"
    )
    p.add_argument("--revision", metavar="REV", help="branch, tag or commit (default: the main branch)")
    p.set_defaults(func=cmd_download)

    p = sub.add_parser(
        "import", help="add a voice to the library: an ONNX folder, an .aivmx, or a safetensors voice (converted)"
    )
    p.add_argument(
        "path", metavar="PATH", help="voice folder, .aivmx file, or a .safetensors with config.json beside it"
    )
    p.add_argument("--checkpoint", metavar="FILE", help="the .safetensors checkpoint to convert (default: newest step)")
    p.add_argument("--list-checkpoints", action="store_true", help="list a safetensors folder's checkpoints and stop")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("serve", help="a VOICEVOX-compatible HTTP engine for other programs (docs/http-api.md)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument(
        "--port", type=int, default=50210, help="port (default 50210; VOICEVOX uses 50021, AivisSpeech 10101)"
    )
    p.add_argument(
        "--model", help="voice to load at start: SBV2 model folder, .aivmx or 'builtin' (default: the library's)"
    )
    p.add_argument("--bert", help="DeBERTa ONNX folder (default: SBV2_STUDIO_BERT or the library's)")
    _add_backend_args(p)
    p.add_argument(
        "--stream-warm-up", action="store_true",
        help="after loading, warm the streamed path in the background, so the first /streaming_synthesis starts as "
        "soon as the later ones and plays without gaps (holds 0.3-0.4 GB more for a full-size voice; a request that "
        "arrives meanwhile waits for its two short requests)",
    )  # fmt: skip
    p.add_argument(
        "--cors",
        choices=("localapps", "all"),
        default="localapps",
        help="CORS: localhost pages and app:// origins (default, as VOICEVOX), or every origin",
    )
    p.add_argument("--allow-origin", action="append", metavar="ORIGIN", help="also allow this origin (repeatable)")
    p.add_argument("--api-key", help="require this key in X-API-Key (default: SBV2_STUDIO_API_KEY, else none)")
    p.add_argument("--max-text", type=int, default=1000, metavar="N", help="characters per text (default 1000)")
    p.set_defaults(func=cmd_serve)

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


def cmd_serve(args: argparse.Namespace) -> int:
    """The headless engine: the VOICEVOX-compatible HTTP API over one Studio (see docs/http-api.md)."""
    import os

    from .app.jobs import LOAD, PREPARE
    from .app.server import ServerConfig, StudioThread, create_app
    from .app.server.runner import check_port_free, listening_server
    from .models.library import Library
    from .runtime.backends import Backend, check_precision

    api_key = args.api_key or os.environ.get("SBV2_STUDIO_API_KEY") or None
    try:
        bert_backend = Backend.parse(args.bert_backend, args.bert_precision)
        synth_backend = Backend.parse(args.synth_backend, args.synth_precision)
        check_precision(bert_backend, "bert")  # every voice a request asks for opens with these: refused now
        check_precision(synth_backend, "synth")
        config = ServerConfig(
            host=args.host, port=args.port, cors_mode=args.cors, allow_origins=list(args.allow_origin or []),
            api_key=api_key, max_text_chars=args.max_text, bert_path=args.bert, bert_backend=bert_backend.spec,
            synth_backend=synth_backend.spec,
        )  # fmt: skip
    except ValueError as exc:
        raise StudioError(str(exc)) from None
    check_port_free(config.host, config.port)
    if not config.loopback:
        print(f"warning: serving on {config.host}: other machines can reach this engine"
              + ("" if api_key else " (no --api-key: anyone who can reach it may use it)"), file=sys.stderr)  # fmt: skip
    from . import offload

    offload.enable()  # a voice loaded while serving converts its models in a child: requests keep being answered
    library = Library()
    entry_id = _model_entry(args, library)

    def said(event: str, *args) -> None:  # no window: what the person should know of background work, on stderr
        if event == "failed" and args[1] == PREPARE:
            print(f"warning: the streamed path was not warmed up: {args[2]}", file=sys.stderr)

    runner = StudioThread(emit=said, keep_whole_graph=True)
    if args.model not in (None, "", "builtin"):  # listed in /speakers too (with the voices beside it)
        entry_id = str(Path(args.model).expanduser().resolve())
        if library.models_dir.resolve() not in Path(entry_id).parents:
            runner.studio.extra_roots = [str(Path(entry_id).parent)]
    load = runner.submit(LOAD, entry_id=str(entry_id), bert_path=args.bert, bert_backend=bert_backend,
                         synth_backend=synth_backend, runs=1)  # fmt: skip
    load.done.wait()
    if load.error is not None:
        runner.close()
        raise StudioError(f"cannot load {entry_id}: {load.error}")
    if args.stream_warm_up:  # in the background: requests are answered meanwhile, and it gives way to them
        runner.submit(PREPARE)

    def listening() -> None:  # once a client can connect (scripts wait for this line)
        print(f"SBV2 Studio engine on http://{config.host}:{config.port} (voice loaded: {runner.studio.info.label}); "
              "Ctrl+C stops it", file=sys.stderr)  # fmt: skip

    try:
        listening_server(create_app(runner, config), config.host, config.port, listening).run()
    finally:
        runner.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    words = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(bench_options="bench" in words)
    args = parser.parse_args(argv)
    if args.command is None:
        from .ui.app import run_gui

        return run_gui([sys.argv[0]])
    import logging

    # The CLI says what matters itself (fallbacks once, as warnings): library log records are not echoed raw.
    logging.getLogger("sbv2_studio").addHandler(logging.NullHandler())
    try:
        _apply_machine_defaults(args)
        return args.func(args)
    except StudioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line for the person, the traceback only when asked for
        if os.environ.get("SBV2_STUDIO_DEBUG"):
            raise
        print(
            f"error: unexpected {type(exc).__name__}: {exc} (a bug: set SBV2_STUDIO_DEBUG=1 for the details)",
            file=sys.stderr,
        )
        return 1
