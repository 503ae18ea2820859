"""Which sentence comes first: one small community folder, one test per kind of failure a member meets.

Each question here was answered with the wrong sentence (or declined) before the answer-choice work of
issue 8; the folder is written by the test, nothing is read from outside the repository.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval import Retriever

AS_OF = dt.date(2025, 2, 12)

DOCUMENTS = {
    "events/meetup.md": (
        "---\ntitle: Harbour meetup\ndate: 2025-01-20\n---\n\n# Harbour meetup\n\n"
        "Registration for the meetup is now open!\n\n"
        "The meetup takes place on Saturday 26 April 2025 at the Old Customs House in Porto.\n\n"
        "Doors open at 10:00 and the first talk starts at 10:30.\n\n"
        "Bring a laptop if you want to join the workshop.\n"
    ),
    "releases/v1.0.md": (
        "---\ntitle: Release 1.0\ndate: 2023-05-02\n---\n\n# Release 1.0\n\n"
        "The server listens on port 8420 by default.\n\n"
        "An account can hold up to 20 albums.\n"
    ),
    "releases/v2.0.md": (
        "---\ntitle: Release 2.0\ndate: 2024-07-09\n---\n\n# Release 2.0\n\n"
        "The server now listens on port 7440 by default.\n"
        "The old port clashed with a popular home-automation add-on, which confused many new users.\n\n"
        "Sharing too many duplicate thumbnails slowed the importer, which is fixed now.\n"
    ),
    "meetings/2024-03-07-call.md": (
        "# Community call\n\n"
        "Release rhythm\n"
        "We agreed to release a minor version every two months.\n\n"
        "Moderation\n"
        "Yusuf joined the moderator team.\n"
    ),
    "meetings/2025-01-14-call.md": (
        "# Community call\n\n"
        "Release rhythm\n"
        "We agreed to move to one release per quarter.\n"
    ),
    "notes/network.txt": (
        "date 2024-02-01\n"
        "The domain larkspur.dev is held by the Larkspur Foundation; its owner of record is Priya Raman.\n\n"
        "The office Wi-Fi password is printed on the fridge.\n\n"
        "To install the desktop app, download the installer from the releases page and run it.\n"
    ),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("community")
    for name, text in DOCUMENTS.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def retriever(folder: Path) -> Retriever:
    return Retriever.from_folder(folder)


def first(retriever: Retriever, question: str) -> str:
    answer = retriever.ask(question, as_of=AS_OF)
    assert answer.answered, f"declined: {question!r}"
    return answer.excerpts[0].text


def test_when_quotes_the_sentence_with_the_date_not_the_one_naming_the_subject(retriever: Retriever) -> None:
    assert "26 April 2025" in first(retriever, "When is the meetup?")


def test_what_time_quotes_the_time(retriever: Retriever) -> None:
    assert "10:30" in first(retriever, "What time does the first talk start?")


def test_where_quotes_the_place(retriever: Retriever) -> None:
    assert "Old Customs House" in first(retriever, "Where is the meetup?")


def test_question_frame_words_are_not_search_terms(retriever: Retriever) -> None:
    text = first(retriever, "How many albums can I share?")
    assert "20 albums" in text and "thumbnails" not in text


def test_other_word_forms_and_spellings_answer(retriever: Retriever) -> None:
    assert "Priya Raman" in first(retriever, "Who owns the domain?")
    assert "fridge" in first(retriever, "where is the wifi password")
    assert "installer" in first(retriever, "how do i instal the desktop app")


def test_a_rare_unknown_token_does_not_sink_a_question_that_otherwise_matches(retriever: Retriever) -> None:
    assert "installer" in first(retriever, "install desktop app k8s?")


def test_now_prefers_the_newer_document_when_two_disagree(retriever: Retriever) -> None:
    assert "7440" in first(retriever, "What is the default port now? Is it still 8420?")


def test_a_named_month_prefers_the_documents_of_that_time(retriever: Retriever) -> None:
    assert "every two months" in first(retriever, "What release rhythm did the March 2024 call agree on?")
    assert "one release per quarter" in first(retriever, "What release rhythm was agreed at the January 2025 call?")


def test_next_prefers_a_date_after_today(retriever: Retriever) -> None:
    assert "26 April 2025" in first(retriever, "When's the next meetup?")


def test_why_quotes_the_reason_in_the_next_sentence(retriever: Retriever) -> None:
    assert "home-automation" in first(retriever, "Why did the default port change in 2.0?")


def test_when_and_where_quotes_both(retriever: Retriever) -> None:
    text = first(retriever, "When and where is the meetup?")
    assert "26 April 2025" in text and "Porto" in text


def test_a_title_line_is_never_quoted_alone_nor_run_into_the_next_sentence(retriever: Retriever) -> None:
    text = first(retriever, "Who joined the moderator team?")
    assert text == "Yusuf joined the moderator team."


def test_a_missing_name_declines_and_a_stray_shared_word_is_not_quoted(retriever: Retriever) -> None:
    assert not retriever.ask("Is there a meetup planned in Tokyo?", as_of=AS_OF).answered
    assert not retriever.ask("What is the best sourdough starter recipe?", as_of=AS_OF).answered


@pytest.mark.parametrize("markup", ["<@123456789012345678> ", "<@!123456789012345678> ", "@everyone ",
                                    "<@&123456789012345678> ", "<#123456789012345678> ", "\u200b",
                                    "<:party:123456789012345678> "])
def test_discord_markup_in_a_question_changes_nothing(retriever: Retriever, markup: str) -> None:
    plain = retriever.ask("when is the meetup?", as_of=AS_OF)
    marked = retriever.ask(f"{markup}when is the meetup?", as_of=AS_OF)
    assert [e.text for e in marked.excerpts] == [e.text for e in plain.excerpts]


def test_same_answers_in_processes_with_different_hash_seeds(folder: Path, tmp_path: Path) -> None:
    questions = tmp_path / "questions.txt"
    questions.write_text("\n".join([
        "When is the meetup?", "How many albums can I share?", "What is the default port now?",
        "Why did the default port change?", "Who owns the domain?", "What release rhythm was agreed?",
    ]) + "\n", encoding="utf-8")
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "INDEX_DIR": ""}
        done = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "--batch", str(questions), "--json", "--seeds", str(folder),
             "--as-of", AS_OF.isoformat()],
            capture_output=True, text=True, env=env, timeout=120, check=True)
        rows = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
        for row in rows:
            for excerpt in row.get("excerpts", []):
                excerpt.pop("seconds", None)
            row.pop("seconds", None)
        outputs.append(rows)
    assert len(outputs[0]) == 6 and outputs[0] == outputs[1]


def test_a_sentence_pasted_into_two_documents_is_quoted_once() -> None:
    from retrieval import Document

    notice = "The forum moves to forum.example.org on 3 March; old links keep working for a year."
    docs = [Document(id="announcements.md", title="Announcements", date=None,
                     text=f"# Announcements\n\n{notice}\n\nThe wiki stays where it is.\n"),
            Document(id="faq.md", title="FAQ", date=None,
                     text=f"# FAQ\n\n## Where is the forum?\n\n{notice}\n\n## Where is the wiki?\n\nAt wiki.example.org.\n")]
    answer = Retriever.from_documents(docs).ask("When does the forum move?", top_k=3)
    texts = [" ".join(e.text.split()) for e in answer.excerpts]
    assert texts and texts[0] == notice
    assert texts.count(notice) == 1


def test_a_date_without_a_year_is_read_in_the_year_nearest_the_document() -> None:
    from retrieval.answer_types import future_dates

    november = dt.date(2026, 11, 11)
    assert future_dates("on 13 January at 19:00", november) == [(2027, 1, 13)]
    assert future_dates("on 3 June and on 20 December.", november) == [(2026, 6, 3), (2026, 12, 20)]
    assert future_dates("3 Marbles, 12 Junebugs", november) == []
    assert future_dates("since November 2", dt.date(2027, 3, 1)) == [(2026, 11, 2)]
    assert future_dates("on 3 June 2025", november) == [(2025, 6, 3)]
    assert future_dates("on 3 June", None) == []
