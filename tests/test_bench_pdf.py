"""The PDF extractor benchmark, run on three-page PDFs (the fewest with running headers): its generator, its scores and its table."""

from __future__ import annotations

from benchmarks import pdf_extractors


def test_generated_pdfs_score_as_measured_and_the_table_has_every_extractor() -> None:
    generated = pdf_extractors.generate("two-column", 1)
    assert generated.pages == 1 and generated.breaks and generated.header
    perfect = pdf_extractors.quality(generated, [" ".join(generated.words)])
    assert perfect["order"] == 1.0 and perfect["kept"] == 1.0
    (table,) = pdf_extractors.run(pages=3, repeat=1)
    rows = {(row[0], row[1]): row for row in table.rows}
    assert len(rows) == 3 * len(pdf_extractors.EXTRACTORS)
    product = rows[("manual", "seedbot (pypdfium2 + running lines out)")]
    raw = rows[("manual", "pypdf")]
    assert product[4] > 0.99 and product[-1] == 0  # every word, no running header or footer line
    assert raw[6] == 1.0  # pypdf leaves every line-end hyphen split
    assert "Machine:" in table.markdown()
