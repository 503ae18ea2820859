"""Unrelated pages for small test folders (with only the pages a test is about, every word is in most
documents and idf means nothing, which no real folder is like), and the first quote of an answer."""

from __future__ import annotations

import datetime as dt

from retrieval import Document, Retriever


def filler_notes(count: int = 4) -> list[Document]:
    """``count`` short undated pages about something else ("The pump ran 2 hours.")."""
    return [Document(id=f"note-{n}.md", title=f"Note {n}", date=None, text=f"# Note {n}\n\nThe pump ran {n} hours.")
            for n in range(count)]


def first_quote(retriever: Retriever, question: str, as_of: dt.date) -> str:
    """The first excerpt's text for ``question`` asked on ``as_of``, white space collapsed; fails when the
    question is declined."""
    answer = retriever.ask(question, as_of=as_of)
    assert answer.answered, f"declined: {question!r}"
    return " ".join(answer.excerpts[0].text.split())
