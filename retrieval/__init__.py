"""The retrieval core: documents, passages, analyzer, BM25 index, excerpts, summaries. No Discord imports here."""

from .analyzer import ENGLISH_STOP_WORDS, Analyzer
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
from .excerpts import Window, best_window
from .corpus import DocumentSentences, Snapshot
from .index import BM25Index, LuceneIdfBM25, Postings
from .indexing import FileResult
from .segments import AnalyzedDocument, FileStat, Segment, SegmentError
from .store import IndexStore, UpdateReport
from .passages import Passage, make_passages
from .quotes import Quote
from .retriever import DEFAULT_TOP_K, MAX_QUESTION_CHARS, Answer, Excerpt, Retriever
from .sentences import split_sentences
from .summary import (
    Source,
    Summary,
    SummarySentence,
    document_choices,
    resolve_document,
    sources,
    summarise,
)

__all__ = [
    "Analyzer",
    "Answer",
    "BM25Index",
    "CorpusError",
    "DEFAULT_TOP_K",
    "DateRangeError",
    "Document",
    "ENGLISH_STOP_WORDS",
    "Excerpt",
    "LoadResult",
    "LuceneIdfBM25",
    "MAX_QUESTION_CHARS",
    "NoDocumentsError",
    "NothingToSummariseError",
    "Passage",
    "QuestionError",
    "Quote",
    "RetrievalError",
    "Retriever",
    "SeedsFolderNotFound",
    "Source",
    "Summary",
    "SummaryError",
    "SummaryLengthError",
    "SummarySentence",
    "TopicError",
    "UnknownDocumentError",
    "Window",
    "best_window",
    "document_choices",
    "load_documents",
    "make_passages",
    "parse_document",
    "resolve_document",
    "sources",
    "split_sentences",
    "summarise",
    "AnalyzedDocument",
    "DocumentSentences",
    "FileResult",
    "FileStat",
    "IndexStore",
    "Postings",
    "Segment",
    "SegmentError",
    "Snapshot",
    "UpdateReport",
]
