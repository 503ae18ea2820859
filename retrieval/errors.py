"""Errors raised by the retrieval core.

Exception tree::

    RetrievalError                 base class; never raised itself
    ├── CorpusError                the documents folder cannot be used
    │   ├── SeedsFolderNotFound    the folder does not exist or is not a folder
    │   └── NoDocumentsError       the folder holds no loadable .txt or .md document
    └── QuestionError              the question cannot be asked (empty, too long, no searchable words)

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
