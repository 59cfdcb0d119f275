"""SBV2 Studio: Style-Bert-VITS2 Japanese speech synthesis without torch.

The public API (the window, the CLI and other programs use it alike)::

    import sbv2_studio
    voice = sbv2_studio.open_voice("path/to/model", bert="path/to/bert")   # or "builtin"
    result = voice.synthesize("こんにちは。", sbv2_studio.SynthesisParams(sdp_ratio=0.0))
    result.audio, result.sample_rate, result.timings_ms, result.ran_on
    for chunk in voice.stream("こんにちは。"):                               # the same samples, as they are made
        chunk.audio

Names load lazily, so `import sbv2_studio` stays cheap (no onnxruntime until a voice is opened).
"""

from __future__ import annotations

from ._lazy import lazy_getattr

__version__ = "0.1.0"

_EXPORTS = {
    "open_voice": "sbv2_studio.app.voices",
    "SynthesisParams": "sbv2_studio.engine.params",
    "PARAMETERS": "sbv2_studio.engine.params",
    "SynthesisPlan": "sbv2_studio.engine.synthesis",
    "SynthesisResult": "sbv2_studio.engine.synthesis",
    "AudioChunk": "sbv2_studio.engine.synthesis",
    "ChunkTiming": "sbv2_studio.engine.synthesis",
    "StageTiming": "sbv2_studio.engine.synthesis",
    "Stream": "sbv2_studio.engine.synthesis",
    "STAGES": "sbv2_studio.engine.synthesis",
    "StudioError": "sbv2_studio.errors",
    "TextError": "sbv2_studio.errors",
    "ParameterError": "sbv2_studio.errors",
    "ModelError": "sbv2_studio.errors",
}
__all__ = sorted(_EXPORTS)


__getattr__ = lazy_getattr(__name__, _EXPORTS)


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
