"""The retrieval core: documents, passages, analyzer, BM25 index, excerpts, summaries, the catalog.

No Discord imports here.
"""

from .analyzer import ENGLISH_STOP_WORDS, Analyzer
from .catalog import DateRange, Source, document_choices, parse_date, resolve_document, sources
from .dates import DateHeader, DateReading, read_date, read_date_header
from .context import QuoteContext, context_of
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
from .answer_types import has_answer_type
from .excerpts import Concept, Window, windows
from .question import AnswerType, QuestionPlan, clean_question, read_question
from .ranking import FEATURES, WEIGHTS, DocumentLengths
from .followup import FollowUp, FollowUpPlan
from .index import BM25Index, LuceneIdfBM25
from .termcache import TermCache
from .more import shown_excerpts
from .index import Postings
from .indexing import FileResult
from .passages import Passage, make_passages
from .quotes import Quote
from .retriever import DEFAULT_TOP_K, MAX_QUESTION_CHARS, Answer, Excerpt, Retriever
from .segments import AnalyzedDocument, FileStat, Segment, SegmentError
from .sentences import split_sentences
from .summary import Summary, SummarySentence, summarise
from .store import IndexStore, UpdateReport

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
    "windows",
]
