"""Starting the window: `run_gui(argv)` is what `sbv2-studio` (no subcommand) and `sbv2-studio gui` call."""

from __future__ import annotations

import argparse
import sys


def _preload() -> None:
    """Import the heavy core modules here, in the GUI thread, before any work starts.

    An import holds the GIL (and the import lock) for tens of ms at a time; done lazily in the worker thread it
    would stall the window while the first voice loads.
    """
    import onnxruntime  # noqa: F401
    import pyopenjtalk  # noqa: F401

    from ..app import studio  # noqa: F401  (the application layer and the engine it loads)

    try:
        import aivmlib  # noqa: F401  (read lazily by .aivmx scanning)
    except Exception:
        pass


def run_gui(argv: list[str] | None = None) -> int:
    """Open the main window and run the event loop; returns the exit code."""
    argv = list(sys.argv if argv is None else argv)
    parser = argparse.ArgumentParser(prog="sbv2-studio gui", add_help=False)
    parser.add_argument("--settings", help="an INI file to keep settings in (portable use, tests)")
    known, rest = parser.parse_known_args(argv[1:])

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([argv[0] if argv else "sbv2-studio", *rest])
    app.setApplicationName("SBV2 Studio")
    app.setOrganizationName("sbv2-studio")
    app.setDesktopFileName("sbv2-studio")

    from .i18n import install_language
    from .settings import Settings

    settings = Settings(known.settings) if known.settings else Settings()
    # Before any window exists: every widget reads its texts once, when it is built.
    install_language(app, settings.language)  # the translators are children of `app`: they live as long
    _preload()
    from .. import offload

    offload.enable()  # model conversions in a child process: they would hold the GIL the window needs
    from .main_window import MainWindow

    window = MainWindow(settings)
    window.show()
    code = app.exec()
    window.shutdown()
    return int(code)


def main() -> int:
    return run_gui(sys.argv)


if __name__ == "__main__":
    sys.exit(main())
