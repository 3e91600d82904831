"""The assignment form keeps the instructor's ticks: boxes ticked in a list the chosen selection leaves out are
refused with a word on what to do, not dropped, while the ticks an edited assignment opens with may stay behind."""

from __future__ import annotations

from sqlalchemy import func, select, update

from quizapp.classroom.assignments import GRADED_TYPES
from quizapp.classroom.forms import AssignmentForm
from quizapp.extensions import db
from quizapp.models import Assignment, Question
from tests.test_classroom_edges import set_assignment, set_assignment_at, teaching  # noqa: F401 - fixture


def gradable_ids(count: int) -> list[int]:
    return list(db.session.scalars(select(Question.id).where(Question.type.in_(GRADED_TYPES), Question.retired_at
                                                             .is_(None)).order_by(Question.id).limit(count)))


def tag_a_question() -> str:
    """A tag on one gradable question, so the form offers a selection by tags (the fixture bank has none)."""
    db.session.execute(update(Question).where(Question.id == gradable_ids(1)[0]).values(tags=["seats"]))
    db.session.commit()
    return "seats"


def assignments() -> int:
    return db.session.scalar(select(func.count()).select_from(Assignment))


def test_questions_ticked_under_the_whole_bank_are_refused_with_what_to_do(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    picked = gradable_ids(3)
    response = set_assignment(client, classroom, bank_id, selection="all", questions=[str(i) for i in picked])
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and assignments() == 0
    assert ('<p class="error" id="selection-error">You ticked 3 questions, but “The whole bank” is chosen: choose '
            "“Hand-picked questions” to set only those, or untick them.</p>") in page
    # Sent back as ticked, in a list left open to see them.
    assert all(_ticked(page, i) for i in picked)
    assert "<details open><summary>Questions</summary>" in page


def _ticked(page: str, question_id: int) -> bool:
    start = page.index(f'value="{question_id}"', page.index('name="questions"'))
    return "checked" in page[page.rindex("<input", 0, start):page.index(">", start)]


def test_a_topic_ticked_under_tags_is_named_and_a_lone_tick_is_it(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    tag = tag_a_question()
    response = set_assignment(client, classroom, bank_id, selection="tags", tags=tag, topics="Parliament")
    assert response.status_code == 422 and assignments() == 0
    assert ("You ticked 1 topic, but “Some tags” is chosen: choose “Some topics” to set only its questions, or untick "
            "it.") in response.get_data(as_text=True)


def test_ticks_in_two_lists_left_out_are_named_together(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    response = set_assignment(client, classroom, bank_id, selection="all", topics="Parliament",
                              questions=[str(i) for i in gradable_ids(2)])
    assert response.status_code == 422
    assert ("You ticked 1 topic and 2 questions, but “The whole bank” is chosen. Questions come from one list only: "
            "choose “Some topics” or “Hand-picked questions” and untick the rest, or untick them all."
            ) in response.get_data(as_text=True)


def test_hand_picked_questions_are_set_with_the_other_lists_empty(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    picked = gradable_ids(2)
    assert set_assignment(client, classroom, bank_id, selection="questions",
                          questions=[str(i) for i in picked]).status_code == 302
    assignment = db.session.scalar(select(Assignment))
    assert (assignment.selection, assignment.question_ids) == ("questions", picked)


def test_an_edited_assignment_may_leave_its_own_ticks_behind_for_the_whole_bank(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    picked = gradable_ids(3)
    assert set_assignment(client, classroom, bank_id, selection="questions",
                          questions=[str(i) for i in picked]).status_code == 302
    assignment = db.session.scalar(select(Assignment))
    edit = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    assert "You ticked" not in client.get(edit).get_data(as_text=True)
    # The boxes still ticked as the form showed them are the assignment's own, not a new choice.
    saved = set_assignment_at(client, edit, bank_id, selection="all", questions=[str(i) for i in picked])
    assert saved.status_code == 302
    db.session.refresh(assignment)
    assert (assignment.selection, assignment.question_ids) == ("all", [])


def test_an_edited_assignment_refuses_a_tick_it_did_not_open_with(teaching):  # noqa: F811
    client, classroom, bank_id = teaching
    first, second, third = gradable_ids(3)
    assert set_assignment(client, classroom, bank_id, selection="questions",
                          questions=[str(first), str(second)]).status_code == 302
    assignment = db.session.scalar(select(Assignment))
    edit = f"/classes/{classroom.id}/assignments/{assignment.id}/edit"
    refused = set_assignment_at(client, edit, bank_id, selection="all", questions=[str(first), str(third)])
    assert refused.status_code == 422
    assert "You ticked 1 question, but “The whole bank” is chosen" in refused.get_data(as_text=True)
    db.session.refresh(assignment)
    assert (assignment.selection, assignment.question_ids) == ("questions", [first, second])
    # A topic ticked while editing counts too: it was not among the assignment's own.
    assert set_assignment_at(client, edit, bank_id, selection="questions", questions=[str(first)],
                             topics="Parliament").status_code == 422


def test_the_form_counts_only_ticks_made_since_it_opened(app):
    with app.test_request_context(method="POST", data={"selection": "all", "topics": ["A", "B"], "tags": ["x"]}):
        form = AssignmentForm(meta={"csrf": False})
        assert form.left_out() == {"topics": 2, "tags": 1}
        form.opened = {"topics": frozenset({"A", "B"}), "tags": frozenset({"y"})}
        assert form.left_out() == {"tags": 1}
        form.selection.data = "tags"
        assert form.left_out() == {}
