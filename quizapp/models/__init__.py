"""Database models; importing this package registers every table on the metadata."""

from quizapp.models.api_token import ApiToken
from quizapp.models.classroom import INSTRUCTOR, STUDENT, Assignment, Classroom, InstructorInvitation, Membership
from quizapp.models.content import Bank, Question, QuestionRevision, SourceDocument
from quizapp.models.quiz import QuizAttempt, QuizItem, Response
from quizapp.models.registration import PendingRegistration
from quizapp.models.study import Card, ReviewLog
from quizapp.models.user import Role, User

__all__ = [
    "ApiToken",
    "INSTRUCTOR",
    "STUDENT",
    "Assignment",
    "Classroom",
    "InstructorInvitation",
    "Membership",
    "Bank",
    "Card",
    "PendingRegistration",
    "Question",
    "QuestionRevision",
    "QuizAttempt",
    "QuizItem",
    "Response",
    "ReviewLog",
    "Role",
    "SourceDocument",
    "User",
]
