"""Entry point: ``python -m bot`` starts the Discord bot; ``python -m bot ask ...`` answers in the terminal."""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence

from .cli import NO_TOKEN_HELP, run_cli
from .settings import Settings

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (see ``python -m bot --help``) and return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    level = settings.log_level or ("ERROR" if argv else "INFO")
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if argv:
        return run_cli(argv)
    if settings.discord_token is None:
        print(NO_TOKEN_HELP, file=sys.stderr)
        return 1
    from .app import run_bot  # imported here so the terminal commands never load discord.py

    return run_bot(settings)


if __name__ == "__main__":
    sys.exit(main())
