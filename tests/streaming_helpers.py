"""Streaming synthesizers over the fixture pipelines (conftest's session fixtures), built once per test session
(a latent graph's session takes seconds to create) and shared by test_streaming and test_graph_split."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

_CACHE_ROOT = Path(tempfile.mkdtemp(prefix="sbv2-split-cache-"))
_STREAMERS: dict[int, object] = {}


def cache_root() -> Path:
    return _CACHE_ROOT


def streamer_for(pipeline):
    """The prepared StreamingSynthesizer of a pipeline (split cached in a temporary folder)."""
    from sbv2_studio.engine.streaming import StreamConfig, StreamingSynthesizer

    key = id(pipeline)
    if key not in _STREAMERS:
        s = StreamingSynthesizer(pipeline, StreamConfig(), cache_root=_CACHE_ROOT)
        s.prepare()
        _STREAMERS[key] = s
    return _STREAMERS[key]


@contextlib.contextmanager
def configured(streamer, decoder: str = "cascade", **config):
    """Run a streamer with another decoder mode / config for a while (both decoders are open after prepare())."""
    from dataclasses import replace

    saved_mode, saved_config = streamer.decoder_mode, streamer.config
    streamer.decoder_mode = decoder
    streamer.config = replace(saved_config, decoder=decoder, **config)
    try:
        yield streamer
    finally:
        streamer.decoder_mode, streamer.config = saved_mode, saved_config
