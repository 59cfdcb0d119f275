"""Shared test fixtures: paths to the generated models, the real tokenizer files, the reference oracle."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
# The real DeBERTa tokenizer files live beside the checkout, never inside it; tests that use them skip
# cleanly where ../shared is absent.
SHARED_TOKENIZER = ROOT.parent / "shared" / "reference" / "deberta-v2-large-japanese-char-wwm"


def bf16_native() -> bool:
    """This CPU runs bf16 natively under OpenVINO (AVX512_BF16 / AMX); False where OpenVINO is not installed."""
    from sbv2_studio.runtime import ov_backend

    cpu = ov_backend.device_info("CPU") if ov_backend.available() else None
    return bool(cpu and cpu.native("bf16"))


def reference_available() -> bool:
    """True when the reference implementation (style-bert-vits2 + torch) can be imported."""
    return all(importlib.util.find_spec(m) is not None for m in ("torch", "style_bert_vits2", "transformers"))


requires_reference = pytest.mark.skipif(
    not reference_available(), reason="reference oracle (torch + style-bert-vits2) not installed"
)
requires_shared_tokenizer = pytest.mark.skipif(
    not (SHARED_TOKENIZER / "vocab.txt").is_file(), reason="../shared tokenizer files not present"
)


@pytest.fixture(scope="session", autouse=True)
def private_home(tmp_path_factory) -> Path:
    """The studio's data and cache folders for this test session (SBV2_STUDIO_HOME), unless one is set: tests never
    read or write the person's own (voices, dictionary, caches: the caches delete what they replace)."""
    from sbv2_studio.paths import HOME_ENV

    if os.environ.get(HOME_ENV):
        yield Path(os.environ[HOME_ENV])
        return
    home = tmp_path_factory.mktemp("studio-home")
    os.environ[HOME_ENV] = str(home)
    yield home
    os.environ.pop(HOME_ENV, None)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def shared_tokenizer_dir() -> Path:
    if not (SHARED_TOKENIZER / "vocab.txt").is_file():
        pytest.skip("../shared tokenizer files not present")
    return SHARED_TOKENIZER


# The seeded copies of the fixture graphs (graphs/seeded.py) go to a temporary folder, not the user's cache.
@pytest.fixture(scope="session")
def seeded_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("seeded-graphs")


# Loading a synthesizer graph takes seconds (thousands of nodes), so pipelines are shared by the session.
@pytest.fixture(scope="session")
def jp_extra_pipeline(seeded_cache):
    from sbv2_studio.engine.pipeline import Pipeline

    return Pipeline.load(FIXTURES / "jp_extra", FIXTURES / "bert", seeded_cache_root=seeded_cache)


@pytest.fixture(scope="session")
def legacy_pipeline(seeded_cache):
    from sbv2_studio.engine.pipeline import Pipeline

    return Pipeline.load(FIXTURES / "legacy", FIXTURES / "bert", seeded_cache_root=seeded_cache)


@pytest.fixture(scope="session")
def aivmx_pipeline(seeded_cache):
    from sbv2_studio.engine.pipeline import Pipeline

    return Pipeline.load(next((FIXTURES / "aivmx").glob("*.aivmx")), FIXTURES / "bert", seeded_cache_root=seeded_cache)


@pytest.fixture(scope="session")
def reference_bert_dir(tmp_path_factory):
    """The fixture BERT's torch weights as a transformers folder (the reference's `bert_models` loads it).

    The checkout keeps them as a compressed float16 .npz; this rebuilds model.safetensors (float32) from it."""
    if not reference_available():
        pytest.skip("reference oracle (torch + style-bert-vits2) not installed")
    import shutil

    import numpy as np
    import torch
    from transformers import AutoConfig, AutoModelForMaskedLM

    source = FIXTURES / "reference" / "bert_torch"
    target = tmp_path_factory.mktemp("bert_torch")
    for f in source.iterdir():
        if f.name != "weights.npz":
            shutil.copy(f, target / f.name)
    model = AutoModelForMaskedLM.from_config(AutoConfig.from_pretrained(str(source)))
    with np.load(source / "weights.npz") as weights:
        state = {k: torch.from_numpy(weights[k].astype(np.float32)) for k in weights.files}
    model.load_state_dict(state)
    model.float().save_pretrained(str(target), safe_serialization=True)
    return target


# Markers by place: everything under tests/ui/ drives Qt; these modules load full reference stacks or run the CLI
# end to end (`-m "not slow"` gives a quick run, `-m ui` the window alone).
SLOW_MODULES = {"test_pipeline_parity", "test_text_parity", "test_fixtures", "test_bench", "test_sbv2_voices"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(str(item.fspath))
        if "ui" in path.relative_to(ROOT / "tests").parts[:-1]:
            item.add_marker(pytest.mark.ui)
        if path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
