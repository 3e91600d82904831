"""The source reader: full text, sections as headings, the cited passage highlighted."""

from __future__ import annotations

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.extensions import db
from tests.conftest import QUESTIONS


def load_sources(app) -> None:
    load_banks(db.session, check_paths([QUESTIONS / "key-terms"], QUESTIONS))


def test_source_page_highlights_the_passage_and_marks_sections(app, client):
    load_sources(app)
    text = (QUESTIONS / "sources" / "000_7d53f7279d39a046.txt").read_text(encoding="utf-8")
    start = text.index("has been reduced from 107 to 98")
    end = start + len("has been reduced from 107 to 98")
    page = client.get(f"/sources/osw-2022?start={start}&end={end}").get_data(as_text=True)
    assert '<mark id="passage" tabindex="-1">has been reduced from 107 to 98</mark>' in page
    assert '<h2 id="section-2">Four days that shocked the country</h2>' in page
    assert "OSW Centre for Eastern Studies" in page


def test_passage_across_paragraphs_is_marked_in_each(app, client):
    load_sources(app)
    text = (QUESTIONS / "sources" / "000_7d53f7279d39a046.txt").read_text(encoding="utf-8")
    start = text.index("Parliament:")
    end = text.index("has been reduced from 107 to 98")
    page = client.get(f"/sources/osw-2022?start={start}&end={end}").get_data(as_text=True)
    assert page.count("<mark") == 2
    assert page.count('id="passage"') == 1


def test_word_split_by_a_page_break_reads_whole(app, client):
    load_sources(app)
    page = client.get("/sources/cornell-barro-2022").get_data(as_text=True)
    assert "a foregone conclusion. However, the reforms" in page


def test_out_of_range_offsets_show_plain_text(app, client):
    load_sources(app)
    page = client.get("/sources/osw-2022?start=5&end=999999")
    assert page.status_code == 200
    assert "<mark" not in page.get_data(as_text=True)


def test_unknown_source_is_404(app, client):
    assert client.get("/sources/nope").status_code == 404
