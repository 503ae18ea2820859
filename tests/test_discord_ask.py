"""Asking the bot in Discord, through the real discord.py client connected to the local fake Discord."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from pathlib import Path

import pytest
from fake_discord import SAMPLE_DOCUMENTS, SUPPRESS_EMBEDS, BotHarness, Recorded, running_bot, write_documents

from bot.formatting import MAX_MESSAGE_CHARS, discord_length
from retrieval import Answer, Retriever

pytestmark = pytest.mark.asyncio

QUESTION = "How long is the UN report?"
UN_QUOTE = "The UN report is 46 pages long"
UN_SOURCE = "· 2022-09-02 · `un-report.txt`"
QUIET = 0.4  # seconds to wait before concluding that the bot stayed silent


def assert_pings_no_one(record: Recorded) -> None:
    mentions = record.allowed_mentions
    assert mentions is not None and mentions["parse"] == [], record.json
    assert not mentions.get("users") and not mentions.get("roles") and not mentions.get("replied_user")


async def assert_silent(harness: BotHarness, since: int) -> None:
    await asyncio.sleep(QUIET)
    made = harness.fake.requests[since:]
    assert [r.route for r in made] == [], "the bot should not have reacted"


async def test_ask_replies_with_quote_title_date_and_file(discord_bot: BotHarness) -> None:
    _, messages = await discord_bot.ask(QUESTION)
    [reply] = messages
    assert reply.route == "POST /interactions/{interaction_id}/{token}/callback"
    assert reply.json["type"] == 4  # answered at once, no defer needed
    content = reply.content
    assert content.startswith(f"**Q:** {QUESTION}\n\n> ")
    assert UN_QUOTE in content
    assert "— **The United Nations published its report on Xinjiang on August 31.** " + UN_SOURCE in content
    assert reply.flags & SUPPRESS_EMBEDS and not reply.ephemeral
    assert_pings_no_one(reply)


async def test_ask_option_description_comes_from_the_docstring(discord_bot: BotHarness) -> None:
    [sync] = discord_bot.fake.requests_to("PUT /applications/{application_id}/guilds/{guild_id}/commands")
    [ask] = [c for c in sync.json if c["name"] == "ask"]
    assert ask["name"] == "ask"
    assert ask["description"].startswith("Answer a question with quotes from the documents")
    [option] = ask["options"]
    assert option["name"] == "question" and option["required"] is True
    assert option["description"].startswith("Your question about the documents")
    assert option["max_length"] == 1000


async def test_mention_is_answered_once_as_a_reply(discord_bot: BotHarness) -> None:
    message, replies = await discord_bot.mention("how long is the UN report?")
    [reply] = replies
    assert reply.json["message_reference"]["message_id"] in (message["id"], int(message["id"]))
    assert UN_QUOTE in reply.content and UN_SOURCE in reply.content
    assert reply.flags & SUPPRESS_EMBEDS
    assert_pings_no_one(reply)


async def test_mention_alone_is_a_mistake_explained_in_a_reply(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    message = await fake.send_message(f"<@{fake.bot_id}>", mentions=[fake.bot_id])
    [reply] = await fake.wait_for_messages(reply_to=message)
    assert reply.content.startswith("Please ask a question: it is empty.")
    assert "/ask" in reply.content


async def test_message_without_mention_is_ignored(discord_bot: BotHarness) -> None:
    since = len(discord_bot.fake.requests)
    await discord_bot.fake.send_message("how long is the UN report?")
    await assert_silent(discord_bot, since)


async def test_question_in_answer_channel_is_answered_without_mention(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    message = await fake.send_message("how long is the UN report?", channel_id=fake.answer_channel_id)
    [reply] = await fake.wait_for_messages(reply_to=message)
    assert UN_QUOTE in reply.content


async def test_chatter_in_answer_channel_is_ignored(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    since = len(fake.requests)
    await fake.send_message("thanks everyone!", channel_id=fake.answer_channel_id)
    await fake.send_message(
        "why?", channel_id=fake.answer_channel_id
    )  # reads as a question, nothing to search
    await assert_silent(discord_bot, since)


async def test_messages_from_bots_are_never_answered(discord_bot: BotHarness) -> None:
    fake = discord_bot.fake
    since = len(fake.requests)
    await fake.send_message(
        f"<@{fake.bot_id}> how long is the UN report?", mentions=[fake.bot_id], author_bot=True
    )
    await fake.send_message("how long is the UN report?", channel_id=fake.answer_channel_id, author_bot=True)
    await fake.send_message(
        "how long is the UN report?", channel_id=fake.answer_channel_id, author=fake.bot_user
    )
    await assert_silent(discord_bot, since)


async def test_direct_message_is_answered(discord_bot: BotHarness) -> None:
    message = await discord_bot.fake.send_message("how long is the UN report?", dm=True)
    [reply] = await discord_bot.fake.wait_for_messages(reply_to=message)
    assert UN_QUOTE in reply.content


async def test_not_found_names_the_closest_document(discord_bot: BotHarness) -> None:
    _, [reply] = await discord_bot.ask("What colour are the tomatoes in Paris museums?")
    assert "I couldn't find that in the documents." in reply.content
    assert "The closest document is **Garden notes** (undated, `notes/garden.md`)." in reply.content
    assert not reply.ephemeral


@pytest.mark.parametrize(
    "question, expected",
    [
        ("   ", "Please ask a question: it is empty."),
        ("the and of", "That question only has very common words"),
    ],
)
async def test_mistakes_get_an_ephemeral_reply(discord_bot: BotHarness, question: str, expected: str) -> None:
    _, [reply] = await discord_bot.ask(question)
    assert reply.ephemeral
    assert reply.content.startswith(expected)


async def test_document_with_everyone_is_quoted_without_pinging(discord_bot: BotHarness) -> None:
    _, [reply] = await discord_bot.ask("@everyone when does the deploy window open?")
    assert "Ping \\@everyone and \\@here and \\<@123456789012345678> and \\<@&456>" in reply.content
    assert reply.json["data"]["allowed_mentions"] == {"parse": []}
    _, [mention_reply] = await discord_bot.mention("when does the deploy window open?")
    assert "\\@everyone" in mention_reply.content
    assert mention_reply.json["allowed_mentions"] == {"parse": [], "replied_user": False}


async def test_answer_shows_at_most_three_excerpts_best_first(tmp_path: Path) -> None:
    documents = {
        f"lighthouse-{i}.txt": f"date 2020-01-0{i + 1}\nThe lighthouse keeper {i} logs the lamp "
        f"oil every night. " + "Unrelated filler sentence about weather. " * 3
        for i in range(5)
    }
    async with running_bot(tmp_path, documents) as harness:
        _, messages = await harness.ask("lighthouse keeper lamp oil")
        content = "\n".join(m.content for m in messages)
        assert content.count("> The lighthouse keeper") == 3
        assert content.count("\n— **") == 3


LONG = (
    "The harbour of Port Example "
    + " ".join(
        f"was extended in phase {i} with a **new** quay, a crane and a warehouse for grain and timber"
        for i in range(27)
    )
    + "."
)


async def test_2400_character_passage_is_delivered_within_limits(tmp_path: Path) -> None:
    assert len(LONG) >= 2400
    async with running_bot(tmp_path, {"harbour.txt": f"date 2019-06-01\n{LONG}\n"}) as harness:
        _, messages = await harness.ask("How was the harbour of Port Example extended?")
        _, replies = await harness.mention("How was the harbour of Port Example extended?")
    for sent in (messages, replies):
        assert len(sent) >= 2
        assert all(discord_length(m.content) <= MAX_MESSAGE_CHARS for m in sent)
        text = "\n".join(m.content for m in sent)
        words = [
            w.strip("…").replace("\\", "")
            for line in text.split("\n")
            if line.startswith("> ")
            for w in line[2:].split()
        ]
        assert [w for w in words if w] == LONG.split()
        assert text.endswith(" · 2019-06-01 · `harbour.txt`")
    assert replies[0].json["message_reference"] and all(
        "message_reference" not in r.json for r in replies[1:]
    )


async def test_unexpected_error_gets_a_generic_reply_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(Retriever):
        def ask(self, question: str, top_k: int = 3) -> Answer:
            raise RuntimeError("index corrupted")

    base = Retriever.from_folder(write_documents(tmp_path / "docs", SAMPLE_DOCUMENTS))
    broken = Broken(**{f.name: getattr(base, f.name) for f in dataclasses.fields(base)})
    async with running_bot(tmp_path, retriever=broken) as harness:
        with caplog.at_level(logging.ERROR):
            _, [reply] = await harness.ask(QUESTION)
            _, [mention_reply] = await harness.mention(QUESTION)
    assert reply.content == "Sorry, an unexpected error occurred." and reply.ephemeral
    assert mention_reply.content == "Sorry, an unexpected error occurred."
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert len(errors) == 2 and all("index corrupted" in str(r.exc_info[1]) for r in errors)
