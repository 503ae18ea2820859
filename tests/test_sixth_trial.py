"""Failure classes of a sixth round of member questions (a homebrew club's folder): "in March" read as a place,
"how much are dues" not read as asking for an amount, "next" not picking the soonest date, a yes-or-no
answer cut before the sentence that says no, "Absolutely." quoted alone, where-question verbs ("held")
searched for, a release's version ("Tracker 2.0") counted as a number and an answer without an amount for
"how much does it cost"."""

from __future__ import annotations

import datetime as dt

from filler import filler_notes, first_quote
from retrieval import Document, Retriever
from retrieval.answer_types import has_answer_type
from retrieval.question import AnswerType

AS_OF = dt.date(2026, 3, 1)


def _club() -> Retriever:
    return Retriever.from_documents([
        Document(id="minutes-2026-02-12.md", title="Board meeting, 12 February 2026", date=dt.date(2026, 2, 12),
                 text=("# Board meeting, 12 February 2026\n\n"
                       "Decision: the club buys a new tent for the Summer Ride, budget up to $300. "
                       "Ana will order it in March.\n\n"
                       "Decision: the ride fee stays at $5 for members.\n")),
        Document(id="events.md", title="Events", date=dt.date(2026, 1, 20),
                 text=("# Events\n\n"
                       "- **Summer Ride**: Saturday, June 6, 2026, from 9 am at the Old Mill car park, 4 River Road.\n"
                       "- **Spring clean-up**: Sunday, March 15, 2026, at the club shed.\n"
                       "- **Night ride**: Friday, March 27, 2026, from the Old Mill car park.\n"
                       "- **Autumn social**: Thursday, October 8, 2026, at the Crown.\n")),
        Document(id="faq.md", title="Frequently asked questions", date=None,
                 text=("# Frequently asked questions\n\n"
                       "## Do I need a road bike?\n\n"
                       "Absolutely not. Any bike with working brakes will do for the social rides.\n\n"
                       "## Who can come?\n\n"
                       "Club nights are held where drinks are served, so riders must be 18 or over. "
                       "The family picnic in August is the one event where children are welcome.\n\n"
                       "## I have never ridden in a group. Can I still join a ride?\n\n"
                       "Absolutely. About half of our riders started with us on the Sunday social ride.\n")),
        Document(id="membership.txt", title="Membership", date=None,
                 text=("Q: When are fees due?\nA: Fees are paid once a year, in January. Riders who join after "
                       "July pay half.\n\n"
                       "Q: How do I join?\nA: Fill in the form at the shed and pay the yearly fees.\n")),
        Document(id="newsletter-2026-01.txt", title="Newsletter, January 2026", date=dt.date(2026, 1, 10),
                 text=("Happy new year, riders! As decided in November, the yearly fees are now $40.\n\n"
                       "Our first club night of the year is a talk on winter tyres.\n")),
        Document(id="bike-library.md", title="Bike library", date=None,
                 text=("# Bike library\n\n"
                       "The club owns six touring bikes that members can rent for a weekend. "
                       "Non-members cannot rent. A rented bike comes back clean.\n\n"
                       "Riders on the Summer Ride get lunch and a club jersey.\n")),
        Document(id="tracker-2.0.md", title="Tracker 2.0 release notes", date=dt.date(2026, 2, 3),
                 text=("# Tracker 2.0 release notes\n\n"
                       "Tracker is the ride-logging app the club runs on a Raspberry Pi in the shed.\n\n"
                       "Tracker 2.0 is a major release with a new dashboard and route maps.\n\n"
                       "- The web interface now listens on port 8321 instead of 8080.\n")),
        *filler_notes(),
    ])


def test_a_month_after_in_is_no_place() -> None:
    # "Ana will order it in March" holds no place: the events line with the car park answers *where*.
    assert "Old Mill car park" in first_quote(_club(), "where is the summer ride", AS_OF)


def test_held_is_how_a_where_question_is_framed() -> None:
    # "held" is not searched for: "Club nights are held where drinks are served" does not answer.
    assert "Old Mill car park" in first_quote(_club(), "where is the summer ride held?", AS_OF)


def test_how_much_are_fees_asks_for_an_amount() -> None:
    # "once a year" is no amount of money: the sentence with the fees in dollars answers.
    assert "$40" in first_quote(_club(), "how much are the fees", AS_OF)


def test_next_is_the_soonest_date_after_today() -> None:
    quote = first_quote(_club(), "whats the next event?", AS_OF)
    assert "March 15" in quote, quote


def test_a_yes_no_answer_is_quoted_with_the_sentence_that_says_no() -> None:
    quote = first_quote(_club(), "do i have to be a member to rent a bike?", AS_OF)
    assert "Non-members cannot rent." in quote, quote


def test_absolutely_is_quoted_with_what_it_says_yes_to() -> None:
    quote = first_quote(_club(), "never ridden in a group before, can i still join a ride?", AS_OF)
    assert quote.startswith("Absolutely.") and "half of our riders" in quote, quote


def test_a_release_version_is_no_number() -> None:
    # "What port is the dashboard on?": "Tracker 2.0 is a major release" names a release, it holds no port.
    assert not has_answer_type("Tracker 2.0 is a major release with a new dashboard.", AnswerType.NUMBER)
    assert has_answer_type("The web interface now listens on port 8321.", AnswerType.NUMBER)
    assert has_answer_type("It costs 2.50 now.", AnswerType.NUMBER)


def test_how_much_does_it_cost_needs_an_amount() -> None:
    # "Riders ... get lunch and a club jersey" names the jersey, not its price.
    answer = _club().ask("how much does a club jersey cost", as_of=AS_OF)
    assert not answer.answered, answer.excerpts[0].text


def test_what_time_wants_a_time_of_day_not_a_frequency() -> None:
    # "once a month" is no answer to *what time*, and a sentence without a time is not quoted first for it.
    retriever = Retriever.from_documents([
        Document(id="volunteer-roles.md", title="Volunteer roles", date=None, text=(
            "# Volunteer roles\n\n- **Ride team**, led by Ana Silva. Checks the club bikes once a month and "
            "runs the night ride.\n- **Shed team**, led by Tom. Keeps the tools in order.\n")),
        Document(id="events-2026.md", title="Club events 2026", date=None, text=(
            "# Club events 2026\n\nAll events are open to members.\n\n## Night ride\n\n"
            "- **Date:** Friday, March 27, 2026\n- **Time:** 8 to 10 p.m.\n- **Place:** the Old Mill car park\n\n"
            "Bring lights front and back.\n")),
        *filler_notes(),
    ])
    assert "8 to 10 p.m." in first_quote(retriever, "what time is the night ride", AS_OF)
