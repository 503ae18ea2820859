"""Errors raised by the retrieval core.

Exception tree::

    RetrievalError                 base class; never raised itself
    ├── CorpusError                the documents folder cannot be used
    │   ├── SeedsFolderNotFound    the folder does not exist or is not a folder
    │   └── NoDocumentsError       the folder holds no loadable .txt or .md document
    ├── QuestionError              the question cannot be asked (empty, too long, no searchable words)
    └── SummaryError               a summary cannot be made as asked (also a ValueError)
        ├── UnknownDocumentError   no document, or more than one, matches the name given; has suggestions
        ├── DateRangeError         a date is not a real YYYY-MM-DD date, or since is after until
        ├── SummaryLengthError     the number of sentences asked for is out of range
        ├── TopicError             the topic is empty, too long, or has no searchable word
        └── NothingToSummariseError  the date range or topic matches nothing in the documents

Every message is written for the person who asked, so front ends (terminal, Discord) can show ``str(error)``
as it is.
"""

from __future__ import annotations


class RetrievalError(Exception):
    """Base class of every error the retrieval core raises on purpose."""


class CorpusError(RetrievalError):
    """The documents folder cannot be used."""


class SeedsFolderNotFound(CorpusError):
    """The documents folder does not exist, or is a file."""


class NoDocumentsError(CorpusError):
    """The documents folder holds no loadable ``.txt`` or ``.md`` document."""


class QuestionError(RetrievalError, ValueError):
    """The question cannot be asked: empty, too long, or nothing searchable in it."""


class SummaryError(RetrievalError, ValueError):
    """A summary cannot be made as asked (see the subclasses)."""


class UnknownDocumentError(SummaryError):
    """No document, or more than one, matches the document name given.

    Attributes
    ----------
    suggestions:
        Ids of the closest documents (at most five, best first); may be empty.
    """

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions: list[str] = list(suggestions or [])


class DateRangeError(SummaryError):
    """A ``since``/``until`` date is not a real ``YYYY-MM-DD`` date, or ``since`` is after ``until``."""


class SummaryLengthError(SummaryError):
    """The number of summary sentences asked for is out of range."""


class TopicError(SummaryError):
    """The topic is empty, too long, or has no searchable word."""


class NothingToSummariseError(SummaryError):
    """The date range, document or topic asked for matches nothing in the documents."""
