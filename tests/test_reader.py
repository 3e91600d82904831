"""The source reader: full text, sections as headings, the cited passage highlighted."""

from __future__ import annotations

import re
from html import unescape

import pytest
from markupsafe import escape
from sqlalchemy import select

from quizapp.banks.checker import check_paths
from quizapp.banks.loader import load_banks
from quizapp.content.documents import CatalogueError, load_catalogue
from quizapp.content.passages import Block, document_blocks
from quizapp.extensions import db
from quizapp.models import Question
from tests.conftest import QUESTIONS
from tests.test_bank_delete import uploaded
from tests.test_classroom_rules import course  # noqa: F401 - fixture


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


def test_notes_open_with_their_title_and_the_notes_stay_paragraphs(app, client):
    load_sources(app)
    page = client.get("/sources/osw-2022").get_data(as_text=True)
    assert '<a href="#section-9">Notes</a>' in page
    assert '<h2 id="section-9">Notes</h2>' in page
    assert "<p>[1] See K. Strachota, ‘Protests escalating in Kazakhstan‘, OSW, 5 January 2022, osw.waw.pl.</p>" in page
    assert not re.search(r"<h2[^>]*>\[\d+\]", page)


# Where the text's own heading line differs from the title in the Sections menu.
HEADING_LINES = {"Appendix: constitutional changes": "APPENDIX",
                 "Appendix: trade in 2021": "Kazakhstan’s trade in 2021"}


@pytest.mark.parametrize("document_id", ["osw-2022", "cornell-barro-2022"])
def test_every_section_in_the_menu_opens_with_its_heading(app, client, document_id):
    load_sources(app)
    page = client.get(f"/sources/{document_id}").get_data(as_text=True)
    links = [(anchor, unescape(title)) for anchor, title in re.findall(r'<a href="#(section-\d+)">(.*?)</a>', page)]
    headings = {anchor: unescape(text) for anchor, text in re.findall(r'<h2 id="(section-\d+)">(.*?)</h2>', page)}
    assert len(links) >= 8 and [anchor for anchor, _ in links] == list(headings)
    for anchor, title in links:
        assert headings[anchor] == HEADING_LINES.get(title, title)


def test_a_heading_run_on_by_a_page_break_still_opens_its_section():
    # The first paragraph ends mid-sentence on a long line, which reads as a page break and would join the next.
    text = "Opening words " + "and more " * 12 + "\n\nHeading\n\nBody text.\n\n[1] A note.\n"
    sections = [{"title": "Opening", "start": 0}, {"title": "Heading", "start": text.index("Heading")},
                {"title": "Notes", "start": text.index("[1]"), "heading_in_text": False}]
    blocks = document_blocks(text, sections, None, None)
    assert blocks[1:] == [Block("h2", (("Heading", False),), "section-2"), Block("p", (("Body text.", False),)),
                          Block("h2", (("Notes", False),), "section-3"), Block("p", (("[1] A note.", False),))]
    assert [block.tag for block in document_blocks(text, [], None, None)] == ["p", "p", "p"]


def write_catalogue(folder, sections: str) -> None:
    (folder / "text.txt").write_text("Opening.\n\nBody\n\nBody text.\n\n[1] A note.\n", encoding="utf-8")
    (folder / "sources.yaml").write_text(
        "documents:\n  - {id: d, file: text.txt, title: T, authors: A, publisher: P, published: '2022', address: U,\n"
        f"     sections: {sections}}}\n", encoding="utf-8")


def test_a_section_without_a_heading_starts_at_the_line_it_names(tmp_path):
    write_catalogue(tmp_path, "[Opening, Body, {title: Notes, starts: '[1]'}]")
    document = load_catalogue(tmp_path)["d"]
    text = document.text
    assert [(s.title, s.start, s.heading_in_text) for s in document.sections] == [
        ("Opening", 0, False), ("Body", text.index("Body"), True), ("Notes", text.index("[1]"), False)]


@pytest.mark.parametrize(("sections", "message"), [
    ("[Opening, {title: Notes, starts: '[2]'}]", "no line starts with: '[2]'"),
    ("[Opening, {title: Notes, starts: 'A note'}]", "no line starts with"),  # not at a line's start
    ("[Opening, {title: Notes, starts: ''}]", "no line starts with"),
    ("[Opening, {title: Notes, heading: Body, starts: '[1]'}]", "has both 'heading' and 'starts'"),
    ("[Opening, Body text]", "section heading not found on a line of its own"),  # a line starts so, but is longer
])
def test_a_section_start_that_is_not_in_the_text_is_an_error(tmp_path, sections, message):
    write_catalogue(tmp_path, sections)
    with pytest.raises(CatalogueError, match=re.escape(message)):
        load_catalogue(tmp_path)


def test_a_hyphen_ending_a_line_stays_unless_the_word_goes_on(app, client):
    load_sources(app)
    page = unescape(client.get("/sources/cornell-barro-2022").get_data(as_text=True))
    assert "a foregone conclusion. However, the reforms" in page  # "How-" + "ever": one word
    # A web address ending a line keeps its hyphen, before the next paragraph's capital or the next note.
    assert "publications/joint-center-</p>" in page and "<p>Kazakhstan's multi-vector foreign policy" in page
    assert "(https://silkroadstud-</p>" in page and "<p>¹⁶ S. Frederick Starr" in page
    assert "joint-centerKazakhstan" not in page and "silkroadstud¹⁶" not in page


def test_footnotes_between_the_lines_of_a_paragraph_are_paragraphs_of_their_own(app, client):
    load_sources(app)
    page = unescape(client.get("/sources/cornell-barro-2022").get_data(as_text=True))
    # The sentence a note's number closes ends its paragraph; a note or web address is never run into a sentence.
    assert "seven agricultural ecosystems.3</p>" in page and "<p>Manufacturing in Kazakhstan" in page
    assert "the goods that Kazakh citizens demand</p>" in page and '<p>² "The President of Kazakhstan' in page
    assert "freedom of speech,</p>" in page and "<p>(https://www.akorda.kz/en/addresses" in page
    assert "in 10 years.⁴</p>" in page and '<p>"Digital Kazakhstan" plays' in page


def test_the_appendix_lists_are_lists(app, client):
    load_sources(app)
    text = (QUESTIONS / "sources" / "000_7d53f7279d39a046.txt").read_text(encoding="utf-8")
    start = text.index("may not belong")
    end = text.index("members of his close family") + len("members of his close family")
    page = client.get(f"/sources/osw-2022?start={start}&end={end}").get_data(as_text=True)
    lists = re.findall(r'<ul class="dashes">(.*?)</ul>', page, re.S)
    items = [[unescape(re.sub(r"<[^>]+>", "", item)) for item in re.findall(r"<li>(.*?)</li>", found, re.S)]
             for found in lists]
    assert items == [
        ["may not belong to a political party;",
         "members of his close family cannot hold managerial positions in state administration or state-owned "
         "enterprises."],
        ["the number of deputies for the Mazhilis (lower house) has been reduced from 107 to 98;",
         "MPs are elected in a mixed system (previously they had been exclusively elected by a majority system)."],
        ["a Constitutional Court has been established (previously there was a Constitutional Council, but citizens "
         "could not submit individual motions to it: now they can);",
         "the death penalty has been removed from the constitution."],
    ]
    # A passage over two items is marked in each, its start the link's target.
    assert '<li><mark id="passage" tabindex="-1">may not belong to a political party;</mark></li>' in page
    assert "<li><mark>members of his close family</mark> cannot hold" in page
    assert "<p>President:</p>" in page and "<p>- " not in page


def test_the_sources_page_gives_each_text_its_whole_citation(app, client):
    load_sources(app)
    page = client.get("/sources/").get_data(as_text=True)
    for document in load_catalogue(QUESTIONS / "sources").values():
        entry = re.search(rf'<li><a href="/sources/{document.id}">(.*?)</li>', page, re.S).group(1)
        for value in (document.title, document.authors, document.publisher, document.published):
            assert str(escape(value)) in entry
        assert f'Original: <a href="{document.address}" rel="noopener noreferrer">{document.address}</a>' in entry


def back_links(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a href="([^"]*)">Back to the question</a>', page)]


def test_the_question_it_was_opened_from_is_a_link_away(app, client):
    load_sources(app)
    page = client.get("/sources/osw-2022?start=5&end=20&back=/quiz/3/q/2").get_data(as_text=True)
    assert back_links(page) and set(back_links(page)) == {"/quiz/3/q/2"}
    assert back_links(client.get("/sources/osw-2022?back=/quiz/3/q/2%3Fx%3D1").get_data(as_text=True))[0] \
        == "/quiz/3/q/2?x=1"
    assert not back_links(client.get("/sources/osw-2022").get_data(as_text=True))


@pytest.mark.parametrize("back", [
    "https://elsewhere.example/quiz/3/q/2",
    "//elsewhere.example/quiz/3/q/2",
    "/\\elsewhere.example/quiz/3/q/2",  # browsers read a backslash as a slash
    "\\\\elsewhere.example/quiz/3/q/2",
    "/\t/elsewhere.example",  # browsers drop tabs and line breaks from an address
    "/\n/elsewhere.example",
    "javascript:alert(1)",
    "http:/quiz/3/q/2",
    "quiz/3/q/2",  # relative: it would resolve against /sources/
    "/no-such-page",
    "/auth/logout",  # no page: a form posts there
    "",
])
def test_a_return_address_that_is_not_a_page_of_this_site_is_ignored(app, client, back):
    load_sources(app)
    response = client.get("/sources/osw-2022", query_string={"back": back})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert not back_links(page)
    assert "elsewhere" not in page


def test_the_way_back_is_also_right_after_the_highlighted_passage(app, client):
    # The page opens at the passage: on a phone the links at the top and the end are screens away from it.
    load_sources(app)
    page = client.get("/sources/osw-2022?start=3241&end=3475&back=/quiz/3/q/2").get_data(as_text=True)
    after_mark = page[page.rindex("</mark>"):]
    next_paragraph = after_mark.index("<p>", after_mark.index("</p>"))
    assert after_mark.index('<p class="back-after-passage"><a href="/quiz/3/q/2">Back to the question</a></p>') \
        < next_paragraph
    assert len(back_links(page)) == 2  # at the top, and after the passage instead of at the end
    plain = client.get("/sources/osw-2022?back=/quiz/3/q/2").get_data(as_text=True)
    assert len(back_links(plain)) == 2 and "back-after-passage" not in plain  # at the top and the end


def passage_links(page: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a href="(/sources/[^"]*)">Read this passage in the full text</a>',
                                                   page)]


def test_the_full_text_opened_from_a_bank_preview_links_back_to_the_question(teacher):
    bank = uploaded(teacher)
    question = db.session.scalar(select(Question).where(Question.bank_id == bank.id))
    preview = teacher.get(f"/banks/{bank.id}/preview").get_data(as_text=True)
    # The link back lands on the answer read, inside its section, which details.js opens.
    answer = re.search(rf'<details>\s*<summary>Answer and source</summary>\s*<div id="answer-{question.id}">', preview)
    assert answer and '<script src="/static/details.js"></script>' in preview
    [link] = passage_links(preview)
    reader = teacher.get(link).get_data(as_text=True)
    assert back_links(reader) and set(back_links(reader)) == {f"/banks/{bank.id}/preview#answer-{question.id}"}


def test_the_full_text_opened_from_an_assignments_question_links_back_to_it(teacher, course):  # noqa: F811
    seats = db.session.scalar(select(Question).where(Question.key == "seats-choice"))
    url = f"/classes/{course.classroom_id}/assignments/{course.id}/questions/{seats.id}"
    [link] = passage_links(teacher.get(url).get_data(as_text=True))
    reader = teacher.get(link).get_data(as_text=True)
    # The version read, asked for or not: the page would show another once the bank changes the question.
    assert back_links(reader) and set(back_links(reader)) == {f"{url}?version=1"}
