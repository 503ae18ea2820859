"""Run the real bot (``bot.app.run_bot``) in its own process against a fake Discord started by a test.

Used by tests that need a process of their own: a signal (SIGTERM), or a cold start (nothing loaded yet).
Settings come from the environment as usual (``DISCORD_TOKEN``, ``SEEDS_DIR``, ``GUILD_ID``,
``QUESTIONS_DB``). Test-only variables:

* ``FAKE_DISCORD_API`` and ``FAKE_DISCORD_GATEWAY``: the fake's REST base URL and gateway URL;
* ``SLOW_QUESTION_WORD`` and ``SLOW_QUESTION_SECONDS``: a question containing that word takes that much
  longer to answer, and is answered as if the word were not there (an answer "in flight" for as long as
  a test needs).

Run as ``python tests/bot_process.py``; the exit code is the bot's.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import discord.gateway
import discord.http
import yarl

from bot.app import run_bot
from bot.settings import Settings
from retrieval import Retriever


def main() -> int:
    discord.http.Route.BASE = os.environ["FAKE_DISCORD_API"]
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["FAKE_DISCORD_GATEWAY"])
    slow_word = os.environ.get("SLOW_QUESTION_WORD")
    if slow_word:
        delay = float(os.environ.get("SLOW_QUESTION_SECONDS", "2"))
        ask = Retriever.ask

        def slow_ask(self: Retriever, question: str, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if slow_word in question:
                time.sleep(delay)
                question = " ".join(question.replace(slow_word, " ").split())
            return ask(self, question, *args, **kwargs)  # type: ignore[arg-type]

        Retriever.ask = slow_ask  # type: ignore[method-assign]
    logging.basicConfig(level="INFO", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return run_bot(Settings(_env_file=None), guild_ready_timeout=0.05)


if __name__ == "__main__":
    sys.exit(main())
