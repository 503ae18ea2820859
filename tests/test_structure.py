"""The sentence structure excerpt choice reads (lists and bit masks) says what the sentences' term sets say."""

from __future__ import annotations

import random

from retrieval import Analyzer, Document, Retriever
from retrieval.corpus import DocumentSentences
from retrieval.excerpts import Concept, Coverage
from retrieval.sentences import split_sentences
from retrieval.structure import BLOCK, NOT_PROSE_START, SentenceStructure

LINES = ["# Moon base", "## Where", "Release rhythm", "2. Release rhythm", "Server notice.", "- a list item",
         "The base sits in a crater. It has domes.", "| a | b |", "Uploads fail with \"413 Too Large\"",
         "Text #not a heading. # Inline heading", "", "What now?**", "Back up two things separately:",
         "1. Release manager. Tobias is stepping back.", "![a dome](dome.png)", "---", "Is the dome open?",
         "The crater rim is steep and the long road to the base is closed in winter because of the snow.",
         "Venue: Casa do Porto", "REUTER",
         # An agenda label longer than a title line: a heading only as an agenda item's inline label.
         "3. Internationalisation-and-localisation-of-the-whole-user-interface-and-its-documentation. Maria leads."]


def _documents(count: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    documents = []
    for k in range(count):
        size = rng.randrange(1, 12) if k % 10 else rng.randrange(BLOCK, 3 * BLOCK)  # some span several blocks
        text = rng.choice(["", "\n", "Server maintenance notice.\n\n"]) + "\n".join(
            rng.choice(LINES) for _ in range(size))
        if split_sentences(text):
            documents.append(Document(f"doc-{k:03d}.md", text, f"Doc {k}", None))
    return documents


def _expected(text: str, sentences: DocumentSentences) -> list[tuple[bool, bool, bool, bool, bool]]:
    """Per sentence, from the term sets: quotable, prose, filler, introduces, has section terms."""
    found = []
    for i, (s, e) in enumerate(sentences.spans):
        piece = text[s:e].rstrip(" *_\"')]")
        quotable = bool(sentences.terms[i])
        found.append((quotable, quotable and not text.startswith(NOT_PROSE_START, s),
                      not quotable and bool(piece) and piece[-1] in ".?!" and not piece.lstrip().startswith("#"),
                      piece.endswith((":", "?")), bool(sentences.sections[i])))
    return found


def _coverage(rng: random.Random, retriever: Retriever, text: str) -> Coverage:
    words = sorted(set(retriever.analyzer(text))) + ["absentword"]
    chosen = rng.sample(words, min(len(words), rng.randrange(1, 6)))
    return Coverage([Concept(t, 1.0 + n, ((t, 1.0), (chosen[0], 0.5))) for n, t in enumerate(chosen)])


def _check(retriever: Retriever, seed: int) -> int:
    rng = random.Random(seed)
    checked = 0
    for d, document in enumerate(retriever.documents):
        sentences = retriever.sentences[d]
        n = len(sentences.spans)
        structure = sentences.structure(document.text)
        weights = _coverage(rng, retriever, document.text)
        # Ranges in random order: a later block is filled before the ones above it.
        ranges = [(a, min(n - 1, a + rng.randrange(0, 8))) for a in rng.sample(range(n), min(n, 6))]
        for first, last in ranges:
            own, sections = structure.masks(weights, first, last)
            assert own == [weights.mask(sentences.terms[i]) for i in range(first, last + 1)], document.text
            assert sections == [weights.mask(sentences.sections[i]) for i in range(first, last + 1)], document.text
        structure.ensure(0, n - 1)
        assert [(structure.quotable[i], structure.prose[i], structure.filler[i], structure.introduces[i],
                 structure.has_section(i)) for i in range(n)] == _expected(document.text, sentences), document.text
        assert structure.first_quotable() == next((i for i in range(n) if sentences.terms[i]), 0)
        checked += n
    return checked


def test_the_structure_of_stored_sentences_is_what_their_term_sets_say() -> None:
    retriever = Retriever.from_documents(_documents(150, 1))
    assert _check(retriever, 2) > 1000
    segment = retriever.sentences._snapshot.segments[0]  # type: ignore[attr-defined]
    for d in range(segment.n_docs):  # the spans and sentence terms read together are those read apart
        spans, off, tids = segment.sentences(d)
        expected_off, expected_tids = segment.sentence_terms(d)
        assert (spans, off, tids.tolist()) == (segment.spans(d), expected_off, expected_tids.tolist())


def test_the_structure_of_analyzed_and_of_plain_sentences_is_what_their_term_sets_say() -> None:
    documents = _documents(60, 3)
    retriever = Retriever.from_documents(documents)
    analyzer = Analyzer()
    # Analyzed on demand (no stored terms), and plain sets (headings already empty, sections given).
    lazy = [DocumentSentences.lazy(d.text, retriever.sentences[k].spans, analyzer) for k, d in enumerate(documents)]
    plain = [DocumentSentences(s.spans, list(s.terms), s.chars, list(s.sections)) for s in lazy]
    for sentences in (lazy, plain):
        retriever.sentences = sentences
        assert _check(retriever, 4) > 300


def test_a_heading_above_the_block_titles_the_prose_of_a_later_block() -> None:
    text = "# Moon base\n\n" + " ".join(f"Dome {k} is open." for k in range(2 * BLOCK)) + "\n"
    retriever = Retriever.from_documents([Document("moon.md", text, "Moon", None)])
    sentences = retriever.sentences[0]
    structure = sentences.structure(text)
    weights = Coverage([Concept("moon", 1.0, (("moon", 1.0),))])
    last = len(sentences.spans) - 1
    own, sections = structure.masks(weights, last - 2, last)  # the last block first
    assert own == [0, 0, 0] and sections == [1, 1, 1]
    assert isinstance(structure, SentenceStructure) and structure.section[last] == 0
