"""PDF text extractors side by side: pypdfium2, pypdf and pdfminer.six on PDFs generated here.

``python -m benchmarks.pdf_extractors [--pages N] [--repeat R]``

Three kinds of PDF are generated with reportlab, each with known ground-truth text:

* ``manual``: one column, a running header and a ``Page N of M`` footer on every page, words hyphenated
  at line ends;
* ``two-column``: a journal-style page, two columns, header and footer, hyphenation;
* ``report``: one column, wide lines, a title block on page one, footer only.

For each extractor and PDF, the table gives the time per page (median of ``--repeat`` runs), and the
text quality of the raw extraction against the ground truth:

* *word order*: difflib's ratio between the truth's words and the extracted words, running headers and
  footers removed from both by the same rule the product uses (a line on most pages); 1.0 means every
  word, in reading order;
* *words kept*: share of the truth's words found in the extraction (multiset recall);
* *split words*: hyphenated line-end breaks left in the text (``experi-`` + ``ment``), out of those made;
* *headers found*: share of pages whose running header line the extractor returns as its own line (which
  is what lets the product drop it).
"""

from __future__ import annotations

import argparse
import io
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from . import Table
from .machine import machine_line


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"

WORDS = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
    "they you were her she there been one all we their has would when if so no what can more out other who "
    "calibration maintenance temperature installation procedure replacement configuration documentation "
    "measurement performance connection regulation equipment transmission adjustment verification "
    "pressure valve pump sensor filter housing cable switch screw bracket panel lever seal gasket "
    "operator technician inspection warranty authorised manufacturer specification tolerance "
    "committee representative government international agreement development environmental "
    "responsibility investigation relationship organisation consequence recommendation"
).split()


@dataclass
class Generated:
    """A generated PDF and what a perfect extractor would return."""

    name: str
    data: bytes
    pages: int
    words: list[str]  # the body words in reading order (headers and footers excluded)
    header: str
    breaks: list[tuple[str, str]]  # (first part with hyphen, rest) of every hyphenated line end


def _sentence(rng: random.Random) -> str:
    n = rng.randint(8, 22)
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _layout(words: list[str], width: float, font: str, size: float,
            breaks: list[tuple[str, str]]) -> list[str]:
    """Greedy line filling; a long word that does not fit is hyphenated if its first part fits."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    line = ""
    queue = list(words)
    while queue:
        word = queue.pop(0)
        candidate = f"{line} {word}" if line else word
        if stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if len(word) >= 8 and line:
            for cut in range(len(word) - 3, 3, -1):
                head = word[:cut] + "-"
                if stringWidth(f"{line} {head}", font, size) <= width:
                    lines.append(f"{line} {head}")
                    breaks.append((head, word[cut:]))
                    queue.insert(0, word[cut:])
                    line = ""
                    break
            else:
                lines.append(line)
                line = word
            continue
        lines.append(line)
        line = word
    if line:
        lines.append(line)
    return lines


def generate(kind: str, pages: int, seed: int = 0) -> Generated:
    """Generate one PDF of ``kind`` (``manual``, ``two-column``, ``report``) with about ``pages`` pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    rng = random.Random(f"{kind}-{seed}")
    font, size, leading = "Helvetica", 10.0, 13.0
    page_w, page_h = A4
    margin = 60.0
    columns = 2 if kind == "two-column" else 1
    gap = 24.0
    col_w = (page_w - 2 * margin - (columns - 1) * gap) / columns
    if kind == "report":
        col_w = page_w - 2 * 45.0
    lines_per_col = int((page_h - 2 * margin - 30) // leading)
    header = {"manual": "Acme WX-200 Service Manual, Revision C",
              "two-column": "Journal of Applied Maintenance, Vol. 12",
              "report": ""}[kind]
    breaks: list[tuple[str, str]] = []
    all_lines: list[str] = []
    paragraph_ends: set[int] = set()
    target = pages * columns * lines_per_col - 4
    while len(all_lines) < target:
        paragraph = " ".join(_sentence(rng) for _ in range(rng.randint(3, 7))).split()
        all_lines.extend(_layout(paragraph, col_w, font, size, breaks))
        paragraph_ends.add(len(all_lines) - 1)
        all_lines.append("")
    truth_words = " ".join(line for line in all_lines if line).split()
    # Re-join hyphenated breaks in the truth: the reader sees whole words.
    joined: list[str] = []
    for word in truth_words:
        if joined and joined[-1].endswith("-") and (joined[-1], word) in set(breaks):
            joined[-1] = joined[-1][:-1] + word
        else:
            joined.append(word)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    chunk = columns * lines_per_col
    page_count = (len(all_lines) + chunk - 1) // chunk
    for p in range(page_count):
        if header:
            pdf.setFont("Helvetica-Oblique", 8)
            pdf.drawString(margin, page_h - 35, header)
        if kind == "report" and p == 0:
            pdf.setFont("Helvetica-Bold", 16)
            pdf.drawString(45, page_h - 45, "")
        pdf.setFont(font, size)
        for c in range(columns):
            x = (45.0 if kind == "report" else margin) + c * (col_w + gap)
            y = page_h - margin - 10
            start = p * chunk + c * lines_per_col
            for line in all_lines[start : start + lines_per_col]:
                if line:
                    pdf.drawString(x, y, line)
                y -= leading
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(page_w / 2, 30, f"Page {p + 1} of {page_count}")
        pdf.showPage()
    pdf.save()
    return Generated(kind, buffer.getvalue(), page_count, joined, header, breaks)


def pypdfium2_pages(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        out = []
        for page in document:
            textpage = page.get_textpage()
            out.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return out
    finally:
        document.close()


def pypdf_pages(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdfminer_pages(data: bytes) -> list[str]:
    from pdfminer.high_level import extract_text

    text = extract_text(io.BytesIO(data))
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def seedbot_pages(data: bytes) -> list[str]:
    """The product's reader (pypdfium2, hyphens joined, running headers and footers left out), per page."""
    from retrieval.formats.pdf import read_pdf

    document = read_pdf(data, "bench.pdf", [])
    assert document is not None
    bounds = [*document.pages, len(document.text)]
    return [document.text[a:b] for a, b in zip(bounds, bounds[1:])]


EXTRACTORS: dict[str, Callable[[bytes], list[str]]] = {
    "seedbot (pypdfium2 + running lines out)": seedbot_pages,
    "pypdfium2": pypdfium2_pages,
    "pypdf": pypdf_pages,
    "pdfminer.six": pdfminer_pages,
}

_NUMBER = re.compile(r"\d+")


def _running(pages: list[str]) -> set[str]:
    """Lines (digits folded) found on more than half the pages: running headers and footers."""
    counts: Counter[str] = Counter()
    for text in pages:
        counts.update({_NUMBER.sub("#", " ".join(line.split())) for line in text.splitlines() if line.strip()})
    return {line for line, n in counts.items() if n > len(pages) / 2 and len(pages) >= 3}


def _norm(word: str) -> str:
    return word.strip(".,;:").lower()


def quality(generated: Generated, pages: list[str]) -> dict[str, float | None]:
    """Word order, words kept, split words and headers found of one extraction (see module docstring)."""
    running = _running(pages)
    body_lines = [line for text in pages for line in text.splitlines()
                  if _NUMBER.sub("#", " ".join(line.split())) not in running]
    extracted = " ".join(body_lines).replace("\ufffe", "").replace("\x02", "").split()
    truth = [_norm(w) for w in generated.words]
    got = [_norm(w) for w in extracted]
    order = SequenceMatcher(None, truth, got, autojunk=False).ratio()
    kept_counter = Counter(truth) & Counter(got)
    kept = sum(kept_counter.values()) / len(truth)
    # The same, after joining "experi-\nment" (what a product would do itself for pypdf or pdfminer.six).
    joined = [_norm(w) for w in re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", "\n".join(body_lines)).replace(
        "\ufffe", "").replace("\x02", "").split()]
    kept_joined = sum((Counter(truth) & Counter(joined)).values()) / len(truth)
    raw = " ".join(pages)
    split = sum(1 for head, tail in generated.breaks
                if re.search(re.escape(head[:-1]) + r"[-\u00ad\ufffe\x02]?\s+" + re.escape(tail), raw))
    headers: float | None = None  # no running header in this PDF
    left = sum(1 for text in pages for line in text.splitlines()
               if generated.header and line.strip() == generated.header or re.fullmatch(r"Page \d+ of \d+", line.strip()))
    if generated.header:
        headers = sum(any(line.strip() == generated.header for line in text.splitlines())
                      for text in pages) / len(pages)
    return {"order": order, "kept": kept, "kept_joined": kept_joined, "split": split / max(1, len(generated.breaks)), "headers": headers, "left": left / len(pages)}


def run(pages: int = 20, repeat: int = 3) -> list[Table]:
    """Time and score every extractor on every generated PDF; one table."""
    table = Table(
        title=f"PDF text extractors ({pages}-page generated PDFs)",
        columns=["PDF", "extractor", "ms/page", "word order", "words kept", "words kept, hyphens joined", "split words left",
                 "header on own line", "running lines per page"],
        notes=[machine_line(),
               "Extractors: " + ", ".join(f"{name} {_version(name)}" for name in ("pypdfium2", "pypdf", "pdfminer.six"))
               + f"; PDFs made with reportlab {_version('reportlab')}.",
               "Word order: difflib ratio of the body words (running lines removed) to the truth; words kept: "
               "multiset recall (hyphens joined: after re-joining `word-` line ends, as a product would for pypdf and pdfminer.six); split words left: line-end hyphen breaks still split, share of those made; "
               "header on own line: pages where the running header comes back as one line; running lines per page: header and `Page N of M` lines in the returned text (the product drops them, the raw extractors return them). ms/page: median "
               f"of {repeat} runs, whole document."],
    )
    warm_up = generate("report", 1).data
    for extract in EXTRACTORS.values():  # imports and first-call set-up are not timed
        extract(warm_up)
    for kind in ("manual", "two-column", "report"):
        generated = generate(kind, pages)
        for name, extract in EXTRACTORS.items():
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                result = extract(generated.data)
                times.append(time.perf_counter() - started)
            q = quality(generated, result)
            table.rows.append([kind, name, 1000 * statistics.median(times) / generated.pages, q["order"],
                               q["kept"], q["kept_joined"], q["split"], q["headers"], q["left"]])
    return [table]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for table in run(args.pages, args.repeat):
        print(table.markdown())


if __name__ == "__main__":
    main()
