"""End-to-end parity with the reference on the same weights: BERT features (tokenizer + DeBERTa + word2ph
expansion, assist text included) within 1e-4, and with noise off the final audio within 1e-3, for JP-Extra and
older models, at several lengths.

The reference runs its own PyTorch path (`get_text` → `extract_bert_feature` → `SynthesizerTrn.infer`); the studio
runs its own front end, tokenizer and both ONNX graphs on onnxruntime.
"""

from __future__ import annotations

import numpy as np
import pytest

from sbv2_studio.engine.bert import expand_to_phones
from sbv2_studio.engine.pipeline import SynthesisParams
from sbv2_studio.engine.text import frontend

from ..conftest import FIXTURES, requires_reference
from ..reference_oracle import bang_as_punctuation
from ..sentences import SENTENCES

pytestmark = requires_reference

# Short to long; punctuation of every kind, numbers, Latin, `!`, small tsu, long vowels.
TEXTS = [
    "あ",
    "今日はいい天気ですね。",
    "えっ!?本当に……すごい!",
    "2024年1月15日、価格は$1,500でした。",
    "AIとSBV2で、ボイスを作ってみよう～!",
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所で"
    "ニャーニャー泣いていた事だけは記憶している。",
]


@pytest.fixture(scope="module")
def reference(reference_bert_dir):
    """Loads the reference's BERT (from the fixture's torch copy) and synthesizers (same weights as the ONNX)."""
    import torch
    from style_bert_vits2.constants import Languages
    from style_bert_vits2.models.hyper_parameters import HyperParameters
    from style_bert_vits2.models.infer import get_net_g, get_text, infer
    from style_bert_vits2.nlp import bert_models

    torch.manual_seed(0)
    bert_models.unload_model(Languages.JP)
    bert_models.unload_tokenizer(Languages.JP)
    bert_models.load_model(Languages.JP, str(reference_bert_dir))
    bert_models.load_tokenizer(Languages.JP, str(reference_bert_dir))
    nets = {}
    for name in ("jp_extra", "legacy"):
        hps = HyperParameters.load_from_json(str(FIXTURES / name / "config.json"))
        nets[name] = (hps, get_net_g(str(FIXTURES / "reference" / f"{name}.safetensors"), hps.version, "cpu", hps))
    with bang_as_punctuation():
        yield {"nets": nets, "get_text": get_text, "infer": infer, "JP": Languages.JP}
    bert_models.unload_model(Languages.JP)
    bert_models.unload_tokenizer(Languages.JP)


def test_bert_features_match_the_reference(reference, jp_extra_pipeline):
    """Tokenizer + DeBERTa + word2ph expansion on all the parity sentences (readable ones), within 1e-4."""
    hps, _ = reference["nets"]["jp_extra"]
    pipeline = jp_extra_pipeline
    checked = 0
    for text in SENTENCES:
        for line in text.split("\n"):
            try:
                fe = frontend.analyze(line)
                _, bert, *_ = reference["get_text"](line, reference["JP"], hps, "cpu")  # Japanese rides in ja_bert
            except Exception:
                continue
            ids = pipeline.tokenizer.encode(fe.bert_text)
            ours = expand_to_phones(pipeline.bert.run(ids), fe.word2ph_blank)
            theirs = bert.numpy()
            assert ours.shape == theirs.shape, line
            assert float(np.abs(ours - theirs).max()) < 1e-4, line
            checked += 1
    assert checked >= 100


def test_assist_text_features_match_the_reference(reference, jp_extra_pipeline):
    hps, _ = reference["nets"]["jp_extra"]
    text, assist = "こんにちは、元気ですか?", "今日はとても悲しい気分です……"
    for weight in (0.0, 0.7, 1.0):
        _, bert, *_ = reference["get_text"](
            text, reference["JP"], hps, "cpu", assist_text=assist, assist_text_weight=weight
        )
        fe = frontend.analyze(text)
        pipeline = jp_extra_pipeline
        features = pipeline.bert.run(pipeline.tokenizer.encode(fe.bert_text))
        ours = expand_to_phones(features, fe.word2ph_blank, pipeline.assist_mean(assist), weight)
        assert float(np.abs(ours - bert.numpy()).max()) < 1e-4, weight


@pytest.mark.parametrize("model", ["jp_extra", "legacy"])
def test_audio_matches_the_reference_with_noise_off(reference, model, request):
    hps, net_g = reference["nets"][model]
    pipeline = request.getfixturevalue(f"{model}_pipeline")
    voice = pipeline.voice
    for sid, style, weight, length in ((0, "Neutral", 1.0, 1.0), (1, "Happy", 2.5, 0.8)):
        style_vec = voice.style_vector(style, weight)[0]
        for text in TEXTS:
            theirs = reference["infer"](
                text=text, style_vec=style_vec, sdp_ratio=0.0, noise_scale=0.0, noise_scale_w=0.8,
                length_scale=length, sid=sid, language=reference["JP"], hps=hps, net_g=net_g, device="cpu",
            )  # fmt: skip
            params = SynthesisParams(
                speaker=sid, style=style, style_weight=weight, sdp_ratio=0.0, noise=0.0, length=length,
                split_lines=False,
            )  # fmt: skip
            ours = pipeline.synthesize(text, params).audio
            assert ours.shape == theirs.shape, (text, sid)
            assert float(np.abs(ours - theirs).max()) < 1e-3, (text, sid)


def test_aivmx_speaks_like_the_folder_it_was_made_from(jp_extra_pipeline, aivmx_pipeline):
    params = SynthesisParams(speaker=1, style_weight=1.0, sdp_ratio=0.0, noise=0.0)
    a = jp_extra_pipeline.synthesize(TEXTS[2], params).audio
    b = aivmx_pipeline.synthesize(TEXTS[2], params).audio
    np.testing.assert_array_equal(a, b)
