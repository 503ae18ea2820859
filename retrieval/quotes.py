"""A quote: a verbatim slice of a document, the shape shared by excerpts and summary sentences."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .documents import Document

__all__ = ["Quote"]


@dataclass(frozen=True)
class Quote:
    """A verbatim slice of a document.

    Attributes
    ----------
    document:
        The source document.
    start, end:
        Character offsets in ``document.text``; :attr:`text` is exactly ``document.text[start:end]``.
    """

    document: Document
    start: int
    end: int

    @property
    def page(self) -> int | None:
        """The PDF page (1-based) the quote starts on; ``None`` for documents without pages."""
        return self.document.page_of(self.start)

    @property
    def text(self) -> str:
        """The quoted text, exactly as written in the document."""
        return self.document.text[self.start : self.end]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``text, document, title, date (YYYY-MM-DD or None), page (int or None), start, end``."""
        return {
            "text": self.text,
            "document": self.document.id,
            "title": self.document.title,
            "date": self.document.date.isoformat() if self.document.date else None,
            "page": self.page,
            "start": self.start,
            "end": self.end,
        }
