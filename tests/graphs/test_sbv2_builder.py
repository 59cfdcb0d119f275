"""The studio's own synthesizer graph builder against the official converter's ONNX (the fixtures) and against
the reference PyTorch model, on the same weights (tests/fixtures/reference/*.safetensors), noise off.

`noise_scale_w = 0` zeroes the stochastic duration predictor's input noise but not the predictor itself (its
spline flows still run), so `sdp_ratio > 0` is compared exactly too.
"""

from __future__ import annotations

import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from sbv2_studio.graphs import split as gs
from sbv2_studio.graphs.sbv2_builder import ConversionError, build_synthesizer, read_checkpoint

from ..conftest import FIXTURES, requires_reference

ARCHS = ("jp_extra", "legacy")
OUTPUTS = ("output", "attn", "y_mask", "z_latent", "z_p", "m_p", "logs_p")
# (phones, sdp_ratio, speaker, length_scale, style row)
CASES = [(15, 0.0, 0, 1.0, 0), (40, 0.5, 1, 1.0, 1), (2, 1.0, 1, 0.8, 2), (25, 0.3, 0, 1.3, 0)]


def _config(arch: str) -> dict:
    return json.loads((FIXTURES / arch / "config.json").read_text(encoding="utf-8"))


def _session(model) -> ort.InferenceSession:
    return ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])


@pytest.fixture(scope="module")
def built():
    return {
        arch: build_synthesizer(_config(arch), read_checkpoint(FIXTURES / "reference" / f"{arch}.safetensors"))
        for arch in ARCHS
    }


def _feeds(jp_extra, n, sdp, sid, length, style, seed=0, batch_lengths=None):
    rng = np.random.default_rng(seed + n)
    lengths = batch_lengths or [2 * n + 1]
    t = max(lengths)
    b = len(lengths)
    ids = np.zeros((b, t), np.int64)
    tones, lang = np.zeros_like(ids), np.zeros_like(ids)
    for row, length_ in enumerate(lengths):
        ids[row, 1:length_:2] = rng.integers(1, 112, len(range(1, length_, 2)))
        tones[row, 1:length_:2] = 6 + rng.integers(0, 2, len(range(1, length_, 2)))
        lang[row, 1:length_:2] = 1
    bert = rng.normal(0, 0.5, (b, 1024, t)).astype(np.float32)
    vectors = np.load(FIXTURES / ("jp_extra" if jp_extra else "legacy") / "style_vectors.npy")
    feeds = {
        "x_tst": ids, "x_tst_lengths": np.array(lengths, np.int64), "sid": np.full(b, sid, np.int64),
        "tones": tones, "language": lang, "style_vec": np.repeat(vectors[style : style + 1], b, 0),
        "length_scale": np.array(length, np.float32), "sdp_ratio": np.array(sdp, np.float32),
        "noise_scale": np.array(0.0, np.float32), "noise_scale_w": np.array(0.0, np.float32),
    }  # fmt: skip
    if jp_extra:
        feeds["bert"] = bert
    else:
        feeds.update(bert=np.zeros_like(bert), ja_bert=bert, en_bert=np.zeros_like(bert))
    return feeds


@pytest.mark.parametrize("arch", ARCHS)
def test_built_graph_matches_the_official_export(built, arch):
    """Same inputs, same 7 outputs, same audio as the fixture ONNX (made by the official converter's method)."""
    model = built[arch]
    onnx.checker.check_model(model)
    official = ort.InferenceSession(str(next((FIXTURES / arch).glob("*.onnx"))), providers=["CPUExecutionProvider"])
    ours = _session(model)
    assert [i.name for i in ours.get_inputs()] == [i.name for i in official.get_inputs()]
    assert [o.name for o in model.graph.output] == list(OUTPUTS)
    for case in CASES:
        feeds = _feeds(arch == "jp_extra", *case)
        a, b = ours.run(None, feeds), official.run(None, feeds)
        for name, x, y in zip(OUTPUTS, a, b):
            assert x.shape == y.shape, (case, name)
            assert float(np.abs(x - y).max()) < 1e-4, (case, name)
        assert float(np.abs(a[0]).max()) > 0.01  # real audio, not silence


def test_batches_with_padding_match_the_official_export(built):
    """Two utterances of different lengths in one batch (masks, padded alignment) give the export's result."""
    official = ort.InferenceSession(
        str(next((FIXTURES / "jp_extra").glob("*.onnx"))), providers=["CPUExecutionProvider"]
    )
    feeds = _feeds(True, 0, 0.4, 1, 1.0, 1, batch_lengths=[31, 19])
    a = _session(built["jp_extra"]).run(None, feeds)[0:3:2]  # output, y_mask (the export names them otherwise)
    b = official.run(None, feeds)[0:3:2]
    assert a[0].shape == b[0].shape and float(np.abs(a[0] - b[0]).max()) < 1e-4
    assert np.array_equal(a[1], b[1]) and a[1][1].sum() < a[1][0].sum()


def test_built_graph_splits_for_streaming(built, tmp_path):
    """graphs/split.py finds the decoder in the built graph and cuts it into levels (streaming works unchanged)."""
    path = tmp_path / "built.onnx"
    onnx.save(built["legacy"], str(path))
    split = gs.split_synthesizer(path, tmp_path / "cache")  # validates latent + decoder == whole graph
    assert split.conditioning == ["g"]  # the speaker embedding, as for official exports
    decoder = onnx.load(str(split.decoder_path))
    parts = gs.split_decoder_levels(decoder)
    assert len(parts) == 1 + len(_config("legacy")["model"]["upsample_rates"])


def test_noise_inputs_reach_the_prior_and_the_durations(built):
    """noise_scale draws the prior sample around m_p (scaled by exp(logs_p)); noise_scale_w draws the stochastic
    duration predictor's input. Off, the graph is deterministic; on, each run differs, by the amounts asked."""
    session = _session(built["jp_extra"])
    feeds = _feeds(True, 20, 0.5, 0, 1.0, 0)
    names = [o.name for o in session.get_outputs()]
    quiet = dict(zip(names, session.run(None, feeds)))
    assert np.array_equal(quiet["z_p"], quiet["m_p"])
    noisy = dict(zip(names, session.run(None, {**feeds, "noise_scale": np.array(0.667, np.float32)})))
    assert np.array_equal(noisy["y_mask"], quiet["y_mask"])  # same durations: only the prior sample moved
    spread = (noisy["z_p"] - noisy["m_p"]) / (np.exp(noisy["logs_p"]) * 0.667)
    frames = quiet["y_mask"][0, 0] > 0
    assert 0.8 < float(spread[..., frames].std()) < 1.2  # unit normal noise, scaled as asked
    assert not np.array_equal(noisy["output"], quiet["output"])
    lengths = {session.run(None, {**feeds, "noise_scale_w": np.array(1.0, np.float32)})[2].shape[-1] for _ in range(6)}
    assert len(lengths) > 1  # the durations now vary from run to run (sdp_ratio 0.5)


def test_weight_norm_in_the_parametrization_layout_gives_the_same_graph(built):
    """Checkpoints saved with torch's newer weight-norm parametrization name g and v `original0`/`original1`."""
    tensors = read_checkpoint(FIXTURES / "reference" / "jp_extra.safetensors")
    renamed = {}
    for name, value in tensors.items():
        for old, new in ((".weight_g", ".parametrizations.weight.original0"),
                         (".weight_v", ".parametrizations.weight.original1")):  # fmt: skip
            if name.endswith(old):
                name = name[: -len(old)] + new
        renamed[name] = value
    assert renamed.keys() != tensors.keys()
    model = build_synthesizer(_config("jp_extra"), renamed)
    feeds = _feeds(True, 10, 0.0, 0, 1.0, 0)
    assert np.array_equal(
        _session(model).run(["output"], feeds)[0], _session(built["jp_extra"]).run(["output"], feeds)[0]
    )


# --- refusals -------------------------------------------------------------------------------------------------


def test_missing_tensor_is_named():
    tensors = read_checkpoint(FIXTURES / "reference" / "jp_extra.safetensors")
    del tensors["flow.flows.4.enc.attn_layers.1.emb_rel_k"]
    with pytest.raises(ConversionError, match=r"tensor 'flow\.flows\.4\.enc\.attn_layers\.1\.emb_rel_k' is missing"):
        build_synthesizer(_config("jp_extra"), tensors, checkpoint_path="voice.safetensors")


def test_config_that_does_not_fit_the_weights_is_named():
    config = _config("jp_extra")
    config["model"]["hidden_channels"] = 24
    tensors = read_checkpoint(FIXTURES / "reference" / "jp_extra.safetensors")
    with pytest.raises(
        ConversionError,
        match=r"voice\.safetensors: does not match its config\.json.*'enc_p\.emb\.weight' has shape \[112, 16\], expected \[n, 24\]",
    ):
        build_synthesizer(config, tensors, checkpoint_path="voice.safetensors")
    # a JP-Extra config for the older weights: the older text encoder's extra projections are not read, but the
    # flow depth differs (6 layers vs 4)
    with pytest.raises(ConversionError, match=r"flow\.flows\.\d\.enc\.attn_layers\.4\..* is missing"):
        build_synthesizer(_config("jp_extra"), read_checkpoint(FIXTURES / "reference" / "legacy.safetensors"))


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda c: c.update(version="1.0"), "only SBV2 2.x"),
        (lambda c: c["model"].update(resblock="3"), "model.resblock"),
        (lambda c: c["model"].update(n_heads=3), "not a multiple of model.n_heads"),
        (lambda c: c["data"].update(n_speakers=0), "data.n_speakers"),
        (lambda c: c["model"].update(upsample_rates=[8, 8]), "differ in length"),
    ],
)
def test_unsupported_configs_are_refused_with_the_field(change, match):
    config = _config("jp_extra")
    change(config)
    with pytest.raises(ConversionError, match=match) as info:
        build_synthesizer(config, {}, config_path="config.json")
    assert str(info.value).startswith("config.json: cannot be converted")


def test_truncated_checkpoint_is_refused(tmp_path):
    data = (FIXTURES / "reference" / "jp_extra.safetensors").read_bytes()
    broken = tmp_path / "voice.safetensors"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(ConversionError, match=r"voice\.safetensors: not a readable \.safetensors file"):
        read_checkpoint(broken)


# --- against the reference PyTorch model ----------------------------------------------------------------------


def _torch_audio(net, feeds, jp_extra):
    import torch

    t = {k: torch.from_numpy(np.asarray(v)) for k, v in feeds.items()}
    scalars = {k: float(feeds[k]) for k in ("length_scale", "sdp_ratio", "noise_scale", "noise_scale_w")}
    berts = [t["bert"]] if jp_extra else [t["bert"], t["ja_bert"], t["en_bert"]]
    with torch.no_grad():
        out = net.infer(t["x_tst"], t["x_tst_lengths"], t["sid"], t["tones"], t["language"], *berts, t["style_vec"],
                        **scalars)  # fmt: skip
    return out[0].numpy()


def _reference_net(config, path):
    from style_bert_vits2.models.hyper_parameters import HyperParameters
    from style_bert_vits2.models.infer import get_net_g

    hps = HyperParameters.model_validate(config)
    return get_net_g(str(path), hps.version, "cpu", hps)


@requires_reference
@pytest.mark.parametrize("arch", ARCHS)
def test_built_graph_matches_the_reference_model(built, arch):
    import torch

    torch.manual_seed(0)
    net = _reference_net(_config(arch), FIXTURES / "reference" / f"{arch}.safetensors")
    ours = _session(built[arch])
    for case in CASES:
        feeds = _feeds(arch == "jp_extra", *case)
        expected = _torch_audio(net, feeds, arch == "jp_extra")
        got = ours.run(["output"], feeds)[0]
        assert got.shape == expected.shape, case
        assert float(np.abs(got - expected).max()) < 1e-4, case


def _random_reference_model(config, seed, path):
    """A reference SynthesizerTrn for `config` with random weights (nothing left at zero), saved the way the
    trainer saves checkpoints (float16 safetensors); returns the torch model loaded back from that file."""
    import torch
    from style_bert_vits2.models.hyper_parameters import HyperParameters
    from style_bert_vits2.models.utils.safetensors import save_safetensors
    from style_bert_vits2.nlp.symbols import SYMBOLS

    hps = HyperParameters.model_validate(config)
    jp_extra = hps.version.endswith("JP-Extra")
    if jp_extra:
        from style_bert_vits2.models.models_jp_extra import SynthesizerTrn
    else:
        from style_bert_vits2.models.models import SynthesizerTrn
    torch.manual_seed(seed)
    kwargs = hps.model.model_dump()
    if not jp_extra:
        kwargs.pop("slm", None)
    net = SynthesizerTrn(len(SYMBOLS), hps.data.filter_length // 2 + 1, hps.train.segment_size // hps.data.hop_length,
                         n_speakers=hps.data.n_speakers, **kwargs).eval()  # fmt: skip
    gen = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for _, p in net.named_parameters():
            if bool((p == 0).all()):
                p.copy_(torch.randn(p.shape, generator=gen) * 0.05)
    save_safetensors(net, 1, str(path), is_half=True, for_infer=True)
    return _reference_net(config, path)


VARIANTS = {
    # one speaker, the older architecture
    "legacy_1spk": ("legacy", {"data": {"n_speakers": 1, "spk2id": {"a": 0}}}),
    # five speakers, JP-Extra
    "jp_extra_5spk": ("jp_extra", {"data": {"n_speakers": 5, "spk2id": {str(i): i for i in range(5)}}}),
    # other hyper-parameters the trainer's config allows: ResBlock2, 4 heads, deeper text encoder with a wider
    # FFN kernel, another upsampling ladder, wider speaker embedding
    "jp_extra_resblock2": (
        "jp_extra",
        {
            "model": {
                "resblock": "2",
                "resblock_kernel_sizes": [3, 5],
                "resblock_dilation_sizes": [[1, 3], [2, 4]],
                "n_heads": 4,
                "n_layers": 4,
                "kernel_size": 5,
                "hidden_channels": 24,
                "inter_channels": 12,
                "filter_channels": 40,
                "upsample_rates": [8, 4, 4],
                "upsample_kernel_sizes": [16, 8, 8],
                "upsample_initial_channel": 48,
                "gin_channels": 20,
            },
            "data": {"n_speakers": 3, "spk2id": {"a": 0, "b": 1, "c": 2}},
        },
    ),  # fmt: skip
}


@requires_reference
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_other_speaker_counts_and_hyper_parameters_match_the_reference(variant, tmp_path):
    arch, changes = VARIANTS[variant]
    config = _config(arch)
    for section, values in changes.items():
        config[section].update(values)
    net = _random_reference_model(config, 7, tmp_path / "voice.safetensors")
    ours = _session(build_synthesizer(config, read_checkpoint(tmp_path / "voice.safetensors")))
    n_speakers = config["data"]["n_speakers"]
    for n, sdp, sid in ((12, 0.0, n_speakers - 1), (30, 0.6, 0)):
        feeds = _feeds(arch == "jp_extra", n, sdp, sid, 1.0, 1)
        expected = _torch_audio(net, feeds, arch == "jp_extra")
        got = ours.run(["output"], feeds)[0]
        assert got.shape == expected.shape
        assert float(np.abs(got - expected).max()) < 1e-4
