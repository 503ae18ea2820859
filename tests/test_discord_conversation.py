"""Conversation in Discord: follow-ups, the answer buttons (also after a restart), "Ask about this message" and
help forums, through the real discord.py client connected to the local fake Discord."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from fake_discord import EPHEMERAL, FakeDiscord, Interaction, Recorded, running_bot

from bot.feedback import question_id

pytestmark = pytest.mark.asyncio

CHANNEL_POST = "POST /channels/{channel_id}/messages"
CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"
ANSWER_BUTTONS = ["More", "Context", "Helpful", "Not helpful"]
QUIET = 1.5  # seconds to wait before concluding that the bot stayed silent (a first answer may load wordfreq)

DOCUMENTS = {
    "deploy.md": (
        "---\ntitle: Deploy window\ndate: 2024-03-01\n---\n"
        "The deploy window opens on Friday at noon. Each window starts with a freeze of the main branch and "
        "lasts two hours. Only the release captain may approve a deploy.\n"
    ),
    "maintenance.md": (
        "---\ntitle: Database maintenance\ndate: 2024-02-10\n---\n"
        "Database maintenance happens on the first Sunday of each month. The maintenance starts at 02:00 UTC "
        "and lasts four hours. During maintenance the API is read-only.\n"
    ),
    "un-report.md": (
        "---\ntitle: UN report on Xinjiang\ndate: 2022-09-02\n---\n"
        "Officials had waited for months. The UN report on Xinjiang is 46 pages long. The document was "
        "published on August 31, minutes before the end of the High Commissioner's term. Officials in Beijing "
        "rejected its findings.\n"
    ),
    "climate-report.md": (
        "---\ntitle: Climate report\ndate: 2023-03-20\n---\n"
        "The climate report is 300 pages long. The document was published in March by the IPCC. Scientists "
        "welcomed its findings.\n"
    ),
    **{
        f"lighthouse-{i}.md": f"---\ntitle: Lighthouse log {i}\ndate: 2020-01-0{i + 1}\n---\n"
        f"The lighthouse keeper {i} logs the lamp oil every night. " + "Unrelated filler about weather. " * 3
        for i in range(5)
    },
}


class Sink:
    """A FeedbackSink that keeps the clicks."""

    def __init__(self) -> None:
        self.clicks: list[tuple[str, bool]] = []

    def record_feedback(self, question_id: str, helpful: bool) -> None:
        self.clicks.append((question_id, helpful))


def labels(message: dict[str, Any]) -> list[str]:
    return [b.get("label") for row in message.get("components") or [] for b in row.get("components") or []]


def first_excerpt(content: str) -> str:
    """The best excerpt of an answer: its quote lines and source line."""
    return content.split("\n\n", 1)[0]


def quotes(content: str) -> list[str]:
    return [line for line in content.split("\n") if line.startswith("> ")]


async def acknowledged(fake: FakeDiscord, interaction: Interaction) -> Recorded:
    """The click's callback; fails unless it was accepted within Discord's 3 s."""
    await fake.wait_until(lambda: interaction.acknowledged, 3.0, "the click to be acknowledged")
    [callback] = [r for r in interaction.responses if r.route == CALLBACK]
    assert callback.ok and callback.at - interaction.sent_at < 3.0
    return callback


async def private_reply(fake: FakeDiscord, interaction: Interaction) -> str:
    """What only the clicker sees: the ephemeral response, or the follow-ups after a private "thinking…"."""
    callback = await acknowledged(fake, interaction)
    if callback.json["type"] == 4:
        assert callback.ephemeral
        return callback.content
    assert callback.json["type"] == 5 and callback.json["data"]["flags"] & EPHEMERAL
    [follow] = await fake.wait_for_messages(interaction=interaction)
    return follow.content


async def replies_to(fake: FakeDiscord, message: dict[str, Any], count: int = 1) -> list[Recorded]:
    return await fake.wait_for_messages(reply_to=message, count=count)


# -- buttons ---------------------------------------------------------------------------------------------


async def test_every_answer_has_the_four_buttons_and_not_found_has_none(tmp_path: Path) -> None:
    async with running_bot(tmp_path, DOCUMENTS) as h:
        _, [slash] = await h.ask("How long is the UN report?")
        _, [mention] = await h.mention("how long is the UN report?")
        _, [missing] = await h.ask("What colour are the tomatoes in Paris?")
    shown = slash.content.count("\n— **")
    assert shown == 2  # fewer than three excerpts answer: nothing more to show
    assert labels(slash.message) == ["Context", "Helpful", "Not helpful"]
    assert labels(mention.message) == ["Context", "Helpful", "Not helpful"]
    assert "couldn't find" in missing.content and labels(missing.message) == []
    key = question_id("How long is the UN report?")
    ids = [b["custom_id"] for row in slash.message["components"] for b in row["components"]]
    assert ids == [f"sb:ctx:0:{shown}:{key}", f"sb:yes:{key}", f"sb:no:{key}"]
    assert all(len(i) <= 100 for i in ids)


async def test_more_replies_with_the_next_excerpts_in_a_new_message(tmp_path: Path) -> None:
    async with running_bot(tmp_path, DOCUMENTS) as h:
        _, [answer] = await h.ask("lighthouse keeper lamp oil")
        assert labels(answer.message) == ANSWER_BUTTONS
        first = quotes(answer.content)
        click = await h.fake.click(answer.message, "More")
        callback = await acknowledged(h.fake, click)
        assert callback.json["type"] == 6  # a silent acknowledgement: the excerpts come as a new message
        [more] = await replies_to(h.fake, answer.message)
    assert more.route == CHANNEL_POST
    assert len(first) == 3 and len(quotes(more.content)) == 2
    assert not set(quotes(more.content)) & set(first)  # the next excerpts, none repeated
    assert labels(more.message) == ["Context", "Helpful", "Not helpful"]  # all five shown: no More


async def test_context_shows_the_passage_around_the_quote_privately(tmp_path: Path) -> None:
    async with running_bot(tmp_path, DOCUMENTS) as h:
        _, [answer] = await h.ask("How long is the UN report?")
        assert "Officials had waited" not in answer.content
        click = await h.fake.click(answer.message, "Context")
        content = await private_reply(h.fake, click)
        since = len(h.fake.requests)
        await asyncio.sleep(0.2)
        assert not [r for r in h.fake.requests[since:] if r.route == CHANNEL_POST]  # nothing public
    assert "> Officials had waited for months. **The UN report on Xinjiang is 46 pages long.**" in content
    assert "The document was published on August 31" in content
    assert "— **UN report on Xinjiang** · 2022-09-02 · `un-report.md`" in content


async def test_feedback_clicks_are_thanked_and_recorded(tmp_path: Path) -> None:
    sink = Sink()
    async with running_bot(tmp_path, DOCUMENTS, feedback=sink) as h:
        _, [answer] = await h.ask("How long is the UN report?")
        helpful = await private_reply(h.fake, await h.fake.click(answer.message, "Helpful"))
        not_helpful = await private_reply(h.fake, await h.fake.click(answer.message, "Not helpful"))
        await h.fake.wait_until(lambda: len(sink.clicks) == 2, 3.0, "two recorded clicks")
    assert helpful.startswith("Thanks! Noted that this answer helped")
    assert not_helpful.startswith("Thanks! Noted that this answer did not help")
    key = question_id("How long is the UN report?")
    assert sink.clicks == [(key, True), (key, False)]


async def test_every_button_still_works_after_a_restart(tmp_path: Path) -> None:
    fake = FakeDiscord()
    async with running_bot(tmp_path, DOCUMENTS, fake=fake) as h:
        _, [slash] = await h.ask("lighthouse keeper lamp oil")
        _, [mentioned] = await h.mention("When does the deploy window open?")
    sink = Sink()
    async with running_bot(tmp_path, DOCUMENTS, fake=fake, feedback=sink) as h:  # a new bot, nothing in memory
        await acknowledged(fake, await fake.click(slash.message, "More"))
        [more] = await replies_to(fake, slash.message)
        context = await private_reply(fake, await fake.click(mentioned.message, "Context"))
        await private_reply(fake, await fake.click(mentioned.message, "Not helpful"))
        await fake.wait_until(lambda: sink.clicks, 3.0, "a recorded click")
        # A follow-up to the old answer keeps its subject: how long the deploy window (not maintenance) lasts.
        follow = await fake.send_message("and how long does it last?", reference=mentioned.message)
        [reply] = await replies_to(fake, follow)
    assert len(quotes(more.content)) == 2 and not set(quotes(more.content)) & set(quotes(slash.content))
    assert "**The deploy window opens on Friday at noon.**" in context
    assert sink.clicks == [(question_id("When does the deploy window open?"), False)]
    assert "lasts two hours" in first_excerpt(reply.content)


async def test_a_click_on_an_answer_that_cannot_be_recovered_is_told_so(tmp_path: Path) -> None:
    fake = FakeDiscord()
    async with running_bot(tmp_path, DOCUMENTS, fake=fake) as h:
        _, [slash] = await h.ask("How long is the UN report?")
    slash.message["content"] = "**Q:** something else entirely"  # the message no longer names its question
    async with running_bot(tmp_path, DOCUMENTS, fake=fake):
        content = await private_reply(fake, await fake.click(slash.message, "Context"))
    assert content.startswith("I can no longer tell which question this answer was for")


# -- follow-ups ------------------------------------------------------------------------------------------


async def test_a_reply_to_an_answer_is_a_follow_up(tmp_path: Path) -> None:
    async with running_bot(tmp_path, DOCUMENTS) as h:
        _, [answer] = await h.mention("When does the deploy window open?")
        _, [alone_reply] = await h.mention("and how long does it last?")
        follow = await h.fake.send_message("and how long does it last?", reference=answer.message)
        [reply] = await replies_to(h.fake, follow)
    assert "lasts two hours" not in first_excerpt(alone_reply.content)  # alone, the question has no subject
    assert "lasts two hours" in first_excerpt(reply.content) and "`deploy.md`" in first_excerpt(reply.content)
    assert labels(reply.message)[-3:] == ["Context", "Helpful", "Not helpful"]


async def test_chatter_in_reply_to_an_answer_is_ignored(tmp_path: Path) -> None:
    async with running_bot(tmp_path, DOCUMENTS) as h:
        _, [answer] = await h.mention("When does the deploy window open?")
        since = len(h.fake.requests)
        await h.fake.send_message("thanks, great", reference=answer.message)
        await asyncio.sleep(QUIET)
        assert not [r for r in h.fake.requests[since:] if r.route == CHANNEL_POST]


async def test_a_question_in_a_thread_started_from_an_answer_is_a_follow_up(tmp_path: Path) -> None:
    async with running_bot(tmp_path, DOCUMENTS) as h:
        _, [answer] = await h.mention("How long is the UN report?")
        thread = await h.fake.create_thread(h.fake.channel_id, "UN report", thread_id=int(answer.message["id"]))
        message = await h.fake.send_message("when was it published?", channel_id=int(thread["id"]))
        [reply] = await replies_to(h.fake, message)
    assert reply.params["channel_id"] == thread["id"]
    assert "published on August 31" in first_excerpt(reply.content)
    assert "IPCC" not in first_excerpt(reply.content)


# -- "Ask about this message" ------------------------------------------------------------------------------


async def test_ask_about_this_message_answers_it_in_a_reply(tmp_path: Path) -> None:
    async with running_bot(tmp_path, DOCUMENTS) as h:
        [sync] = h.fake.requests_to("PUT /applications/{application_id}/guilds/{guild_id}/commands")
        [menu] = [c for c in sync.json if c["name"] == "Ask about this message"]
        assert menu["type"] == 3
        message = await h.fake.send_message("how many pages is the climate report")  # no mention: ignored
        interaction = await h.fake.send_message_command("Ask about this message", message)
        [reply] = await replies_to(h.fake, message)
        note = await private_reply(h.fake, interaction)
    assert reply.route == CHANNEL_POST and "The climate report is 300 pages long." in reply.content
    assert labels(reply.message) == ["Context", "Helpful", "Not helpful"]
    assert note == "Answered in a reply to that message."


async def test_ask_about_a_message_without_words_is_a_private_mistake(tmp_path: Path) -> None:
    async with running_bot(tmp_path, DOCUMENTS) as h:
        message = await h.fake.send_message("🙂")
        interaction = await h.fake.send_message_command("Ask about this message", message)
        text = await private_reply(h.fake, interaction)
    assert text.startswith("That question has no words in it to search for.")


# -- help forums -----------------------------------------------------------------------------------------


async def test_a_forum_post_is_answered_once_in_its_thread(tmp_path: Path) -> None:
    fake = FakeDiscord()
    forum = fake.add_channel("help", type=15)
    async with running_bot(tmp_path, DOCUMENTS, fake=fake, more_answer_channels=[forum]):
        thread, post = await fake.send_forum_post(forum, "The UN report", "When was it published?")
        [answer] = await replies_to(fake, post)
        await fake.dispatch("MESSAGE_CREATE", post)  # Discord delivers the post's first message again
        await fake.send_message("thanks!", channel_id=int(thread["id"]))
        follow = await fake.send_message("how many pages is it?", channel_id=int(thread["id"]))
        [follow_reply] = await replies_to(fake, follow)
        await asyncio.sleep(QUIET)
    assert answer.params["channel_id"] == thread["id"]
    assert "published on August 31" in first_excerpt(answer.content)  # the title says which report
    posted = [r for r in fake.requests if r.route == CHANNEL_POST and r.params["channel_id"] == thread["id"]]
    assert posted == [answer, follow_reply]  # once for the post, once for the follow-up, nothing for chatter
    assert "46 pages long" in first_excerpt(follow_reply.content)  # the post's subject carried into the follow-up


async def test_a_forum_that_is_not_an_answer_channel_is_left_alone(tmp_path: Path) -> None:
    fake = FakeDiscord()
    forum = fake.add_channel("help", type=15)
    async with running_bot(tmp_path, DOCUMENTS, fake=fake) as h:
        since = len(fake.requests)
        await fake.send_forum_post(forum, "Climate report length", "How many pages does it have")
        await asyncio.sleep(QUIET)
        assert not [r for r in fake.requests[since:] if r.route == CHANNEL_POST]
        assert h.bot.is_closed() is False


async def test_threads_keep_their_subject_after_a_restart(tmp_path: Path) -> None:
    fake = FakeDiscord()
    forum = fake.add_channel("help", type=15)
    async with running_bot(tmp_path, DOCUMENTS, fake=fake, more_answer_channels=[forum]) as h:
        post_thread, post = await fake.send_forum_post(forum, "The UN report", "When was it published?")
        await replies_to(fake, post)
        _, [answer] = await h.mention("How long is the UN report?")
        thread = await fake.create_thread(fake.channel_id, "UN report", thread_id=int(answer.message["id"]))
    async with running_bot(tmp_path, DOCUMENTS, fake=fake, more_answer_channels=[forum]):  # nothing in memory
        in_post = await fake.send_message("how many pages is it?", channel_id=int(post_thread["id"]))
        [post_reply] = await replies_to(fake, in_post)
        in_thread = await fake.send_message("when was it published?", channel_id=int(thread["id"]))
        [thread_reply] = await replies_to(fake, in_thread)
    assert "46 pages long" in first_excerpt(post_reply.content)
    assert "published on August 31" in first_excerpt(thread_reply.content)


async def test_a_failing_click_gets_the_generic_reply_and_is_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        def record_feedback(self, question_id: str, helpful: bool) -> None:
            raise RuntimeError("feedback store is read-only")

    async with running_bot(tmp_path, DOCUMENTS, feedback=Broken()) as h:
        _, [answer] = await h.ask("How long is the UN report?")
        with caplog.at_level(logging.ERROR):
            click = await h.fake.click(answer.message, "Helpful")
            [thanks, sorry] = await h.fake.wait_for_messages(interaction=click, count=2)
    assert thanks.content.startswith("Thanks!")
    assert sorry.content == "Sorry, an unexpected error occurred." and sorry.ephemeral
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert len(errors) == 1 and "read-only" in str(errors[0].exc_info[1])
