"""The :class:`Document` every format loads into, and the one way a loader reports a problem.

A :class:`Document` keeps the text the product extracted from a file (for ``.txt``/``.md``, the file's whole
decoded text; for PDF, HTML and Word files, the text read out of them); every offset in the project
(passages, sentences, excerpts) indexes that text, so ``document.text[start:end]`` is always the exact
quoted string.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from dataclasses import dataclass

__all__ = ["Document", "warn"]

log = logging.getLogger("retrieval.documents")


def warn(warnings: list[str], message: str, *args: object) -> None:
    """Log ``message % args`` once as a warning and append it to ``warnings`` (shown by front ends)."""
    log.warning(message, *args)
    warnings.append(message % args)


@dataclass(frozen=True)
class Document:
    """One loaded document.

    Attributes
    ----------
    id:
        Path relative to the seeds folder with ``/`` separators, e.g. ``notes/faq.md``. Unique.
    text:
        The document's text as extracted (for text files: the decoded file, BOM removed). All offsets
        index this string.
    title:
        From the document's metadata (front matter, PDF or Word properties, HTML ``<title>``), else its
        first heading, else its first sentence cut to about 80 characters.
    date:
        The document's date, or ``None`` when it is undated.
    body_start:
        Offset in :attr:`text` where the quotable text begins (after a date header or front matter).
    encoding:
        The encoding a text file was decoded with (``utf-8`` unless a fallback was needed); the format
        (``pdf``, ``html``, ``docx``) for the other formats.
    pages:
        For a PDF: the offset in :attr:`text` where each page starts (``pages[0] == 0``; page *n* starts
        at ``pages[n - 1]``). Empty for other formats.
    code:
        ``(start, end)`` offsets of code blocks (Markdown fences, fence lines included): indexed nowhere and
        never quoted. Sorted, not overlapping.
    """

    id: str
    text: str
    title: str
    date: dt.date | None
    body_start: int = 0
    encoding: str = "utf-8"
    pages: tuple[int, ...] = ()
    code: tuple[tuple[int, int], ...] = ()

    @property
    def body(self) -> str:
        """The text from :attr:`body_start` on (code blocks included)."""
        return self.text[self.body_start :]

    @property
    def date_label(self) -> str:
        """The date as ``YYYY-MM-DD``, or ``"undated"``."""
        return self.date.isoformat() if self.date else "undated"

    def page_of(self, offset: int) -> int | None:
        """The page (1-based) that holds character ``offset`` of :attr:`text`; ``None`` when not a PDF."""
        if not self.pages:
            return None
        return max(1, bisect.bisect_right(self.pages, offset))

    def quotable_regions(self) -> list[tuple[int, int]]:
        """``(start, end)`` offsets of the text that may be indexed and quoted: the body less code blocks.

        Returns
        -------
        list[tuple[int, int]]
            In order, not overlapping, each non-empty; empty when the document has nothing but code.
        """
        regions: list[tuple[int, int]] = []
        cursor = self.body_start
        for start, end in self.code:
            if start > cursor:
                regions.append((cursor, start))
            cursor = max(cursor, end)
        if cursor < len(self.text):
            regions.append((cursor, len(self.text)))
        return [(s, e) for s, e in regions if self.text[s:e].strip()]
