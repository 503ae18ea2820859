"""Unrelated pages for small test folders: with only the pages a test is about, every word is in most
documents and idf means nothing, which no real folder is like."""

from __future__ import annotations

from retrieval import Document


def filler_notes(count: int = 4) -> list[Document]:
    """``count`` short undated pages about something else ("The pump ran 2 hours.")."""
    return [Document(id=f"note-{n}.md", title=f"Note {n}", date=None, text=f"# Note {n}\n\nThe pump ran {n} hours.")
            for n in range(count)]
