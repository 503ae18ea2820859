"""The retrieval core: documents, passages, analyzer, BM25 index, excerpts, summaries, the catalog.

No Discord imports here. The names below are imported from their modules on first use (PEP 562), so
``from retrieval import Retriever`` loads the retriever and what it needs, not the summaries, the date
parser or the document readers: a start from a saved index stays short.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: The module of each public name.
_MODULES: dict[str, tuple[str, ...]] = {
    "analyzer": ("ENGLISH_STOP_WORDS", "Analyzer"),
    "answer_types": ("has_answer_type",),
    "catalog": ("DateRange", "Source", "document_choices", "parse_date", "resolve_document", "sources"),
    "context": ("QuoteContext", "context_of"),
    "corpus": ("DocumentSentences", "Snapshot"),
    "dates": ("DateHeader", "DateReading", "read_date", "read_date_header"),
    "documents": ("Document", "LoadResult", "load_documents", "parse_document"),
    "errors": ("CorpusError", "DateRangeError", "NoDocumentsError", "NothingToSummariseError", "QuestionError",
               "RetrievalError", "SeedsFolderNotFound", "SummaryError", "SummaryLengthError", "TopicError",
               "UnknownDocumentError"),
    "excerpts": ("Concept", "Coverage", "Window", "window_rows"),
    "followup": ("FollowUp", "FollowUpPlan"),
    "index": ("BM25Index", "LuceneIdfBM25", "Postings"),
    "indexing": ("FileResult",),
    "more": ("shown_excerpts",),
    "passages": ("Passage", "make_passages"),
    "question": ("AnswerType", "QuestionPlan", "clean_question", "read_question"),
    "quotes": ("Quote",),
    "ranking": ("FEATURES", "WEIGHTS", "DocumentLengths"),
    "retriever": ("DEFAULT_TOP_K", "MAX_QUESTION_CHARS", "Answer", "Excerpt", "Retriever"),
    "segments": ("AnalyzedDocument", "FileStat", "Segment", "SegmentError"),
    "sentences": ("split_sentences",),
    "structure": ("SentenceStructure",),
    "store": ("IndexStore", "UpdateReport"),
    "summary": ("Summary", "SummarySentence", "summarise"),
    "termcache": ("TermCache",),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}

if TYPE_CHECKING:  # the same names, for type checkers
    from .analyzer import ENGLISH_STOP_WORDS, Analyzer
    from .answer_types import has_answer_type
    from .catalog import DateRange, Source, document_choices, parse_date, resolve_document, sources
    from .context import QuoteContext, context_of
    from .corpus import DocumentSentences, Snapshot
    from .dates import DateHeader, DateReading, read_date, read_date_header
    from .documents import Document, LoadResult, load_documents, parse_document
    from .errors import (
        CorpusError,
        DateRangeError,
        NoDocumentsError,
        NothingToSummariseError,
        QuestionError,
        RetrievalError,
        SeedsFolderNotFound,
        SummaryError,
        SummaryLengthError,
        TopicError,
        UnknownDocumentError,
    )
    from .excerpts import Concept, Coverage, Window, window_rows
    from .followup import FollowUp, FollowUpPlan
    from .index import BM25Index, LuceneIdfBM25, Postings
    from .indexing import FileResult
    from .more import shown_excerpts
    from .passages import Passage, make_passages
    from .question import AnswerType, QuestionPlan, clean_question, read_question
    from .quotes import Quote
    from .ranking import FEATURES, WEIGHTS, DocumentLengths
    from .retriever import DEFAULT_TOP_K, MAX_QUESTION_CHARS, Answer, Excerpt, Retriever
    from .segments import AnalyzedDocument, FileStat, Segment, SegmentError
    from .sentences import split_sentences
    from .store import IndexStore, UpdateReport
    from .structure import SentenceStructure
    from .termcache import TermCache
    from .summary import Summary, SummarySentence, summarise


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


__all__ = [
    "AnalyzedDocument",
    "Analyzer",
    "Answer",
    "AnswerType",
    "BM25Index",
    "clean_question",
    "Concept",
    "context_of",
    "CorpusError",
    "Coverage",
    "DateHeader",
    "DateRange",
    "DateRangeError",
    "DateReading",
    "DEFAULT_TOP_K",
    "Document",
    "document_choices",
    "DocumentLengths",
    "DocumentSentences",
    "ENGLISH_STOP_WORDS",
    "Excerpt",
    "FEATURES",
    "FileResult",
    "FileStat",
    "FollowUp",
    "FollowUpPlan",
    "has_answer_type",
    "IndexStore",
    "load_documents",
    "LoadResult",
    "LuceneIdfBM25",
    "make_passages",
    "MAX_QUESTION_CHARS",
    "NoDocumentsError",
    "NothingToSummariseError",
    "parse_date",
    "parse_document",
    "Passage",
    "Postings",
    "QuestionError",
    "QuestionPlan",
    "Quote",
    "QuoteContext",
    "read_date",
    "read_date_header",
    "read_question",
    "resolve_document",
    "RetrievalError",
    "Retriever",
    "SeedsFolderNotFound",
    "Segment",
    "SegmentError",
    "SentenceStructure",
    "shown_excerpts",
    "Snapshot",
    "Source",
    "sources",
    "split_sentences",
    "summarise",
    "Summary",
    "SummaryError",
    "SummaryLengthError",
    "SummarySentence",
    "TermCache",
    "TopicError",
    "UnknownDocumentError",
    "UpdateReport",
    "WEIGHTS",
    "Window",
    "window_rows",
]
