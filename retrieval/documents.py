"""Loading documents from the seeds folder: which files, in which order, read by which format.

:func:`document_files` lists the files under the seeds folder that the bot reads (by their ending, see
:data:`DOCUMENT_SUFFIXES`); :func:`read_document` reads one into a :class:`~retrieval.document.Document`,
dispatching on the ending to :mod:`retrieval.formats` (text and Markdown, PDF, HTML, Word). Both are the
per-file entry points of an incremental index; :func:`load_documents` reads a whole folder.

Bad files never stop loading: each problem is logged once as a warning naming the file, and is also kept
in :attr:`LoadResult.warnings` so front ends can show it. Unreadable folders, broken links and links that
loop are warned about too; a linked folder is followed once. Files of other types are skipped with one
debug line for the whole folder.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .document import Document, warn
from .errors import NoDocumentsError, SeedsFolderNotFound

__all__ = [
    "DOCUMENT_SUFFIXES",
    "Document",
    "LoadResult",
    "document_files",
    "load_documents",
    "no_documents_message",
    "parse_document",
    "read_document",
    "scan_files",
]

log = logging.getLogger(__name__)

#: Reads a file's bytes into a document (``None`` with a warning when it cannot be used).
Reader = Callable[[bytes, str, list[str]], "Document | None"]

# The readers import their format's module (and its libraries: YAML, charset detection, PDF, HTML, Word) on
# first use: a start from a saved index whose files did not change reads none of them.


def _read_text(raw: bytes, doc_id: str, warnings: list[str]) -> Document | None:
    from .formats.encoding import decode
    from .formats.text import parse_text

    decoded = decode(raw, doc_id, warnings)
    if decoded is None:
        return None
    text, encoding = decoded
    return parse_text(doc_id, text.lstrip("\ufeff"), warnings, encoding)


def _read_pdf(raw: bytes, doc_id: str, warnings: list[str]) -> Document | None:
    from .formats.pdf import read_pdf

    return read_pdf(raw, doc_id, warnings)


def _read_html(raw: bytes, doc_id: str, warnings: list[str]) -> Document | None:
    from .formats.html import read_html

    return read_html(raw, doc_id, warnings)


def _read_docx(raw: bytes, doc_id: str, warnings: list[str]) -> Document | None:
    from .formats.docx import read_docx

    return read_docx(raw, doc_id, warnings)


#: File name endings (lower case) and the reader of each.
READERS: dict[str, Reader] = {
    ".txt": _read_text, ".md": _read_text, ".markdown": _read_text,
    ".pdf": _read_pdf,
    ".html": _read_html, ".htm": _read_html,
    ".docx": _read_docx,
}
#: File name endings that are loaded as documents (case-insensitive).
DOCUMENT_SUFFIXES: frozenset[str] = frozenset(READERS)


def parse_document(doc_id: str, text: str, warnings: list[str] | None = None, encoding: str = "utf-8") -> Document:
    """Text and Markdown parsing, kept for callers of the earlier name: see
    :func:`retrieval.formats.text.parse_text` (same arguments, same result)."""
    from .formats.text import parse_text

    return parse_text(doc_id, text, warnings, encoding)


@dataclass
class LoadResult:
    """What :func:`load_documents` found.

    Attributes
    ----------
    documents:
        Loaded documents, sorted by :attr:`Document.id`.
    warnings:
        One human-readable line per skipped or partly understood file or folder (each also logged).
    """

    documents: list[Document]
    warnings: list[str] = field(default_factory=list)


def load_documents(folder: str | Path) -> LoadResult:
    """Load every document under ``folder``, recursively, sorted by relative path.

    Parameters
    ----------
    folder:
        The seeds folder.

    Returns
    -------
    LoadResult
        The documents, and a warning line for each file or folder skipped or read with a fallback.

    Raises
    ------
    SeedsFolderNotFound
        ``folder`` does not exist or is not a folder.
    NoDocumentsError
        No file in it could be loaded (none with a supported ending, or all empty, binary or unreadable).
    """
    root = Path(folder)
    if not root.is_dir():
        raise SeedsFolderNotFound(f"The documents folder {str(root)!r} does not exist or is not a folder.")
    warnings: list[str] = []
    documents: list[Document] = []
    paths = document_files(root, warnings)
    for path, doc_id in paths:
        document = read_document(path, doc_id, warnings)
        if document is not None:
            documents.append(document)
    if not documents:
        raise NoDocumentsError(no_documents_message(root, len(paths), warnings))
    return LoadResult(documents=documents, warnings=warnings)


#: Files named, with why they could not be used, when a folder has no usable document.
NAMED_UNUSABLE = 5


def no_documents_message(folder: Path, files: int, reasons: Sequence[str]) -> str:
    """The message for a folder with no usable document: how many files it has, the formats it reads, and
    the first :data:`NAMED_UNUSABLE` of ``reasons`` (each file's warning, which names it)."""
    found = f" ({files} file(s) could not be used)" if files else ""
    message = (f"No documents to answer from in {str(folder)!r}{found}: add .txt, .md, .pdf, .html or .docx "
               "files with some text.")
    if reasons:
        shown = "\n".join(f"  - {reason}" for reason in reasons[:NAMED_UNUSABLE])
        more = f"\n  … and {len(reasons) - NAMED_UNUSABLE} more" if len(reasons) > NAMED_UNUSABLE else ""
        message += f"\n{shown}{more}"
    return message


def document_files(root: Path, warnings: list[str] | None = None) -> list[tuple[Path, str]]:
    """The files under ``root`` that load as documents, as ``(path, document id)``, sorted by id.

    Hidden files and folders (a name starting with ``.``) are skipped; files whose ending is not in
    :data:`DOCUMENT_SUFFIXES` are skipped with one debug line for them all. A folder that cannot be read
    and a link to nothing get a warning each; a linked folder is followed, once: a link to a folder already
    read (a loop, or a second way to the same folder) is skipped with a warning.

    Parameters
    ----------
    root:
        The seeds folder.
    warnings:
        Receives one line per folder or link skipped (also logged).
    """
    return [(Path(path), doc_id) for path, doc_id, _, _ in _walk(root, warnings, stat=False)]


def scan_files(root: Path, warnings: list[str] | None = None) -> list[tuple[str, str, int, int]]:
    """:func:`document_files` with each file's version, as ``(path, document id, size, mtime)``: the size
    in bytes and the modification time in ns since the epoch (``-1, -1`` when the file cannot be stat-ed),
    sorted by id. Paths are strings (``os.scandir``'s), so a scan of tens of thousands of unchanged files
    builds no :class:`~pathlib.Path`; one stat call per file (a link's target)."""
    return _walk(root, warnings, stat=True)


def _walk(root: Path, warnings: list[str] | None, stat: bool) -> list[tuple[str, str, int, int]]:
    warnings = [] if warnings is None else warnings
    found: list[tuple[str, str, int, int]] = []
    other: Counter[str] = Counter()
    visited = {os.path.realpath(root)}

    def add(entry: os.DirEntry[str], doc_id: str) -> None:
        name = entry.name
        dot = name.rfind(".")  # Path.suffix, without building a Path
        suffix = name[dot:].lower() if 0 < dot < len(name) - 1 else ""
        if suffix not in READERS:
            other[suffix or "(no ending)"] += 1
            return
        size = mtime = -1
        if stat:
            try:
                st = entry.stat()  # a link's target
            except OSError:
                pass
            else:
                size, mtime = st.st_size, st.st_mtime_ns
        found.append((entry.path, doc_id, size, mtime))

    def walk(folder: str, rel: str) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as error:
            warn(warnings, "Skipped the folder %s: it could not be read (%s).", rel or ".", error.strerror or error)
            return
        prefix = f"{rel}/" if rel else ""
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            doc_id = prefix + name
            if entry.is_file(follow_symlinks=False):  # a plain file (from the folder listing, no system call)
                add(entry, doc_id)
                continue
            try:
                is_dir = entry.is_dir()  # follows links
                is_file = entry.is_file()
                is_link = entry.is_symlink()
            except OSError as error:
                warn(warnings, "Skipped %s: it could not be read (%s).", doc_id, error.strerror or error)
                continue
            if is_link and not (is_dir or is_file):
                warn(warnings, "Skipped %s: it is a link to %s, which does not exist.", doc_id,
                     os.readlink(entry.path))
            elif is_dir:
                real = os.path.realpath(entry.path)
                if real in visited:
                    warn(warnings, "Skipped the folder %s: it is a link to a folder already read (%s).", doc_id,
                         real)
                    continue
                visited.add(real)
                walk(entry.path, doc_id)
            elif is_file:  # a link to a file
                add(entry, doc_id)

    walk(os.fspath(root), "")
    if other:
        log.debug("Skipped %d file(s) of types the bot does not read: %s", sum(other.values()),
                  ", ".join(f"{n} {s}" for s, n in sorted(other.items())))
    found.sort(key=lambda item: item[1])
    return found


def read_document(path: str | Path, doc_id: str, warnings: list[str], raw: bytes | None = None) -> Document | None:
    """Read and parse one file; ``None`` (with a line in ``warnings``, also logged) when it cannot be used.

    Parameters
    ----------
    path:
        The file; its ending picks the format (see :data:`READERS`; other endings read as text).
    doc_id:
        Its id: the path relative to the seeds folder, ``/`` separators.
    warnings:
        Receives one line per problem (unreadable, binary, encrypted, empty, a bad date or front matter).
    raw:
        The file's bytes when the caller has read them already (``None``: read here).
    """
    if raw is None:
        try:
            with open(path, "rb") as handle:
                raw = handle.read()
        except OSError as error:
            warn(warnings, "Skipped %s: it could not be read (%s).", doc_id, error.strerror or error)
            return None
    name = os.path.basename(path)
    dot = name.rfind(".")  # Path.suffix
    reader = READERS.get(name[dot:].lower() if 0 < dot < len(name) - 1 else "", _read_text)
    try:
        document = reader(raw, doc_id, warnings)
    except Exception as error:  # noqa: BLE001 - a damaged file of any format is a warning, never a crash
        log.debug("Reading %s failed", doc_id, exc_info=True)
        warn(warnings, "Skipped %s: it could not be read (%s: %s).", doc_id, type(error).__name__,
             str(error).splitlines()[0] if str(error) else "no details")
        return None
    if document is None:
        return None
    if not document.quotable_regions():
        only_code = " (only code)" if document.code else ""
        warn(warnings, "Skipped %s: it has no text to quote%s.", doc_id, only_code)
        return None
    return document
