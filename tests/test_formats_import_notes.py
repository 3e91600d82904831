"""What an import keeps that the file wrote for one answer or in markup we cannot show, and how it says so."""

from __future__ import annotations

from quizapp.formats.service import import_text
from quizapp.formats.textio import MAX_QUOTE_DEPTH, html_to_markdown, markdown_to_html

TF_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz><question type="truefalse">
  <name><text>Flat</text></name><questiontext format="html"><text>The earth is flat.</text></questiontext>
  <answer fraction="0"><text>true</text><feedback><text>No, it is round.</text></feedback></answer>
  <answer fraction="100"><text>false</text><feedback><text>Correct, well done!</text></feedback></answer>
</question></quiz>"""


def _one(text: str, fmt: str) -> tuple[dict, list[str]]:
    imported = import_text(text, fmt, "b", "B", {})
    assert len(imported.questions) == 1, imported.problems
    return imported.questions[0], [problem.reason for problem in imported.problems]


def test_true_false_feedback_names_the_answer_it_was_written_for() -> None:
    question, notes = _one("::q::42 is the Absolute Answer.{FALSE#42 is the Ultimate Answer.#You gave the right "
                           "answer.}", "gift")
    assert question["explanation"] == ("**Feedback on true:** 42 is the Ultimate Answer.\n\n"
                                       "**Feedback on false:** You gave the right answer.")
    assert any("labelled with the answer it was written for" in note for note in notes)
    question, _ = _one(TF_XML, "moodlexml")
    assert question["explanation"] == ("**Feedback on true:** No, it is round.\n\n"
                                       "**Feedback on false:** Correct, well done!")


def test_short_answer_and_numerical_feedback_is_labelled_or_reported() -> None:
    question, notes = _one("Name a pet. {=Dog#Good! =%0%Cat#Not that case.}", "gift")
    assert question["answers"] == ["Dog"]
    assert question["explanation"] == ("**Feedback on the answer “Dog”:** Good!\n\n"
                                       "**Feedback on the answer “Cat”:** Not that case.")
    question, _ = _one("How much? {#100:1#Correct! 100% credit}", "gift")
    assert question["explanation"] == "**Feedback on the answer “100 ± 1”:** Correct! 100% credit"
    question, notes = _one("Name a pet. {=Dog#Good!####Dogs are pets.}", "gift")
    assert question["explanation"] == "Dogs are pets."
    assert any("the feedback on the answer “Dog” is not kept" in note for note in notes)


def test_cloze_answers_are_the_plain_words_of_the_deletion() -> None:
    note = ("#separator:tab\n#html:true\n#notetype:Cloze\n"
            "Pi {{c1::3.14}}, {{c2::2. Mai}}, {{c3::1) x}}, {{c4::a &amp; <b>b</b>}}\t\n")
    question, _ = _one(note, "anki")
    assert question["text"] == "Pi {{3.14}}, {{2. Mai}}, {{1) x}}, {{a & b}}"
    xml = ('<?xml version="1.0"?><quiz><question type="cloze"><name><text>c</text></name>'
           '<questiontext format="html"><text><![CDATA[<p>Pi is {1:NUMERICAL:=3.14} and '
           '{1:SA:=a &amp; b~=<b>2. Mai</b>}</p>]]></text></questiontext></question></quiz>')
    question, _ = _one(xml, "moodlexml")
    assert question["text"] == "Pi is {{3.14}} and {{a & b|2. Mai}}"


def test_text_starting_like_a_numbered_list_shows_no_backslash() -> None:
    for fmt, text in (("moodlexml", "<p>2. Mai is a date</p>"), ("gift", "[plain]2. Mai is a date")):
        body = (f'<?xml version="1.0"?><quiz><question type="truefalse"><name><text>d</text></name><questiontext '
                f'format="html"><text><![CDATA[{text}]]></text></questiontext><answer fraction="100"><text>true'
                '</text></answer><answer fraction="0"><text>false</text></answer></question></quiz>'
                if fmt == "moodlexml" else f"{text} {{T}}")
        question, _ = _one(body, fmt)
        assert str(markdown_to_html(question["prompt"])) == "<p>2. Mai is a date</p>"


def _xml_tf(html: str, extra: str = "") -> str:
    return ('<?xml version="1.0"?><quiz><question type="truefalse"><name><text>d</text></name><questiontext '
            f'format="html"><text><![CDATA[{html}]]></text></questiontext><answer fraction="100"><text>true</text>'
            '</answer><answer fraction="0"><text>false</text></answer></question></quiz>')


def test_markup_without_markdown_is_kept_where_it_can_be_and_reported_where_not() -> None:
    question, notes = _one(_xml_tf("x<sup>2</sup> and H<sub>2</sub>O, 10<sup>-3</sup>"), "moodlexml")
    assert question["prompt"] == "x² and H₂O, 10⁻³"
    assert notes == []
    question, notes = _one(_xml_tf("<s>12 €</s> 10 €"), "moodlexml")
    assert question["prompt"] == "~~12 €~~ 10 €" and notes == []
    assert str(markdown_to_html(question["prompt"])) == "<p><s>12 €</s> 10 €</p>"
    question, notes = _one(_xml_tf("e<sup>iπ</sup> <table><tr><td>a</td><td>b</td></tr></table>"), "moodlexml")
    assert "eiπ" in question["prompt"]
    assert any("superscripts" in note for note in notes) and any("tables" in note for note in notes)
    question, notes = _one(_xml_tf('See <a href="@@PLUGINFILE@@/f.pdf">the file</a>, <a href="javascript:x()">'
                                   'this</a> and <a href="https://x.org">the site</a>.'), "moodlexml")
    assert question["prompt"] == "See the file, this and [the site](https://x.org)."
    assert any("links in the text" in note for note in notes)


def test_anki_sounds_and_moodle_case_sensitive_answers_are_reported() -> None:
    question, notes = _one("#separator:tab\n#html:true\nHund [sound:hund.mp3]\tdog\n", "anki")
    assert question["front"] == "Hund"
    assert any("[sound:…]" in note for note in notes)
    xml = ('<?xml version="1.0"?><quiz><question type="shortanswer"><name><text>s</text></name><questiontext>'
           '<text>Symbol of sodium?</text></questiontext><usecase>1</usecase><answer fraction="100"><text>Na</text>'
           '</answer></question></quiz>')
    question, notes = _one(xml, "moodlexml")
    assert question["answers"] == ["Na"]
    assert any("usecase 1" in note for note in notes)


def _xml_cloze(text: str, general: str = "") -> str:
    feedback = f"<generalfeedback><text>{general}</text></generalfeedback>" if general else ""
    return ('<?xml version="1.0"?><quiz><question type="cloze"><name><text>c</text></name><questiontext '
            f'format="html"><text><![CDATA[{text}]]></text></questiontext>{feedback}</question></quiz>')


def test_cloze_gap_feedback_is_labelled_or_reported() -> None:
    question, notes = _one(_xml_cloze("{1:SHORTANSWER:=Paris#Correct!~%0%London#No, <b>that</b> is England.} is a "
                                      "capital."), "moodlexml")
    assert question["text"] == "{{Paris}} is a capital."
    assert question["explanation"] == ("**Feedback on the answer “Paris”:** Correct!\n\n"
                                       "**Feedback on the answer “London”:** No, **that** is England.")
    assert any("cloze has no feedback per answer" in note for note in notes)
    question, notes = _one(_xml_cloze("{1:SA:=owl#Yes} and {1:NM:=2:0~%0%*#Count the cats.} cats"), "moodlexml")
    assert question["explanation"] == ("**Feedback on the answer “owl” in blank 1:** Yes\n\n"
                                       "**Feedback on any other answer in blank 2:** Count the cats.")
    question, notes = _one(_xml_cloze("{1:SA:=owl#Yes} and {1:NM:=2} cats", "Owls hunt cats."), "moodlexml")
    assert question["explanation"] == "Owls hunt cats."
    assert any("the feedback on the answer “owl” in blank 1 is not kept" in note for note in notes)


def test_block_quotes_stay_block_quotes() -> None:
    html = "<p>He said:</p><blockquote><p>one</p><blockquote>two<br>three</blockquote></blockquote><p>after</p>"
    question, notes = _one(_xml_tf(html), "moodlexml")
    assert question["prompt"] == "He said:\n\n> one\n>\n> > two  \n> > three\n\nafter" and notes == []
    assert markdown_to_html(question["prompt"]).replace("\n", "") == (
        "<p>He said:</p><blockquote><p>one</p><blockquote><p>two<br>three</p></blockquote></blockquote><p>after</p>")


def test_quotes_nested_past_the_limit_keep_every_line_without_rewriting_it_at_each_level() -> None:
    # Each level of quote used to prefix every line it held again: 300 levels of 300 lines made 180,000 characters
    # of Markdown out of 10,000 of HTML (and took seconds), of which Markdown showed nothing past 20 levels.
    html = "<blockquote>" * 300 + "line<br>" * 300 + "</blockquote>" * 300
    markdown, lost = html_to_markdown(html)
    assert len(markdown) < 10 * len(html) and lost == set()
    assert markdown.splitlines()[0].rstrip() == "> " * MAX_QUOTE_DEPTH + "line"
    assert markdown_to_html(markdown).count("line") == 300


def test_the_weights_of_wrong_choices_are_named_as_the_file_gives_them() -> None:
    # Wrong choices weighing 0% are not "negative weights": the note quotes what the file says.
    _, notes = _one("Pick the noble gases {~%50%Helium ~%50%Neon ~Oxygen ~Iron}", "gift")
    assert any("takes away 1/2 here; these weights of wrong choices are not kept: 'Oxygen' (0%), 'Iron' (0%)" in note
               for note in notes), notes


def test_a_gift_question_without_its_answers_is_said_to_be_missing_them() -> None:
    imported = import_text("::q1:: What is 2+2? {=4 ~3}\n\n::q2:: Who discovered penicillin?\n", "gift", "b", "B", {})
    assert [question["id"] for question in imported.questions] == ["q1"]
    assert any("its answers are missing: in GIFT they go in { } after its text" in problem.reason
               for problem in imported.problems)
