"""PDF files, read with pypdfium2 (Google's PDFium), page by page.

pypdfium2 was measured against pypdf and pdfminer.six on generated manuals, two-column journal pages and
reports (``python -m benchmarks.pdf_extractors``; figures in ``benchmarks/README.md``): it is 3 to 10 times
faster than pypdf and 30 to 65 times faster than pdfminer.six, keeps columns in reading order, and joins
words hyphenated at line ends itself (PDFium marks such a hyphen with ``U+0002``, dropped here).

The document's text is the pages' text, lines joined with ``\\n`` and pages with a blank line;
:attr:`~retrieval.document.Document.pages` records where each page starts, so every excerpt names its page.
Running headers and footers (a line among the first or last three of a page, digits aside, found there on
more than half of the pages, with at least three pages) are left out of the text where they stand at a
page's edge, so they are never quoted; the same words inside a page stay.
A PDF with no text layer (a scan) and an encrypted one are skipped with a warning.
"""

from __future__ import annotations

import re
from collections import Counter

from ..document import Document, warn
from .text import finish

__all__ = ["read_pdf", "running_lines", "EDGE_LINES"]

#: Lines at the top and at the bottom of a page where running headers and footers are looked for.
EDGE_LINES = 3
_DIGITS = re.compile(r"\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HYPHEN_JOIN = "\x02"
_JUNK_TITLE = re.compile(r"^(?:untitled|microsoft word - |.*\.(?:docx?|pdf|txt|odt|rtf|indd|tex)$)", re.IGNORECASE)


def _key(line: str) -> str:
    return _DIGITS.sub("#", " ".join(line.split())).casefold()


def running_lines(pages: list[list[str]]) -> set[str]:
    """The running headers and footers of a document, as keys (white space collapsed, digits as ``#``).

    Parameters
    ----------
    pages:
        Each page's lines, in order.

    Returns
    -------
    set[str]
        Keys of lines found among the first or last :data:`EDGE_LINES` non-blank lines of more than half of
        the pages; empty for documents under three pages.
    """
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_key(lines[i]) for i in _edges(lines)})
    return {key for key, n in counts.items() if n > len(pages) / 2}


def _edges(lines: list[str]) -> set[int]:
    """Indexes of the first and last :data:`EDGE_LINES` non-blank lines of a page."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return set(filled[:EDGE_LINES] + filled[-EDGE_LINES:])


def _page_lines(text: str) -> list[tuple[str, bool]]:
    """A page's lines, each with whether PDFium joined it to the next at a line-end hyphen."""
    out: list[tuple[str, bool]] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        pieces = line.split(_HYPHEN_JOIN)
        for i, piece in enumerate(pieces):
            out.append((_CONTROL.sub("", piece), i < len(pieces) - 1))
    return out


def read_pdf(raw: bytes, doc_id: str, warnings: list[str]) -> Document | None:
    """Read a PDF's text layer into a :class:`Document` with page offsets.

    Parameters
    ----------
    raw:
        The file's bytes.
    doc_id:
        Its id, for warnings and the document.
    warnings:
        Receives one line when the file is skipped (encrypted, damaged, no text layer).

    Returns
    -------
    Document or None
        ``title`` from the PDF's Title property unless empty or a file name, else the first sentence;
        ``date`` from a ``YYYY-MM-DD`` in the file name only (a PDF's creation date is when the file was
        made, like a file time).
    """
    import pypdfium2 as pdfium  # imported on first use: only folders with PDFs pay for it

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            warn(warnings, "Skipped %s: it is encrypted (password-protected); save a copy without a password to "
                 "use it.", doc_id)
        else:
            warn(warnings, "Skipped %s: it is not a PDF that can be read (%s).", doc_id, str(error).rstrip("."))
        return None
    try:
        pages: list[list[tuple[str, bool]]] = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            try:
                pages.append(_page_lines(textpage.get_text_bounded()))
            finally:
                textpage.close()
                page.close()
        title = str(pdf.get_metadata_dict().get("Title") or "").strip()
    finally:
        pdf.close()
    if not any(line.strip() for lines in pages for line, _ in lines):
        warn(warnings, "Skipped %s: it has no text layer (a scanned PDF?), so there is no text to quote.", doc_id)
        return None
    running = running_lines([[line for line, _ in lines] for lines in pages])
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for lines in pages:
        if parts:
            parts.append("\n\n")
            offset += 2
        starts.append(offset)
        edges = _edges([line for line, _ in lines])  # a running line is only ever dropped at a page's edge
        kept = [(line, joined) for i, (line, joined) in enumerate(lines) if i not in edges or _key(line) not in running]
        for i, (line, joined) in enumerate(kept):
            last = i == len(kept) - 1
            piece = line + ("" if joined and not last else "-" if joined else "" if last else "\n")
            parts.append(piece)
            offset += len(piece)
    text = "".join(parts)
    if _JUNK_TITLE.match(title):
        title = ""
    return finish(doc_id, text, 0, warnings, title=title or None, encoding="pdf", pages=tuple(starts),
                  markdown=False)
