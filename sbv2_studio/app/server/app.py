"""The VOICEVOX-compatible HTTP API (FastAPI): the studio's voices as VOICEVOX speakers, every request a job on
the one Studio queue (see runner.py). Shapes follow VOICEVOX ENGINE's OpenAPI schema (and AivisSpeech's where it
extends it); docs/http-api.md says what each endpoint and AudioQuery field does here.

Safety: CORS as VOICEVOX's default (localhost pages and app:// origins), Host header checked on loopback, an
optional API key, a body-size limit, text and list limits, and every failure a JSON answer with a message (never
a traceback). No endpoint takes a path: voices are named by style id, the dictionary lives in the data folder.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import io
import logging
import zipfile
from pathlib import Path
from typing import Annotated, Any

import numpy as np
from fastapi import Body, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ... import __version__
from ...engine.query import AudioQuery
from ...engine.synthesis import SynthesisPlan
from ...errors import DictionaryError, ModelError, ParameterError, StudioError, TextError
from ..jobs import REQUEST
from .catalog import Catalog, SpeakerNotFound, Style
from .config import LOCAL_ORIGINS_REGEX, ServerConfig
from .runner import JobRunner
from .voicevox import finish_audio, params_of, query_of, read_wav, streaming_wav_header, to_int16, wav_bytes

log = logging.getLogger(__name__)
ENGINE_UUID = "5b9d1c4e-3f0a-5e7d-9a61-2c8f4b7e0d13"  # this engine's own id in VOICEVOX's engine list
FRAME_RATE = 44100 / 512  # SBV2's latent frames per second


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        self.status, self.message = status, message
        super().__init__(message)


class BodyTooLarge(ApiError):
    pass


def _status_of(exc: BaseException) -> int:
    if isinstance(exc, ApiError):
        return exc.status
    if isinstance(exc, SpeakerNotFound):
        return 404
    if isinstance(exc, (TextError, ParameterError, DictionaryError)):
        return 422
    if isinstance(exc, ModelError):
        return 503  # a voice on this machine is broken: not the client's fault, nor a crash
    if isinstance(exc, StudioError):
        return 500
    return 500


def _message_of(exc: BaseException) -> str:
    if isinstance(exc, (ApiError, StudioError)):
        return str(exc.message if isinstance(exc, ApiError) else exc)
    return f"internal error: {type(exc).__name__}: {exc}"


class _BodyLimit:
    """Refuse a body over the limit, by its Content-Length or (chunked) as it arrives."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.limit:
                response = JSONResponse({"detail": f"the body has {int(value):,} bytes; at most {self.limit:,} are read"},
                                        status_code=413)  # fmt: skip
                return await response(scope, receive, send)
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge(413, f"the body is over {self.limit:,} bytes")
            return message

        return await self.app(scope, counted, send)


def create_app(runner: JobRunner, config: ServerConfig | None = None) -> FastAPI:
    config = config or ServerConfig()
    studio = runner.studio
    catalog = Catalog(studio.library)
    app = FastAPI(title="SBV2 Studio engine (VOICEVOX-compatible)", version=__version__,
                  description="Style-Bert-VITS2 voices behind the VOICEVOX engine API; see docs/http-api.md")  # fmt: skip
    app.state.catalog = catalog
    app.state.config = config

    # -- safety ----------------------------------------------------------------------------------------------

    @app.middleware("http")
    async def api_key_check(request: Request, call_next):
        if config.api_key and request.method != "OPTIONS" and request.url.path != "/version":
            given = request.headers.get("x-api-key") or ""
            auth = request.headers.get("authorization", "")
            if auth.lower().startswith("bearer "):
                given = given or auth[7:].strip()
            if not hmac.compare_digest(given.encode(), config.api_key.encode()):
                return JSONResponse({"detail": "an API key is needed: send it as X-API-Key"}, status_code=401)
        return await call_next(request)

    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"] if config.cors_mode == "all" else list(config.allow_origins),
        allow_origin_regex=None if config.cors_mode == "all" else LOCAL_ORIGINS_REGEX,
        allow_methods=["*"], allow_headers=["*"], allow_credentials=False,
    )  # fmt: skip
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=config.trusted_hosts())
    app.add_middleware(_BodyLimit, limit=config.max_body_bytes)

    @app.exception_handler(Exception)
    async def on_error(request: Request, exc: Exception):
        status = _status_of(exc)
        if status >= 500 and not isinstance(exc, (StudioError, ApiError)):
            log.exception("API request %s %s failed", request.method, request.url.path)
        return JSONResponse({"detail": _message_of(exc)}, status_code=status)

    for kind in (ApiError, StudioError):
        app.add_exception_handler(kind, on_error)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError):
        errors = [{k: v for k, v in e.items() if k in ("loc", "msg", "type")} for e in exc.errors()]
        where = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in errors) or "bad request"
        return JSONResponse({"detail": errors, "message": where}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    # -- helpers ---------------------------------------------------------------------------------------------

    def check_text(text: str, what: str = "text") -> str:
        if not text or not text.strip():
            raise ApiError(422, f"{what}: the text is empty")
        if len(text) > config.max_text_chars:
            raise ApiError(422, f"{what}: {len(text):,} characters; at most {config.max_text_chars:,} in one request")
        return text

    def job_fields(style: Style, body: dict | None) -> dict:
        params, ignored = params_of(body or {}, style.speaker.sid, style.name)
        if style.speaker.builtin:
            params.style = None
        return {
            "params": params, "entry_id": style.entry_id, "bert_path": config.bert_path,
            "bert_backend": _backend(config.bert_backend), "synth_backend": _backend(config.synth_backend),
            "_ignored": ignored,
        }  # fmt: skip

    def speech_of(style: Style, query: AudioQuery) -> dict:
        check_text(query.text, "the query's text")
        if style.speaker.builtin:  # OpenJTalk speaks text: the query's edits cannot apply
            return {"text": query.text}
        return {"query": query, "text": query.text}

    async def wait(request: Request | None, job) -> Any:
        """Wait for a job off the event loop; a client that goes away withdraws it."""
        loop_deadline = asyncio.get_running_loop().time() + config.max_wait_s
        while not job.done.is_set():
            await asyncio.to_thread(job.done.wait, 0.2)
            if request is not None and not job.done.is_set() and await request.is_disconnected():
                runner.withdraw(job)
                raise ApiError(499, "the client went away")
            if asyncio.get_running_loop().time() > loop_deadline:
                runner.withdraw(job)
                raise ApiError(503, f"the engine is busy: the request did not finish within {config.max_wait_s:g} s")
        if job.error is not None:
            raise job.error
        if job.cancelled:
            raise ApiError(503, "the request was cancelled (the engine is shutting down)")
        return job.result

    async def synthesize(request: Request, style: Style, speech: dict, fields: dict):
        fields = dict(fields)
        fields.pop("_ignored", None)
        job = runner.submit(REQUEST, plan=SynthesisPlan.whole(), **fields, **speech)
        return await wait(request, job)

    async def call(request: Request | None, fn):
        return await wait(request, runner.submit(REQUEST, call=fn))

    def wav_response(result, body: dict, ignored: list[str]) -> Response:
        pcm, rate, stereo = finish_audio(result.pcm16, result.sample_rate, body)
        headers = {"X-SBV2-Seed": str(result.seed)}
        if ignored:
            headers["X-SBV2-Ignored"] = ",".join(ignored)
        return Response(wav_bytes(pcm, rate, stereo), media_type="audio/wav", headers=headers)

    def dictionary():
        from ...engine.text.user_dict import FILE_NAME, activate_user_dictionary
        from ...paths import data_dir

        home = Path(studio.home) if studio.home is not None else data_dir()
        return activate_user_dictionary(home / FILE_NAME)

    # -- about the engine ------------------------------------------------------------------------------------

    @app.get("/version")
    def version() -> str:
        return __version__

    @app.get("/engine_manifest")
    def engine_manifest() -> dict:
        return {
            "manifest_version": "0.13.1", "name": "SBV2 Studio", "brand_name": "SBV2 Studio", "uuid": ENGINE_UUID,
            "url": "https://github.com/sbv2-studio/sbv2-studio", "icon": "", "default_sampling_rate": 44100,
            "frame_rate": FRAME_RATE, "terms_of_service": "Each voice's own terms apply (see its model card).",
            "update_infos": [{"version": __version__, "descriptions": ["VOICEVOX-compatible HTTP API"],
                              "contributors": []}],
            "dependency_licenses": [
                {"name": "onnxruntime", "version": None, "license": "MIT", "text": "MIT License"},
                {"name": "pyopenjtalk-plus", "version": None, "license": "MIT", "text": "MIT License"},
                {"name": "FastAPI", "version": None, "license": "MIT", "text": "MIT License"},
            ],
            "supported_vvlib_manifest_version": None,
            "supported_features": {
                "adjust_mora_pitch": True,  # 0/1 per mora (SBV2's tones)
                "adjust_phoneme_length": False,
                "adjust_speed_scale": True,
                "adjust_pitch_scale": False,
                "adjust_intonation_scale": True,  # style strength, as AivisSpeech
                "adjust_volume_scale": True,
                "adjust_pause_length": False,
                "interrogative_upspeak": False,
                "synthesis_morphing": False,
                "sing": False,
                "manage_library": False,
                "return_resource_url": False,
                "apply_katakana_english": False,
                "streaming_synthesis": True,
            },
        }  # fmt: skip

    @app.get("/supported_devices")
    def supported_devices(core_version: str | None = None) -> dict:
        from ...runtime.backends import available_kinds

        kinds = set(available_kinds())
        return {"cpu": True, "cuda": "cuda" in kinds, "dml": "dml" in kinds}

    # -- speakers --------------------------------------------------------------------------------------------

    @app.get("/speakers")
    def speakers(core_version: str | None = None) -> list[dict]:
        return [
            {
                "name": sp.name, "speaker_uuid": sp.uuid, "version": sp.version,
                "styles": [{"name": st.name, "id": st.id, "type": "talk"} for st in sp.styles],
                "supported_features": {"permitted_synthesis_morphing": "NOTHING"},
            }
            for sp in catalog.speakers()
        ]  # fmt: skip

    @app.get("/speaker_info")
    def speaker_info(speaker_uuid: str, resource_format: str = "base64", core_version: str | None = None) -> dict:
        if resource_format not in ("base64", "url"):
            raise ApiError(422, f"resource_format: {resource_format!r} is neither base64 nor url")
        sp = catalog.speaker(speaker_uuid)
        policy = sp.entry.error or f"{sp.entry.name}: see the voice's own model card for its terms of use."
        return {
            "policy": policy, "portrait": "",
            "style_infos": [{"id": st.id, "icon": "", "portrait": "", "voice_samples": []} for st in sp.styles],
        }  # fmt: skip

    @app.get("/singers")
    def singers(core_version: str | None = None) -> list:
        return []  # SBV2 voices talk; none sings

    initialized: set[str] = set()

    @app.get("/is_initialized_speaker")
    def is_initialized_speaker(speaker: int, core_version: str | None = None) -> bool:
        return catalog.style(speaker).entry_id in initialized

    @app.post("/initialize_speaker", status_code=204)
    async def initialize_speaker(request: Request, speaker: int, skip_reinit: bool = False,
                                 core_version: str | None = None) -> Response:  # fmt: skip
        style = catalog.style(speaker)
        if not (skip_reinit and style.entry_id in initialized):
            fields = job_fields(style, None)
            await synthesize(request, style, {"text": "あ"}, fields)  # loads the voice and runs it once
            initialized.add(style.entry_id)
        return Response(status_code=204)

    # -- queries ---------------------------------------------------------------------------------------------

    def make_query(text: str, style: Style) -> dict:
        check_text(text)
        if style.speaker.builtin:
            raise ApiError(501, "the built-in OpenJTalk voice has no query model: use an SBV2 voice's style id "
                                "(its /synthesis still speaks a query's text)")  # fmt: skip
        rate = _rate_of(style)
        query = AudioQuery.from_text(text)
        data = query.to_dict(use_jp_extra=True)
        for phrase in data["accent_phrases"]:  # VOICEVOX requires a vowel_length: SBV2 predicts it (0 = not given)
            for mora in phrase["moras"]:
                mora["vowel_length"] = mora["vowel_length"] or 0.0
                if mora["consonant"] is not None:
                    mora["consonant_length"] = mora["consonant_length"] or 0.0
        data["outputSamplingRate"] = rate
        data["tempoDynamicsScale"] = 1.0  # AivisSpeech's field: SBV2's SDP ratio
        return data

    @app.post("/audio_query")
    async def audio_query(request: Request, text: str, speaker: int, enable_katakana_english: bool = False,
                          core_version: str | None = None) -> dict:  # fmt: skip
        style = catalog.style(speaker)
        return await call(request, lambda: make_query(text, style))  # reads text: with the dictionary in order

    @app.post("/audio_query_from_preset")
    def audio_query_from_preset(text: str, preset_id: int) -> Response:
        raise ApiError(501, "presets are not kept by this engine: use /audio_query and set the scales")

    @app.post("/accent_phrases")
    async def accent_phrases(request: Request, text: str, speaker: int, is_kana: bool = False,
                             enable_katakana_english: bool = False, core_version: str | None = None) -> list:  # fmt: skip
        if is_kana:
            raise ApiError(501, "is_kana: AquesTalk-style kana input is not read by this engine; send the text")
        style = catalog.style(speaker)
        data = await call(request, lambda: make_query(text, style))
        return data["accent_phrases"]

    def mora_stub(name: str):
        def stub(speaker: int, body: Annotated[list, Body()]) -> Response:
            raise ApiError(501, f"/{name}: SBV2 predicts phoneme lengths and pitch itself while it synthesizes; "
                                "there are no per-mora values to return before synthesis")  # fmt: skip

        return stub

    for name in ("mora_data", "mora_length", "mora_pitch"):
        app.post(f"/{name}", name=name)(mora_stub(name))

    # -- synthesis -------------------------------------------------------------------------------------------

    @app.post("/synthesis", response_class=Response, responses={200: {"content": {"audio/wav": {}}}})
    async def synthesis(request: Request, speaker: int, body: Annotated[dict, Body()],
                        enable_interrogative_upspeak: bool = True, core_version: str | None = None) -> Response:  # fmt: skip
        style = catalog.style(speaker)
        fields = job_fields(style, body)
        result = await synthesize(request, style, speech_of(style, query_of(body)), fields)
        return wav_response(result, body, fields["_ignored"])

    @app.post("/cancellable_synthesis", response_class=Response)
    async def cancellable_synthesis(request: Request, speaker: int, body: Annotated[dict, Body()],
                                    core_version: str | None = None) -> Response:  # fmt: skip
        return await synthesis(request, speaker, body)  # every request here is cancelled when its client goes

    @app.post("/multi_synthesis", response_class=Response, responses={200: {"content": {"application/zip": {}}}})
    async def multi_synthesis(request: Request, speaker: int, body: Annotated[list, Body()],
                              core_version: str | None = None) -> Response:  # fmt: skip
        if len(body) > config.max_queries:
            raise ApiError(422, f"{len(body)} queries; at most {config.max_queries} in one request")
        style = catalog.style(speaker)
        queries = [query_of(q) for q in body]  # every query checked before any is synthesized
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for i, (item, query) in enumerate(zip(body, queries), start=1):
                fields = job_fields(style, item)
                result = await synthesize(request, style, speech_of(style, query), fields)
                pcm, rate, stereo = finish_audio(result.pcm16, result.sample_rate, item)
                archive.writestr(f"{i:03d}.wav", wav_bytes(pcm, rate, stereo))
        return Response(out.getvalue(), media_type="application/zip")

    @app.post("/streaming_synthesis", response_class=Response, responses={200: {"content": {"audio/wav": {}}}})
    async def streaming_synthesis(request: Request, speaker: int, body: Annotated[dict, Body()],
                                  core_version: str | None = None) -> StreamingResponse:  # fmt: skip
        """WAV as it is made: the header (sizes unknown: 0xFFFFFFFF), then 16-bit PCM per chunk (chunked
        transfer). The audio is the synthesizer's own level (not peak-normalized: the peak is not known yet)."""
        style = catalog.style(speaker)
        fields = job_fields(style, body)
        fields.pop("_ignored")
        speech = speech_of(style, query_of(body))
        rate = _rate_of(style)
        _, out_rate, stereo = finish_audio(np.zeros(0, np.int16), rate, body)  # checks the output fields now
        volume = float(body.get("volumeScale", 1.0) or 0.0)
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue = asyncio.Queue()
        job = runner.submit(
            REQUEST, plan=SynthesisPlan.streaming(), on_audio=lambda c: loop.call_soon_threadsafe(chunks.put_nowait, c),
            **fields, **speech,
        )  # fmt: skip
        resampler = None
        if out_rate != rate:
            import soxr

            resampler = soxr.ResampleStream(rate, out_rate, 1, dtype="float32")

        def pcm(x: np.ndarray, last: bool = False) -> bytes:
            x = np.asarray(x, np.float32) * volume
            if resampler is not None:
                x = resampler.resample_chunk(x, last=last)
            data = to_int16(x)
            return (np.stack([data, data], axis=1) if stereo else data).tobytes()

        async def watch_done():
            await asyncio.to_thread(job.done.wait)
            loop.call_soon_threadsafe(chunks.put_nowait, None)

        async def produce():
            watcher = asyncio.create_task(watch_done())
            try:
                yield streaming_wav_header(out_rate, 2 if stereo else 1)
                yield pcm(np.zeros(int(rate * float(body.get("prePhonemeLength", 0.1) or 0.0)), np.float32))
                while True:
                    chunk = await chunks.get()
                    if chunk is None:
                        break
                    yield pcm(chunk.audio)
                while not chunks.empty():  # chunks queued before the end was noticed
                    chunk = chunks.get_nowait()
                    if chunk is not None:
                        yield pcm(chunk.audio)
                if job.error is not None:
                    log.warning("streamed request failed: %s", _message_of(job.error))
                    return  # the status is sent already: the WAV simply ends
                post = np.zeros(int(rate * float(body.get("postPhonemeLength", 0.1) or 0.0)), np.float32)
                yield pcm(post, last=True)
            finally:
                if not job.done.is_set():  # the client went away mid-stream: free the engine
                    runner.withdraw(job)
                watcher.cancel()

        headers = {"X-SBV2-Streaming": "wav; sizes unknown until the end"}
        return StreamingResponse(produce(), media_type="audio/wav", headers=headers)

    @app.post("/connect_waves", response_class=Response)
    def connect_waves(body: Annotated[list[str], Body()]) -> Response:
        import base64
        import binascii

        if not body:
            raise ApiError(422, "waves: give at least one base64 WAV")
        if len(body) > config.max_waves:
            raise ApiError(422, f"{len(body)} waves; at most {config.max_waves} in one request")
        pieces, rate = [], None
        for i, item in enumerate(body):
            try:
                data = base64.b64decode(item, validate=True)
            except (binascii.Error, ValueError):
                raise ApiError(422, f"waves[{i}]: not base64") from None
            audio, r = read_wav(data, f"waves[{i}]")
            if rate is not None and r != rate:
                raise ApiError(422, f"waves[{i}]: {r} Hz, but waves[0] is {rate} Hz (all must share one rate)")
            rate = r
            pieces.append(audio)
        return Response(wav_bytes(np.concatenate(pieces), rate), media_type="audio/wav")

    @app.post("/synthesis_morphing")
    def synthesis_morphing() -> Response:
        raise ApiError(501, "morphing between voices is not possible with SBV2 models")

    # -- the user dictionary ---------------------------------------------------------------------------------

    @app.get("/user_dict")
    async def user_dict(request: Request) -> dict:
        return await call(request, lambda: dictionary().export_voicevox())

    def word_of(surface: str, pronunciation: str, accent_type: int, word_type: str | None, priority: int | None):
        from ...engine.text.user_dict import DEFAULT_PRIORITY, DEFAULT_WORD_TYPE, UserWord

        check_text(surface, "surface")
        return UserWord(surface, pronunciation, accent_type, word_type or DEFAULT_WORD_TYPE,
                        DEFAULT_PRIORITY if priority is None else priority)  # fmt: skip

    @app.post("/user_dict_word")
    async def add_user_dict_word(request: Request, surface: str, pronunciation: str, accent_type: int,
                                 word_type: str | None = None, priority: int | None = None) -> str:  # fmt: skip
        word = word_of(surface, pronunciation, accent_type, word_type, priority)
        return await call(request, lambda: dictionary().add(word))

    @app.put("/user_dict_word/{word_uuid}", status_code=204)
    async def update_user_dict_word(request: Request, word_uuid: str, surface: str, pronunciation: str,
                                    accent_type: int, word_type: str | None = None,
                                    priority: int | None = None) -> Response:  # fmt: skip
        word = word_of(surface, pronunciation, accent_type, word_type, priority)
        await call(request, lambda: dictionary().update(word_uuid, word))
        return Response(status_code=204)

    @app.delete("/user_dict_word/{word_uuid}", status_code=204)
    async def delete_user_dict_word(request: Request, word_uuid: str) -> Response:
        await call(request, lambda: dictionary().remove(word_uuid))
        return Response(status_code=204)

    @app.post("/import_user_dict", status_code=204)
    async def import_user_dict(request: Request, body: Annotated[dict, Body()], override: bool = False) -> Response:
        await call(request, lambda: dictionary().import_voicevox(body, override=override))
        return Response(status_code=204)

    # -- what does not apply -------------------------------------------------------------------------------

    def not_offered(path: str):
        def stub() -> Response:
            raise ApiError(501, f"{path}: not offered by this engine (SBV2 voices; see docs/http-api.md)")

        return stub

    for path in ("/presets", "/add_preset", "/update_preset", "/delete_preset", "/downloadable_libraries",
                 "/installed_libraries", "/validate_kana", "/sing_frame_audio_query", "/frame_synthesis"):  # fmt: skip
        for method in ("get", "post"):
            getattr(app, method)(path, name=f"{path.strip('/')}_{method}")(not_offered(path))

    return app


def _backend(value: str):
    from ...runtime.backends import Backend

    return Backend.parse(value)


def _rate_of(style: Style) -> int:
    return _rate_of_entry(style.entry_id, style.speaker.builtin)


@functools.lru_cache(maxsize=64)
def _rate_of_entry(entry_id: str, builtin: bool) -> int:
    if builtin:
        from ...engine.builtin import OpenJTalkVoice

        return int(OpenJTalkVoice.sample_rate)
    from ...models.formats import load_voice_model

    return int(load_voice_model(entry_id).sampling_rate)


__all__ = ["ENGINE_UUID", "create_app"]
