"""Answer checking: one pure function per question type, looked up in a registry."""

from quizapp.grading import checkers as _checkers  # noqa: F401  (registers the types)
from quizapp.grading.registry import CHECKERS, Grade, grade, register

__all__ = ["CHECKERS", "Grade", "grade", "register"]
