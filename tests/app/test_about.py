"""What the About box and --version show (issue 17 item 15): the version and the credit mei's licence asks for."""

from sbv2_studio import __version__
from sbv2_studio.app import about_text, version_text


def test_about_text_has_the_version_and_the_mei_credit():
    text = about_text()
    assert __version__ in text and version_text() == f"sbv2-studio {__version__}"
    assert 'HTS Voice "Mei"' in text and "Nagoya Institute of Technology" in text
    assert "Creative Commons Attribution 3.0" in text
