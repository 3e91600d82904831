"""Questions, feedback and progress as JSON. Nothing here reveals a key unless feedback is due."""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import urljoin

from flask import request
from sqlalchemy import select
from sqlalchemy.orm import Session

from quizapp.banks.schema import CLOZE_BLANK
from quizapp.content.markdown import render_markdown
from quizapp.grading.registry import Grade
from quizapp.models import Question, QuestionRevision, QuizAttempt, QuizItem, SourceDocument
from quizapp.quiz.present import correct_answer, given_answer_text, source_views
from quizapp.quiz.service import choice_order, is_answered


def markdown(text: str) -> dict[str, str]:
    """Markdown as written and as sanitized HTML."""
    return {"markdown": text, "html": str(render_markdown(text))}


def listed_order(user_id: int, question: Question, data: dict[str, Any]) -> list[int] | None:
    """The order a question's choices are listed in for one student outside a quiz (the same on every call).
    Banks are often written with the right choice first, so the written order would give the key away."""
    return choice_order(question.type, data, random.Random(f"{user_id}:{question.id}:listed"))


def question_json(question: Question, data: dict[str, Any], choice_order: list[int] | None) -> dict[str, Any]:
    """A question as a student sees it before answering: prompt and choices in the order given, no key, no
    explanation, and not the bank's own name for it (which often names the answer)."""
    body: dict[str, Any] = {"id": question.id, "type": question.type, "topic": question.topic,
                            "tags": question.tags or [], "difficulty": question.difficulty}
    qtype = question.type
    if qtype == "flashcard":
        body["front"] = markdown(data["front"])
        return body
    if qtype == "cloze":
        counter = iter(range(1, 1000))
        body["text"] = markdown(CLOZE_BLANK.sub(lambda _m: f"[{next(counter)}]", data["text"]))
        body["blanks"] = len(data["blanks"])
        return body
    body["prompt"] = markdown(data["prompt"])
    if "choices" in data:
        order = choice_order if choice_order is not None else list(range(len(data["choices"])))
        body["choices"] = [{"position": pos, "text": markdown(data["choices"][index]["text"])}
                           for pos, index in enumerate(order)]
    if qtype == "numeric" and data.get("unit"):
        body["unit"] = data["unit"]
    return body


def sources_json(session: Session, revision: QuestionRevision) -> list[dict[str, Any]]:
    """Each cited passage: the document, the passage in its context with the quote marked, and a link."""
    cited = [s["document"] for s in revision.data.get("sources", [])]
    documents = {d.id: d for d in session.scalars(select(SourceDocument).where(SourceDocument.id.in_(cited)))}
    result = []
    for view in source_views(revision, documents):
        document = view.document
        result.append({
            "document": {"id": document.id, "title": document.title, "authors": document.authors,
                         "publisher": document.publisher, "published": document.published,
                         "address": document.address},
            # A passage over several paragraphs (list items) reads with a space where each paragraph ends.
            "quote": (" ".join("".join(text for text, marked in p.runs if marked) for p in view.paragraphs
                               if p.has_mark)
                      if view.link else view.quote),
            "context": [[{"text": text, "highlighted": marked} for text, marked in p.runs] for p in view.paragraphs],
            "url": urljoin(request.host_url, view.link) if view.link else None,
            "text_changed": view.link is None,
        })
    return result


def feedback_json(session: Session, item: QuizItem, result: Grade | None, queued: bool) -> dict[str, Any]:
    """The verdict on an answered item: right or wrong, the correct answer, why, the source, and whether the
    question, missed, is now in the student's study queue (`queued`, as queued_for_study decides)."""
    qtype, data, response = item.question.type, item.revision.data, item.response
    # A flashcard whose back was shown waits for the student's own grade: no verdict yet, rather than a wrong one.
    waiting = qtype == "flashcard" and response.given is None
    body: dict[str, Any] = {
        "correct": None if waiting else bool(response.is_correct), "score": None if waiting else response.score,
        "your_answer": given_answer_text(qtype, data, response.given),
        "correct_answer": correct_answer(qtype, data),
        "explanation": markdown(data.get("explanation", "")),
        "sources": sources_json(session, item.revision),
        "queued_for_study": queued,
    }
    if qtype == "flashcard":
        body["back"] = markdown(data["back"])
    if result is not None and qtype == "cloze":
        body["blanks"] = list(result.parts)
    if qtype in ("single_choice", "multiple_response") and response.given is not None:
        picked = response.given if isinstance(response.given, list) else [response.given]
        body["choice_feedback"] = [
            {"position": (item.choice_order or []).index(i), "text": data["choices"][i]["text"],
             "correct": i in data["correct"], "feedback": data["choices"][i]["feedback"]} for i in picked]
    return body


def attempt_json(attempt: QuizAttempt, feedback: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """A quiz: its items (questions without keys) and, where it may be shown, each item's feedback."""
    return {
        "id": attempt.id, "bank_id": attempt.bank_id, "assignment_id": attempt.assignment_id,
        "started_at": attempt.started_at.isoformat(),
        "finished_at": attempt.finished_at.isoformat() if attempt.finished_at else None,
        "deadline_at": attempt.deadline_at.isoformat() if attempt.deadline_at else None,
        "items": [
            {"position": item.position, "answered": is_answered(item),
             "question": question_json(item.question, item.revision.data, item.choice_order),
             **({"feedback": feedback[item.position]} if item.position in feedback else {})}
            for item in attempt.items
        ],
    }
