"""Streaming over the fixture pipelines (conftest's session fixtures): their split graphs kept in a temporary
folder, prepared once per test session (a latent graph's session takes seconds to create), and plans written
with the names the tests use. Shared by test_streaming, test_graph_split and test_stream_player."""

from __future__ import annotations

import tempfile
from pathlib import Path

_CACHE_ROOT = Path(tempfile.mkdtemp(prefix="sbv2-split-cache-"))


def cache_root() -> Path:
    return _CACHE_ROOT


def streamer_for(pipeline, decoder: str = "cascade"):
    """The pipeline's prepared StreamingSynthesizer for `decoder` (split cached in a temporary folder)."""
    if pipeline.split_cache_root is None:
        pipeline.split_cache_root = _CACHE_ROOT
    streamer = pipeline.streamer(decoder)
    streamer.prepare()
    return streamer


def plan(decoder: str = "cascade", **changes):
    """A streaming plan for `decoder` with `changes`; the pipeline's streamer for it is prepared first."""
    from sbv2_studio.engine.synthesis import SynthesisPlan

    return SynthesisPlan.streaming(decoder=decoder, **changes)
