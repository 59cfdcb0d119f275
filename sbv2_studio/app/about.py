"""What the About box and `sbv2-studio --version` say: the version and the credits the bundled voice's licence
asks for (HTS voice "Mei": Creative Commons Attribution 3.0, attribution required)."""

from __future__ import annotations

from .. import __version__

MEI_CREDIT = (
    'Built-in voice: HTS Voice "Mei", released by the MMDAgent Project Team (http://www.mmdagent.jp/), '
    "Copyright (c) 2009-2013 Nagoya Institute of Technology, Department of Computer Science; licensed under "
    "Creative Commons Attribution 3.0 (https://creativecommons.org/licenses/by/3.0/). Shipped with pyopenjtalk-plus."
)


def version_text() -> str:
    return f"sbv2-studio {__version__}"


def about_text() -> str:
    """Plain text (the window shows it in its About box): name and version, what it is, and the credits."""
    return "\n\n".join(
        (
            f"SBV2 Studio {__version__}",
            "Japanese speech synthesis with Style-Bert-VITS2 voices, on onnxruntime.",
            MEI_CREDIT,
        )
    )


__all__ = ["MEI_CREDIT", "about_text", "version_text"]
