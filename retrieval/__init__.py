"""The retrieval core: documents, passages, analyzer, BM25 index, excerpts, summaries, the catalog.

No Discord imports here.
"""

from .analyzer import ENGLISH_STOP_WORDS, Analyzer
from .catalog import DateRange, Source, document_choices, parse_date, resolve_document, sources
from .dates import DateHeader, DateReading, read_date, read_date_header
from .context import QuoteContext, context_of
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
from .excerpts import Concept, Window, best_window, windows
from .question import AnswerType, QuestionPlan, clean_question, read_question
from .ranking import FEATURES, WEIGHTS
from .excerpts import Window, best_window
from .followup import FollowUp, FollowUpPlan
from .index import BM25Index, LuceneIdfBM25
from .more import shown_excerpts
from .passages import Passage, make_passages
from .quotes import Quote
from .retriever import DEFAULT_TOP_K, MAX_QUESTION_CHARS, Answer, Excerpt, Retriever
from .sentences import split_sentences
from .summary import Summary, SummarySentence, summarise

__all__ = [
    "Analyzer",
    "AnswerType",
    "Concept",
    "FEATURES",
    "QuestionPlan",
    "WEIGHTS",
    "clean_question",
    "has_answer_type",
    "read_question",
    "windows",
    "Answer",
    "BM25Index",
    "CorpusError",
    "DEFAULT_TOP_K",
    "DateRange",
    "DateHeader",
    "DateRangeError",
    "DateReading",
    "Document",
    "ENGLISH_STOP_WORDS",
    "Excerpt",
    "FollowUp",
    "FollowUpPlan",
    "LoadResult",
    "LuceneIdfBM25",
    "MAX_QUESTION_CHARS",
    "NoDocumentsError",
    "NothingToSummariseError",
    "Passage",
    "QuestionError",
    "QuoteContext",
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
    "context_of",
    "document_choices",
    "load_documents",
    "make_passages",
    "parse_date",
    "parse_document",
    "read_date",
    "read_date_header",
    "resolve_document",
    "shown_excerpts",
    "sources",
    "split_sentences",
    "summarise",
]
