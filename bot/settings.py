"""Settings, read from the environment and a ``.env`` file by pydantic-settings.

Every setting is listed, with its meaning, in ``.env.example``. The token is a ``SecretStr``: it prints as
``**********`` in logs, reprs and error messages.
"""

from __future__ import annotations

import datetime as dt

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings", "Snowflake", "DISCORD_ONLY_SETTINGS"]

#: A Discord id: a positive 64-bit integer (Discord's "snowflake").
Snowflake = Annotated[int, Field(gt=0, lt=2**64)]


class Settings(BaseSettings):
    """The bot's settings.

    Attributes
    ----------
    discord_token:
        The bot token (``DISCORD_TOKEN``). Without it, ``python -m bot`` explains how to run and the terminal
        commands still work.
    seeds_dir:
        Folder of documents to answer from (``SEEDS_DIR``, default ``seeds``).
    guild_id:
        Optional guild (server) id (``GUILD_ID``): slash commands are synced there at start-up so they appear
        at once; without it they are synced globally, which Discord may take up to an hour to show.
    answer_channel_ids:
        Channel ids (``ANSWER_CHANNEL_IDS``, comma-separated) where every message from a person that reads
        as a question is answered without a mention.
    log_level:
        ``LOG_LEVEL`` (``DEBUG``, ``INFO``, ``WARNING``, ``ERROR``). Unset: ``INFO`` for the Discord bot;
        ``ERROR`` for terminal commands, which print load warnings themselves.
    questions_db:
        The question log, an SQLite file (``QUESTIONS_DB``, default ``.seedbot-index/questions.sqlite3`` in the
        working folder). Inside ``SEEDS_DIR`` only in a hidden folder (the bot does not log otherwise). Empty or
        ``off``: no log (``/unanswered`` then says so).
    questions_retention_days:
        Days a logged question is kept (``QUESTIONS_RETENTION_DAYS``, default 90, at least 1).
    question_cooldown:
        Questions a member may ask per minute (``QUESTION_COOLDOWN``, default 5); more get a short private
        "wait N seconds" message. 0 turns the limit off.
    allowed_channel_ids:
        Channel ids (``ALLOWED_CHANNEL_IDS``, comma-separated). When set, mentions are answered only in these
        channels (and threads inside them) and in ``ANSWER_CHANNEL_IDS``; elsewhere the bot stays silent.
        Direct messages and slash commands are not affected. Empty: every channel.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = None
    seeds_dir: Path = Path("seeds")
    guild_id: Snowflake | None = None
    answer_channel_ids: Annotated[frozenset[Snowflake], NoDecode] = Field(default_factory=frozenset)
    log_level: str | None = None

    @field_validator("discord_token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _known_level(cls, value: object) -> object:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        level = str(value).strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError(f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, got {value!r}")
        return level

    @field_validator("guild_id", mode="before")
    @classmethod
    def _empty_guild_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("answer_channel_ids", "allowed_channel_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object, info: ValidationInfo) -> object:
        """Accept ``"123, 456"`` (comma- or space-separated) as well as a list."""
        if isinstance(value, str):
            parts = [p for p in value.replace(",", " ").split() if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                name = (info.field_name or "channel ids").upper()
                raise ValueError(f"{name} must be channel ids separated by commas, got {value!r}")
        return value

    #: Where the saved index lives (see retrieval/store.py); empty: keep the index in memory only.
    index_dir: Path | None = Path(".seedbot-index")

    @field_validator("index_dir", mode="before")
    @classmethod
    def _empty_index_dir_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    questions_db: Path | None = Path(".seedbot-index/questions.sqlite3")
    questions_retention_days: int = Field(default=90, ge=1, le=36500)
    question_cooldown: int = Field(default=5, ge=0, le=1000)
    allowed_channel_ids: Annotated[frozenset[Snowflake], NoDecode] = Field(default_factory=frozenset)

    #: The day questions are asked "as of" (``AS_OF``, YYYY-MM-DD): "latest", "next" and "this week" count
    #: from it. Unset: today's date, from the clock. Set it to reproduce answers.
    as_of: dt.date | None = None

    @field_validator("as_of", mode="before")
    @classmethod
    def _empty_as_of_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("questions_db", mode="before")
    @classmethod
    def _questions_db_off(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in {"", "off", "none", "false", "0"}:
            return None
        return value


#: Settings only the Discord bot uses: an invalid one is a warning, not an error, for terminal commands
#: (``python -m bot ask`` with ``GUILD_ID=abc`` still answers). Add new Discord-only fields here.
DISCORD_ONLY_SETTINGS: frozenset[str] = frozenset({"discord_token", "guild_id", "answer_channel_ids",
                                                  "allowed_channel_ids", "question_cooldown",
                                                  "questions_retention_days", "questions_db"})
