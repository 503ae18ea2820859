"""Entry point: ``python -m bot`` starts the Discord bot; ``python -m bot ask ...`` answers in the terminal."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence

# numpy's OpenBLAS starts a thread per CPU when numpy is imported. The product's BLAS calls are small
# matrix-vector products, which OpenBLAS runs on one thread anyway; the pool only cost start-up time (about
# 50 ms of CPU, a tenth of a second or more of a restart on a busy 2-core machine) in this process and in
# each indexing worker, which inherits the setting. A thread count the user chose is kept.
if "OPENBLAS_NUM_THREADS" not in os.environ and "OMP_NUM_THREADS" not in os.environ:
    os.environ["OPENBLAS_NUM_THREADS"] = "1"

try:
    from pydantic import ValidationError

    from .cli import NO_TOKEN_HELP, run_cli
    from .settings import DISCORD_ONLY_SETTINGS, Settings
except ModuleNotFoundError as missing:  # run with a Python that does not have the project installed
    sys.exit(
        f"error: the module {missing.name!r} is not installed for this Python ({sys.executable}).\n"
        "Activate the project's virtual environment first (in every new terminal):\n"
        "  . .venv/bin/activate        (Windows: .venv\\Scripts\\activate)\n"
        "or, if there is none yet:  python3 -m venv .venv && . .venv/bin/activate && pip install -e ."
    )

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line (see ``python -m bot --help``) and return the exit code."""
    prog = "seedbot" if os.path.basename(sys.argv[0]) == "seedbot" else "python -m bot"
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        settings = Settings()
    except ValidationError as error:
        discord_only = _discord_only(error)
        if not argv or discord_only is None:
            print(settings_error_message(error), file=sys.stderr)
            return 2
        # A terminal command never uses the Discord settings: say what is wrong, and go on without them.
        for line in settings_error_message(error).splitlines()[1:-1]:
            print(f"warning: {line.strip()} (used only by the Discord bot; ignored here)", file=sys.stderr)
        try:
            settings = Settings(**{name: Settings.model_fields[name].get_default(call_default_factory=True)
                                   for name in discord_only})
        except ValidationError as again:
            print(settings_error_message(again), file=sys.stderr)
            return 2
    except UnicodeDecodeError:
        print("error: the .env file is not UTF-8 text; save it as UTF-8 (PowerShell's `>` writes UTF-16).",
              file=sys.stderr)
        return 2
    if argv:
        # Terminal commands print load warnings themselves; logging shows only what LOG_LEVEL asks for.
        logging.basicConfig(level=settings.log_level or "ERROR", format="%(levelname)s %(name)s: %(message)s")
        try:
            return run_cli(argv, settings=settings, prog=prog)
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


def _discord_only(error: ValidationError) -> set[str] | None:
    """The invalid settings' field names when all are used only by the Discord bot, else ``None``."""
    names = {str(problem["loc"][0]) for problem in error.errors() if problem["loc"]}
    if len(names) != len(error.errors()) or not names <= DISCORD_ONLY_SETTINGS:
        return None
    return names


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
