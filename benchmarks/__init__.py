"""Benchmarks: answer, retrieval and summary quality, speed and memory. Run ``python -m benchmarks``.

Each measure is one module with a ``run`` function (``scifact``, ``speed``, ``squad``, ``summary_rouge``, and
the first-excerpt sets ``wikiqa``, ``trecqa``, ``community``, ``newsquiz`` over :mod:`benchmarks.sentence_qa`);
``python -m benchmarks`` runs them all and prints Markdown tables, each under a line naming the machine.
The benchmarks are not part of the test suite (``tests/test_benchmarks.py`` only runs their code on a tiny
fixture).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Table", "format_value"]


def format_value(value: Any) -> str:
    """A table cell: floats with 3 significant decimals (or thousands separators), ``None`` as ``–``."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if value != value:  # NaN
            return "–"
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 100:
            return f"{value:.1f}"
        if abs(value) >= 1:
            return f"{value:.2f}"
        return f"{value:.3f}"
    return str(value).replace("|", "\\|")


@dataclass
class Table:
    """A result table: a title, column names, rows of cells, and notes printed under it.

    Attributes
    ----------
    title:
        Printed as a Markdown heading (level 3).
    columns:
        Column names. A column whose cells are all numbers (or ``None``) is right-aligned.
    rows:
        One list of cells per row; cells are formatted by :func:`format_value` unless already strings.
    notes:
        Lines printed under the table (how the data was made, what was skipped and why).
    """

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @classmethod
    def from_dicts(cls, title: str, rows: Sequence[dict[str, Any]], notes: Sequence[str] = ()) -> Table:
        """A table whose columns are the keys of the first row (rows may lack keys: printed as ``–``)."""
        columns: list[str] = []
        for row in rows:
            for key in row:
                if key not in columns:
                    columns.append(key)
        return cls(title, columns, [[row.get(c) for c in columns] for row in rows], list(notes))

    def markdown(self, machine: str | None = None) -> str:
        """The table as Markdown, with ``machine`` (a line) between the heading and the table."""
        numeric = [bool(self.rows) and all(isinstance(r[i], (int, float)) or r[i] is None for r in self.rows)
                   for i in range(len(self.columns))]
        lines = [f"### {self.title}", ""]
        if machine:
            lines += [machine, ""]
        lines.append("| " + " | ".join(self.columns) + " |")
        lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
        for row in self.rows:
            lines.append("| " + " | ".join(format_value(c) for c in row) + " |")
        if self.notes:
            lines.append("")
            lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"
