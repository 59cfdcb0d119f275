"""The synthesizer's hyper-parameters, read from an SBV2 `config.json` and checked against what the builder writes.

Defaults are those of the SBV2 2.x trainer's hyper-parameter schema (a key absent from a config means that
default). Sizes the trainer fixes in code rather than in the config (duration predictor width 256, stochastic
duration predictor of 4 spline flows with 10 bins, relative-attention window 4, speaker conditioning entering
the attention stacks at layer 2, 4 coupling flows) are constants here.
"""

from __future__ import annotations

from dataclasses import dataclass


class UnsupportedConfig(ValueError):
    """The config asks for something the builder does not write (the message names the field)."""


MODEL_DEFAULTS = {
    "inter_channels": 192,
    "hidden_channels": 192,
    "filter_channels": 768,
    "n_heads": 2,
    "n_layers": 6,
    "kernel_size": 3,
    "resblock": "1",
    "resblock_kernel_sizes": [3, 7, 11],
    "resblock_dilation_sizes": [[1, 3, 5], [1, 3, 5], [1, 3, 5]],
    "upsample_rates": [8, 8, 2, 2, 2],
    "upsample_initial_channel": 512,
    "upsample_kernel_sizes": [16, 16, 8, 2, 2],
    "gin_channels": 512,
    "use_spk_conditioned_encoder": True,
}

WINDOW = 4  # relative attention: positions -4..4
COND_LAYER = 2  # the layer of each attention stack where the speaker embedding is added
FLOW_KERNEL = 5  # FFN kernel of the flow's attention stacks
N_FLOWS = 4
DP_FILTER = 256
DP_KERNEL = 3
SDP_KERNEL = 3
SDP_DDS_LAYERS = 3
SPLINE_BINS = 10
SPLINE_TAIL = 5.0
STYLE_DIM = 256
BERT_DIM = 1024


@dataclass(frozen=True)
class SynthSpec:
    jp_extra: bool
    n_speakers: int
    inter_channels: int
    hidden_channels: int
    filter_channels: int
    n_heads: int
    n_layers: int
    kernel_size: int
    flow_layers: int
    resblock: str
    resblock_kernel_sizes: tuple[int, ...]
    resblock_dilation_sizes: tuple[tuple[int, ...], ...]
    upsample_rates: tuple[int, ...]
    upsample_initial_channel: int
    upsample_kernel_sizes: tuple[int, ...]
    gin_channels: int


def _int(model: dict, key: str, minimum: int = 1, default: int | None = None) -> int:
    value = model.get(key, MODEL_DEFAULTS.get(key, default))
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise UnsupportedConfig(f"model.{key} is {value!r}: expected an integer ≥ {minimum}")
    return value


def _ints(model: dict, key: str) -> tuple[int, ...]:
    value = model.get(key, MODEL_DEFAULTS.get(key))
    if not isinstance(value, list) or not value or not all(isinstance(v, int) and v >= 1 for v in value):
        raise UnsupportedConfig(f"model.{key} is {value!r}: expected a list of positive integers")
    return tuple(value)


def is_jp_extra(config: dict) -> bool:
    version = str(config.get("version", ""))
    data = config.get("data") if isinstance(config.get("data"), dict) else {}
    return version.endswith("JP-Extra") or bool(data.get("use_jp_extra", False))


def read_spec(config: dict) -> SynthSpec:
    """The hyper-parameters of `config` (a parsed config.json), or UnsupportedConfig naming the field."""
    version = str(config.get("version", ""))
    if version and not version.startswith("2."):
        raise UnsupportedConfig(f"version {version!r}: only SBV2 2.x models (JP-Extra or not) can be converted")
    data = config.get("data")
    model = config.get("model")
    if not isinstance(data, dict) or not isinstance(model, dict):
        raise UnsupportedConfig("no 'data' or 'model' section: this is not an SBV2 config.json")
    n_speakers = data.get("n_speakers", len(data.get("spk2id") or {}) or None)
    if isinstance(n_speakers, bool) or not isinstance(n_speakers, int) or n_speakers < 1:
        raise UnsupportedConfig(f"data.n_speakers is {n_speakers!r}: models without a speaker table are not supported")
    if not model.get("use_spk_conditioned_encoder", True):
        raise UnsupportedConfig("model.use_spk_conditioned_encoder is false: not supported")
    jp_extra = is_jp_extra(config)
    spec = SynthSpec(
        jp_extra=jp_extra,
        n_speakers=n_speakers,
        inter_channels=_int(model, "inter_channels", 2),
        hidden_channels=_int(model, "hidden_channels"),
        filter_channels=_int(model, "filter_channels"),
        n_heads=_int(model, "n_heads"),
        n_layers=_int(model, "n_layers", COND_LAYER + 1),
        kernel_size=_int(model, "kernel_size"),
        # not a config field of the trainer (its code fixes it: 6 layers for JP-Extra, 4 before)
        flow_layers=_int(model, "n_layers_trans_flow", COND_LAYER + 1, default=6 if jp_extra else 4),
        resblock=str(model.get("resblock", MODEL_DEFAULTS["resblock"])),
        resblock_kernel_sizes=_ints(model, "resblock_kernel_sizes"),
        resblock_dilation_sizes=tuple(
            tuple(d) for d in model.get("resblock_dilation_sizes", MODEL_DEFAULTS["resblock_dilation_sizes"])
        ),
        upsample_rates=_ints(model, "upsample_rates"),
        upsample_initial_channel=_int(model, "upsample_initial_channel"),
        upsample_kernel_sizes=_ints(model, "upsample_kernel_sizes"),
        gin_channels=_int(model, "gin_channels"),
    )
    if spec.inter_channels % 2:
        raise UnsupportedConfig(f"model.inter_channels is {spec.inter_channels}: it must be even")
    if spec.hidden_channels % spec.n_heads:
        raise UnsupportedConfig(
            f"model.hidden_channels ({spec.hidden_channels}) is not a multiple of model.n_heads ({spec.n_heads})"
        )
    if spec.resblock not in ("1", "2"):
        raise UnsupportedConfig(f'model.resblock is {spec.resblock!r}: expected "1" or "2"')
    per_block = 3 if spec.resblock == "1" else 2
    if len(spec.resblock_dilation_sizes) != len(spec.resblock_kernel_sizes) or any(
        len(d) < per_block for d in spec.resblock_dilation_sizes
    ):
        raise UnsupportedConfig(
            "model.resblock_dilation_sizes must give one list per kernel size "
            f"with {per_block} dilations each (resblock {spec.resblock})"
        )
    if len(spec.upsample_rates) != len(spec.upsample_kernel_sizes):
        raise UnsupportedConfig("model.upsample_rates and model.upsample_kernel_sizes differ in length")
    if spec.upsample_initial_channel % (2 ** len(spec.upsample_rates)):
        raise UnsupportedConfig(
            f"model.upsample_initial_channel ({spec.upsample_initial_channel}) cannot be halved "
            f"{len(spec.upsample_rates)} times"
        )
    if any(k < u for k, u in zip(spec.upsample_kernel_sizes, spec.upsample_rates)):
        raise UnsupportedConfig("an upsample kernel size is smaller than its upsample rate")
    return spec
