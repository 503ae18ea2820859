"""Summaries in the retrieval core: what a reader of ``/summary`` would notice."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import retrieval.summary as summary_module
from retrieval import Retriever, parse_document
from retrieval.catalog import document_choices
from retrieval.errors import (
    DateRangeError,
    NothingToSummariseError,
    SummaryError,
    SummaryLengthError,
    TopicError,
    UnknownDocumentError,
)
from retrieval.index import BM25Index
from retrieval.summary import Summary, is_heading, summarise

HARBOUR = """date 2021-03-01
# Harbour expansion

The harbour authority approved a new container quay for the harbour on Monday.
The new quay will double the harbour's capacity for container ships.
Work on the container quay starts in May and should end within two years.
Local fishermen fear that building the quay will drive the fish away from the harbour.
The mayor said the harbour expansion would bring two hundred jobs to the town.

## Costs

The quay costs forty million euros, paid by the port and the region.
"""

FERRY = """date 2022-06-15 New ferry timetable

The island ferry will sail every two hours from June.
The ferry company bought a second ferry to run the new timetable.
Tickets for the ferry stay at twelve euros for adults.
The first ferry leaves the harbour at six in the morning.
Cyclists can take their bikes on the ferry for free.
"""

FESTIVAL = """date 2023-08-20 Summer festival

The summer music festival drew twenty thousand visitors to the beach.
Forty bands played on three stages over the festival weekend.
The festival organisers thanked the volunteers who cleaned the beach.
Next year the festival will add a stage for local bands.
"""

GARDEN = """Garden notes

Tomatoes need sun and water every day in summer.
The compost heap should be turned every month.
Basil grows well next to the tomatoes.
"""

DOCUMENTS = {"harbour.md": HARBOUR, "ferry.txt": FERRY, "festival.txt": FESTIVAL, "notes/garden.txt": GARDEN}


_WORDS_TEXT = ("harbour ferry quay ship grain timber coal steel wool dock storm tide crane mayor council budget "
               "school bridge road river market festival museum painting garden tomato basil compost weather "
               "winter summer village island lighthouse keeper fisherman boat net engine ticket timetable station "
               "train doctor hospital nurse library teacher student exam theatre concert choir orchestra farmer "
               "orchard apple cider bakery bread cheese castle tower wall gate")
WORDS = tuple(_WORDS_TEXT.split())


def varied_sentences(count: int, seed: int) -> str:
    """``count`` distinct sentences of six words drawn from :data:`WORDS` (no two near-duplicates)."""
    rng = np.random.default_rng(seed)
    return " ".join("The " + " ".join(rng.choice(WORDS, 6, replace=False)) + " changed." for _ in range(count))


def make_retriever(documents: dict[str, str] | None = None) -> Retriever:
    documents = DOCUMENTS if documents is None else documents
    return Retriever.from_documents([parse_document(name, text) for name, text in documents.items()])


@pytest.fixture(scope="module")
def retriever() -> Retriever:
    return make_retriever()


def whole_sentences(retriever: Retriever, doc_id: str) -> set[str]:
    d = next(i for i, doc in enumerate(retriever.documents) if doc.id == doc_id)
    text = retriever.documents[d].text
    return {text[s:e] for s, e in retriever.sentences[d].spans}


# ------------------------------------------------------------------------------------------ verbatim, order


def test_every_sentence_is_a_verbatim_whole_sentence_of_its_document(retriever: Retriever) -> None:
    for kwargs in ({}, {"document": "harbour.md"}, {"topic": "ferry tickets"}, {"sentences": 10}):
        summary = summarise(retriever, **kwargs)  # type: ignore[arg-type]
        assert summary.sentences
        for sentence in summary.sentences:
            assert sentence.text == sentence.document.text[sentence.start : sentence.end]
            assert sentence.text in whole_sentences(retriever, sentence.document.id)


def test_document_summary_keeps_document_order_and_skips_headings(retriever: Retriever) -> None:
    summary = summarise(retriever, document="harbour.md", sentences=5)
    assert summary.scope == "document" and summary.document is not None
    assert summary.document.id == "harbour.md" and not summary.is_digest
    starts = [s.start for s in summary.sentences]
    assert starts == sorted(starts) and len(starts) == 5
    texts = [s.text for s in summary.sentences]
    assert not any(t.startswith("#") for t in texts)
    assert "The harbour authority approved a new container quay for the harbour on Monday." in texts


def test_document_summary_picks_central_sentences(retriever: Retriever) -> None:
    summary = summarise(retriever, document="harbour.md", sentences=2)
    assert [s.text for s in summary.sentences] == [
        "The harbour authority approved a new container quay for the harbour on Monday.",
        "The new quay will double the harbour's capacity for container ships.",
    ]


def test_title_lines_are_headings_and_never_quoted() -> None:
    document = parse_document("bbc.txt", "Ad sales boost profit\n\nQuarterly profits jumped by a third. "
                                         "Sales rose in every region.")
    retriever = Retriever.from_documents([document])
    spans = retriever.sentences[0].spans
    assert is_heading(document, *spans[0]) and not is_heading(document, *spans[1])
    summary = summarise(retriever, sentences=3)
    assert [s.text for s in summary.sentences] == ["Quarterly profits jumped by a third.",
                                                   "Sales rose in every region."]


def test_a_document_that_opens_with_a_sentence_keeps_it() -> None:
    text = "date 2020-01-01 The council voted to close the old bridge. The bridge is unsafe for cars. " \
           "Cars will use the ring road. The ring road adds ten minutes to a bridge journey."
    retriever = make_retriever({"bridge.txt": text})
    summary = summarise(retriever, sentences=4)
    assert summary.sentences[0].text == "The council voted to close the old bridge."


def test_tables_are_not_quoted_while_prose_is_left() -> None:
    text = ("Quarterly report\n\nShr 1.32 dlrs vs 1.26 dlrs\n    Net 21.2 mln vs 17.4 mln\n"
            "    Revs 10.0 mln vs 8.4 mln\n    Avg shrs 16.1 mln vs 13.8 mln.\n\n"
            "The company said net income rose because revenue from shares grew. "
            "The company expects revenue to grow again next year.")
    summary = summarise(make_retriever({"q.txt": text}), sentences=2)
    assert all("Shr 1.32" not in s.text for s in summary.sentences)
    assert len(summary.sentences) == 2


def test_near_duplicate_sentences_are_quoted_once() -> None:
    line = "The regional council approved the new hospital budget on Tuesday."
    documents = {
        "a.txt": f"date 2020-01-01 {line} Doctors welcomed the hospital budget. Nurses asked for more staff.",
        "b.txt": f"date 2020-02-01 {line} Patients will wait less for hospital beds. Parking will cost more.",
        "c.txt": f"date 2020-03-01 {line} The hospital opens a new wing in spring. Builders start next week.",
    }
    summary = summarise(make_retriever(documents), sentences=6)
    texts = [s.text for s in summary.sentences]
    assert texts.count(line) == 1
    assert len(texts) == 6


# ----------------------------------------------------------------------------------------------- digest


def test_collection_digest_is_grouped_by_date_oldest_first_undated_last(retriever: Retriever) -> None:
    summary = summarise(retriever, sentences=8)
    assert summary.scope == "collection" and summary.is_digest
    keys = [(s.document.date is None, s.document.date or dt.date.min) for s in summary.sentences]
    assert keys == sorted(keys)
    ids = [document.id for document, _ in summary.groups()]
    assert len(ids) == len(set(ids)), "each document's sentences come together"
    assert len(ids) == 4, "a digest covers every document when there are enough sentences"
    for _, quoted in summary.groups():
        assert [s.start for s in quoted] == sorted(s.start for s in quoted)


def test_digest_spreads_over_documents(retriever: Retriever) -> None:
    summary = summarise(retriever, sentences=4)
    assert len({s.document.id for s in summary.sentences}) == 4


def test_one_document_collection_gives_that_documents_summary() -> None:
    retriever = make_retriever({"ferry.txt": FERRY})
    summary = summarise(retriever)
    assert not summary.is_digest and summary.documents == 1
    assert [s.start for s in summary.sentences] == sorted(s.start for s in summary.sentences)


def test_default_length_is_three_to_five_by_material(retriever: Retriever) -> None:
    assert len(summarise(retriever, document="notes/garden.txt").sentences) == 3
    assert len(summarise(retriever, document="ferry.txt").sentences) == 3
    long_text = "date 2020-01-01 " + varied_sentences(60, seed=1)
    assert len(summarise(make_retriever({"museum.txt": long_text})).sentences) == 5
    assert 3 <= len(summarise(retriever).sentences) <= 5


def test_short_material_returns_what_it_has() -> None:
    retriever = make_retriever({"one.txt": "The only sentence in this document is about owls and their nests."})
    assert len(summarise(retriever, sentences=10).sentences) == 1


# ---------------------------------------------------------------------------------------------- ranges


def test_date_range_selects_documents_inclusively_and_counts_undated(retriever: Retriever) -> None:
    summary = summarise(retriever, since="2022-06-15", until="2023-08-20", sentences=10)
    assert {s.document.id for s in summary.sentences} == {"ferry.txt", "festival.txt"}
    assert summary.undated_left_out == 1
    assert summary.since == dt.date(2022, 6, 15) and summary.until == dt.date(2023, 8, 20)
    only_since = summarise(retriever, since="2023-01-01", sentences=10)
    assert {s.document.id for s in only_since.sentences} == {"festival.txt"}
    only_until = summarise(retriever, until=dt.date(2021, 12, 31), sentences=10)
    assert {s.document.id for s in only_until.sentences} == {"harbour.md"}
    assert summarise(retriever).undated_left_out == 0


def test_topic_summary_quotes_matching_passages_with_topic_words(retriever: Retriever) -> None:
    summary = summarise(retriever, topic="ferry tickets", sentences=3)
    assert summary.scope == "topic" and summary.topic == "ferry tickets"
    assert {s.document.id for s in summary.sentences} == {"ferry.txt"}
    assert all("ferry" in s.text.lower() or "ticket" in s.text.lower() for s in summary.sentences)


def test_topic_across_documents_with_a_date_range(retriever: Retriever) -> None:
    both = summarise(retriever, topic="harbour", sentences=6)
    assert {"harbour.md", "ferry.txt"} <= {s.document.id for s in both.sentences}
    later = summarise(retriever, topic="harbour", since="2022-01-01", sentences=6)
    assert {s.document.id for s in later.sentences} == {"ferry.txt"}
    assert later.undated_left_out == 1


def test_topic_within_one_document(retriever: Retriever) -> None:
    summary = summarise(retriever, document="harbour.md", topic="fishermen fish", sentences=1)
    assert [s.text for s in summary.sentences] == [
        "Local fishermen fear that building the quay will drive the fish away from the harbour."]


# ------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("count", [0, 50, 21, -1, True])
def test_sentence_count_out_of_range(retriever: Retriever, count: int) -> None:
    with pytest.raises(SummaryLengthError, match="between 1 and 20"):
        summarise(retriever, sentences=count)


@pytest.mark.parametrize("value, message", [
    ("2023-02-30", "not a real date"),
    ("2023-13-01", "not a real date"),
    ("yesterday", "YYYY-MM-DD"),
    ("2023/01/01", "YYYY-MM-DD"),
    ("20230101", "YYYY-MM-DD"),
])
def test_impossible_or_malformed_dates(retriever: Retriever, value: str, message: str) -> None:
    with pytest.raises(DateRangeError, match=message):
        summarise(retriever, since=value)
    with pytest.raises(DateRangeError, match="until"):
        summarise(retriever, until=value)


def test_since_after_until(retriever: Retriever) -> None:
    with pytest.raises(DateRangeError, match=r"since \(2023-01-01\) is after until \(2022-01-01\)"):
        summarise(retriever, since="2023-01-01", until="2022-01-01")


def test_range_that_matches_nothing_says_what_exists(retriever: Retriever) -> None:
    with pytest.raises(NothingToSummariseError) as caught:
        summarise(retriever, since="2030-01-01")
    message = str(caught.value)
    assert "No document is dated since 2030-01-01" in message
    assert "from 2021-03-01 to 2023-08-20" in message and "1 undated document was left out" in message


def test_document_outside_the_range(retriever: Retriever) -> None:
    with pytest.raises(NothingToSummariseError, match="dated 2021-03-01, outside since 2022-01-01"):
        summarise(retriever, document="harbour.md", since="2022-01-01")
    with pytest.raises(NothingToSummariseError, match="is undated"):
        summarise(retriever, document="notes/garden.txt", until="2022-01-01")


def test_topic_that_matches_nothing(retriever: Retriever) -> None:
    with pytest.raises(NothingToSummariseError, match="mentions 'volcano eruption'"):
        summarise(retriever, topic="volcano eruption")
    with pytest.raises(NothingToSummariseError, match="closest document"):
        summarise(retriever, topic="ferry volcano eruption lava")  # one weak word out of four
    with pytest.raises(NothingToSummariseError):
        summarise(retriever, topic="tomatoes", since="2020-01-01")  # only in the undated notes


@pytest.mark.parametrize("topic, message", [("", "empty"), ("   ", "empty"), ("the and of", "very common"),
                                            ("?!", "no words"), ("x" * 400, "under 300")])
def test_bad_topics(retriever: Retriever, topic: str, message: str) -> None:
    with pytest.raises(TopicError, match=message):
        summarise(retriever, topic=topic)


def test_unknown_document_suggests_closest_names(retriever: Retriever) -> None:
    with pytest.raises(UnknownDocumentError) as caught:
        summarise(retriever, document="harbor expansoin")
    assert caught.value.suggestions == ["harbour.md"]
    assert "Did you mean “Harbour expansion” (harbour.md)?" in str(caught.value)
    with pytest.raises(UnknownDocumentError) as nothing_close:
        summarise(retriever, document="zzzz")
    assert nothing_close.value.suggestions == [] and "No document is called 'zzzz'." in str(nothing_close.value)
    assert isinstance(nothing_close.value, SummaryError) and isinstance(nothing_close.value, ValueError)


def test_a_topic_missing_from_the_chosen_document_names_that_document(retriever: Retriever) -> None:
    with pytest.raises(NothingToSummariseError, match="Nothing in “Garden notes” .* mentions 'ferry'"):
        summarise(retriever, document="notes/garden.txt", topic="ferry")


# ------------------------------------------------------------------------------------------ JSON


def test_summary_json_shape(retriever: Retriever) -> None:
    data = summarise(retriever, document="ferry.txt", sentences=2).to_dict()
    assert set(data) == {"sentences"}
    for item in data["sentences"]:
        assert set(item) == {"text", "document", "title", "date", "page", "start", "end"}
        assert item["document"] == "ferry.txt" and item["date"] == "2022-06-15"
        assert item["title"] == "New ferry timetable"
        assert FERRY in retriever.documents[1].text and item["text"] in FERRY


# ------------------------------------------------------------------------------------------ method, speed


def test_similarity_matrix_is_bm25_scores_row_by_row() -> None:
    analyzer = make_retriever({"x.txt": "x"}).analyzer
    texts = [s for s in (HARBOUR + FERRY).replace("\n", " ").split(".") if analyzer(s)]
    term_lists = [analyzer(t) for t in texts]
    matrix = summary_module._similarity(term_lists)
    index = BM25Index(term_lists, k1=summary_module.SIMILARITY_K1, b=summary_module.SIMILARITY_B)
    for i, terms in enumerate(term_lists):
        expected = index.scores(terms)
        expected[i] = 0.0
        np.testing.assert_allclose(matrix[i], expected, rtol=1e-9, atol=1e-12)


def test_pagerank_favours_the_hub_and_sums_to_one() -> None:
    weights = np.array([[0, 1, 1, 1], [1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]], dtype=float)
    rank = summary_module._pagerank(weights)
    assert rank.sum() == pytest.approx(1.0) and rank.argmax() == 0
    personal = summary_module._pagerank(weights, personal=np.array([0, 0, 0, 1.0]))
    assert personal[3] > personal[1]


def test_large_material_is_capped_and_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = {f"day-{i:03d}.txt": f"date 2020-{i % 12 + 1:02d}-{i % 28 + 1:02d} " + varied_sentences(12, seed=i)
                 for i in range(250)}
    retriever = make_retriever(documents)
    assert sum(len(s.spans) for s in retriever.sentences) == 3000
    summarise(retriever)  # builds the per-retriever cache
    started = time.perf_counter()
    summary = summarise(retriever, sentences=10)
    assert time.perf_counter() - started < 5.0  # a guard against a hang; typically well under 0.5 s
    assert len(summary.sentences) == 10 and len({s.document.id for s in summary.sentences}) == 10
    monkeypatch.setattr(summary_module, "MAX_GRAPH_SENTENCES", 50)
    graph_sizes: list[int] = []
    real = summary_module._similarity
    monkeypatch.setattr(summary_module, "_similarity", lambda t: graph_sizes.append(len(t)) or real(t))
    capped = summarise(retriever, topic="harbour ferry storm tide", sentences=5)
    assert graph_sizes == [50] and len(capped.sentences) == 5
    long_one = make_retriever({"log.txt": "date 2020-01-01 " + varied_sentences(400, seed=7)})
    graph_sizes.clear()
    assert len(summarise(long_one, sentences=5).sentences) == 5
    assert graph_sizes == [50], "one long document fills the graph (not a per-document share of it)"


def test_concurrent_calls_on_a_fresh_retriever_match_single_threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Autocomplete (each keystroke) and /summary run in worker threads at once: the per-retriever caches
    (quotable sentences, names, the centroid matrix) must come out the same as when built by one thread."""
    documents = {f"day-{i:03d}.txt": f"date 2020-{i % 12 + 1:02d}-{i % 28 + 1:02d} " + varied_sentences(8, seed=i)
                 for i in range(120)}
    monkeypatch.setattr(summary_module, "MAX_GRAPH_SENTENCES", 60)  # preselect: uses the centroid matrix
    calls: list[Callable[[Retriever], object]] = [
        lambda r: summarise(r),
        lambda r: summarise(r, sentences=6, since="2020-03-01", until="2020-09-30"),
        lambda r: summarise(r, topic="harbour ferry timetable"),
        lambda r: summarise(r, document="day-007.txt", sentences=3),
        lambda r: document_choices(r, ""),
        lambda r: document_choices(r, "day-01"),
        lambda r: document_choices(r, "dya 007"),  # no document contains it: closest names
        lambda r: summarise(r, sentences=10),
    ]

    def comparable(result: object) -> object:
        if isinstance(result, Summary):
            return dataclasses.replace(result, seconds=0.0)
        assert isinstance(result, list)
        return [d.id for d in result]

    single = make_retriever(documents)
    expected = [comparable(call(single)) for call in calls]
    assert expected[6]  # the typo finds something, so the names cache is used
    for _ in range(3):
        fresh = make_retriever(documents)
        barrier = threading.Barrier(len(calls))

        def run(call: Callable[[Retriever], object], retriever: Retriever = fresh,
                barrier: threading.Barrier = barrier) -> object:
            barrier.wait()
            return comparable(call(retriever))

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            results = list(pool.map(run, calls))
        assert results == expected


# -------------------------------------------------------------------------------------- topic relevance

REPORT_NEWS = """date 2022-09-02 UN report on the northern province

The United Nations published a report on Wednesday about the detention camps in the northern province of China.
China rejected the report and said the UN office had ignored the progress made by every group in the province.
The report was labelled fabricated by officials in Beijing, who called it a smear campaign against China.
Diplomats from China told the council that the report relied on rumours spread by groups abroad.

China's mission in Geneva answered the report with a long letter that called the whole assessment lies.
The letter from China said the report distorted the laws of the country and smeared its people.
Human rights groups said the report confirmed what former detainees had described to them for many years.
Several governments asked China to act on the report and to let independent observers visit the camps.

The report asks China to release everyone held without charge in the province and to review its laws.
Officials in China said they would not accept any of the findings and would not cooperate with the office.
The high commissioner said the report was published after long delays and after a visit to China in May.
Critics of the office said the report came too late, while China said it should never have been written.

The foreign ministry of China repeated that the report was a political tool used by Western countries.
Newspapers in China did not mention the report, while foreign papers quoted it on their front pages.
The report recommends that businesses check whether their supply chains depend on forced labour in China.
Campaigners said the report must now lead to action, even though China has rejected every conclusion.
"""


def test_a_topic_is_about_a_document_that_holds_most_of_its_words() -> None:
    """A topic's everyday word missing from the text ("response") must not decline a summary of an article
    that is all about the rest of the topic (the question no-answer share would)."""
    retriever = make_retriever({"news.txt": REPORT_NEWS})
    summary = summarise(retriever, topic="China's response to the report", sentences=3)
    assert summary.scope == "topic" and len(summary.sentences) == 3
    assert all("China" in s.text and "report" in s.text for s in summary.sentences)


# ------------------------------------------------------------------------------------ digest quality

COMMUNITY = {
    "rules.md": "date 2024-01-10\n# Server rules\n\nThis page lists the rules of the server for the new year. "
                "The moderators updated the server rules for the new year. "
                "They apply in every channel and in every thread of the server. They will get two weeks of "
                "warning before a rule of the server changes. This replaces the old list of server rules.",
    "meetup.md": "date 2024-03-02\n# Spring meetup\n\nThe spring meetup of the community takes place in Lisbon "
                 "on 26 April. It starts at two in the afternoon at the Lisbon venue. Its venue in Lisbon has a "
                 "lift and a garden for the meetup. Tickets for the meetup are free for members.",
    "release.md": "date 2024-05-20 Release 2.1\n\nRelease 2.1 adds face grouping and faster search to the "
                  "server. It also fixes the importer of the release. These changes of the release need a "
                  "database migration. Upgrade the server with the usual command.",
    "call.md": "date 2024-06-05 Community call notes\n\nChair: Maren Okafor of the release team. The June community call chose a new release manager for "
               "the server. She starts with the release of version 2.2 of the server. Chair: Maren. Notes: Hana.",
    "security.md": "date 2024-07-01 Security release 2.1.1\n\nThis is a security release for every server. "
                   "Version 2.1.1 fixes a flaw in share links that "
                   "let strangers guess them. This flaw affects every server that runs a 2.x release. It should "
                   "be installed on every server as soon as possible. Links made before the fix must be made "
                   "again.",
    "tips.txt": "Self-hosting tips\n\nKeep a backup of the server database outside the server. It saves hours of "
                "work when a disk of the server fails.",
}
LEANING = ("they ", "it ", "its ", "this ", "these ", "she ", "he ", "chair:", "notes:")


def test_a_small_collections_digest_says_what_each_document_says() -> None:
    retriever = make_retriever(COMMUNITY)
    summary = summarise(retriever)
    quoted = {document.id for document, _ in summary.groups()}
    assert quoted == set(COMMUNITY), "every document of a small collection gets a sentence"
    assert "security.md" in quoted, "the newest document is never dropped"
    for sentence in summary.sentences:
        assert not sentence.text.lower().startswith(LEANING), f"leans on what came before: {sentence.text!r}"
    assert summary.digest_heading() == "Digest of 6 documents"
    assert all(s.document.date is not None for s in summary.sentences[:-1])  # dated, the undated tips last


def test_a_digest_heading_says_why_a_newer_document_is_missing() -> None:
    # The newest document is a list with no whole sentence: the heading must not say it was left out for age.
    documents = {
        "minutes.md": "date 2025-03-02\n\nThe club met in the library. The fee stays at 35 euros this year.\n",
        "tour.md": "date 2025-04-10\n\nThe summer tour starts at the station. Riders meet at eight.\n",
        "picnic.md": "date 2025-05-01\n\n# Picnic\n\n- Sunday\n- Park\n- Bring food\n",
    }
    summary = summarise(make_retriever(documents))
    assert {d.id for d, _ in summary.groups()} == {"minutes.md", "tour.md"}
    assert summary.digest_heading() == "Digest of 2 of 3 documents; 1 has no whole sentences to quote"
    shorter = summarise(make_retriever(documents), sentences=1)
    assert [d.id for d, _ in shorter.groups()] == ["tour.md"]
    assert shorter.digest_heading() == ("Digest of the newest of 3 documents"
                                        "; 1 newer one has no whole sentences to quote")


def test_a_digest_and_a_topic_summary_do_not_quote_the_title_shown_over_the_quote() -> None:
    # A plain text file's first sentence is its title; it is printed over the quote already.
    documents = {
        "april.txt": "date 2025-04-09\nMinutes of the April meeting of the cycling club.\n"
                     "The club will buy a second tandem bike for 850 euros.\n",
        "march.txt": "date 2025-03-12\nMinutes of the March meeting of the cycling club.\n"
                     "The membership fee stays at 35 euros.\n",
        "note.txt": "date 2025-02-01\nThe cycling club cafe opens at eight on ride days.\n",
    }
    retriever = make_retriever(documents)
    assert retriever.documents[0].title.startswith("Minutes of the")
    for summary in (summarise(retriever), summarise(retriever, topic="club meeting")):
        texts = [s.text for s in summary.sentences]
        assert not any(t.startswith("Minutes of the") for t in texts), texts
    digest = {d.id: [s.text for s in quoted] for d, quoted in summarise(retriever).groups()}
    assert digest["april.txt"] == ["The club will buy a second tandem bike for 850 euros."]
    assert digest["note.txt"] == ["The cycling club cafe opens at eight on ride days."]  # its title, and all


def test_a_shorter_digest_keeps_the_newest_documents_and_counts_what_it_quotes() -> None:
    retriever = make_retriever(COMMUNITY)
    summary = summarise(retriever, since="2024-05-01", sentences=2)
    assert [d.id for d, _ in summary.groups()] == ["call.md", "security.md"]
    assert summary.digest_heading() == "Digest of the 2 newest of 3 documents"
    whole = summarise(retriever, since="2024-05-01")
    assert whole.digest_heading() == "Digest of 3 documents" and whole.quoted_documents == 3


@pytest.mark.parametrize("sentence, alone", [
    ("They will get two weeks of warning.", False),
    ("This replaces the old list.", False),
    ("However, the call moved to Tuesday.", False),
    ("Since then we have released 2.0.1 and 2.0.2.", False),
    ("Reach them in #meetup-lisbon.", False),
    ("Chair: Maren.", False),
    ("The main changes are:", False),
    ("Is Larkspur free?", False),
    ("previously-announced offer to purchase 664,400 common shares.", False),
    ("v2.1 is a quieter release after the big 2.0.", True),
    ("“It was a long call,” said Maren.", False),
    ("The moderators updated the server rules.", True),
    ("Version 2.1.1 fixes a flaw in share links.", True),
    ("Italy hosts the next meetup.", True),
    ("Thessaloniki has a new venue: the old port.", True),
])
def test_stands_alone(sentence: str, alone: bool) -> None:
    assert summary_module.stands_alone(sentence) is alone


def test_quotes_leave_out_heading_lines_and_bold_lead_ins() -> None:
    text = ("date 2025-01-14 Community call\n\n## 1. Release management\n\nTobias steps back as release manager "
            "after the next patch release of the server.\n\n## 2. Features\n\n- **Sharing.** Share an album with "
            "other users of the server, or with anyone through a link.\n\n**Is the server free to run?**\n"
            "Donations pay for the server that runs the demo of the project.\n")
    retriever = make_retriever({"call.md": text})
    quoted = [s.text for s in summarise(retriever, sentences=10).sentences]
    assert quoted == ["Tobias steps back as release manager after the next patch release of the server.",
                      "Share an album with other users of the server, or with anyone through a link.",
                      "Donations pay for the server that runs the demo of the project."]


def test_a_digest_reads_only_the_documents_it_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    documents = {f"day-{i:03d}.txt": f"date 2020-{i % 12 + 1:02d}-{i % 28 + 1:02d} " + varied_sentences(4, seed=i)
                 for i in range(120)}
    retriever = make_retriever(documents)
    read: set[int] = set()
    real = summary_module._Cache.candidates
    monkeypatch.setattr(summary_module._Cache, "candidates",
                        lambda self, r, doc: read.add(doc) or real(self, r, doc))
    summary = summarise(retriever)
    assert summary.quoted_documents == summary_module.DIGEST_DOCUMENTS == len(read)
    newest = sorted((d.date, d.id) for d in retriever.documents)[-1]
    assert (summary.sentences[-1].document.date, summary.sentences[-1].document.id) == newest
