"""The answer buttons' pure parts: what Context and More show, the question ids, the custom ids, the memory."""

from __future__ import annotations

import pytest

from bot.conversation import AnswerRecord, ConversationMemory
from bot.feedback import QUESTION_ID_CHARS, FeedbackSink, LoggedFeedback, question_id
from bot.formatting import MAX_MESSAGE_CHARS, discord_length, render_answer
from bot.views import answer_view, question_id_of
from bot.views_format import NO_MORE, echoed_question, forum_question, render_context, render_more, unescape
from retrieval import MAX_QUESTION_CHARS, Answer, Document, Excerpt, FollowUp, QuoteContext
from retrieval.retriever import MAX_TOP_K

TEXT = (
    "Ping @everyone first. The **deploy** window opens at <@123> noon. It lasts two hours. "
    "Only the captain approves."
)
DOC = Document(id="deploy.md", text=TEXT, title="Deploy window", date=None)


def sentence(text: str) -> tuple[int, int]:
    start = TEXT.index(text)
    return start, start + len(text)


def test_context_marks_the_quoted_sentence_and_escapes_everything() -> None:
    spans = [sentence("Ping @everyone first."), sentence("The **deploy** window opens at <@123> noon."),
             sentence("It lasts two hours.")]
    context = QuoteContext(DOC, tuple((s, e, i == 1) for i, (s, e) in enumerate(spans)))
    [content] = render_context([context])
    assert content.startswith("**Context** (quoted sentences in bold)\n\n> ")
    assert ("> Ping \\@everyone first. **The \\*\\*deploy\\*\\* window opens at \\<@123> noon.** "
            "It lasts two hours. …") in content  # the document goes on after the last sentence shown
    assert content.endswith("— **Deploy window** · undated · `deploy.md`")


def test_long_contexts_are_split_within_discord_limits() -> None:
    long_text = " ".join(f"Sentence {i} says something about the harbour and its **quays**." for i in range(200))
    doc = Document(id="h.md", text=long_text, title="Harbour", date=None)
    sentences = []
    start = 0
    for i in range(200):
        end = long_text.index(".", start) + 1
        sentences.append((start, end, i % 7 == 0))
        start = end + 1
    contents = render_context([QuoteContext(doc, tuple(sentences))] * 3)
    assert len(contents) > 1 and all(discord_length(c) <= MAX_MESSAGE_CHARS for c in contents)
    assert all(line.count("**") % 2 == 0 for c in contents for line in c.split("\n"))  # bold never split


def test_more_renders_the_rest_and_says_when_there_is_none() -> None:
    excerpts = [Excerpt(DOC, *sentence(s), score=1.0, coverage=1.0)
                for s in ("It lasts two hours.", "Only the captain approves.")]
    answer = Answer("how long?", excerpts)
    [content] = render_more(answer, 1)
    assert content == "> Only the captain approves.\n— **Deploy window** · undated · `deploy.md`"
    assert render_more(answer, 2) == [NO_MORE]


@pytest.mark.parametrize("question", [
    "How long is the **UN** report?", "what about <@123> and @everyone?", "1. is `x` > y_z \\ ok?",
])
def test_the_echoed_question_reads_back_as_asked(question: str) -> None:
    [content] = render_answer(Answer(question, [], None), echo_question=True)
    assert echoed_question(content) == question
    assert echoed_question("> a quote\n— source") is None
    assert unescape("a\\*b\\\\c") == "a*b\\c"


def test_a_forum_question_is_the_title_then_the_post_within_the_limit() -> None:
    assert forum_question("Report length", "  How many pages? ") == "Report length\nHow many pages?"
    assert forum_question("Only a title", "") == "Only a title"
    long = forum_question("Title", "word " * 400)
    assert len(long) <= MAX_QUESTION_CHARS and long.endswith("word")


def test_question_ids_are_stable_short_and_depend_on_the_conversation() -> None:
    plain = question_id("How long is the UN report?")
    assert plain == question_id("how long  is the UN report?") and len(plain) == QUESTION_ID_CHARS
    assert plain.isalnum() and plain == plain.lower()
    deploy = question_id("and how long?", FollowUp("When does the deploy window open?", "deploy.md"))
    maintenance = question_id("and how long?", FollowUp("When is maintenance?", "maintenance.md"))
    assert len({plain, deploy, maintenance, question_id("and how long?")}) == 4
    assert isinstance(LoggedFeedback(), FeedbackSink)


def test_buttons_carry_the_question_id_within_discord_limits() -> None:
    key = question_id("q")
    view = answer_view(key, 3, 3, more=True)
    assert view is not None and view.timeout is None
    ids = [item.custom_id for item in view.children]  # type: ignore[attr-defined]
    assert ids == [f"sb:more:6:{key}", f"sb:ctx:3:3:{key}", f"sb:yes:{key}", f"sb:no:{key}"]
    assert all(len(i) <= 100 for i in ids)
    labels = [item.item.label for item in view.children]  # type: ignore[attr-defined]
    assert labels == ["More", "Context", "Helpful", "Not helpful"]
    assert question_id_of(view.children) == key
    assert answer_view(key, 0, 0, more=True) is None  # not found: no buttons
    last = answer_view(key, MAX_TOP_K - 2, 2, more=True)
    assert last is not None and "More" not in [i.item.label for i in last.children]  # type: ignore[attr-defined]


def test_memory_forgets_the_least_recently_used_answers() -> None:
    memory = ConversationMemory(capacity=2)
    records = [AnswerRecord(f"question {i}", None, None) for i in range(3)]
    memory.remember(records[0], [10])
    memory.remember(records[1], [11])
    assert memory.record(records[0].key) == records[0]  # used again: now the newest
    memory.remember(records[2], [12], thread_id=99)
    assert memory.record(records[1].key) is None and memory.record(records[0].key) == records[0]
    assert memory.record_for_message(12) == records[2]
    assert memory.thread(99) == (True, records[2]) and memory.thread(98) == (False, None)


def test_a_follow_up_to_a_follow_up_carries_the_whole_conversation() -> None:
    first = AnswerRecord("When does the deploy window open?", None, "deploy.md")
    second = AnswerRecord("and how long?", first.next_follow_up(), "deploy.md")
    third = second.next_follow_up()
    assert third == FollowUp("When does the deploy window open? and how long?", "deploy.md")
