"""The pure formatter: escaping, source lines, splitting long answers within Discord's limits."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from bot.cogs.ask import reads_as_question, strip_mentions
from bot.formatting import (
    MAX_MESSAGE_CHARS,
    discord_length,
    escape,
    pack_messages,
    quote_lines,
    render_answer,
    render_not_found,
    source_line,
)
from retrieval import Answer, Document, Excerpt


def make_document(
    text: str,
    doc_id: str = "notes/doc.md",
    title: str = "A title",
    date: dt.date | None = dt.date(2022, 9, 2),
) -> Document:
    return Document(id=doc_id, text=text, title=title, date=date)


def make_excerpt(text: str, **document: object) -> Excerpt:
    doc = make_document(text, **document)  # type: ignore[arg-type]
    return Excerpt(doc, 0, len(text), score=1.0, coverage=1.0)


def unescape(line: str) -> str:
    return re.sub(r"\\(.)", r"\1", line)


def quoted_words(messages: list[str]) -> list[str]:
    """The words of every quote line across ``messages``, unescaped, continuation ellipses removed."""
    words: list[str] = []
    for message in messages:
        for line in message.split("\n"):
            if line.startswith("> "):
                text = line[2:]
                text = text.removeprefix("…")
                text = text.removesuffix("…")
                words.extend(unescape(text).split())
    return words


LONG_SENTENCE = " ".join(
    f"word{i} **bold{i}** under_{i}" for i in range(200)
)  # one 4,000+ character sentence
LONG_PASSAGE = " ".join(
    f"Sentence number {i} talks about the harbour and its {'very ' * 10}long history." for i in range(21)
)  # about 2,400 characters


class TestEscape:
    @pytest.mark.parametrize(
        "markdown",
        [
            "**bold**",
            "__underline__",
            "*italic*",
            "~~strike~~",
            "||spoiler||",
            "`code`",
            "```fence```",
            "[masked](https://example.com)",
        ],
    )
    def test_inline_markdown_is_escaped_and_reads_the_same(self, markdown: str) -> None:
        escaped = escape(markdown)
        assert unescape(escaped) == markdown
        # no Markdown character is left unescaped
        assert not re.search(r"(?<!\\)[*_~|`\[]", escaped.replace("\\\\", ""))

    @pytest.mark.parametrize(
        "line", ["> quoted", "# Heading", "### Small", "-# subtext", "- item", "1. first", "  + plus"]
    )
    def test_line_start_markdown_is_escaped(self, line: str) -> None:
        escaped = escape(line)
        assert escaped != line
        assert unescape(escaped) == line

    @pytest.mark.parametrize(
        "tag", ["<@123456789012345678>", "<@!1>", "<@&456>", "<#789>", "<t:0:R>", "<:e:1>"]
    )
    def test_mention_and_timestamp_tags_show_literally(self, tag: str) -> None:
        assert escape(tag).startswith("\\<")

    def test_everyone_and_here_are_escaped(self) -> None:
        assert escape("ping @everyone and @here") == "ping \\@everyone and \\@here"

    def test_urls_stay_clickable(self) -> None:
        assert (
            escape("see https://example.com/a_b_c*d for details")
            == "see https://example.com/a_b_c*d for details"
        )

    def test_backslashes_are_kept(self) -> None:
        assert unescape(escape("C:\\path\\to")) == "C:\\path\\to"

    def test_plain_text_is_unchanged(self) -> None:
        text = "The UN report is 46 pages long (August 31, 2022) - and that's that."
        assert escape(text) == text


class TestSourceLine:
    def test_title_date_and_file(self) -> None:
        line = source_line(make_document("Text.", doc_id="reports/un.txt", title="UN report"))
        assert line == "— **UN report** · 2022-09-02 · `reports/un.txt`"

    def test_undated_document(self) -> None:
        assert "· undated ·" in source_line(make_document("Text.", date=None))

    def test_a_file_without_a_title_is_named_once(self) -> None:
        line = source_line(make_document("Text.", doc_id="chat-2026-11.txt", title="chat-2026-11.txt"))
        assert line == "— 2022-09-02 · `chat-2026-11.txt`"

    def test_markdown_in_title_is_escaped(self) -> None:
        line = source_line(make_document("Text.", title="**Loud** __title__"))
        assert "\\*\\*Loud\\*\\*" in line and "\\_\\_title\\_\\_" in line

    def test_file_with_backtick_is_escaped_not_code(self) -> None:
        line = source_line(make_document("Text.", doc_id="odd`name.md"))
        assert line.endswith("odd\\`name.md")


class TestQuoteLines:
    def test_short_quote_is_one_line(self) -> None:
        assert quote_lines("One sentence.  Two\nsentences.") == ["> One sentence. Two sentences."]

    def test_a_code_block_keeps_its_lines_so_the_command_can_be_copied(self) -> None:
        text = "Back it up with:\n\n```sh\ndocker exec app backup --out /b\nls  /b\n```\n\nThen copy it."
        assert quote_lines(text) == ["> Back it up with:", "> ```sh", "> docker exec app backup --out /b",
                                     "> ls  /b", "> ```", "> Then copy it."]

    def test_long_passage_breaks_at_sentence_boundaries(self) -> None:
        lines = quote_lines(LONG_PASSAGE, limit=1000)
        assert len(lines) >= 3
        assert all(discord_length(line) <= 1000 for line in lines)
        assert all(line.startswith("> Sentence number") and line.endswith("history.") for line in lines)
        assert quoted_words(lines) == LONG_PASSAGE.split()

    def test_long_sentence_breaks_between_words_with_ellipsis(self) -> None:
        lines = quote_lines(LONG_SENTENCE, limit=1000)
        assert len(lines) >= 4
        assert all(discord_length(line) <= 1000 for line in lines)
        assert lines[0].endswith("…") and lines[-1].startswith("> …")
        assert quoted_words(lines) == LONG_SENTENCE.split()  # no word cut, none lost, none added

    def test_escapes_are_never_split_from_their_character(self) -> None:
        for line in quote_lines("*" * 3000, limit=500):
            body = line[2:].strip("…")
            assert not body.endswith("\\") or body.endswith("\\\\")
            assert re.fullmatch(r"(\\\*)+", body)


class TestRenderAnswer:
    def test_each_excerpt_quoted_then_its_source_best_first(self) -> None:
        first = make_excerpt("The report is 46 pages long.", doc_id="a.txt", title="Report")
        second = make_excerpt("It was published on August 31.", doc_id="b.txt", title="News", date=None)
        [message] = render_answer(Answer("How long?", [first, second]))
        assert message == (
            "> The report is 46 pages long.\n— **Report** · 2022-09-02 · `a.txt`\n\n"
            "> It was published on August 31.\n— **News** · undated · `b.txt`"
        )

    def test_echoed_question_is_escaped(self) -> None:
        [message] = render_answer(
            Answer("**why** @everyone?", [make_excerpt("Because.")]), echo_question=True
        )
        assert message.startswith("**Q:** \\*\\*why\\*\\* \\@everyone?\n\n> Because.")

    def test_markdown_in_the_document_cannot_break_the_reply(self) -> None:
        text = "> not a quote\n# not a heading\n```\nnot code\n``` ||no spoiler|| **no bold**"
        [message] = render_answer(Answer("q", [make_excerpt(text)]))
        quote, source = message.split("\n")
        # white space is collapsed, so only the first line's ">" could start a quote: it is escaped
        assert quote.startswith("> \\> not a quote # not a heading \\`\\`\\` not code \\`\\`\\`")
        assert "\\|\\|no spoiler\\|\\|" in quote and "\\*\\*no bold\\*\\*" in quote
        assert source.startswith("— **A title**")

    def test_a_2400_character_passage_fits_discord_limits_without_cutting_words(self) -> None:
        assert 2300 <= len(LONG_PASSAGE) <= 2600
        answer = Answer("harbour history?", [make_excerpt(LONG_PASSAGE, title="Harbour")])
        messages = render_answer(answer, echo_question=True)
        assert len(messages) >= 2
        assert all(0 < discord_length(m) <= MAX_MESSAGE_CHARS for m in messages)
        assert quoted_words(messages) == LONG_PASSAGE.split()
        assert messages[-1].endswith("— **Harbour** · 2022-09-02 · `notes/doc.md`")
        for message in messages:
            for line in message.split("\n"):
                assert line == "" or line.startswith(("> ", "— ", "**Q:**"))

    def test_three_long_excerpts_split_into_several_messages_in_order(self) -> None:
        excerpts = [
            make_excerpt(LONG_PASSAGE.replace("harbour", f"harbour{i}"), doc_id=f"{i}.txt") for i in range(3)
        ]
        messages = render_answer(Answer("q", excerpts))
        assert all(discord_length(m) <= MAX_MESSAGE_CHARS for m in messages)
        joined = "\n".join(messages)
        assert joined.index("harbour0") < joined.index("harbour1") < joined.index("harbour2")
        assert joined.count("— **A title**") == 3

    def test_emoji_count_double(self) -> None:
        text = "😀 " * 1500  # 3,000 UTF-16 code units
        messages = render_answer(Answer("q", [make_excerpt(text)]))
        assert all(discord_length(m) <= MAX_MESSAGE_CHARS for m in messages)
        assert sum(m.count("😀") for m in messages) == 1500

    def test_not_found_names_the_closest_document(self) -> None:
        closest = make_document("x", doc_id="garden.md", title="Garden *notes*", date=None)
        [message] = render_answer(Answer("Paris?", [], closest))
        assert message == (
            "I couldn't find that in the documents.\n"
            "The closest document is **Garden \\*notes\\*** (undated, `garden.md`)."
        )

    def test_not_found_without_closest_document(self) -> None:
        assert (
            render_not_found(Answer("zzz?", [], None))
            == "I couldn't find that in the documents."
        )


class TestPackMessages:
    def test_blocks_are_kept_whole_when_they_fit(self) -> None:
        blocks = [
            ["> " + letter * 900, f"— {name}"]
            for letter, name in [("a", "one"), ("b", "two"), ("c", "three")]
        ]
        messages = pack_messages(blocks, limit=2000)
        assert [m.count("— ") for m in messages] == [2, 1]
        assert messages[1].startswith("> ccc")

    def test_source_line_never_starts_a_message_alone(self) -> None:
        block = ["> " + "a" * 900, "> " + "b" * 900, "— source"]
        messages = pack_messages([["x" * 100], block], limit=1950)
        assert all(not m.startswith("— ") for m in messages)
        assert messages[-1].endswith("— source")

    def test_line_longer_than_a_message_is_refused(self) -> None:
        with pytest.raises(ValueError):
            pack_messages([["x" * 2001]])


class TestQuestionsInMessages:
    def test_mentions_of_the_bot_are_stripped(self) -> None:
        assert strip_mentions("<@42> how long is <@!42> it? <@7>", 42) == "how long is it? <@7>"
        assert strip_mentions("<@&9> hello", 42, frozenset({9})) == "hello"

    @pytest.mark.parametrize(
        "text",
        [
            "how long is the UN report?",
            "What does the report say",
            "report length?",
            "Is it true that the report is long",
            "who wrote it ?",
        ],
    )
    def test_questions(self, text: str) -> None:
        assert reads_as_question(text)

    @pytest.mark.parametrize("text", ["thanks everyone!", "lol", "", "the report is long.", "how lovely"])
    def test_not_questions(self, text: str) -> None:
        assert not reads_as_question(text)
