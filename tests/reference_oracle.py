"""The reference implementation (style-bert-vits2 2.5.0) as a test oracle, with its `！` crash worked around.

pyopenjtalk-plus reads `!` with the reading `！`, which the reference does not expect (it crashes turning `！`
into phonemes). `bang_as_punctuation()` wraps the pyopenjtalk front end the reference's g2p calls so that, for
the word list, a `！` reading looks like OpenJTalk's usual punctuation reading `、`: the reference then keeps the
word itself (`!`) as its phoneme, which is what the studio does. The accent labels are still made from the
untouched analysis (a changed reading changes the labels).
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any


class BangAsPunctuation:
    """pyopenjtalk, but the word list reads `！` as `、`."""

    @staticmethod
    def run_frontend(text: str) -> list[dict[str, Any]]:
        import pyopenjtalk

        features = pyopenjtalk.run_frontend(text)
        for feature in features:
            if feature["pron"] == "！":
                feature["pron"] = "、"
                feature["_pron_was_bang"] = True
        return features

    @staticmethod
    def make_label(features: list[dict[str, Any]]) -> list[str]:
        import pyopenjtalk

        features = copy.deepcopy(features)
        for feature in features:
            if feature.pop("_pron_was_bang", False):
                feature["pron"] = "！"
        return pyopenjtalk.make_label(features)


@contextlib.contextmanager
def bang_as_punctuation() -> Iterator[None]:
    """Install the `！` workaround in the reference's g2p (and silence its per-character warnings)."""
    import pytest
    from loguru import logger
    from style_bert_vits2.nlp.japanese import g2p as ref_g2p
    from style_bert_vits2.nlp.japanese import pyopenjtalk_worker

    assert pyopenjtalk_worker.WORKER_CLIENT is None, "the reference must run pyopenjtalk in-process"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ref_g2p, "pyopenjtalk", BangAsPunctuation)
        logger.disable("style_bert_vits2")
        try:
            yield
        finally:
            logger.enable("style_bert_vits2")
