"""`python -m sbv2_studio` and the `sbv2-studio` command: the window by default, subcommands for the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from .cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
