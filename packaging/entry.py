"""The frozen app's entry point (PyInstaller's script): the window with no arguments, the CLI's subcommands
otherwise, exactly as the installed `sbv2-studio` command."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen child process (multiprocessing, pyqtgraph) must not start the app

    from sbv2_studio.__main__ import main

    sys.exit(main())
