"""Failure classes of a fourth round of member questions: a quantifier ("several people") taken for the
number a *how many* question asks for; the newest release losing "the latest release" to an older one
whose title repeats the question's word; emoji short codes and quoted lines of a reply read as search words;
a question that is only a link told it has no words; a whole table quoted for one row; a two-part question
answered by the place alone; "What port ...?" not read as asking for a number; an FAQ's answer under a heading
that asks the question losing to a sentence elsewhere, and a bare "Yes." quoted without what it says yes to."""

from __future__ import annotations

import datetime as dt

import pytest

from filler import filler_notes, first_quote
from retrieval import Document, Retriever

AS_OF = dt.date(2026, 12, 1)

FOLDER = [
    Document(id="minutes-2026-09.txt", title="Community call, September 2026", date=dt.date(2026, 9, 8), text=(
        "Community call, September 2026\n\n"
        "The Ghent meetup went well. Feedback was very positive, and several people asked for a meetup in "
        "Porto next year. Sanne will look into Porto or Valencia.\n")),
    Document(id="porto-meetup.md", title="Porto meetup", date=dt.date(2026, 11, 2), text=(
        "# Porto meetup\n\n"
        "After the Ghent meetup we are heading south! Entry is free, but please register on the event page. "
        "There is room for 60 people.\n")),
    *filler_notes(),
]


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return Retriever.from_documents(FOLDER)


def first(retriever: Retriever, question: str) -> str:
    return first_quote(retriever, question, AS_OF)


def test_how_many_is_answered_by_a_number_not_by_several(retriever: Retriever) -> None:
    assert "60 people" in first(retriever, "How many people can attend the Porto meetup?")


@pytest.mark.parametrize(("message", "asked"), [
    ("what is the default port now :thinking:", "what is the default port now"),
    ("> quoted reply\nwhen is the meetup?", "when is the meetup?"),
    (">>> when is the meetup?", "when is the meetup?"),
    ("> when is the meetup?", "when is the meetup?"),
    ("meet at 14:30:00 :+1:", "meet at 14:30:00"),
    ("is 3 > 2?", "is 3 > 2?"),
])
def test_emoji_short_codes_and_quoted_lines_are_not_search_words(message: str, asked: str) -> None:
    from retrieval import clean_question

    assert clean_question(message) == asked


def test_a_question_that_is_only_a_link_is_told_to_use_words(retriever: Retriever) -> None:
    from retrieval.errors import QuestionError

    with pytest.raises(QuestionError, match="only a link"):
        retriever.ask("https://example.org/porto-meetup", as_of=AS_OF)


RELEASES = [
    Document(id="release-1.3.md", title="Pantry 1.3 release notes", date=dt.date(2026, 3, 4), text=(
        "# Pantry 1.3 release notes\n\nPantry 1.3 brings nutrition facts and a long list of import fixes.\n")),
    Document(id="release-1.4.md", title="Pantry 1.4 release notes", date=dt.date(2026, 4, 22), text=(
        "# Pantry 1.4 release notes\n\nPantry 1.4 is a smaller release with one change that needs your "
        "attention: the default port.\n\n## The default port is now 9180\n\nFrom 1.4 on, the default port is "
        "9180. If you relied on the default, update your reverse proxy.\n\n## Highlights\n\n"
        "- Pantry items can be scanned by barcode.\n- This release also fixes the CSV export.\n")),
    Document(id="call-2026-05-08.md", title="Contributor call, 8 May 2026", date=dt.date(2026, 5, 8), text=(
        "# Contributor call, 8 May 2026\n\n## 1. Release manager\n\nInes will be the release manager from now on.\n")),
    Document(id="meetup.md", title="Pantry summer meetup", date=dt.date(2026, 5, 15), text=(
        "# Pantry summer meetup\n\nAt 14:30 Ines presents what is new in Pantry 1.5.\n")),
    Document(id="changelog-1.5.txt", title="Pantry 1.5 changelog", date=dt.date(2026, 5, 20), text=(
        "Pantry 1.5 changelog\n\nPantry 1.5 was released on 20 May 2026, managed for the first time by Ines.\n\n"
        "Breaking changes: Pantry 1.5 requires PostgreSQL 15 or newer. Installs on PostgreSQL 14 must upgrade "
        "the database first; the migration that adds full-text search depends on it.\n\n"
        "New: full-text recipe search in all interface languages, with stemming. Meal plans can be copied "
        "from one week to the next. The shopping list groups items by aisle.\n")),
    *filler_notes(),
]


def test_the_latest_release_is_the_newest_one_even_when_an_older_title_says_release() -> None:
    answer = Retriever.from_documents(RELEASES).ask("What is the latest release of Pantry?", as_of=dt.date(2026, 6, 1))
    assert answer.excerpts and answer.excerpts[0].document.id == "changelog-1.5.txt"


COSTS = [
    Document(id="costs.md", title="Costs", date=None, text=(
        "# Costs\n\nRecurring costs are reviewed every six months.\n\n"
        "| Item | Provider | Cost per month |\n|---|---|---|\n| Demo server | Hetzner CX32 | 6.80 euros |\n"
        "| Documentation hosting | Netlify (free plan) | 0 euros |\n| Domain pantry.example | Gandi | 1.25 euros |\n"
        "| Backups of the demo server | Hetzner Storage Box | 3.20 euros |\n\nDonations cover all of it.\n")),
    *filler_notes(),
]


def test_a_table_row_answers_not_the_whole_table() -> None:
    answer = Retriever.from_documents(COSTS).ask("How much does the domain cost?", as_of=AS_OF)
    assert answer.excerpts[0].text == "| Domain pantry.example | Gandi | 1.25 euros |"


MEETUP = [
    Document(id="meetup-ghent.md", title="Pantry summer meetup Ghent 2026", date=dt.date(2026, 5, 15), text=(
        "# Pantry summer meetup Ghent 2026\n\n"
        "Come and meet other people who self-host Pantry. The meetup is free.\n\n"
        "- **Date:** Saturday, 20 June 2026\n- **Time:** 14:00 to 19:00, doors open at 13:30\n"
        "- **Venue:** De Koepel community kitchen, second floor\n- **Address:** Sleepstraat 47, 9000 Ghent\n"
        "- **Registration:** https://pantry.example/meetup-ghent (free, places are limited to 40)\n\n"
        "## Programme\n\nAt 14:30 Ines presents what is new in Pantry 1.5.\n")),
    *filler_notes(),
]


def test_a_two_part_question_quotes_the_lines_with_both_the_date_and_the_place() -> None:
    text = Retriever.from_documents(MEETUP).ask("When and where is the Ghent meetup?", as_of=AS_OF).excerpts[0].text
    assert "20 June 2026" in text and ("De Koepel" in text or "Sleepstraat" in text), text


def test_when_it_comes_to_is_no_second_question() -> None:
    from retrieval import read_question

    kinds = read_question("How many networks are partners, when it comes to broadcasting games?", AS_OF).answer_types
    assert len(kinds) == 1
    assert len(read_question("Who runs it, and when is it held?", AS_OF).answer_types) == 2


PORTS = [
    Document(id="release-1.2.md", title="Pantry 1.2 release notes", date=dt.date(2026, 1, 14), text=(
        "# Pantry 1.2 release notes\n\nPantry 1.2 is out. This release focuses on meal planning.\n\n"
        "## Upgrading\n\nPantry 1.2 requires PostgreSQL 12 or newer. The web interface listens on port 8080 by "
        "default.\n")),
    Document(id="release-1.3.md", title="Pantry 1.3 release notes", date=dt.date(2026, 3, 4), text=(
        "# Pantry 1.3 release notes\n\nPantry 1.3 brings nutrition facts.\n")),
    *filler_notes(),
]


def test_what_port_asks_for_a_number_not_the_release_announcement() -> None:
    answer = Retriever.from_documents(PORTS).ask("What port did Pantry 1.2 use by default?", as_of=AS_OF)
    assert "8080" in answer.excerpts[0].text


FAQ = [
    Document(id="install-faq.md", title="Installation questions", date=None, text=(
        "# Installation questions\n\n## How much memory does it need?\n\n"
        "Together with PostgreSQL, plan for 1 GB of memory for a household instance.\n\n"
        "## Can I run Pantry behind a reverse proxy?\n\n"
        "Yes, and we recommend it. Set `PANTRY_BASE_URL` to the public address and forward the "
        "`X-Forwarded-Proto` header.\n")),
    Document(id="faq.md", title="Pantry FAQ", date=None, text=(
        "Pantry FAQ\n\nQ: Is Pantry free?\nA: Yes. Pantry is released under the AGPL-3.0 licence and will stay "
        "free.\n\nQ: Does Pantry have a mobile app?\nA: There is no native app.\n")),
    Document(id="release-1.4.md", title="Pantry 1.4 release notes", date=dt.date(2026, 4, 22), text=(
        "# Pantry 1.4 release notes\n\nUntil now Pantry listened on port 8080, which clashes with many other "
        "self-hosted apps and with most reverse proxy dashboards. If you relied on the default, update your "
        "reverse proxy.\n")),
    *filler_notes(),
]


def test_the_answer_under_an_faq_heading_that_asks_the_question_comes_first() -> None:
    text = Retriever.from_documents(FAQ).ask("Can I run Pantry behind a reverse proxy?", as_of=AS_OF).excerpts[0].text
    assert text.startswith("Yes, and we recommend it.")


def test_a_bare_yes_is_quoted_with_the_sentence_after_it() -> None:
    retriever = Retriever.from_documents(FAQ)
    assert "AGPL-3.0" in retriever.ask("Is Pantry free?", as_of=AS_OF).excerpts[0].text
    assert "PANTRY_BASE_URL" in retriever.ask("Can I run Pantry behind a reverse proxy?", as_of=AS_OF).excerpts[0].text


ROTA = [
    Document(id="2026-05-11-minutes.md", title="Committee meeting, 11 May 2026", date=dt.date(2026, 5, 11), text=(
        "# Committee meeting, 11 May 2026\n\nPriya Nair said she will step down as watering coordinator at the "
        "end of May. Tom Becker offered to take over. Decision: Tom Becker becomes watering coordinator from "
        "1 June.\n")),
    Document(id="2026-06-02-announcement.md", title="Announcement: watering, the new coordinator and summer hours",
             date=dt.date(2026, 6, 2), text=(
        "# Announcement: watering, the new coordinator and summer hours\n\nDear members,\n\nWith the hot spell "
        "forecast for June, a few practical notes.\n\n## A new watering coordinator\n\nPriya Nair has "
        "coordinated the watering rota "
        "for three years and is stepping back to focus on her new job. Thank you, Priya! From June, Tom Becker "
        "takes over as watering coordinator. Please send swaps for the rota to Tom.\n")),
    Document(id="2026-06-15-update.md", title="Quick update: watering rota", date=dt.date(2026, 6, 15), text=(
        "# Quick update: watering rota\n\nTom Becker has hurt his back and cannot do heavy work this summer. "
        "From 16 June, Lucja Kowalska takes over as watering coordinator until the end of August.\n")),
    *filler_notes(),
]


@pytest.mark.parametrize("question", ["Who is the current watering coordinator?",
                                      "Who is the watering coordinator now?"])
def test_now_quotes_the_newest_of_two_documents_that_state_it(question: str) -> None:
    answer = Retriever.from_documents(ROTA).ask(question, as_of=dt.date(2026, 6, 20))
    assert "Lucja" in answer.excerpts[0].text


SWAP = [
    Document(id="seed-swap.md", title="Seed swap and plant sale 2026", date=dt.date(2026, 5, 20), text=(
        "# Seed swap and plant sale 2026\n\nOur yearly seed swap is back, and this year the plant sale joins it. "
        "Bring seeds in labelled envelopes.\n\n- **Date:** Saturday 4 July 2026\n"
        "- **Time:** 10:00 to 13:00\n- **Place:** the community hall on Alder Street\n")),
    *filler_notes(),
]


def test_when_is_answered_by_the_date_not_by_a_yearly() -> None:
    answer = Retriever.from_documents(SWAP).ask("When is the seed swap?", as_of=AS_OF)
    assert "4 July 2026" in answer.excerpts[0].text


FEES = [
    Document(id="2026-01-12-minutes.md", title="Committee meeting, 12 January 2026", date=dt.date(2026, 1, 12), text=(
        "# Committee meeting, 12 January 2026\n\n## Fees\n\nSam proposed raising the full-plot fee from £35 to "
        "£40 for 2026, with half plots staying at £20. Several members asked about people on low incomes. "
        "Decision: the rise was agreed by 19 votes to 3.\n\n## Tools\n\nThe shed lock will be replaced in "
        "February. Members who borrow the strimmer must sign the tool book.\n\n## Events\n\nThe seed swap moves "
        "to July. Volunteers for the plant sale should talk to Aisha.\n")),
    Document(id="2026-01-15-newsletter.md", title="January newsletter", date=dt.date(2026, 1, 15), text=(
        "# January newsletter\n\nHappy new year, gardeners! At the January meeting members voted to raise the "
        "full-plot fee from £35 to £40, the first rise in four years, to pay for the new water tank and the "
        "higher water bill. Seed orders close on 1 February.\n")),
    *filler_notes(),
]


def test_why_is_answered_by_the_purpose_to_pay_for() -> None:
    answer = Retriever.from_documents(FEES).ask("Why was the plot fee raised?", as_of=AS_OF)
    assert "water tank" in answer.excerpts[0].text


MINUTES = [
    Document(id="2026-05-11-minutes.md", title="Committee meeting, 11 May 2026", date=dt.date(2026, 5, 11), text=(
        "# Committee meeting, 11 May 2026\n\nPresent: Helen Marsh, Sam Ortiz, Aisha Rahman, Tom Becker.\n\n"
        "Chair: Helen Marsh.\n\nMinutes: Aisha Rahman, as Daniel Reyes sent apologies.\n\n"
        "## Water\n\nTom Becker becomes watering coordinator from 1 June.\n")),
    Document(id="2026-03-09-minutes.md", title="Committee meeting, 9 March 2026", date=dt.date(2026, 3, 9), text=(
        "# Committee meeting, 9 March 2026\n\nChair: Helen Marsh. Minutes: Daniel Reyes.\n\n"
        "## Fees\n\nThe fee stays at £40.\n")),
    *filler_notes(),
]


def test_a_field_labelled_with_the_word_asked_about_answers() -> None:
    answer = Retriever.from_documents(MINUTES).ask("Who took the minutes at the May 2026 meeting?", as_of=AS_OF)
    assert "Aisha Rahman, as Daniel" in answer.excerpts[0].text


SHED = [
    Document(id="faq.md", title="Garden FAQ", date=None, text=(
        "# Garden FAQ\n\n## Plots\n\nQ: How big is a full plot?\nA: A full plot is 10 by 5 metres.\n\n"
        "Q: Can I share a plot?\nA: Yes, with one other member, if you both sign the agreement.\n\n"
        "Q: Can I keep chickens?\nA: No, animals are not allowed on the plots.\n\n"
        "Q: When are the gates open?\nA: From dawn to dusk.\n\nQ: Is there parking?\nA: There is no car park.\n\n"
        "Q: Can I bring my dog?\nA: On a lead, on the paths only.\n\nQ: Who mows the paths?\nA: Volunteers.\n\n"
        "## Tools\n\n"
        "Q: Where are the tools kept?\nA: In the tool shed by the main gate.\n\n"
        "Q: What is the code for the tool shed padlock?\nA: The code is sent to members by email and changes "
        "every season.\n")),
    Document(id="spring-newsletter.txt", title="Spring newsletter", date=dt.date(2026, 3, 28), text=(
        "Spring is finally here and the garden is waking up. Work days move to the first Sunday of each month.\n\n"
        "The tool shed padlock code has changed for the spring season. Check your email for the new code, and "
        "please do not share it outside the membership.\n")),
    *filler_notes(),
]


def test_an_faq_entry_deep_in_the_faq_is_not_ranked_down_for_its_place() -> None:
    answer = Retriever.from_documents(SHED).ask("What is the code for the tool shed padlock?", as_of=AS_OF)
    assert "sent to members by email" in answer.excerpts[0].text
