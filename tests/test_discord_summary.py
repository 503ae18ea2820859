"""``/summary`` and ``/sources`` in Discord, through the real discord.py client and the local fake Discord."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fake_discord import SUPPRESS_EMBEDS, BotHarness, Interaction, Recorded, running_bot

import bot.cogs.sources as sources_cog
from bot.formatting import MAX_MESSAGE_CHARS, discord_length

pytestmark = pytest.mark.asyncio

CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"
UN_SOURCE = "— **The United Nations published its report on Xinjiang on August 31.** · 2022-09-02 · `un-report.txt`"


async def summary(harness: BotHarness, **options: Any) -> tuple[Interaction, list[Recorded]]:
    interaction = await harness.fake.send_interaction("summary", options)
    return interaction, await harness.fake.wait_for_messages(interaction=interaction)


def command(harness: BotHarness, name: str) -> dict[str, Any]:
    [sync] = harness.fake.requests_to("PUT /applications/{application_id}/guilds/{guild_id}/commands")
    [found] = [c for c in sync.json if c["name"] == name]
    return found


async def test_summary_and_sources_are_registered_with_described_options(discord_bot: BotHarness) -> None:
    spec = command(discord_bot, "summary")
    assert spec["description"].startswith("Summarise the documents in quoted sentences")
    options = {o["name"]: o for o in spec["options"]}
    assert list(options) == ["document", "topic", "since", "until", "sentences"]
    assert not any(o.get("required") for o in options.values())
    assert options["document"]["autocomplete"] is True
    assert options["document"]["description"].startswith("One document to summarise")
    assert options["since"]["description"] == "Only documents dated on or after this day, as YYYY-MM-DD"
    assert (options["sentences"]["type"], options["sentences"]["min_value"], options["sentences"]["max_value"]) == (
        4, 1, 20)
    assert options["topic"]["max_length"] == 300
    assert command(discord_bot, "sources")["description"].startswith("List every document I quote from")


async def test_summary_of_the_collection_is_a_dated_digest(discord_bot: BotHarness) -> None:
    _, [reply] = await summary(discord_bot, sentences=4)
    content = reply.content
    assert reply.route == CALLBACK and reply.json["type"] == 4 and not reply.ephemeral
    assert reply.flags & SUPPRESS_EMBEDS and reply.allowed_mentions == {"parse": []}
    assert content.startswith("**Digest of 3 documents**, oldest first · 4 sentences\n\n**2021-05-04**\n> ")
    assert content.index("**2021-05-04**") < content.index("**2022-09-02**") < content.index("**undated**")
    assert UN_SOURCE in content
    assert "— **Garden notes** · undated · `notes/garden.md`" in content
    assert "\\@everyone" in content  # the tricky document's sentence is quoted without pinging


async def test_summary_of_a_document_in_document_order(discord_bot: BotHarness) -> None:
    _, [reply] = await summary(discord_bot, document="un-report.txt", sentences=3)
    lines = reply.content.split("\n")
    assert lines[0] == "**Summary** · 3 sentences"
    quotes = [line[2:] for line in lines if line.startswith("> ")]
    text = (discord_bot.seeds / "un-report.txt").read_text(encoding="utf-8")
    positions = [text.index(q.replace("\\", "")) for q in quotes]
    assert positions == sorted(positions) and len(quotes) == 3
    assert lines[-1] == UN_SOURCE


async def test_summary_of_a_topic_and_a_date_range(discord_bot: BotHarness) -> None:
    _, [topic] = await summary(discord_bot, topic="tomatoes basil")
    assert topic.content.startswith("**What the documents say about “tomatoes basil”**")
    assert "notes/garden.md" in topic.content and "un-report.txt" not in topic.content
    _, [ranged] = await summary(discord_bot, since="2022-01-01", until="2022-12-31")
    assert "since 2022-01-01 until 2022-12-31" in ranged.content.split("\n")[0]
    assert "`un-report.txt`" in ranged.content and "tricky" not in ranged.content
    assert ranged.content.endswith("*1 undated document was left out of the date range.*")


@pytest.mark.parametrize("options, expected", [
    ({"since": "2023-02-30"}, "since 2023-02-30 is not a real date"),
    ({"until": "next week"}, "until 'next week' is not a date: write it as YYYY-MM-DD"),
    ({"since": "2023-01-01", "until": "2022-01-01"}, "since (2023-01-01) is after until (2022-01-01)"),
    ({"document": "garden nots"}, ("No document is called 'garden nots'. Did you mean “Garden notes” "
                                   "(notes/garden.md)? Use /sources to see them all.")),
    ({"sentences": 0}, "Ask for between 1 and 20 sentences, not 0."),
    ({"sentences": 50}, "Ask for between 1 and 20 sentences, not 50."),
    ({"topic": "the and of"}, "That topic only has very common words"),
])
async def test_mistakes_get_a_clear_ephemeral_reply(discord_bot: BotHarness, options: dict[str, Any],
                                                    expected: str) -> None:
    _, [reply] = await summary(discord_bot, **options)
    assert reply.ephemeral
    assert reply.content.replace("\\", "").startswith(expected)


async def test_nothing_in_range_or_topic_is_said_publicly(discord_bot: BotHarness) -> None:
    _, [reply] = await summary(discord_bot, since="2030-01-01")
    assert not reply.ephemeral
    assert reply.content == ("No document is dated since 2030-01-01. The dated documents run from 2021-05-04 to "
                             "2022-09-02. 1 undated document was left out.")
    _, [topic] = await summary(discord_bot, topic="volcano")
    assert topic.content == "Nothing in the documents mentions 'volcano'." and not topic.ephemeral


async def choices(harness: BotHarness, typed: str) -> list[dict[str, str]]:
    typing = await harness.fake.send_autocomplete("summary", {"document": typed}, focused="document")
    [answer] = await harness.fake.wait_for_requests(lambda r: r.params.get("token") == typing.token)
    assert answer.json["type"] == 8
    return answer.json["data"]["choices"]  # type: ignore[no-any-return]


async def test_document_autocomplete_filters_by_what_is_typed(discord_bot: BotHarness) -> None:
    assert await choices(discord_bot, "gar") == [{"name": "Garden notes · undated", "value": "notes/garden.md"}]
    assert [c["value"] for c in await choices(discord_bot, "")] == [
        "un-report.txt", "2021-05-04-tricky.md", "notes/garden.md"]  # newest first
    assert await choices(discord_bot, "qqqqqqqq") == []


async def test_document_autocomplete_offers_at_most_25(tmp_path: Path) -> None:
    documents = {f"minutes-{i:02d}.txt": f"date 2020-01-{i % 28 + 1:02d} Minutes of meeting {i}. The board met."
                 for i in range(40)}
    documents["budget.txt"] = "date 2020-02-01 The budget for the year was approved."
    async with running_bot(tmp_path, documents) as harness:
        offered = await choices(harness, "minutes")
        assert len(offered) == 25 and all(c["value"].startswith("minutes-") for c in offered)
        assert [c["value"] for c in await choices(harness, "budg")] == ["budget.txt"]
        _, [reply] = await summary(harness, document=offered[0]["value"], sentences=1)
        assert f"`{offered[0]['value']}`" in reply.content


async def test_sources_fits_in_one_message_without_buttons(discord_bot: BotHarness) -> None:
    interaction = await discord_bot.fake.send_interaction("sources")
    [reply] = await discord_bot.fake.wait_for_messages(interaction=interaction)
    assert reply.content.split("\n") == [
        "**3 documents**, newest first",
        ("**The United Nations published its report on Xinjiang on August 31.** · 2022-09-02 · `un-report.txt`"
         " · 1 passage"),
        "**Release \\*\\*checklist\\*\\*** · 2021-05-04 · `2021-05-04-tricky.md` · 1 passage",
        "**Garden notes** · undated · `notes/garden.md` · 1 passage",
    ]
    assert not reply.body.get("components") and not reply.ephemeral


def buttons(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {b["label"]: b for row in message["components"] for b in row["components"]}


async def test_sources_pages_with_buttons_only_the_asker_can_use(tmp_path: Path) -> None:
    documents = {f"day-{i:02d}.txt": f"date 2021-03-{i + 1:02d} Log entry {i}. The weather was calm." for i in range(25)}
    async with running_bot(tmp_path, documents) as harness:
        fake = harness.fake
        harness.bot.get_cog("Sources").page_timeout = 1.0  # buttons disabled 1 s after the last click
        asked = await fake.send_interaction("sources")
        [first] = await fake.wait_for_messages(interaction=asked)
        assert first.content.startswith("**25 documents**, newest first · page 1/3\n**Log entry 24.** · 2021-03-25")
        assert discord_length(first.content) <= MAX_MESSAGE_CHARS
        page_buttons = buttons(first.message or {})  # clicks name this message: an edit keeps its id
        assert page_buttons["Previous"]["disabled"] is True and page_buttons["Next"].get("disabled") is False

        click = await fake.send_component(page_buttons["Next"]["custom_id"], first.message or {})
        [turned] = await fake.wait_for_requests(lambda r: r.params.get("token") == click.token)
        assert turned.json["type"] == 7
        second = turned.json["data"]
        assert second["content"].startswith("**25 documents**, newest first · page 2/3\n**Log entry 14.**")
        assert buttons(second)["Previous"]["disabled"] is False

        other = {**fake.user, "id": "987654321098765432", "username": "bob", "global_name": "Bob"}
        stranger = await fake.send_interaction("", type=3, user=other, message=first.message,
                                               data={"custom_id": page_buttons["Next"]["custom_id"],
                                                     "component_type": 2})
        [refused] = await fake.wait_for_messages(interaction=stranger)
        assert refused.ephemeral and refused.content == sources_cog.NOT_YOURS

        click = await fake.send_component(page_buttons["Next"]["custom_id"], first.message or {})
        [last] = await fake.wait_for_requests(lambda r: r.params.get("token") == click.token)
        assert last.json["data"]["content"].startswith("**25 documents**, newest first · page 3/3\n**Log entry 4.**")
        assert buttons(last.json["data"])["Next"]["disabled"] is True

        [expired] = await fake.wait_for_requests(
            lambda r: r.route == "PATCH /webhooks/{application_id}/{token}/messages/{message_id}"
            and r.params.get("token") == asked.token, timeout=5)
        assert all(b["disabled"] for b in buttons(expired.json).values())
