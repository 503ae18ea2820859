"""The fake Discord itself: its traps, its invariants, and driving options, autocomplete and buttons.

The ``Fruit`` cog below is also the example for adding a cog in a test: ``await harness.bot.add_cog(...)``
(or ``running_bot(..., extensions=COGS + ("my.module",))`` for a module with ``async def setup(bot)``).
"""

from __future__ import annotations

import aiohttp
import discord
import pytest
from discord import app_commands
from discord.ext import commands
from fake_discord import DEFAULT_TOKEN, BotHarness, FakeDiscord

pytestmark = pytest.mark.asyncio

FRUITS = ["apple", "apricot", "banana"]


class Fruit(commands.Cog):
    @app_commands.command()
    async def pick(self, interaction: discord.Interaction, fruit: str, count: int = 1) -> None:
        """Pick a fruit.

        Parameters
        ----------
        fruit
            The fruit to pick.
        count
            How many.
        """
        view = discord.ui.View(timeout=30)
        button: discord.ui.Button[discord.ui.View] = discord.ui.Button(label="Again", custom_id="again")

        async def again(click: discord.Interaction) -> None:
            await click.response.send_message(f"picked {fruit} again")

        button.callback = again  # type: ignore[method-assign]
        view.add_item(button)
        await interaction.response.send_message(f"picked {count} {fruit}", view=view)

    @pick.autocomplete("fruit")
    async def fruit_names(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=f, value=f) for f in FRUITS if f.startswith(current)]


async def test_options_autocomplete_and_buttons_can_be_driven(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    await discord_bot.bot.add_cog(Fruit())

    typing = await fake.send_autocomplete("pick", {"fruit": "ap"}, focused="fruit")
    [suggest] = await fake.wait_for_requests(lambda r: r.params.get("token") == typing.token)
    assert suggest.json == {
        "type": 8,
        "data": {"choices": [{"name": "apple", "value": "apple"}, {"name": "apricot", "value": "apricot"}]},
    }

    used = await fake.send_interaction("pick", {"fruit": "apple", "count": 3})
    [reply] = await fake.wait_for_messages(interaction=used)
    assert reply.content == "picked 3 apple"
    assert reply.body["components"][0]["components"][0]["custom_id"] == "again"

    click = await fake.send_component("again", reply.message)
    [again] = await fake.wait_for_messages(interaction=click)
    assert again.content == "picked apple again"


async def test_json_content_type_is_exact_and_429_looks_like_discord() -> None:
    async with FakeDiscord() as fake, aiohttp.ClientSession() as session:
        headers = {"Authorization": f"Bot {DEFAULT_TOKEN}"}
        async with session.get(fake.base_url + "/users/@me", headers=headers) as response:
            assert response.headers["Content-Type"] == "application/json"
        fake.fail_next("GET /users/@me", status=429, retry_after=0.5)
        async with session.get(fake.base_url + "/users/@me", headers=headers) as response:
            assert response.status == 429 and response.headers["Via"]
            assert (await response.json())["retry_after"] == 0.5
        async with session.get(fake.base_url + "/users/@me") as response:
            assert response.status == 401


async def test_invariants_catch_pings_and_oversized_messages(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    channel = discord_bot.bot.get_channel(fake.channel_id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as error:
        await channel.send("x" * 2001)
    assert error.value.status == 400 and error.value.code == 50035
    await channel.send("hello @everyone", allowed_mentions=discord.AllowedMentions(everyone=True))
    assert len(fake.violations) == 2 and "allowed_mentions" in fake.violations[1]
    fake.violations.clear()  # the harness would fail the test on them


async def test_interactions_follow_discords_acknowledgement_rules() -> None:
    async with FakeDiscord() as fake, aiohttp.ClientSession() as session:
        on_time = await fake.send_interaction("ask", {"question": "q"})
        late = await fake.send_interaction("ask", {"question": "q"})
        late.sent_at -= 10  # as if it had been dispatched ten seconds ago
        async with session.post(
            f"{fake.base_url}/webhooks/{fake.application_id}/{on_time.token}",
            json={"content": "x", "allowed_mentions": {"parse": []}},
        ) as response:
            assert response.status == 404  # no follow-up before the interaction is acknowledged
        for interaction, expected in [(on_time, 200), (on_time, 400), (late, 404)]:
            url = f"{fake.base_url}/interactions/{interaction.id}/{interaction.token}/callback"
            async with session.post(url, json={"type": 5}) as response:
                assert response.status == expected
        fake.violations.clear()
