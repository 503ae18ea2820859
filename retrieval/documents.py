"""Loading documents from the seeds folder.

A :class:`Document` keeps the file's full decoded text; every offset in the project (passages, sentences,
excerpts) indexes that text, so ``document.text[start:end]`` is always the exact quoted string. The part that
may be quoted starts at :attr:`Document.body_start`: a leading ``date YYYY-MM-DD`` header or a YAML front
matter block is metadata, not text.

Date sources, first match wins:

1. a leading ``date YYYY-MM-DD`` header: optional leading white space, the word ``date`` in any case, an
   optional colon, an ISO date, then the text on the same line or on the next;
2. YAML front matter ``date:`` (a date or a date-time) in a Markdown file, parsed by python-frontmatter;
3. an ISO date in the file name (``2022-09-02-report.md``).

Otherwise the document is undated (``date is None``). File times are never used.

Bad files never stop loading: each problem is logged once as a warning naming the file, and is also kept
in :attr:`LoadResult.warnings` so front ends can show it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml

from .errors import NoDocumentsError, SeedsFolderNotFound

__all__ = [
    "DOCUMENT_SUFFIXES",
    "Document",
    "LoadResult",
    "document_files",
    "load_documents",
    "parse_document",
    "read_document",
]

log = logging.getLogger(__name__)

#: File name endings that are loaded as documents (case-insensitive).
DOCUMENT_SUFFIXES: frozenset[str] = frozenset({".txt", ".md", ".markdown"})

_DATE_HEADER = re.compile(r"\A\s*date\s*:?[ \t]*(\d{4}-\d{2}-\d{2})\b[ \t]*(?:\r?\n)?", re.IGNORECASE)
_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_TITLE_CHARS = 80


@dataclass(frozen=True)
class Document:
    """One loaded document.

    Attributes
    ----------
    id:
        Path relative to the seeds folder with ``/`` separators, e.g. ``notes/faq.md``. Unique.
    text:
        The file's full decoded text (BOM removed). All offsets index this string.
    title:
        Front-matter ``title``, else the first Markdown heading, else the first sentence cut to about
        80 characters.
    date:
        The document's date, or ``None`` when it is undated.
    body_start:
        Offset in :attr:`text` where the quotable text begins (after a date header or front matter).
    encoding:
        The encoding the file was decoded with (``utf-8`` unless a fallback was needed).
    """

    id: str
    text: str
    title: str
    date: dt.date | None
    body_start: int = 0
    encoding: str = "utf-8"

    @property
    def body(self) -> str:
        """The quotable text: :attr:`text` from :attr:`body_start` on."""
        return self.text[self.body_start :]

    @property
    def date_label(self) -> str:
        """The date as ``YYYY-MM-DD``, or ``"undated"``."""
        return self.date.isoformat() if self.date else "undated"


@dataclass
class LoadResult:
    """What :func:`load_documents` found.

    Attributes
    ----------
    documents:
        Loaded documents, sorted by :attr:`Document.id`.
    warnings:
        One human-readable line per skipped or partly understood file (each also logged).
    """

    documents: list[Document]
    warnings: list[str] = field(default_factory=list)


def _warn(warnings: list[str], message: str, *args: object) -> None:
    log.warning(message, *args)
    warnings.append(message % args)


def _decode(raw: bytes, name: str, warnings: list[str]) -> tuple[str, str] | None:
    """Decode file bytes: UTF-8 (BOM dropped), else Windows-1252, else Latin-1; None for a binary file.

    Windows-1252 is by far the most common legacy encoding of English text (it is what "ANSI" means in
    Windows editors), and it matches Latin-1 on every printable character; Latin-1 decodes any byte.
    Statistical detectors (charset-normalizer, chardet) were tried and guess wrong on short notes.
    """
    if b"\x00" in raw[:8192]:
        # UTF-16 files start with a BOM and are text; other NUL bytes mean a binary file.
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
            try:
                return raw.decode("utf-16"), "utf-16"
            except UnicodeDecodeError:
                pass
        _warn(warnings, "Skipped %s: it looks like a binary file, not text.", name)
        return None
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        encoding, text = "cp1252", raw.decode("cp1252")
    except UnicodeDecodeError:
        encoding, text = "latin-1", raw.decode("latin-1")
    _warn(warnings, "%s is not valid UTF-8; decoded it as %s. Save it as UTF-8 to be sure.", name, encoding)
    return text, encoding


def _parse_iso(value: str, name: str, where: str, warnings: list[str]) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _warn(warnings, "%s: the %s %r is not a real date; the document is treated as undated.", name, where, value)
        return None


def _first_sentence(text: str) -> str:
    from .sentences import split_sentences  # local import: sentences imports nothing from here

    # A title is at most ~80 characters: splitting the first few hundred is enough (and halves load time).
    for start, end in split_sentences(text, 0, min(len(text), 4 * _TITLE_CHARS)):
        sentence = " ".join(text[start:end].split())
        if any(ch.isalnum() for ch in sentence):  # not a horizontal rule or a line of symbols
            return sentence
    return ""


def _shorten(title: str, limit: int = _TITLE_CHARS) -> str:
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit + 1].rsplit(" ", 1)[0].rstrip(",;:-–— ")
    return (cut or title[:limit]) + "…"


class _StringYAMLHandler(frontmatter.YAMLHandler):  # type: ignore[misc]
    """YAML front matter with every scalar kept as a string (``yaml.BaseLoader``).

    PyYAML's default loader turns ``date: 2023-13-45`` into an exception that would discard the whole
    block, title included; as strings, the date is checked on its own (with a warning naming the file) and
    the title survives.
    """

    def load(self, fm: str, **kwargs: object) -> object:
        return yaml.load(fm, Loader=yaml.BaseLoader)


def _front_matter(text: str, body_start: int, name: str, warnings: list[str]) -> tuple[dict[str, object], int]:
    """Parse YAML front matter at ``body_start``; returns (metadata, new body_start).

    The block runs from a first line of ``---`` to the next ``---`` line (python-frontmatter's own boundary
    pattern), and counts only when its YAML is a mapping: a Markdown file that merely starts with a
    horizontal rule keeps all its text. The body starts right after the closing line, so the offset is
    exact even when the body repeats words of the block.
    """
    handler = _StringYAMLHandler()
    boundaries = list(handler.FM_BOUNDARY.finditer(text, body_start))[:2]
    if len(boundaries) < 2 or boundaries[0].start() != body_start:
        return {}, body_start
    opening, closing = boundaries
    try:
        metadata = handler.load(text[opening.end() : closing.start()])
    except yaml.YAMLError as error:
        _warn(warnings, "%s: its front matter is not valid YAML (%s); it is quoted as plain text.", name,
              str(error).splitlines()[0])
        return {}, body_start
    if not isinstance(metadata, dict):
        return {}, body_start
    return metadata, closing.end()


def _metadata_date(value: object, name: str, warnings: list[str]) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip().strip("'\"")
        try:
            return dt.datetime.fromisoformat(text).date()  # a date-time ("2023-01-05T10:30:00Z" too)
        except ValueError:
            return _parse_iso(text[:10], name, "front-matter date", warnings)
    if value is not None:
        _warn(warnings, "%s: front-matter date %r is not a date; ignored.", name, value)
    return None


def parse_document(doc_id: str, text: str, warnings: list[str] | None = None, encoding: str = "utf-8") -> Document:
    """Build a :class:`Document` from decoded text: find its date, title and quotable body.

    Parameters
    ----------
    doc_id:
        The document's id (path relative to the seeds folder, ``/`` separators).
    text:
        Decoded text, BOM already removed.
    warnings:
        List that receives a line per problem found (an impossible date, bad front matter). Also logged.
    encoding:
        Recorded on the document.

    Returns
    -------
    Document
    """
    warnings = [] if warnings is None else warnings
    date: dt.date | None = None
    body_start = 0
    header = _DATE_HEADER.match(text)
    if header:
        body_start = header.end()
        date = _parse_iso(header.group(1), doc_id, "date header", warnings)
    metadata: dict[str, object] = {}
    if doc_id.lower().endswith((".md", ".markdown")):
        metadata, body_start = _front_matter(text, body_start, doc_id, warnings)
        if date is None and "date" in metadata:
            date = _metadata_date(metadata["date"], doc_id, warnings)
    if date is None and not header:
        match = _NAME_DATE.search(doc_id.rsplit("/", 1)[-1])
        if match:
            date = _parse_iso(match.group(1), doc_id, "date in the file name", warnings)
    # Skip white space so passages and titles start at the first real character.
    while body_start < len(text) and text[body_start].isspace():
        body_start += 1
    body = text[body_start:]
    title_value = metadata.get("title")
    if isinstance(title_value, (str, int, float)) and str(title_value).strip():
        title = _shorten(str(title_value))
    else:
        heading = _HEADING.search(body)
        title = _shorten(heading.group(1)) if heading else _shorten(_first_sentence(body))
    return Document(id=doc_id, text=text, title=title or doc_id, date=date, body_start=body_start,
                    encoding=encoding)


def load_documents(folder: str | Path) -> LoadResult:
    """Load every ``.txt`` and ``.md`` file under ``folder``, recursively, sorted by relative path.

    Parameters
    ----------
    folder:
        The seeds folder.

    Returns
    -------
    LoadResult
        The documents, and a warning line for each file skipped or decoded with a fallback.

    Raises
    ------
    SeedsFolderNotFound
        ``folder`` does not exist or is not a folder.
    NoDocumentsError
        No file in it could be loaded (none with a supported ending, or all empty or binary).
    """
    root = Path(folder)
    if not root.is_dir():
        raise SeedsFolderNotFound(f"The documents folder {str(root)!r} does not exist or is not a folder.")
    warnings: list[str] = []
    documents: list[Document] = []
    paths = document_files(root)
    for path, doc_id in paths:
        document = read_document(path, doc_id, warnings)
        if document is not None:
            documents.append(document)
    if not documents:
        found = f" ({len(paths)} file(s) could not be used)" if paths else ""
        raise NoDocumentsError(
            f"No documents to answer from in {str(root)!r}{found}: add .txt or .md files with some text."
        )
    return LoadResult(documents=documents, warnings=warnings)


def document_files(root: Path) -> list[tuple[Path, str]]:
    """The files under ``root`` that load as documents, as ``(path, document id)``, sorted by id.

    Hidden files and folders (a name starting with ``.``) are skipped; so are files whose ending is not in
    :data:`DOCUMENT_SUFFIXES`.
    """
    found: list[tuple[str, str]] = []  # os.walk, pruning hidden folders: 5x faster than rglob + relative_to
    for folder, folders, names in os.walk(root):
        folders[:] = [f for f in folders if not f.startswith(".")]
        relative = os.path.relpath(folder, root)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        for name in names:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in DOCUMENT_SUFFIXES:
                found.append((prefix + name, os.path.join(folder, name)))
    found.sort()
    return [(Path(path), doc_id) for doc_id, path in found if os.path.isfile(path)]


def read_document(path: Path, doc_id: str, warnings: list[str]) -> Document | None:
    """Read and parse one file; ``None`` (with a line in ``warnings``, also logged) when it cannot be used.

    Parameters
    ----------
    path:
        The file.
    doc_id:
        Its id: the path relative to the seeds folder, ``/`` separators.
    warnings:
        Receives one line per problem (unreadable, binary, empty, a bad date or front matter).
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        _warn(warnings, "Skipped %s: it could not be read (%s).", doc_id, error.strerror or error)
        return None
    decoded = _decode(raw, doc_id, warnings)
    if decoded is None:
        return None
    text, encoding = decoded
    text = text.lstrip("\ufeff")
    document = parse_document(doc_id, text, warnings, encoding)
    if not document.body.strip():
        _warn(warnings, "Skipped %s: it has no text to quote.", doc_id)
        return None
    return document


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)
