"""What a person sets for a request, and the one table of its numeric parameters.

`PARAMETERS` feeds validation (`SynthesisParams.validate`), the CLI's options and the window's sliders, so a range
or a default is written once. Defaults are the reference's.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import ParameterError


@dataclass(frozen=True)
class Parameter:
    """One numeric parameter: its field name, what a person reads, its range, step and help."""

    name: str
    label: str
    lo: float
    hi: float
    step: float
    default: float
    help: str
    cli: str = ""  # the CLI option (default: --name with dashes)
    decimals: int = 2
    slider: bool = True  # shown as a slider in the window's parameter grid

    @property
    def option(self) -> str:
        return self.cli or "--" + self.name.replace("_", "-")


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("style_weight", "Style strength", 0.0, 20.0, 0.1, 1.0,
              "How strongly the chosen style colours the voice", decimals=1),
    Parameter("sdp_ratio", "SDP ratio", 0.0, 1.0, 0.05, 0.2,
              "Mix of the stochastic duration predictor (more varied rhythm)"),
    Parameter("noise", "Noise", 0.0, 2.0, 0.05, 0.6, "Variation in the voice itself"),
    Parameter("noise_w", "Noise_W", 0.0, 2.0, 0.05, 0.8, "Variation in phoneme lengths"),
    Parameter("length", "Length (1/speed)", 0.1, 5.0, 0.05, 1.0, "Above 1 speaks slower, below 1 faster"),
    Parameter("assist_text_weight", "Assist weight", 0.0, 1.0, 0.05, 1.0,
              "How much of the assist text's feel is blended in", cli="--assist-weight", slider=False),
    Parameter("line_interval", "Line pause (s)", 0.0, 10.0, 0.05, 0.5,
              "Seconds of silence between lines", cli="--interval", slider=False),
)  # fmt: skip
PARAMETER = {p.name: p for p in PARAMETERS}
# What a person can set; each voice says which of these it honours (the window disables the rest).
ALL_PARAMS = frozenset(
    {"speaker", "style", "style_weight", "sdp_ratio", "noise", "noise_w", "length", "assist_text", "backends"}
)


SEED_LIMIT = 2**31


@dataclass
class SynthesisParams:
    """What a person sets; defaults are the reference's (and the table's)."""

    speaker: int | str = 0
    style: str | None = None  # None: the model's default style (Neutral)
    style_weight: float = PARAMETER["style_weight"].default
    sdp_ratio: float = PARAMETER["sdp_ratio"].default
    noise: float = PARAMETER["noise"].default
    noise_w: float = PARAMETER["noise_w"].default
    length: float = PARAMETER["length"].default
    assist_text: str | None = None
    assist_text_weight: float = PARAMETER["assist_text_weight"].default
    split_lines: bool = True
    line_interval: float = PARAMETER["line_interval"].default
    # The noise's seed (graphs/seeded.py): the same seed gives the same take again. None: a new one each request
    # (SynthesisResult.seed says which).
    seed: int | None = None

    def validate(self) -> None:
        if self.seed is not None and (
            isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed < SEED_LIMIT
        ):
            raise ParameterError(f"seed={self.seed!r} must be a whole number in 0..{SEED_LIMIT - 1}")
        for p in PARAMETERS:
            value = getattr(self, p.name)
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise ParameterError(f"{p.name}={value!r} is not a number") from None
            if not (p.lo <= number <= p.hi):  # also refuses NaN
                raise ParameterError(f"{p.name}={value} is outside {p.lo:g}..{p.hi:g}")
        # The rest come from the CLI, saved settings and other programs: wrong types are refused by name here,
        # not deep in the pipeline.
        if isinstance(self.speaker, bool) or not isinstance(self.speaker, (int, str)):
            raise ParameterError(f"speaker={self.speaker!r} is neither a speaker number nor a name")
        for name in ("style", "assist_text"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise ParameterError(f"{name}={value!r} is not text")
        if not isinstance(self.split_lines, bool):
            raise ParameterError(f"split_lines={self.split_lines!r} is not true or false")


__all__ = ["ALL_PARAMS", "PARAMETER", "PARAMETERS", "Parameter", "SEED_LIMIT", "SynthesisParams"]
