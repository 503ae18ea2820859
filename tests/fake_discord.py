"""A local fake Discord for driving the real, unmodified discord.py client in tests.

:class:`FakeDiscord` is an aiohttp server on 127.0.0.1 that speaks

* the gateway (WebSocket, JSON text frames): HELLO, IDENTIFY -> READY + GUILD_CREATE, heartbeats and their
  ACKs, RESUME -> replay of missed events + RESUMED, INVALID_SESSION for an unknown session, close code 4004
  for a bad token and 4014 for a privileged intent the application may not use;
* the REST routes a bot uses: ``/users/@me``, ``/oauth2/applications/@me``, ``/gateway(/bot)``, command sync,
  channel messages and typing, interaction callbacks, webhook follow-ups and ``@original`` edits/deletes,
  and opening a direct-message channel (``POST /users/@me/channels``; see :meth:`FakeDiscord.dm_messages`).

Admin and fault helpers: :meth:`FakeDiscord.send_interaction_with_permissions` (a member with other
permissions, e.g. Manage Server), :meth:`FakeDiscord.add_text_channel` (a channel where the bot is denied a
permission), :meth:`FakeDiscord.revoke_token` and :meth:`FakeDiscord.refuse_message_content` (the portal
changed mid-run), and :attr:`FakeDiscord.close_codes` (how each gateway connection ended).

It records every request (:attr:`FakeDiscord.requests`) and every gateway payload the bot sends
(:attr:`FakeDiscord.gateway_received`), and checks invariants on everything the bot sends: no content over
2,000 characters (answered with Discord's 400, as the real API does) and ``allowed_mentions`` parsing
nothing on every message (violations are collected in :attr:`FakeDiscord.violations`; :func:`running_bot`
fails the test if there are any). Interaction callbacks later than 3 seconds get Discord's 404 "Unknown
interaction", a second callback gets 400 "already acknowledged", and follow-ups before any callback 404.

Two traps this avoids: discord.py only parses JSON when the response Content-Type is exactly
``application/json`` (aiohttp's ``json_response`` adds ``; charset=utf-8``), and it treats a 429 without a
``Via`` header as a Cloudflare ban rather than a rate limit.

:func:`running_bot` starts a fake plus a real :class:`bot.client.SeedBot` on it, with a retriever built from
documents written to a temporary folder, and yields a :class:`BotHarness`.

Driving it (all waits take a timeout)::

    async with running_bot(tmp_path, {"report.txt": "date 2022-09-02\\nThe report is 46 pages long."}) as h:
        interaction = await h.fake.send_interaction("ask", {"question": "How long is the report?"})
        [reply] = await h.fake.wait_for_messages(interaction=interaction)
        message = await h.fake.send_message(f"<@{h.fake.bot_id}> how long?", mentions=[h.fake.bot_id])
        [reply] = await h.fake.wait_for_messages(reply_to=message)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
import discord.gateway
import discord.http
import yarl
from aiohttp import WSMsgType, web

__all__ = [
    "DEFAULT_TOKEN",
    "MESSAGE_CONTENT_FLAGS",
    "SAMPLE_DOCUMENTS",
    "BotHarness",
    "FakeDiscord",
    "Interaction",
    "Recorded",
    "patched_discord",
    "running_bot",
    "write_documents",
]

log = logging.getLogger(__name__)

API = "/api/v10"
DEFAULT_TOKEN = "FAKE-TOKEN.do-not-log.8c2e7f0b1d9a"
#: Application flag GATEWAY_MESSAGE_CONTENT_LIMITED: the Message Content toggle is on in the portal.
MESSAGE_CONTENT_FLAGS = 1 << 19
MESSAGE_CONTENT_INTENT = 1 << 15
INTERACTION_DEADLINE = 3.0
SUPPRESS_EMBEDS = 1 << 2
EPHEMERAL = 1 << 6
LOADING = 1 << 7

#: A small document set: a dated report, an undated note, and a document full of Markdown and mentions.
SAMPLE_DOCUMENTS: dict[str, str] = {
    "un-report.txt": (
        "date 2022-09-02\n"
        "The United Nations published its report on Xinjiang on August 31. The UN report is 46 pages long "
        "and was released minutes before the end of the High Commissioner's term. Officials in Beijing "
        "rejected its findings.\n\n"
        "The report calls on the government to release all individuals arbitrarily deprived of their liberty."
    ),
    "notes/garden.md": (
        "# Garden notes\n\n"
        "Tomatoes need six hours of sun every day. Water them at the base in the early morning. "
        "Basil grows well next to tomatoes and keeps some pests away.\n"
    ),
    "2021-05-04-tricky.md": (
        "# Release **checklist**\n\n"
        "Ping @everyone and @here and <@123456789012345678> and <@&456> before the deploy window opens. "
        "The deploy window is **Friday** at __noon__ with ||secret|| codes, see https://example.com/a_b_c "
        "for "
        "details. ```rm -rf /``` is never part of the deploy window.\n"
    ),
}

_snowflakes = itertools.count(1_200_000_000_000_000_000)


def snowflake() -> int:
    """A new unique id."""
    return next(_snowflakes)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000+00:00", time.gmtime())


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    """A JSON response whose Content-Type is exactly ``application/json`` (what discord.py requires)."""
    return web.Response(
        status=status,
        body=json.dumps(data).encode(),
        headers={"Content-Type": "application/json", **(headers or {})},
    )


@dataclass
class Recorded:
    """One REST request the bot made.

    Attributes
    ----------
    method, path:
        As sent, ``path`` without the ``/api/v10`` prefix.
    route:
        ``"METHOD /template"``, e.g. ``"POST /channels/{channel_id}/messages"`` (``"UNKNOWN"`` if no route
        matched).
    params:
        Values of the template's ``{placeholders}``.
    query, json:
        Query parameters and the JSON body (``None`` if not JSON).
    status:
        The status the fake answered with.
    at:
        ``time.monotonic()`` when it arrived.
    message:
        The message object the fake created for it, if any.
    """

    method: str
    path: str
    route: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    status: int = 0
    at: float = 0.0
    message: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        """True for a 2xx answer."""
        return 200 <= self.status < 300

    @property
    def body(self) -> dict[str, Any]:
        """The message part of the payload: ``json["data"]`` for interaction callbacks, else ``json``."""
        data = self.json if isinstance(self.json, dict) else {}
        if self.route == "POST /interactions/{interaction_id}/{token}/callback":
            return data.get("data") or {}
        return data

    @property
    def content(self) -> str | None:
        """The message content sent, or ``None``."""
        return self.body.get("content")

    @property
    def flags(self) -> int:
        """The message flags sent (``SUPPRESS_EMBEDS`` 4, ``EPHEMERAL`` 64), 0 if none."""
        return int(self.body.get("flags") or 0)

    @property
    def ephemeral(self) -> bool:
        """True when the message is visible only to the person who used the command."""
        return bool(self.flags & EPHEMERAL)

    @property
    def allowed_mentions(self) -> dict[str, Any] | None:
        """The ``allowed_mentions`` object sent with the message, or ``None``."""
        return self.body.get("allowed_mentions")


@dataclass
class Interaction:
    """An interaction the fake dispatched (see :meth:`FakeDiscord.send_interaction`)."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    sent_at: float
    responses: list[Recorded] = field(default_factory=list)

    @property
    def acknowledged(self) -> bool:
        """True once a callback was accepted."""
        return any(r.ok for r in self.responses)


@dataclass
class _Rule:
    route: str
    status: int
    retry_after: float
    times: int
    body: Any


class _Connection:
    def __init__(self, ws: web.WebSocketResponse) -> None:
        self.ws = ws
        self.live = False  # identified or resumed: dispatches may be sent


class FakeDiscord:
    """The fake Discord server. Use as ``async with FakeDiscord() as fake:`` or :meth:`start`/:meth:`close`.

    Parameters
    ----------
    token:
        The only bot token accepted (401 on REST, 4004 on the gateway otherwise).
    app_flags:
        The application's flags; default says the Message Content intent is enabled in the portal. Use 0
        to act like a bot without it (IDENTIFY with that intent is then closed with 4014).
    heartbeat_interval:
        Seconds, sent in HELLO.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        app_flags: int = MESSAGE_CONTENT_FLAGS,
        heartbeat_interval: float = 0.5,
    ) -> None:
        self.token = token
        self.app_flags = app_flags
        self.heartbeat_interval = heartbeat_interval
        self.application_id = snowflake()
        self.bot_id = self.application_id
        self.guild_id = snowflake()
        self.channel_id = snowflake()
        self.answer_channel_id = snowflake()
        self.bot_role_id = snowflake()
        self.user_id = snowflake()
        self.other_bot_id = snowflake()
        self.bot_user = {
            "id": str(self.bot_id),
            "username": "SeedBot",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
            "public_flags": 0,
            "flags": 0,
        }
        self.user = {
            "id": str(self.user_id),
            "username": "alice",
            "discriminator": "0",
            "global_name": "Alice",
            "avatar": None,
            "public_flags": 0,
        }
        self.other_bot = {
            "id": str(self.other_bot_id),
            "username": "OtherBot",
            "discriminator": "0",
            "global_name": None,
            "avatar": None,
            "bot": True,
            "public_flags": 0,
        }
        self.channels: dict[int, dict[str, Any]] = {
            self.channel_id: self._channel(self.channel_id, "general", 0),
            self.answer_channel_id: self._channel(self.answer_channel_id, "questions", 1),
        }
        #: Every REST request, in arrival order.
        self.requests: list[Recorded] = []
        #: Every gateway payload the bot sent (IDENTIFY, heartbeats, RESUME, ...), parsed.
        self.gateway_received: list[dict[str, Any]] = []
        #: ``time.monotonic()`` of each heartbeat received.
        self.heartbeats: list[float] = []
        #: Broken invariants (a payload allowing mentions, content over 2,000 characters, ...).
        self.violations: list[str] = []
        #: Slash commands as last synced: ``{(guild_id or None, name): command}``.
        self.commands: dict[tuple[int | None, str], dict[str, Any]] = {}
        self.interactions: dict[int, Interaction] = {}
        #: Threads (and forum posts) by id, as Discord's channel objects (see :meth:`create_thread`).
        self.threads: dict[int, dict[str, Any]] = {}
        #: Every message that exists (sent by a person or by the bot), by id: ``GET`` on a message reads it.
        self.messages: dict[str, dict[str, Any]] = {}
        self.identify_count = 0
        self.resume_count = 0
        #: Close code of each gateway connection that ended (1000: the bot closed it normally).
        self.close_codes: list[int | None] = []
        #: Direct-message channels the bot opened.
        self.dm_channels: list[dict[str, Any]] = []
        self.base_url = ""
        self.gateway_url = ""
        self._routes: list[
            tuple[str, re.Pattern[str], str, Callable[..., Awaitable[web.StreamResponse]]]
        ] = []
        self._rules: list[_Rule] = []
        self._changed = asyncio.Condition()
        self._connections: list[_Connection] = []
        self._session_id: str | None = None
        self._seq = 0
        self._events: list[dict[str, Any]] = []  # this session's dispatches, for RESUME replays
        self._runner: web.AppRunner | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._add_default_routes()

    # -- life cycle ------------------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        """Listen on a free port of 127.0.0.1; sets :attr:`base_url` and :attr:`gateway_url`."""
        app = web.Application()
        app.router.add_route("GET", "/gateway", self._gateway)
        app.router.add_route("*", "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}{API}"
        self.gateway_url = f"ws://127.0.0.1:{port}/gateway"
        return self

    async def close(self) -> None:
        """Close gateway connections and stop the server."""
        for conn in list(self._connections):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.ws.close(code=1001), 2)
        for task in list(self._tasks):
            task.cancel()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:  # noqa: PYI034
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- driving the bot -------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        """True while a gateway connection is identified or resumed."""
        return any(c.live for c in self._connections)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a gateway DISPATCH (op 0). Kept for RESUME replay if no connection is live right now."""
        self._seq += 1
        payload = {"op": 0, "t": event, "s": self._seq, "d": data}
        self._events.append(payload)
        for conn in self._connections:
            if conn.live and not conn.ws.closed:
                await conn.ws.send_str(json.dumps(payload))

    def message_payload(
        self,
        content: str,
        *,
        channel_id: int | None = None,
        author: dict[str, Any] | None = None,
        mentions: Sequence[int] = (),
        mention_roles: Sequence[int] = (),
        reference: dict[str, Any] | None = None,
        guild: bool = True,
    ) -> dict[str, Any]:
        """A MESSAGE_CREATE payload as Discord sends it (see :meth:`send_message`)."""
        channel_id = channel_id or self.channel_id
        author = author or self.user
        users = {self.bot_id: self.bot_user, self.user_id: self.user, self.other_bot_id: self.other_bot}
        message: dict[str, Any] = {
            "id": str(snowflake()),
            "channel_id": str(channel_id),
            "author": author,
            "content": content,
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content or "@here" in content,
            "mentions": [
                users.get(
                    int(u), {"id": str(u), "username": f"user{u}", "discriminator": "0", "avatar": None}
                )
                for u in mentions
            ],
            "mention_roles": [str(r) for r in mention_roles],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 19 if reference else 0,
            "flags": 0,
            "components": [],
        }
        if guild:
            message["guild_id"] = str(self.guild_id)
            message["member"] = self._member_data(author, with_user=False)
        if reference:
            message["message_reference"] = {
                "message_id": reference["id"],
                "channel_id": reference["channel_id"],
                "guild_id": reference.get("guild_id"),
            }
            message["referenced_message"] = reference
        self.messages[message["id"]] = message
        return message

    async def send_message(
        self,
        content: str,
        *,
        mentions: Sequence[int] = (),
        mention_roles: Sequence[int] = (),
        channel_id: int | None = None,
        author_bot: bool = False,
        author: dict[str, Any] | None = None,
        reference: dict[str, Any] | None = None,
        dm: bool = False,
    ) -> dict[str, Any]:
        """Post a message as a person (or as another bot with ``author_bot=True``) and return its payload.

        Parameters
        ----------
        content:
            The text; write a mention as ``f"<@{fake.bot_id}> ..."`` and list the id in ``mentions``.
        mentions, mention_roles:
            User ids and role ids the message mentions (Discord resolves these for the client).
        channel_id:
            Default :attr:`channel_id` (a normal channel); :attr:`answer_channel_id` is another text channel.
        dm:
            Send it as a direct message (no guild) in a DM channel.
        """
        if author is None:
            author = self.other_bot if author_bot else self.user
        if dm:
            channel_id = channel_id or snowflake()
        message = self.message_payload(
            content,
            channel_id=channel_id,
            author=author,
            mentions=mentions,
            mention_roles=mention_roles,
            reference=reference,
            guild=not dm,
        )
        await self.dispatch("MESSAGE_CREATE", message)
        return message

    async def send_interaction(
        self,
        name: str,
        options: Mapping[str, Any] | Sequence[dict[str, Any]] | None = None,
        *,
        type: int = 2,
        channel_id: int | None = None,
        user: dict[str, Any] | None = None,
        focused: str | None = None,
        data: dict[str, Any] | None = None,
        message: dict[str, Any] | None = None,
    ) -> Interaction:
        """Dispatch INTERACTION_CREATE as if a person used the bot, and return a handle on it.

        Parameters
        ----------
        name:
            The slash command's name (for types 2 and 4).
        options:
            ``{"question": "..."}`` (types inferred: str 3, bool 5, int 4, float 10), or a list of raw option
            dicts (for subcommands: ``[{"name": "sub", "type": 1, "options": [...]}]``).
        type:
            2 application command, 3 message component (give ``data`` with ``custom_id`` and
            ``component_type``, and the ``message`` it is attached to), 4 autocomplete (give ``focused``).
        focused:
            For autocomplete: the option being typed.
        """
        channel_id = channel_id or self.channel_id
        user = user or self.user
        interaction_id = snowflake()
        token = "itok-" + secrets.token_urlsafe(24)
        if data is None:
            raw: list[dict[str, Any]]
            if options is None:
                raw = []
            elif isinstance(options, Mapping):
                raw = [{"name": k, "type": self._option_type(v), "value": v} for k, v in options.items()]
            else:
                raw = [dict(o) for o in options]
            if focused is not None:
                for option in raw:
                    if option["name"] == focused:
                        option["focused"] = True
            command = self.commands.get((self.guild_id, name)) or self.commands.get((None, name))
            data = {
                "id": command["id"] if command else str(snowflake()),
                "name": name,
                "type": 1,
                "options": raw,
            }
            if command is not None and command.get("guild_id"):
                data["guild_id"] = command["guild_id"]
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": type,
            "token": token,
            "version": 1,
            "data": data,
            "guild_id": str(self.guild_id),
            "guild": {"id": str(self.guild_id), "locale": "en-US", "features": []},
            "channel_id": str(channel_id),
            "channel": (
                self.channels.get(channel_id) or self.threads.get(channel_id) or self._channel(channel_id, "x", 9)
            ),
            "member": self._member_data(user, with_user=True, permissions="2248473465835073"),
            "app_permissions": "2248473465835073",
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 8388608,
        }
        if message is not None:
            payload["message"] = message
        interaction = Interaction(interaction_id, token, type, payload, time.monotonic())
        self.interactions[interaction_id] = interaction
        await self.dispatch("INTERACTION_CREATE", payload)
        return interaction

    async def send_autocomplete(self, name: str, options: Mapping[str, Any], focused: str) -> Interaction:
        """An autocomplete interaction (type 4) while the person types option ``focused``."""
        return await self.send_interaction(name, options, type=4, focused=focused)

    async def send_component(
        self,
        custom_id: str,
        message: dict[str, Any],
        *,
        component_type: int = 2,
        values: Sequence[str] | None = None,
    ) -> Interaction:
        """A component interaction (type 3): a click on button ``custom_id`` of ``message`` (a message
        payload, e.g. ``recorded.message``); ``component_type`` 3 with ``values`` for a select menu."""
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component_type}
        if values is not None:
            data["values"] = list(values)
        return await self.send_interaction(
            "", type=3, data=data, message=message, channel_id=int(message["channel_id"])
        )

    async def click(self, message: dict[str, Any], label: str) -> Interaction:
        """Click the button labelled ``label`` on ``message`` (a message payload), as Discord sends it."""
        for row in message.get("components") or []:
            for button in row.get("components") or []:
                if button.get("label") == label and "custom_id" in button:
                    return await self.send_component(button["custom_id"], message)
        raise AssertionError(f"no button {label!r} on the message; components: {message.get('components')!r}")

    def add_channel(self, name: str, type: int = 0) -> int:
        """Add a guild channel (``type`` 0 text, 15 forum) before the bot connects; return its id."""
        channel_id = snowflake()
        channel = self._channel(channel_id, name, len(self.channels))
        channel["type"] = type
        if type == 15:
            channel.update({"available_tags": [], "default_reaction_emoji": None, "default_sort_order": None,
                            "default_forum_layout": 0, "default_thread_rate_limit_per_user": 0})
        self.channels[channel_id] = channel
        return channel_id

    async def create_thread(
        self, parent_id: int, name: str, *, thread_id: int | None = None, owner: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A person creates a public thread in channel ``parent_id`` (dispatches THREAD_CREATE).

        ``thread_id``: the message the thread starts from (Discord gives the thread that message's id); a new
        id when omitted. Returns the thread's channel object.
        """
        thread_id = thread_id or snowflake()
        owner = owner or self.user
        thread = {
            "id": str(thread_id),
            "guild_id": str(self.guild_id),
            "parent_id": str(parent_id),
            "owner_id": owner["id"],
            "name": name,
            "type": 11,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "total_message_sent": 0,
            "flags": 0,
            "applied_tags": [],
            "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                "archive_timestamp": _now(), "locked": False},
        }
        self.threads[thread_id] = thread
        await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return thread

    async def send_forum_post(
        self, forum_id: int, title: str, content: str
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """A person opens a post in forum ``forum_id``: THREAD_CREATE, then the post's first message (whose id
        is the thread's), as Discord sends them. Returns ``(thread, first message)``."""
        thread = await self.create_thread(forum_id, title)
        message = self.message_payload(content, channel_id=int(thread["id"]))
        message["id"] = thread["id"]
        self.messages[message["id"]] = message
        await self.dispatch("MESSAGE_CREATE", message)
        return thread, message

    async def send_message_command(self, name: str, target: dict[str, Any]) -> Interaction:
        """A person uses the message context-menu command ``name`` on ``target`` (a message payload)."""
        command = self.commands.get((self.guild_id, name)) or self.commands.get((None, name))
        data: dict[str, Any] = {
            "id": command["id"] if command else str(snowflake()),
            "name": name,
            "type": 3,
            "target_id": target["id"],
            "resolved": {"messages": {target["id"]: target}},
        }
        if command is not None and command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        return await self.send_interaction(name, data=data, channel_id=int(target["channel_id"]))

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the live gateway connection(s) from the server side; the bot should reconnect and RESUME."""
        for conn in list(self._connections):
            conn.live = False
        for conn in list(self._connections):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(conn.ws.close(code=code, message=b"dropped by test"), 5)

    # -- admin and reliability (issue 11b): permissions, direct messages, revoked credentials ------------

    async def send_interaction_with_permissions(
        self, name: str, options: Mapping[str, Any] | None = None, *, permissions: int, **kwargs: Any
    ) -> Interaction:
        """:meth:`send_interaction` from a member whose permissions in the channel are ``permissions``
        (e.g. ``MANAGE_GUILD | 2248473465835073``); the default member lacks Manage Server."""
        original = self.dispatch

        async def dispatch(event: str, data: dict[str, Any]) -> None:
            if event == "INTERACTION_CREATE":
                data["member"]["permissions"] = str(permissions)
            await original(event, data)

        self.dispatch = dispatch  # type: ignore[method-assign]
        try:
            return await self.send_interaction(name, options, **kwargs)
        finally:
            del self.dispatch

    def add_text_channel(self, name: str, *, bot_denied: int = 0) -> int:
        """Add a text channel (before :meth:`start`, so GUILD_CREATE lists it) and return its id.

        ``bot_denied``: permission bits denied to the bot's role there, e.g. ``SEND_MESSAGES``.
        """
        channel_id = snowflake()
        channel = self._channel(channel_id, name, len(self.channels))
        if bot_denied:
            channel["permission_overwrites"] = [
                {"id": str(self.bot_role_id), "type": 0, "allow": "0", "deny": str(bot_denied)}
            ]
        self.channels[channel_id] = channel
        return channel_id

    def dm_messages(self) -> list[Recorded]:
        """Messages the bot sent in direct-message channels it opened (``POST /users/@me/channels``)."""
        dm_ids = {str(c["id"]) for c in self.dm_channels}
        return [r for r in self.requests if r.ok and r.route == "POST /channels/{channel_id}/messages"
                and r.params.get("channel_id") in dm_ids]

    async def revoke_token(self) -> None:
        """Act as if the token was reset in the portal: the old one fails from now on (RESUME is refused,
        IDENTIFY closed with 4004, REST 401) and the live connection is dropped."""
        self.token = "revoked-" + secrets.token_hex(8)
        await self.drop_connection(4000)

    async def refuse_message_content(self) -> None:
        """Act as if the Message Content intent was turned off in the portal mid-run: the session is lost,
        and the next IDENTIFY asking for the intent is closed with 4014."""
        self.app_flags = 0
        self._session_id = None
        await self.drop_connection(4000)

    def fail_next(
        self, route: str, status: int = 429, *, retry_after: float = 0.05, times: int = 1, body: Any = None
    ) -> None:
        """Answer the next ``times`` requests to ``route`` (e.g. ``"POST /channels/{channel_id}/messages"``)
        with ``status``. A 429 carries ``retry_after`` and the ``Via`` header, as Discord's rate limits do."""
        self._rules.append(_Rule(route, status, retry_after, times, body))

    def route(
        self, method: str, template: str
    ) -> Callable[
        [Callable[..., Awaitable[web.StreamResponse]]], Callable[..., Awaitable[web.StreamResponse]]
    ]:
        """Decorator adding or overriding a REST route: ``handler(request, record, **params) -> Response``.

        ``template`` is Discord's path without ``/api/v10``, e.g. ``"/channels/{channel_id}/pins"``.
        """

        def decorator(
            handler: Callable[..., Awaitable[web.StreamResponse]],
        ) -> Callable[..., Awaitable[web.StreamResponse]]:
            self._add_route(method, template, handler, first=True)
            return handler

        return decorator

    # -- waiting and inspecting ------------------------------------------------------------------------

    async def wait_until(
        self, condition: Callable[[], bool], timeout: float = 5.0, what: str = "a condition"
    ) -> None:
        """Wait until ``condition()`` is true; it is checked after every request and gateway payload.

        Raises
        ------
        AssertionError
            Still false after ``timeout`` seconds; the message lists the last requests.
        """
        try:
            async with self._changed:
                await asyncio.wait_for(self._changed.wait_for(condition), timeout)
        except asyncio.TimeoutError:
            seen = "\n".join(
                f"  {r.status} {r.route} {json.dumps(r.json)[:300]}" for r in self.requests[-15:]
            )
            raise AssertionError(
                f"timed out after {timeout} s waiting for {what}; last requests:\n{seen}"
            ) from None

    async def wait_for_requests(
        self, predicate: Callable[[Recorded], bool], count: int = 1, timeout: float = 5.0
    ) -> list[Recorded]:
        """Wait until at least ``count`` recorded requests match ``predicate``; return all that match.

        Raises
        ------
        AssertionError
            Not enough matching requests within ``timeout`` seconds.
        """
        await self.wait_until(
            lambda: sum(1 for r in self.requests if predicate(r)) >= count,
            timeout,
            f"{count} matching request(s)",
        )
        return [r for r in self.requests if predicate(r)]

    async def wait_for_gateway(
        self, predicate: Callable[[dict[str, Any]], bool], count: int = 1, timeout: float = 5.0
    ) -> list[dict[str, Any]]:
        """Wait until ``count`` gateway payloads from the bot match ``predicate`` (e.g. ``p["op"] == 6``)."""
        await self.wait_until(
            lambda: sum(1 for p in self.gateway_received if predicate(p)) >= count,
            timeout,
            f"{count} matching gateway payload(s)",
        )
        return [p for p in self.gateway_received if predicate(p)]

    def sent_messages(
        self,
        *,
        interaction: Interaction | None = None,
        reply_to: dict[str, Any] | None = None,
        channel_id: int | None = None,
    ) -> list[Recorded]:
        """Messages the bot made visible (accepted channel messages, callbacks with a message, follow-ups).

        Filters: ``interaction`` (its callback and follow-ups), ``reply_to`` (channel messages replying to
        that message payload, plus the rest of the same answer sent to that channel after it), or
        ``channel_id``.
        """
        result = [r for r in self.requests if r.ok and self._is_visible_message(r)]
        if interaction is not None:
            result = [r for r in result if r.params.get("token") == interaction.token]
        if channel_id is not None:
            result = [r for r in result if r.params.get("channel_id") == str(channel_id)]
        if reply_to is not None:
            replies = [r for r in result if self._replies_to(r, reply_to)]
            if not replies:
                return []
            first = result.index(replies[0])
            same_channel = [r for r in result[first:] if r.params.get("channel_id") == reply_to["channel_id"]]
            result = [
                r for r in same_channel if self._replies_to(r, reply_to) or "message_reference" not in r.json
            ]
        return result

    async def wait_for_messages(
        self,
        *,
        interaction: Interaction | None = None,
        reply_to: dict[str, Any] | None = None,
        channel_id: int | None = None,
        count: int = 1,
        timeout: float = 5.0,
        settle: float = 0.2,
    ) -> list[Recorded]:
        """Wait for at least ``count`` messages (filters as :meth:`sent_messages`), then ``settle`` seconds
        more so that a duplicate or a continuation would be seen; return them all."""

        def found() -> list[Recorded]:
            return self.sent_messages(interaction=interaction, reply_to=reply_to, channel_id=channel_id)

        await self.wait_until(lambda: len(found()) >= count, timeout, f"{count} message(s) from the bot")
        if settle:
            await asyncio.sleep(settle)
        return found()

    def requests_to(self, route: str) -> list[Recorded]:
        """All recorded requests to ``route`` (``"METHOD /template"``), whatever their status."""
        return [r for r in self.requests if r.route == route]

    # -- gateway ---------------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        conn = _Connection(ws)
        self._connections.append(conn)
        try:
            await ws.send_str(
                json.dumps({"op": 10, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}})
            )
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(msg.data)
                await self._record_gateway(payload)
                await self._on_gateway(conn, payload)
        finally:
            conn.live = False
            self._connections.remove(conn)
            self.close_codes.append(ws.close_code)
        return ws

    async def _record_gateway(self, payload: dict[str, Any]) -> None:
        self.gateway_received.append(payload)
        if payload.get("op") == 1:
            self.heartbeats.append(time.monotonic())
        async with self._changed:
            self._changed.notify_all()

    async def _on_gateway(self, conn: _Connection, payload: dict[str, Any]) -> None:
        op, data = payload.get("op"), payload.get("d") or {}
        if op == 1:
            await conn.ws.send_str(json.dumps({"op": 11}))
        elif op == 2:
            self.identify_count += 1
            if data.get("token") != self.token:
                await conn.ws.close(code=4004, message=b"Authentication failed.")
                return
            if int(data.get("intents", 0)) & MESSAGE_CONTENT_INTENT and not self.app_flags & (3 << 18):
                await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
                return
            self._session_id = secrets.token_hex(16)
            self._seq = 0
            self._events = []
            conn.live = True
            await self.dispatch(
                "READY",
                {
                    "v": 10,
                    "user": self.bot_user,
                    "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                    "session_id": self._session_id,
                    "resume_gateway_url": self.gateway_url,
                    "application": {"id": str(self.application_id), "flags": self.app_flags},
                    "private_channels": [],
                    "relationships": [],
                    "presences": [],
                    "guild_join_requests": [],
                    "geo_ordered_rtc_regions": [],
                    "user_settings": {},
                    "_trace": ["fake-discord"],
                },
            )
            await self.dispatch("GUILD_CREATE", self._guild())
        elif op == 6:
            self.resume_count += 1
            if data.get("token") != self.token or data.get("session_id") != self._session_id:
                await conn.ws.send_str(json.dumps({"op": 9, "d": False}))
                return
            missed = [e for e in self._events if e["s"] > int(data.get("seq") or 0)]
            conn.live = True
            for event in missed:
                await conn.ws.send_str(json.dumps(event))
            await self.dispatch("RESUMED", {"_trace": ["fake-discord"]})

    # -- REST ------------------------------------------------------------------------------------------

    def _add_route(
        self,
        method: str,
        template: str,
        handler: Callable[..., Awaitable[web.StreamResponse]],
        first: bool = False,
    ) -> None:
        regex = re.compile("^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$")
        entry = (method, regex, f"{method} {template}", handler)
        if first:
            self._routes.insert(0, entry)
        else:
            self._routes.append(entry)

    def _add_default_routes(self) -> None:
        for method, template, handler in [
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("PUT", "/applications/{application_id}/commands", self._put_commands),
            ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self._put_commands),
            ("GET", "/applications/{application_id}/commands", self._get_commands),
            ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self._get_commands),
            ("POST", "/channels/{channel_id}/typing", self._no_content),
            ("POST", "/users/@me/channels", self._create_dm),
            ("POST", "/channels/{channel_id}/messages", self._post_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._no_content),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{application_id}/{token}", self._followup),
            ("GET", "/webhooks/{application_id}/{token}/messages/{message_id}", self._get_webhook_message),
            ("PATCH", "/webhooks/{application_id}/{token}/messages/{message_id}", self._edit_webhook_message),
            (
                "DELETE",
                "/webhooks/{application_id}/{token}/messages/{message_id}",
                self._delete_webhook_message,
            ),
        ]:
            self._add_route(method, template, handler)

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = request.path.removeprefix(API)
        body: Any = None
        raw = await request.read()
        if raw and request.content_type == "application/json":
            body = json.loads(raw)
        record = Recorded(request.method, path, "UNKNOWN", {}, dict(request.query), body, at=time.monotonic())
        handler: Callable[..., Awaitable[web.StreamResponse]] | None = None
        for method, regex, name, candidate in self._routes:
            match = regex.match(path)
            if match and method == request.method:
                record.route, record.params, handler = name, match.groupdict(), candidate
                break
        self.requests.append(record)
        try:
            response = self._injected_failure(record)
            if (
                response is None
                and request.headers.get("Authorization") != f"Bot {self.token}"
                and not record.route.startswith(
                    (
                        "POST /interactions/",
                        "POST /webhooks/",
                        "GET /webhooks/",
                        "PATCH /webhooks/",
                        "DELETE /webhooks/",
                    )
                )
            ):
                response = json_response({"message": "401: Unauthorized", "code": 0}, 401)
            if response is None and handler is None:
                response = json_response({"message": "404: Not Found", "code": 0}, 404)
            if response is None:
                assert handler is not None
                response = await handler(request, record, **record.params)
        except Exception as error:  # a bug in the fake: make it visible, not a hang
            log.exception("fake Discord failed on %s %s", request.method, path)
            self.violations.append(f"fake error on {record.route}: {error!r}")
            response = json_response({"message": "500: fake error", "code": 0}, 500)
        record.status = response.status
        async with self._changed:
            self._changed.notify_all()
        return response

    def _injected_failure(self, record: Recorded) -> web.Response | None:
        for rule in self._rules:
            if rule.route == record.route and rule.times > 0:
                rule.times -= 1
                if rule.status == 429:
                    body = rule.body or {
                        "message": "You are being rate limited.",
                        "retry_after": rule.retry_after,
                        "global": False,
                    }
                    return json_response(
                        body,
                        429,
                        {
                            "Via": "1.1 google",
                            "Retry-After": str(max(1, int(rule.retry_after))),
                            "X-RateLimit-Scope": "user",
                        },
                    )
                return json_response(
                    rule.body or {"message": f"injected {rule.status}", "code": 0}, rule.status
                )
        return None

    @staticmethod
    def _is_visible_message(record: Recorded) -> bool:
        if record.route == "POST /channels/{channel_id}/messages":
            return True
        if record.route == "POST /webhooks/{application_id}/{token}":
            return True
        if record.route == "POST /interactions/{interaction_id}/{token}/callback":
            return isinstance(record.json, dict) and record.json.get("type") == 4
        return False

    @staticmethod
    def _replies_to(record: Recorded, message: dict[str, Any]) -> bool:
        reference = (record.json or {}).get("message_reference") or {}
        return str(reference.get("message_id")) == str(message["id"])

    def _check_message(self, record: Recorded, payload: dict[str, Any]) -> web.Response | None:
        """Discord's own validation of a message payload, plus the bot-wide invariants."""
        content = payload.get("content")
        if content is not None and len(content) > 2000:
            self.violations.append(f"{record.route}: content of {len(content)} characters")
            return json_response(
                {
                    "code": 50035,
                    "message": "Invalid Form Body",
                    "errors": {
                        "content": {
                            "_errors": [
                                {
                                    "code": "BASE_TYPE_MAX_LENGTH",
                                    "message": "Must be 2000 or fewer in length.",
                                }
                            ]
                        }
                    },
                },
                400,
            )
        if content is not None or payload.get("embeds"):
            mentions = payload.get("allowed_mentions")
            if (
                not isinstance(mentions, dict)
                or mentions.get("parse") != []
                or mentions.get("users")
                or mentions.get("roles")
                or mentions.get("replied_user")
            ):
                self.violations.append(f"{record.route}: allowed_mentions {mentions!r} for {content!r:.80}")
        for embed in payload.get("embeds") or []:
            if len(json.dumps(embed)) > 6000:
                self.violations.append(f"{record.route}: embed over 6000 characters")
        return None

    def _message(
        self,
        payload: dict[str, Any],
        channel_id: int | str,
        *,
        author: dict[str, Any] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "id": str(snowflake()),
            "channel_id": str(channel_id),
            "author": author or self.bot_user,
            "content": payload.get("content") or "",
            "timestamp": _now(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": payload.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "flags": int(payload.get("flags") or 0),
            "components": payload.get("components") or [],
        }
        if int(channel_id) in self.channels or int(channel_id) in self.threads:
            message["guild_id"] = str(self.guild_id)
        reference = payload.get("message_reference")
        if reference:
            message["type"] = 19
            message["message_reference"] = {k: v for k, v in reference.items() if k != "fail_if_not_exists"}
        message.update(extra)
        self.messages[message["id"]] = message
        return message

    # route handlers: (request, record, **params) -> response

    async def _get_me(self, request: web.Request, record: Recorded) -> web.Response:
        return json_response({**self.bot_user, "verified": True, "mfa_enabled": False, "email": None})

    async def _get_application(self, request: web.Request, record: Recorded) -> web.Response:
        return json_response(
            {
                "id": str(self.application_id),
                "name": "SeedBot",
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "hook": True,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "owner": self.user,
                "team": None,
                "flags": self.app_flags,
                "bot": self.bot_user,
                "rpc_origins": [],
                "tags": [],
                "redirect_uris": [],
                "interactions_endpoint_url": None,
                "role_connections_verification_url": None,
                "approximate_guild_count": 1,
            }
        )

    async def _get_gateway(self, request: web.Request, record: Recorded) -> web.Response:
        return json_response(
            {
                "url": self.gateway_url,
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 999,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def _put_commands(
        self, request: web.Request, record: Recorded, application_id: str, guild_id: str | None = None
    ) -> web.Response:
        guild = int(guild_id) if guild_id else None
        for key in [k for k in self.commands if k[0] == guild]:
            del self.commands[key]
        result = []
        for command in record.json or []:
            stored = {
                "id": str(snowflake()),
                "application_id": application_id,
                "version": str(snowflake()),
                "type": 1,
                "default_member_permissions": None,
                "dm_permission": True,
                "nsfw": False,
                "description": "",  # what Discord returns for context-menu commands, which send none
                **command,
            }
            if guild_id:
                stored["guild_id"] = guild_id
            self.commands[(guild, command["name"])] = stored
            result.append(stored)
        return json_response(result)

    async def _get_commands(
        self, request: web.Request, record: Recorded, application_id: str, guild_id: str | None = None
    ) -> web.Response:
        guild = int(guild_id) if guild_id else None
        return json_response([c for (g, _), c in self.commands.items() if g == guild])

    async def _create_dm(self, request: web.Request, record: Recorded) -> web.Response:
        recipient = str((record.json or {}).get("recipient_id"))
        users = {str(u["id"]): u for u in (self.user, self.other_bot)}
        channel = {"id": str(snowflake()), "type": 1, "last_message_id": None,
                   "recipients": [users.get(recipient, {"id": recipient, "username": "someone",
                                                        "discriminator": "0", "avatar": None})]}
        self.dm_channels.append(channel)
        return json_response(channel)

    async def _no_content(self, request: web.Request, record: Recorded, **params: str) -> web.Response:
        return web.Response(status=204)

    async def _post_message(self, request: web.Request, record: Recorded, channel_id: str) -> web.Response:
        payload = record.json or {}
        failure = self._check_message(record, payload)
        if failure is not None:
            return failure
        record.message = self._message(payload, channel_id)
        return json_response(record.message)

    async def _get_message(
        self, request: web.Request, record: Recorded, channel_id: str, message_id: str
    ) -> web.Response:
        message = self.messages.get(message_id)
        if message is None or message["channel_id"] != channel_id:
            return json_response({"message": "Unknown Message", "code": 10008}, 404)
        result = dict(message)
        reference = message.get("message_reference")
        if reference and "referenced_message" not in result:  # Discord includes the message replied to
            result["referenced_message"] = self.messages.get(str(reference.get("message_id")))
        return json_response(result)

    async def _edit_message(
        self, request: web.Request, record: Recorded, channel_id: str, message_id: str
    ) -> web.Response:
        payload = record.json or {}
        failure = self._check_message(record, payload)
        if failure is not None:
            return failure
        record.message = self._message(payload, channel_id, id=message_id, edited_timestamp=_now())
        return json_response(record.message)

    def _interaction_for_token(self, token: str) -> Interaction | None:
        return next((i for i in self.interactions.values() if i.token == token), None)

    async def _callback(
        self, request: web.Request, record: Recorded, interaction_id: str, token: str
    ) -> web.Response:
        interaction = self.interactions.get(int(interaction_id))
        if interaction is None or interaction.token != token:
            return json_response({"message": "Unknown interaction", "code": 10062}, 404)
        if time.monotonic() - interaction.sent_at > INTERACTION_DEADLINE:
            self.violations.append(
                f"interaction {interaction_id} acknowledged after "
                f"{time.monotonic() - interaction.sent_at:.1f} s"
            )
            return json_response({"message": "Unknown interaction", "code": 10062}, 404)
        if interaction.acknowledged:
            return json_response(
                {"message": "Interaction has already been acknowledged.", "code": 40060}, 400
            )
        payload = record.json or {}
        kind = payload.get("type")
        data = payload.get("data") or {}
        if kind in (4, 7):
            failure = self._check_message(record, data)
            if failure is not None:
                interaction.responses.append(record)
                return failure
        interaction.responses.append(record)
        result: dict[str, Any] = {
            "interaction": {
                "id": interaction_id,
                "type": interaction.type,
                "response_message_loading": kind == 5,
                "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL),
            }
        }
        if kind in (4, 5, 7):
            flags = int(data.get("flags") or 0) | (LOADING if kind == 5 else 0)
            message = self._message(
                {**data, "flags": flags},
                interaction.payload["channel_id"],
                interaction={"id": interaction_id, "type": interaction.type, "name": "", "user": self.user},
            )
            record.message = message
            result["interaction"]["response_message_id"] = message["id"]
            result["resource"] = {"type": kind, "message": message}
        interaction.payload["_original"] = record.message
        return json_response(result)

    async def _followup(
        self, request: web.Request, record: Recorded, application_id: str, token: str
    ) -> web.Response:
        interaction = self._interaction_for_token(token)
        if interaction is None or not interaction.acknowledged or application_id != str(self.application_id):
            return json_response({"message": "Unknown Webhook", "code": 10015}, 404)
        payload = record.json or {}
        failure = self._check_message(record, payload)
        if failure is not None:
            return failure
        interaction.responses.append(record)
        record.message = self._message(payload, interaction.payload["channel_id"], webhook_id=application_id)
        if record.query.get("wait") in ("1", "true", "True"):
            return json_response(record.message)
        return web.Response(status=204)

    async def _get_webhook_message(
        self, request: web.Request, record: Recorded, application_id: str, token: str, message_id: str
    ) -> web.Response:
        interaction = self._interaction_for_token(token)
        original = interaction.payload.get("_original") if interaction else None
        if original is None:
            return json_response({"message": "Unknown Message", "code": 10008}, 404)
        return json_response(original)

    async def _edit_webhook_message(
        self, request: web.Request, record: Recorded, application_id: str, token: str, message_id: str
    ) -> web.Response:
        interaction = self._interaction_for_token(token)
        if interaction is None or not interaction.acknowledged:
            return json_response({"message": "Unknown Webhook", "code": 10015}, 404)
        payload = record.json or {}
        failure = self._check_message(record, payload)
        if failure is not None:
            return failure
        original = interaction.payload.get("_original") or {}
        record.message = self._message(
            payload,
            interaction.payload["channel_id"],
            id=original.get("id", message_id),
            edited_timestamp=_now(),
        )
        interaction.responses.append(record)
        return json_response(record.message)

    async def _delete_webhook_message(
        self, request: web.Request, record: Recorded, application_id: str, token: str, message_id: str
    ) -> web.Response:
        interaction = self._interaction_for_token(token)
        if interaction is None or not interaction.acknowledged:
            return json_response({"message": "Unknown Webhook", "code": 10015}, 404)
        interaction.responses.append(record)
        return web.Response(status=204)

    # -- payload pieces --------------------------------------------------------------------------------

    @staticmethod
    def _option_type(value: Any) -> int:
        if isinstance(value, bool):
            return 5
        if isinstance(value, int):
            return 4
        if isinstance(value, float):
            return 10
        return 3

    def _channel(self, channel_id: int, name: str, position: int) -> dict[str, Any]:
        return {
            "id": str(channel_id),
            "type": 0,
            "name": name,
            "position": position,
            "guild_id": str(self.guild_id),
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "flags": 0,
        }

    def _member_data(
        self, user: dict[str, Any], *, with_user: bool, permissions: str | None = None
    ) -> dict[str, Any]:
        member: dict[str, Any] = {
            "roles": [str(self.bot_role_id)] if user is self.bot_user else [],
            "joined_at": _now(),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "premium_since": None,
            "pending": False,
        }
        if with_user:
            member["user"] = user
        if permissions is not None:
            member["permissions"] = permissions
        return member

    def _guild(self) -> dict[str, Any]:
        everyone = {
            "id": str(self.guild_id),
            "name": "@everyone",
            "color": 0,
            "hoist": False,
            "position": 0,
            "permissions": "2248473465835073",
            "managed": False,
            "mentionable": False,
            "flags": 0,
            "icon": None,
            "unicode_emoji": None,
        }
        bot_role = {
            **everyone,
            "id": str(self.bot_role_id),
            "name": "SeedBot",
            "position": 1,
            "managed": True,
            "tags": {"bot_id": str(self.bot_id)},
        }
        return {
            "id": str(self.guild_id),
            "name": "Fake Guild",
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.user_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [everyone, bot_role],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "joined_at": _now(),
            "large": False,
            "unavailable": False,
            "member_count": 2,
            "voice_states": [],
            "presences": [],
            "members": [
                self._member_data(self.bot_user, with_user=True),
                self._member_data(self.user, with_user=True),
            ],
            "channels": list(self.channels.values()),
            "threads": list(self.threads.values()),  # active threads, as Discord lists them
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "application_id": None,
        }


@contextlib.contextmanager
def patched_discord(fake: FakeDiscord) -> Iterable[None]:
    """Point discord.py's REST base URL and default gateway at ``fake`` (restored on exit)."""
    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = fake.base_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@dataclass
class BotHarness:
    """A running fake Discord and the real bot connected to it (see :func:`running_bot`)."""

    fake: FakeDiscord
    bot: Any  # bot.client.SeedBot
    task: asyncio.Task[None]
    seeds: Path

    async def ask(self, question: str, **kwargs: Any) -> tuple[Interaction, list[Recorded]]:
        """Use ``/ask question:<question>`` and return the interaction and the messages it produced."""
        interaction = await self.fake.send_interaction("ask", {"question": question})
        return interaction, await self.fake.wait_for_messages(interaction=interaction, **kwargs)

    async def mention(self, question: str, **kwargs: Any) -> tuple[dict[str, Any], list[Recorded]]:
        """Post ``@SeedBot <question>`` and return the message and the reply messages."""
        message = await self.fake.send_message(
            f"<@{self.fake.bot_id}> {question}", mentions=[self.fake.bot_id]
        )
        return message, await self.fake.wait_for_messages(reply_to=message, **kwargs)


def write_documents(folder: Path, documents: Mapping[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``folder`` (created) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in documents.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@contextlib.asynccontextmanager
async def running_bot(
    tmp_path: Path,
    documents: Mapping[str, str] | None = None,
    *,
    retriever: Any = None,
    answer_channels: bool = True,
    guild: bool = True,
    extensions: Sequence[str] | None = None,
    fake: FakeDiscord | None = None,
    ready_timeout: float = 10.0,
    more_answer_channels: Iterable[int] = (),
    **bot_options: Any,
) -> AsyncIterator[BotHarness]:
    """Start a :class:`FakeDiscord` and a real :class:`~bot.client.SeedBot` connected to it.

    Parameters
    ----------
    tmp_path:
        Where the documents folder (``tmp_path / "seeds"``) is written.
    documents:
        ``{file name: text}``; default :data:`SAMPLE_DOCUMENTS`.
    retriever:
        A retriever or loader to inject instead of indexing ``documents`` up front (e.g. a slow loader).
    answer_channels:
        Configure the fake's :attr:`FakeDiscord.answer_channel_id` as an answer channel.
    guild:
        Set ``GUILD_ID`` to the fake's guild (commands synced there) rather than syncing globally.
    extensions:
        Cogs to load instead of :data:`bot.cogs.COGS` (e.g. ``COGS + ("tests.my_cog",)``).
    fake:
        A configured, not yet started :class:`FakeDiscord` (e.g. ``FakeDiscord(app_flags=0)``). A fake that
        already ran a bot may be passed again: it keeps its messages, so a new bot instance can be tested on
        what the previous one sent (a restart).
    more_answer_channels:
        More answer channel ids (e.g. a forum added with :meth:`FakeDiscord.add_channel`).
    **bot_options:
        Passed to :class:`~bot.client.SeedBot` (e.g. ``intents=...``).

    On exit the bot and the fake are closed and the test fails if the fake saw a broken invariant.
    """
    from bot.app import build_bot
    from bot.cogs import COGS
    from bot.settings import Settings
    from retrieval import Retriever

    if documents is None:
        documents = SAMPLE_DOCUMENTS
    seeds = write_documents(tmp_path / "seeds", documents)
    if retriever is None:
        retriever = Retriever.from_folder(seeds)
    fake = fake or FakeDiscord()
    await fake.start()
    settings = Settings(
        _env_file=None,
        seeds_dir=seeds,
        discord_token=fake.token,
        guild_id=fake.guild_id if guild else None,
        answer_channel_ids=(
            frozenset({fake.answer_channel_id} if answer_channels else set()) | set(more_answer_channels)
        ),
    )
    bot_options.setdefault("guild_ready_timeout", 0.05)
    task: asyncio.Task[None] | None = None
    failed = False
    with patched_discord(fake):
        bot = build_bot(settings, retriever, extensions=tuple(extensions or COGS), **bot_options)
        try:
            task = asyncio.create_task(bot.start(fake.token), name="seedbot-under-test")
            ready = asyncio.create_task(bot.wait_until_ready())
            done, _ = await asyncio.wait(
                {task, ready}, timeout=ready_timeout, return_when=asyncio.FIRST_COMPLETED
            )
            if ready not in done:
                ready.cancel()
                if task.done():
                    task.result()  # raises what stopped the bot
                raise AssertionError(f"the bot did not become ready within {ready_timeout} s")
            yield BotHarness(fake, bot, task, seeds)
        except BaseException:
            failed = True
            raise
        finally:
            await asyncio.wait_for(bot.close(), 10)
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.wait_for(task, 10)
            await fake.close()
    if not failed:
        assert not fake.violations, "the fake Discord saw broken invariants:\n" + "\n".join(fake.violations)
