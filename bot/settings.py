"""Settings, read from the environment and a ``.env`` file by pydantic-settings.

Every setting is listed, with its meaning, in ``.env.example``. The token is a ``SecretStr``: it prints as
``**********`` in logs, reprs and error messages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings", "Snowflake"]

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

    @field_validator("answer_channel_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """Accept ``"123, 456"`` (comma- or space-separated) as well as a list."""
        if isinstance(value, str):
            parts = [p for p in value.replace(",", " ").split() if p]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError(f"ANSWER_CHANNEL_IDS must be channel ids separated by commas, got {value!r}")
        return value

    #: Where the saved index lives (see retrieval/store.py); empty: keep the index in memory only.
    index_dir: Path | None = Path(".seedbot-index")

    @field_validator("index_dir", mode="before")
    @classmethod
    def _empty_index_dir_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value
