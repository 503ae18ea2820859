"""Readers for each file format the bot reads: text and Markdown, PDF, HTML, Word (``.docx``).

Each reader takes a file's bytes, its document id and the warnings list, and returns a
:class:`~retrieval.document.Document` or ``None`` (after one warning naming the file).
"""
