"""The VOICEVOX-compatible HTTP API against the fixture voice and the built-in voice: every response checked against
the shapes of VOICEVOX ENGINE's OpenAPI schema (written here as pydantic models, field names and types only),
bad requests answered 4xx with a message, concurrent clients, streaming, and a client that goes away."""

from __future__ import annotations

import io
import os
import shutil
import sys
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from pydantic import BaseModel, ConfigDict, TypeAdapter

from sbv2_studio.app.jobs import REQUEST

pytest.importorskip("fastapi")
pytest.importorskip("httpx")
from fastapi.testclient import TestClient

from sbv2_studio.app.server import ServerConfig, StudioThread, create_app
from sbv2_studio.app.server.catalog import style_id

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


# -- VOICEVOX's shapes (required fields as its schema requires them) -------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="allow", strict=False)


class SpeakerStyle(Strict):
    name: str
    id: int
    type: str = "talk"


class Speaker(Strict):
    name: str
    speaker_uuid: str
    styles: list[SpeakerStyle]
    version: str


class StyleInfo(Strict):
    id: int
    icon: str
    voice_samples: list[str]


class SpeakerInfo(Strict):
    policy: str
    portrait: str
    style_infos: list[StyleInfo]


class Mora(Strict):
    text: str
    consonant: str | None = None
    consonant_length: float | None = None
    vowel: str
    vowel_length: float
    pitch: float


class AccentPhrase(Strict):
    moras: list[Mora]
    accent: int
    pause_mora: Mora | None = None
    is_interrogative: bool = False


class AudioQuery(Strict):
    accent_phrases: list[AccentPhrase]
    speedScale: float
    pitchScale: float
    intonationScale: float
    volumeScale: float
    prePhonemeLength: float
    postPhonemeLength: float
    outputSamplingRate: int
    outputStereo: bool
    kana: str | None = None


class SupportedFeatures(Strict):
    adjust_mora_pitch: bool
    adjust_phoneme_length: bool
    adjust_speed_scale: bool
    adjust_pitch_scale: bool
    adjust_intonation_scale: bool
    adjust_volume_scale: bool
    interrogative_upspeak: bool
    synthesis_morphing: bool


class LicenseInfo(Strict):
    name: str
    text: str


class UpdateInfo(Strict):
    version: str
    descriptions: list[str]


class EngineManifest(Strict):
    manifest_version: str
    name: str
    brand_name: str
    uuid: str
    url: str
    icon: str
    default_sampling_rate: int
    frame_rate: float
    terms_of_service: str
    update_infos: list[UpdateInfo]
    dependency_licenses: list[LicenseInfo]
    supported_features: SupportedFeatures


class SupportedDevicesInfo(Strict):
    cpu: bool
    cuda: bool
    dml: bool


class UserDictWord(Strict):
    surface: str
    priority: int
    part_of_speech: str
    part_of_speech_detail_1: str
    part_of_speech_detail_2: str
    part_of_speech_detail_3: str
    inflectional_type: str
    inflectional_form: str
    stem: str
    yomi: str
    pronunciation: str
    accent_type: int
    accent_associative_rule: str


# -- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    home = tmp_path_factory.mktemp("api-home")
    shutil.copytree(FIXTURES / "jp_extra", home / "models" / "jp_extra")
    return home


@pytest.fixture(scope="module")
def runner(home):
    mp = pytest.MonkeyPatch()
    mp.setenv("SBV2_STUDIO_BERT", str(FIXTURES / "bert"))
    mp.setenv("SBV2_STUDIO_HOME", str(home))  # the dictionary and caches stay in the test folder
    runner = StudioThread(home=home)
    yield runner
    runner.close()
    mp.undo()


@pytest.fixture(scope="module")
def client(runner):
    return TestClient(create_app(runner, ServerConfig()), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def styles(client):
    speakers = TypeAdapter(list[Speaker]).validate_python(client.get("/speakers").json())
    sbv2 = next(s for s in speakers if s.version.endswith("JP-Extra"))
    builtin = next(s for s in speakers if s.version == "builtin")
    return sbv2, builtin


def wav(data: bytes) -> tuple[np.ndarray, int]:
    audio, rate = sf.read(io.BytesIO(data), dtype="int16")
    return audio, rate


def query(client, text: str, speaker: int) -> dict:
    r = client.post("/audio_query", params={"text": text, "speaker": speaker})
    assert r.status_code == 200, r.text
    AudioQuery.model_validate(r.json())
    return r.json()


# -- about the engine and the speakers ---------------------------------------------------------------------------


def test_engine_endpoints_match_voicevox_shapes(client):
    assert isinstance(client.get("/version").json(), str)
    manifest = EngineManifest.model_validate(client.get("/engine_manifest").json())
    assert manifest.supported_features.adjust_intonation_scale is True
    assert manifest.supported_features.model_extra["streaming_synthesis"] is True
    assert SupportedDevicesInfo.model_validate(client.get("/supported_devices").json()).cpu is True


def test_speakers_are_the_voices_with_stable_style_ids(client, styles):
    sbv2, builtin = styles
    assert [s.name for s in sbv2.styles] == ["Neutral", "Happy", "Sad"]
    # The id scheme (AivisSpeech's): md5(uuid) bits << 5 | the style's local id.
    assert [s.id for s in sbv2.styles] == [style_id(sbv2.speaker_uuid, i) for i in range(3)]
    assert all(0 <= s.id < 2**31 for s in sbv2.styles + builtin.styles)
    again = create_app(StudioThread(home=client.app.state.catalog._library_of().home), ServerConfig())
    with TestClient(again, base_url="http://127.0.0.1") as other:  # a restart: the same ids
        assert other.get("/speakers").json() == client.get("/speakers").json()
    info = SpeakerInfo.model_validate(client.get("/speaker_info", params={"speaker_uuid": sbv2.speaker_uuid}).json())
    assert [s.id for s in info.style_infos] == [s.id for s in sbv2.styles]


def test_initialize_speaker(client, styles):
    sid = styles[0].styles[0].id
    assert client.post("/initialize_speaker", params={"speaker": sid}).status_code == 204
    assert client.get("/is_initialized_speaker", params={"speaker": sid}).json() is True


# -- queries and synthesis --------------------------------------------------------------------------------------


def test_query_edit_synthesize(client, styles):
    sid = styles[0].styles[0].id
    q = query(client, "こんにちは、世界。", sid)
    assert q["outputSamplingRate"] == 44100
    phrases = client.post("/accent_phrases", params={"text": "こんにちは、世界。", "speaker": sid}).json()
    TypeAdapter(list[AccentPhrase]).validate_python(phrases)
    assert [m["text"] for m in phrases[0]["moras"]] == [m["text"] for m in q["accent_phrases"][0]["moras"]]
    r = client.post("/synthesis", params={"speaker": sid}, json=q)
    assert r.status_code == 200 and r.headers["content-type"] == "audio/wav"
    audio, rate = wav(r.content)
    assert rate == 44100 and audio.size > rate * 0.2 and np.abs(audio).max() > 1000
    # An edit (flat first phrase) and the output fields: rate, stereo, silence.
    edited = dict(q, outputSamplingRate=24000, outputStereo=True, prePhonemeLength=0.5, postPhonemeLength=0.0)
    for m in edited["accent_phrases"][0]["moras"]:
        m["pitch"] = 0
    r2 = client.post("/synthesis", params={"speaker": sid}, json=edited)
    audio2, rate2 = wav(r2.content)
    assert rate2 == 24000 and audio2.ndim == 2 and audio2.shape[1] == 2
    assert np.abs(audio2[: int(0.45 * 24000)]).max() == 0  # the half second of leading silence


def test_a_voicevox_built_query_without_sbv2_fields_is_spoken(client, styles):
    """A client that rebuilds the query (no text/words/word, VOICEVOX's Hz pitches) still gets speech."""
    sid = styles[0].styles[0].id
    q = query(client, "こんにちは。", sid)
    for key in ("text", "words"):
        q.pop(key)
    for phrase in q["accent_phrases"]:
        for m in phrase["moras"]:
            m.pop("word")
            m["pitch"] = 5.5
        if phrase["pause_mora"]:
            phrase["pause_mora"].pop("markWords")
    r = client.post("/synthesis", params={"speaker": sid}, json=q)
    assert r.status_code == 200, r.text
    assert wav(r.content)[0].size > 0


def test_builtin_voice_speaks_the_querys_text(client, styles):
    sbv2, builtin = styles
    q = query(client, "おはよう。", sbv2.styles[0].id)
    r = client.post("/synthesis", params={"speaker": builtin.styles[0].id}, json=q)
    assert r.status_code == 200 and wav(r.content)[1] == q["outputSamplingRate"]  # resampled from 48 kHz
    r = client.post("/audio_query", params={"text": "おはよう", "speaker": builtin.styles[0].id})
    assert r.status_code == 501 and "built-in" in r.json()["detail"]


def test_multi_synthesis_and_connect_waves(client, styles):
    import base64

    sid = styles[0].styles[1].id
    qs = [query(client, t, sid) for t in ("あいうえお。", "かきくけこ。")]
    r = client.post("/multi_synthesis", params={"speaker": sid}, json=qs)
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        parts = [z.read(n) for n in sorted(z.namelist())]
    assert len(parts) == 2
    joined = client.post("/connect_waves", json=[base64.b64encode(p).decode() for p in parts])
    assert joined.status_code == 200
    assert wav(joined.content)[0].size == sum(wav(p)[0].size for p in parts)


# -- streaming ---------------------------------------------------------------------------------------------------


@pytest.fixture
def gated(runner, monkeypatch):
    """Jobs the API submits, each made to wait after its first audio chunk until `gate` is set, so a test knows
    the synthesis is still under way when the client reads that chunk."""
    submitted, gate = [], threading.Event()
    submit = runner.submit

    def spy(kind, **fields):
        inner = fields.get("on_audio")
        if inner is not None:
            count = [0]

            def on_audio(chunk):
                inner(chunk)
                count[0] += 1
                if count[0] == 1:
                    gate.wait(60)

            fields["on_audio"] = on_audio
        job = submit(kind, **fields)
        submitted.append(job)
        return job

    withdrawn = threading.Event()
    withdraw = runner.withdraw

    def spy_withdraw(job):
        withdraw(job)
        withdrawn.set()

    monkeypatch.setattr(runner, "submit", spy)
    monkeypatch.setattr(runner, "withdraw", spy_withdraw)
    gate.withdrawn = withdrawn
    yield submitted, gate
    gate.set()


TEXT = "今日はとてもいい天気ですね、散歩に行きましょう。"


def test_streaming_sends_wav_in_chunks_before_the_end(client, styles, gated):
    submitted, gate = gated
    sid = styles[0].styles[0].id
    q = query(client, TEXT, sid)
    with client.stream("POST", "/streaming_synthesis", params={"speaker": sid}, json=q) as r:
        assert r.status_code == 200 and r.headers["content-type"] == "audio/wav"
        pieces = []
        for piece in r.iter_bytes():
            pieces.append(piece)
            if len(pieces) == 3:  # header, leading silence, first audio: the synthesis is still held mid-way
                job = submitted[-1]
                assert job.kind == REQUEST and not job.done.is_set()
                assert np.abs(np.frombuffer(piece, np.int16)).max() > 0
                gate.set()
    assert job.done.is_set() and job.result.finished and len(job.result.chunks) > 1
    data = b"".join(pieces)
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE" and data[40:44] == b"\xff\xff\xff\xff"
    assert len(pieces) > 3
    pcm = np.frombuffer(data[44:], np.int16)
    # All the speech came through: the result's samples plus 0.1 s of silence on each side.
    assert pcm.size == job.result.audio_samples + 2 * 4410


def test_a_client_leaving_mid_stream_frees_its_job(client, runner, styles, gated):
    """Through a real server (uvicorn notices a closed connection at once): the job held after its first chunk is
    withdrawn when the client goes, before it is let go on."""
    import httpx

    from sbv2_studio.app.server import ApiServer

    submitted, gate = gated
    sid = styles[0].styles[0].id
    q = query(client, TEXT, sid)
    server = ApiServer(runner, ServerConfig(port=free_port()))
    url = server.start()
    try:
        with httpx.stream("POST", f"{url}/streaming_synthesis", params={"speaker": sid}, json=q, timeout=60) as r:
            for i, _ in enumerate(r.iter_bytes()):
                if i == 2:
                    break
        job = submitted[-1]
        assert job.done.wait(0) is False
        # The server notices the closed connection and withdraws the job while it is still held.
        assert gate.withdrawn.wait(30) and job.cancelled
        gate.set()
        assert job.done.wait(60)
        assert job.result is None or not job.result.finished
        assert httpx.get(f"{url}/version").status_code == 200  # and the engine keeps serving
    finally:
        server.stop()


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_concurrent_clients_are_queued_and_all_get_their_wav(client, styles):
    sid = styles[0].styles[0].id
    texts = ["あいうえお。", "かきくけこ。", "さしすせそ。", "たちつてと。"]
    queries = [query(client, t, sid) for t in texts]
    results: dict[int, tuple[int, bytes]] = {}

    def call(i: int) -> None:
        r = client.post("/synthesis", params={"speaker": sid}, json=queries[i])
        results[i] = (r.status_code, r.content)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(results) == [0, 1, 2, 3]
    for status, body in results.values():
        assert status == 200 and wav(body)[0].size > 0


# -- the user dictionary -------------------------------------------------------------------------------------------


def test_user_dictionary_endpoints(client):
    r = client.post("/user_dict_word", params={"surface": "徒花", "pronunciation": "アダバナ", "accent_type": 1})
    assert r.status_code == 200, r.text
    word_id = r.json()
    words = client.get("/user_dict").json()
    UserDictWord.model_validate(words[word_id])
    r = client.put(
        f"/user_dict_word/{word_id}", params={"surface": "徒花", "pronunciation": "アダバナ", "accent_type": 0}
    )
    assert r.status_code == 204
    assert client.get("/user_dict").json()[word_id]["accent_type"] == 0
    exported = client.get("/user_dict").json()
    assert client.delete(f"/user_dict_word/{word_id}").status_code == 204
    assert word_id not in client.get("/user_dict").json()
    assert client.post("/import_user_dict", params={"override": True}, json=exported).status_code == 204
    assert len(client.get("/user_dict").json()) == 1
    bad = client.post("/user_dict_word", params={"surface": "x", "pronunciation": "ひらがな", "accent_type": 0})
    assert bad.status_code == 422 and "pronunciation" in bad.json()["detail"]
    assert client.delete("/user_dict_word/no-such-word").status_code in (404, 422)


# -- bad requests, limits, safety ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method, path, kwargs, status",
    [
        ("post", "/synthesis", {"params": {"speaker": 7}, "json": {}}, 404),
        ("post", "/audio_query", {"params": {"text": "あ"}}, 422),  # speaker missing
        ("post", "/audio_query", {"params": {"text": "あ" * 1001, "speaker": -1}}, 404),
        ("get", "/speaker_info", {"params": {"speaker_uuid": "nope"}}, 404),
        ("post", "/connect_waves", {"json": ["not base64!"]}, 422),
        ("post", "/connect_waves", {"json": []}, 422),
        ("post", "/synthesis_morphing", {}, 501),
        ("post", "/mora_data", {"params": {"speaker": 1}, "json": []}, 501),
        ("get", "/presets", {}, 501),
    ],
)
def test_bad_requests_get_4xx_or_501_with_a_message(client, method, path, kwargs, status):
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == status, r.text
    body = r.json()
    assert body.get("detail") and "Traceback" not in r.text


def test_bad_query_fields_are_named(client, styles):
    sid = styles[0].styles[0].id
    q = query(client, "こんにちは。", sid)
    for change, field in (
        ({"speedScale": 0.0}, "speedScale"),
        ({"volumeScale": "loud"}, "volumeScale"),
        ({"outputSamplingRate": 10}, "outputSamplingRate"),
        ({"accent_phrases": "x"}, "accent_phrases"),
    ):
        r = client.post("/synthesis", params={"speaker": sid}, json={**q, **change})
        assert r.status_code == 422 and field in r.json()["detail"], r.text
    long = client.post("/audio_query", params={"text": "あ" * 1001, "speaker": sid})
    assert long.status_code == 422 and "1,000" in long.json()["detail"]
    assert client.post("/synthesis", params={"speaker": sid}, content=b"{not json").status_code == 422


def test_limits_key_cors_and_host(runner):
    config = ServerConfig(api_key="s3cret", max_body_bytes=1000)
    c = TestClient(create_app(runner, config), base_url="http://127.0.0.1")
    assert c.get("/version").status_code == 200  # the version is open, as a health check
    assert c.get("/speakers").status_code == 401
    assert c.get("/speakers", headers={"X-API-Key": "s3cret"}).status_code == 200
    assert c.get("/speakers", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    big = c.post("/connect_waves", headers={"X-API-Key": "s3cret"}, json=["A" * 2000])
    assert big.status_code == 413 and "bytes" in big.json()["detail"]
    # CORS: a local page and an app may call; another site may not.
    open_ = TestClient(create_app(runner, ServerConfig()), base_url="http://127.0.0.1")
    ok = open_.get("/version", headers={"Origin": "http://localhost:3000"})
    assert ok.headers.get("access-control-allow-origin") == "http://localhost:3000"
    assert open_.get("/version", headers={"Origin": "app://."}).headers.get("access-control-allow-origin") == "app://."
    assert (
        "access-control-allow-origin" not in open_.get("/version", headers={"Origin": "https://evil.example"}).headers
    )
    # On loopback, a Host that is not this machine (DNS rebinding) is refused.
    assert open_.get("/version", headers={"Host": "evil.example"}).status_code == 400


def test_api_server_runs_on_a_thread_and_stops(runner):
    import socket

    import httpx

    from sbv2_studio.app.server import ApiServer

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = ApiServer(runner, ServerConfig(port=port))
    url = server.start()
    try:
        assert httpx.get(f"{url}/version").status_code == 200
        with pytest.raises(Exception, match="cannot serve"):
            ApiServer(runner, ServerConfig(port=port)).start()  # the port is taken: one clear line
    finally:
        server.stop()
    assert not server.running


def test_serve_cli_refuses_a_taken_port_in_one_line(capsys):
    import socket

    from sbv2_studio.cli import main

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert main(["serve", "--port", str(port), "--model", "builtin"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"127.0.0.1:{port}" in err[0] and "--port" in err[0]


def test_serve_cli_takes_the_precisions_as_synth_does_and_refuses_one_the_backend_lacks_before_loading(capsys):
    from sbv2_studio.cli import main

    voice = str(FIXTURES / "jp_extra")
    assert main(["serve", "--port", "0", "--model", voice, "--synth-precision", "bf16"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "bf16" in line and "synthesizer" in line and "--synth-backend openvino" in line


def test_serve_says_where_it_listens_once_a_client_can_connect(tmp_path):
    """Scripts start `serve` and wait for its line: it was printed before the server listened, and a client that
    connected on reading it was refused. Now the line comes when a connection is accepted: the first try works."""
    import socket
    import subprocess

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "SBV2_STUDIO_HOME": str(tmp_path)}
    cmd = [sys.executable, "-m", "sbv2_studio", "serve", "--port", str(port), "--model", "builtin"]
    server = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=env)
    try:
        said = next((line for line in server.stderr if "engine on" in line or "error" in line), "")
        assert f"http://127.0.0.1:{port}" in said
        assert httpx.get(f"http://127.0.0.1:{port}/version").status_code == 200  # no retry
    finally:
        server.terminate()
        server.wait(30)


def test_serve_stream_warm_up_warms_the_streamed_path_in_the_background_and_keeps_the_whole_graph(
    monkeypatch, tmp_path, capsys
):
    """With --stream-warm-up, `serve` answers once loaded and warms the streamed path behind (its first
    /streaming_synthesis began 480-660 ms late and played a gap; measured on the full-size voice,
    docs/benchmarks.md); it keeps the whole graph open, as it answers whole requests as often. Without it nothing
    more is opened than whole requests need (a VOICEVOX client never streams: 0.3-0.4 GB saved)."""
    from sbv2_studio import offload
    from sbv2_studio.app import server as server_package
    from sbv2_studio.app.jobs import LOAD, PREPARE
    from sbv2_studio.app.server import runner as runner_module
    from sbv2_studio.app.voices import VOICE_CACHE
    from sbv2_studio.cli import main

    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path))
    monkeypatch.setattr(offload, "_enabled", offload.enabled())  # serve enables it: back as it was afterwards
    monkeypatch.setattr(VOICE_CACHE, "_voices", OrderedDict())  # the voices it warms are not the next tests'
    submitted = []

    class Recording(StudioThread):
        def submit(self, kind, **fields):
            submitted.append((kind, self.studio.keep_whole_graph))
            return super().submit(kind, **fields)

    class Listening:  # says it listens, then stops (as Ctrl+C would)
        def __init__(self, app, host, port, on_listening, **options):
            self.on_listening = on_listening

        def run(self):
            self.on_listening()

    monkeypatch.setattr(server_package, "StudioThread", Recording)
    monkeypatch.setattr(runner_module, "listening_server", Listening)
    serve = ["serve", "--port", "0", "--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert")]
    assert main([*serve, "--stream-warm-up"]) == 0
    assert submitted == [(LOAD, True), (PREPARE, True)]
    assert "engine on" in capsys.readouterr().err
    submitted.clear()
    assert main(serve) == 0
    assert submitted == [(LOAD, True)]


def test_serve_says_on_stderr_when_the_streamed_warm_up_fails(monkeypatch, tmp_path, capsys):
    """The engine has no window: a background warm-up that fails is said in one line (requests still run: the
    first streamed one then prepares the path itself and answers with its own error if it cannot)."""
    from sbv2_studio import offload
    from sbv2_studio.app import server as server_package
    from sbv2_studio.app.jobs import PREPARE
    from sbv2_studio.app.server import runner as runner_module
    from sbv2_studio.app.studio import Studio
    from sbv2_studio.app.voices import VOICE_CACHE
    from sbv2_studio.cli import main
    from sbv2_studio.errors import StudioError

    monkeypatch.setenv("SBV2_STUDIO_HOME", str(tmp_path))
    monkeypatch.setattr(offload, "_enabled", offload.enabled())
    monkeypatch.setattr(VOICE_CACHE, "_voices", OrderedDict())
    jobs = []

    class Recording(StudioThread):
        def submit(self, kind, **fields):
            jobs.append(super().submit(kind, **fields))
            return jobs[-1]

    class Listening:  # says it listens, lets the warm-up finish, then stops (as Ctrl+C would)
        def __init__(self, app, host, port, on_listening, **options):
            self.on_listening = on_listening

        def run(self):
            self.on_listening()
            assert jobs[-1].kind == PREPARE and jobs[-1].done.wait(60)

    def failing(self, job, warm=False):
        raise StudioError("the graph could not be split")

    monkeypatch.setattr(server_package, "StudioThread", Recording)
    monkeypatch.setattr(runner_module, "listening_server", Listening)
    monkeypatch.setattr(Studio, "_prepare_streaming", failing)
    serve = ["serve", "--port", "0", "--model", str(FIXTURES / "jp_extra"), "--bert", str(FIXTURES / "bert")]
    assert main([*serve, "--stream-warm-up"]) == 0
    err = capsys.readouterr().err
    assert "warning: the streamed path was not warmed up: the graph could not be split" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("host", "hint"), [("no-such-host.invalid", "check --host"),
                                            ("192.0.2.1", "--host must be an address of this machine")])  # fmt: skip
def test_serve_cli_names_the_host_as_the_problem_when_it_is(capsys, host, hint):
    """A name that does not resolve, or an address that is not this machine's: the port is not what to change."""
    from sbv2_studio.cli import main

    assert main(["serve", "--host", host, "--model", "builtin"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert host in line and hint in line and "--port" not in line
