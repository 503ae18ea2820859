"""The retrieval core: documents, passages, analyzer, BM25 index, excerpts, summaries. No Discord imports here."""

from .analyzer import ENGLISH_STOP_WORDS, Analyzer
from .corpus import DocumentSentences, Snapshot
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
from .index import BM25Index, LuceneIdfBM25, Postings
from .indexing import FileResult
from .passages import Passage, make_passages
from .quotes import Quote
from .retriever import DEFAULT_TOP_K, MAX_QUESTION_CHARS, Answer, Excerpt, Retriever
from .segments import AnalyzedDocument, FileStat, Segment, SegmentError
from .sentences import split_sentences
from .store import IndexStore, UpdateReport
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
    "DEFAULT_TOP_K",
    "ENGLISH_STOP_WORDS",
    "MAX_QUESTION_CHARS",
    "AnalyzedDocument",
    "Analyzer",
    "Answer",
    "BM25Index",
    "CorpusError",
    "DateRangeError",
    "Document",
    "DocumentSentences",
    "Excerpt",
    "FileResult",
    "FileStat",
    "IndexStore",
    "LoadResult",
    "LuceneIdfBM25",
    "NoDocumentsError",
    "NothingToSummariseError",
    "Passage",
    "Postings",
    "QuestionError",
    "Quote",
    "RetrievalError",
    "Retriever",
    "SeedsFolderNotFound",
    "Segment",
    "SegmentError",
    "Snapshot",
    "Source",
    "Summary",
    "SummaryError",
    "SummaryLengthError",
    "SummarySentence",
    "TopicError",
    "UnknownDocumentError",
    "UpdateReport",
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
]
