"""PDF, HTML and Word documents: text, pages, titles, dates, and the files that cannot be read.

Every fixture is written here by the libraries themselves (reportlab for PDF, python-docx for Word).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from pathlib import Path

import pytest

from bot.cli import run_cli
from bot.formatting import render_answer
from retrieval import Retriever, load_documents

HEADER = "Harbour Authority Handbook, Edition 4"

PAGES = [
    ["Welcome to the harbour. This handbook explains the rules for visitors and crews.",
     "Berths are assigned by the harbour master on arrival."],
    ["Fuel is sold at the north pier between seven and noon.",
     "Pumps accept cards only."],
    ["The ferry to the island leaves at nine every morning.",
     "In winter the last ferry returns at five in the afternoon."],
    ["Waste oil goes into the red tanks beside the slipway.",
     "Report spills to the harbour office at once."],
]


def write_pdf(path: Path, pages: list[list[str]], *, header: str | None = HEADER, title: str | None = None,
              encrypt: str | None = None, text: bool = True, footer: str = "Page {number} of {pages}") -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt)
    if title:
        pdf.setTitle(title)
    width, height = A4
    for number, lines in enumerate(pages, 1):
        if text:
            if header:
                pdf.setFont("Helvetica", 8)
                pdf.drawString(60, height - 40, header)
            pdf.setFont("Helvetica", 11)
            y = height - 90
            for line in lines:
                pdf.drawString(60, y, line)
                y -= 15
            pdf.setFont("Helvetica", 8)
            pdf.drawCentredString(width / 2, 30, footer.format(number=number, pages=len(pages)))
        else:  # a "scan": shapes only, no text layer
            pdf.rect(60, 400, 300, 200, fill=1)
        pdf.showPage()
    pdf.save()
    return path


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_cli(list(argv), out=out, err=err, stdin=io.StringIO(""))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def handbook(tmp_path: Path) -> Path:
    write_pdf(tmp_path / "handbook.pdf", PAGES)
    return tmp_path


def test_a_pdf_excerpt_names_its_page_in_the_terminal_json_and_discord(handbook: Path) -> None:
    code, out, err = run("ask", "When does the ferry to the island leave?", "--seeds", str(handbook))
    assert code == 0, err
    assert "> The ferry to the island leaves at nine every morning." in out
    assert "handbook.pdf · p. 3" in out
    code, out, _ = run("ask", "When does the ferry to the island leave?", "--seeds", str(handbook), "--json")
    excerpt = json.loads(out)["excerpts"][0]
    assert excerpt["page"] == 3
    (document,) = load_documents(handbook).documents
    assert document.text[excerpt["start"] : excerpt["end"]] == excerpt["text"]
    answer = Retriever.from_folder(handbook).ask("When does the ferry to the island leave?")
    assert "p. 3" in "\n".join(render_answer(answer))


def test_running_headers_and_page_numbers_are_not_part_of_the_text(handbook: Path) -> None:
    (document,) = load_documents(handbook).documents
    assert "Harbour Authority Handbook" not in document.text
    assert "Page 2 of 4" not in document.text
    assert "Fuel is sold at the north pier" in document.text
    assert [document.page_of(document.text.index(p[0])) for p in PAGES] == [1, 2, 3, 4]
    answer = Retriever.from_folder(handbook).ask("Which edition is the Harbour Authority Handbook?")
    assert all("Edition 4" not in e.text for e in answer.excerpts)


def test_a_line_like_a_running_footer_inside_a_page_stays(tmp_path: Path) -> None:
    pages = [[*lines, f"Pier {n} has berths:", "42", f"Pier {n} fees are due on arrival.", f"Pier {n} closes at dusk.",
              f"Pier {n} has fresh water."] for n, lines in enumerate(PAGES, 1)]
    write_pdf(tmp_path / "bare.pdf", pages, footer="{number}")  # page numbers alone: "1", "2", ...
    (document,) = load_documents(tmp_path).documents
    assert document.text.count("\n42\n") == 4  # the number inside each page is text
    assert not document.text.rstrip().endswith("4")  # the last page's number is not


def test_a_line_end_hyphen_is_joined_and_the_pdf_title_is_used(tmp_path: Path) -> None:
    write_pdf(tmp_path / "m.pdf", [["Regular main-", "tenance keeps the pumps running."]], header=None,
              title="Pump care")
    (document,) = load_documents(tmp_path).documents
    assert "maintenance keeps the pumps" in document.text
    assert document.title == "Pump care"
    assert document.date is None


def test_a_scanned_pdf_gets_one_warning_that_it_has_no_text(tmp_path: Path,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    write_pdf(tmp_path / "scan.pdf", PAGES, text=False)
    (tmp_path / "notes.txt").write_text("The office opens at eight.", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        result = load_documents(tmp_path)
    assert [d.id for d in result.documents] == ["notes.txt"]
    assert len(result.warnings) == 1
    assert "scan.pdf" in result.warnings[0] and "no text" in result.warnings[0]


def test_an_encrypted_or_broken_pdf_is_a_warning_not_a_crash(tmp_path: Path) -> None:
    write_pdf(tmp_path / "locked.pdf", PAGES, encrypt="secret")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage")
    (tmp_path / "notes.txt").write_text("The office opens at eight.", encoding="utf-8")
    result = load_documents(tmp_path)
    assert [d.id for d in result.documents] == ["notes.txt"]
    assert len(result.warnings) == 2
    assert "broken.pdf" in result.warnings[0]
    assert "locked.pdf" in result.warnings[1] and "encrypted" in result.warnings[1]


PAGE = """<!doctype html><html><head><title>Ferry timetable | Island Council</title>
<meta property="og:title" content="Ferry timetable changes">
<meta property="article:published_time" content="2022-09-02T10:00:00Z">
<script>var tracking = "do not quote this script";</script></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News and events</a></li><li>Contact us</li></ul></nav>
<main><article><h1>Ferry timetable changes</h1>
<p>The ferry to the island now leaves at nine every morning, starting in October. Tickets cost twelve euros
for adults and the crossing takes forty minutes.</p>
<h2>Winter service</h2>
<p>In winter the last ferry back leaves at five in the afternoon. The council said the change follows a
survey of residents who asked for an earlier last crossing.</p>
<ul><li>Children under twelve travel free.</li><li>Bicycles travel for two euros.</li></ul>
</article></main>
<footer><p>Copyright 2022 Island Council. All rights reserved. Privacy policy and cookie settings.</p></footer>
</body></html>"""


def test_an_html_page_gives_its_main_text_title_and_publication_date(tmp_path: Path) -> None:
    (tmp_path / "ferry.html").write_text(PAGE, encoding="utf-8")
    (document,) = load_documents(tmp_path).documents
    assert document.title == "Ferry timetable changes"
    assert document.date == dt.date(2022, 9, 2)
    assert "The ferry to the island now leaves at nine every morning" in document.text
    assert "Children under twelve travel free." in document.text
    for boilerplate in ["do not quote", "News and events", "Copyright", "cookie"]:
        assert boilerplate not in document.text
    code, out, _ = run("ask", "When does the last ferry leave in winter?", "--seeds", str(tmp_path), "--json")
    excerpt = json.loads(out)["excerpts"][0]
    assert excerpt["text"].startswith("In winter the last ferry back leaves at five")
    assert document.text[excerpt["start"] : excerpt["end"]] == excerpt["text"]
    assert excerpt["date"] == "2022-09-02" and excerpt["page"] is None


def test_an_html_page_without_a_date_in_its_metadata_is_undated(tmp_path: Path) -> None:
    (tmp_path / "faq.htm").write_text(
        "<html><head><title>FAQ</title></head><body><p>The harbour office opens daily at eight and closes at "
        "six; it was renovated on 3 March 2021 after the storm.</p></body></html>", encoding="utf-8")
    (document,) = load_documents(tmp_path).documents
    assert document.title == "FAQ"
    assert document.date is None


def write_docx(path: Path, *, title: str | None = None, created: dt.datetime | None = None) -> Path:
    import docx

    document = docx.Document()
    document.add_heading("Ferry timetable", level=1)
    document.add_paragraph("The ferry to the island leaves at nine every morning.")
    document.add_heading("Winter service", level=2)
    document.add_paragraph("In winter the last ferry returns at five in the afternoon.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "Adults", "twelve euros"
    document.add_paragraph("Tickets are sold on board.")
    if title is not None:
        document.core_properties.title = title
    if created is not None:
        document.core_properties.created = created
    document.save(str(path))
    return path


def test_a_word_file_gives_paragraphs_and_headings_in_order_and_no_template_date(tmp_path: Path) -> None:
    write_docx(tmp_path / "ferry.docx")
    (document,) = load_documents(tmp_path).documents
    assert document.title == "Ferry timetable"  # the first heading
    assert document.date is None  # python-docx's template says 2013: not this document's date
    order = ["Ferry timetable", "leaves at nine", "Winter service", "returns at five", "Adults | twelve euros",
             "sold on board"]
    positions = [document.text.index(part) for part in order]
    assert positions == sorted(positions)
    code, out, _ = run("ask", "winter service", "--seeds", str(tmp_path), "--json")
    excerpt = json.loads(out)["excerpts"][0]
    assert excerpt["text"] == "In winter the last ferry returns at five in the afternoon."  # never the heading


def test_a_word_file_title_and_created_date_from_its_properties(tmp_path: Path) -> None:
    write_docx(tmp_path / "ferry.docx", title="Island ferry notes", created=dt.datetime(2021, 5, 4, 9, 30))
    (document,) = load_documents(tmp_path).documents
    assert (document.title, document.date) == ("Island ferry notes", dt.date(2021, 5, 4))


def test_a_damaged_word_file_is_skipped_with_a_warning(tmp_path: Path) -> None:
    import zipfile

    (tmp_path / "old.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with zipfile.ZipFile(tmp_path / "torn.docx", "w") as archive:  # a zip whose XML is cut short
        archive.writestr("[Content_Types].xml", "<Types xmlns=")
        archive.writestr("word/document.xml", "<w:document")
    (tmp_path / "notes.txt").write_text("The office opens at eight.", encoding="utf-8")
    result = load_documents(tmp_path)
    assert [d.id for d in result.documents] == ["notes.txt"]
    assert len(result.warnings) == 2
    assert "old.docx" in result.warnings[0] and "torn.docx" in result.warnings[1]


def test_sources_and_summaries_treat_every_format_alike(tmp_path: Path) -> None:
    write_pdf(tmp_path / "handbook.pdf", PAGES)
    (tmp_path / "ferry.html").write_text(PAGE, encoding="utf-8")
    write_docx(tmp_path / "notes.docx")
    code, out, _ = run("sources", "--seeds", str(tmp_path), "--json")
    assert code == 0
    assert sorted(s["document"] for s in json.loads(out)["sources"]) == ["ferry.html", "handbook.pdf", "notes.docx"]
    code, out, _ = run("summary", "--document", "handbook.pdf", "--seeds", str(tmp_path), "--json")
    sentences = json.loads(out)["sentences"]
    assert sentences and all(s["page"] in {1, 2, 3, 4} for s in sentences)
    assert all("Harbour Authority Handbook" not in s["text"] for s in sentences)
    from bot.summary_format import render_summary
    from retrieval import summarise

    summary = summarise(Retriever.from_folder(tmp_path), document="handbook.pdf")
    assert "`handbook.pdf` · p" in "\n".join(render_summary(summary))  # Discord names the pages too


def test_files_of_other_types_are_skipped_with_one_debug_line(tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "notes.txt").write_text("The office opens at eight.", encoding="utf-8")
    for name in ["photo.png", "sheet.xlsx", "slides.pptx", "README"]:
        (tmp_path / name).write_bytes(b"\x89PNG\x00\x00")
    with caplog.at_level(logging.DEBUG, logger="retrieval"):
        result = load_documents(tmp_path)
    assert result.warnings == []
    skipped = [r for r in caplog.records if "types the bot does not read" in r.getMessage()]
    assert len(skipped) == 1 and skipped[0].levelno == logging.DEBUG
    assert "4 file(s)" in skipped[0].getMessage()
