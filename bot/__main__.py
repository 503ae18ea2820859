"""Entry point: ``python -m bot`` starts the Discord bot; ``python -m bot ask ...`` answers in the terminal."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from .cli import NO_TOKEN_HELP, run_cli
from .settings import Settings

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (see ``python -m bot --help``) and return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings()
    except ValidationError as error:
        print(settings_error_message(error), file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print("error: the .env file is not UTF-8 text; save it as UTF-8 (PowerShell's `>` writes UTF-16).",
              file=sys.stderr)
        return 2
    if argv:
        # Terminal commands print load warnings themselves; logging shows only what LOG_LEVEL asks for.
        logging.basicConfig(level=settings.log_level or "ERROR", format="%(levelname)s %(name)s: %(message)s")
        try:
            return run_cli(argv)
        except BrokenPipeError:
            # Output piped into a program that stopped reading (`| head`): stop quietly, as the Python
            # documentation recommends (library/signal.html, "Note on SIGPIPE").
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 1
    logging.basicConfig(level=settings.log_level or "INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if settings.discord_token is None:
        print(NO_TOKEN_HELP, file=sys.stderr)
        return 1
    from .app import run_bot  # imported here so the terminal commands never load discord.py

    return run_bot(settings)


def settings_error_message(error: ValidationError) -> str:
    """One line per invalid setting, naming the variable and the problem but never its value (it may be a
    secret)."""
    lines = ["error: some settings (environment or .env) are not valid:"]
    for problem in error.errors():
        name = str(problem["loc"][0]).upper() if problem["loc"] else "settings"
        lines.append(f"  {name}: {problem['msg']}")
    lines.append("See .env.example for what each setting takes.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
