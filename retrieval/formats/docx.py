"""Word files (``.docx``), read with python-docx: paragraphs, headings and tables in document order.

Headings (the ``Title`` and ``Heading 1`` to ``Heading 6`` styles) are written as Markdown headings
(``# Scope``), so that, as in Markdown files, they are titles and never quoted alone; paragraphs are
separated by blank lines; a table row is its cells joined by ``" | "``. A first paragraph that is a date
line (``Date: 2 September 2022``) dates the document as in a text file.

Title: the core properties' title, else the first heading, else the first sentence. Date: the date line,
else a ``YYYY-MM-DD`` in the file name, else the core properties' ``created`` date unless it is the one
python-docx's own template carries (2013-12-23), which documents made with python-docx keep.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import replace

from ..dates import read_date_header
from ..document import Document, warn
from .text import date_warning, finish

__all__ = ["read_docx", "TEMPLATE_CREATED"]

#: The ``created`` date of python-docx's default template: not the date of a document made from it.
TEMPLATE_CREATED = dt.date(2013, 12, 23)
_HEADING_STYLE = re.compile(r"heading ([1-6])$", re.IGNORECASE)


def _blocks(document: object) -> list[str]:
    from docx.table import Table

    blocks: list[str] = []
    for item in document.iter_inner_content():  # type: ignore[attr-defined]
        if isinstance(item, Table):
            rows = []
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    words = " ".join(cell.text.split())
                    if words and (not cells or cells[-1] != words):  # merged cells repeat their text
                        cells.append(words)
                if cells:
                    rows.append(" | ".join(cells))
            if rows:
                blocks.append("\n".join(rows))
            continue
        words = " ".join(item.text.split())
        if not words:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        heading = _HEADING_STYLE.match(style)
        if style.lower() == "title":
            blocks.append("# " + words)
        elif heading:
            blocks.append("#" * int(heading.group(1)) + " " + words)
        else:
            blocks.append(words)
    return blocks


def read_docx(raw: bytes, doc_id: str, warnings: list[str]) -> Document | None:
    """Read a Word file into a :class:`Document`.

    Parameters
    ----------
    raw:
        The file's bytes.
    doc_id:
        Its id, for warnings and the document.
    warnings:
        Receives one line when the file is skipped (not a .docx, damaged or password-protected).
    """
    import docx  # imported on first use: only folders with Word files pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
        hint = " (password-protected, or an old .doc file?)" if raw.startswith(b"\xd0\xcf\x11\xe0") else ""
        warn(warnings, "Skipped %s: it is not a Word .docx file that can be read%s (%s).", doc_id, hint,
             type(error).__name__)
        return None
    text = "\n\n".join(_blocks(document))
    properties = document.core_properties
    title = (properties.title or "").strip() or None
    date: dt.date | None = None
    body_start = 0
    header = read_date_header(text)
    if header is not None:
        body_start, date = header.end, header.reading.date
        date_warning(header.reading, doc_id, "date line", header.value, warnings)
    finished = finish(doc_id, text, body_start, warnings, title=title, date=date, encoding="docx",
                      name_date=header is None)
    created = properties.created
    if finished.date is None and header is None and created is not None and created.date() != TEMPLATE_CREATED:
        finished = replace(finished, date=created.date())
    return finished
