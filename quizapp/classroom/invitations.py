"""Invitations to teach a class: asked by one of its instructors, answered by the invited instructor alone."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, contains_eager, joinedload

from quizapp.auth.accounts import user_by_email
from quizapp.classroom.membership import AlreadyTeaching, ClassGone, NotAnInstructor, is_teacher, membership_of
from quizapp.collation import name_key
from quizapp.models import INSTRUCTOR, Classroom, InstructorInvitation, Membership, User
from quizapp.models.locks import share_lock, write_lock


class AlreadyInvited(Exception):
    """The instructor is invited to the class already and has not answered yet."""

    def __init__(self, user: User):
        super().__init__(user.id)
        self.user = user


class InvitationGone(Exception):
    """The invitation was withdrawn (or answered from another tab) while it was being accepted."""


def invite_instructor(session: Session, classroom: Classroom, email: str, by: User) -> InstructorInvitation:
    """Invite another instructor account to teach the class; they have no part in it until they accept."""
    # Write-lock the class first: the form sent twice at once (a double click) then invites them once, the second
    # send finding the invitation there already, instead of both inserting and one failing on the unique pair.
    write_lock(session, Classroom, Classroom.id == classroom.id)
    user = user_by_email(session, email)
    if user is None or not is_teacher(user):
        raise NotAnInstructor(email)
    membership = membership_of(session, user, classroom)
    if membership is not None and membership.role == INSTRUCTOR:
        raise AlreadyTeaching(classroom, user)
    if pending_invitation(session, classroom, user.id) is not None:
        raise AlreadyInvited(user)
    invitation = InstructorInvitation(classroom_id=classroom.id, user_id=user.id, invited_by=by.id)
    session.add(invitation)
    session.flush()
    return invitation


def pending_invitation(session: Session, classroom: Classroom, user_id: int) -> InstructorInvitation | None:
    """The user's unanswered invitation to teach the class, if any."""
    return session.scalar(select(InstructorInvitation).where(InstructorInvitation.classroom_id == classroom.id,
                                                             InstructorInvitation.user_id == user_id))


def class_invitation(session: Session, classroom: Classroom, invitation_id: int) -> InstructorInvitation | None:
    """The class's unanswered invitation with that id, if any."""
    return session.scalar(select(InstructorInvitation).where(InstructorInvitation.id == invitation_id,
                                                             InstructorInvitation.classroom_id == classroom.id))


def invitation_for(session: Session, user: User, invitation_id: int) -> InstructorInvitation | None:
    """The invitation with its class, if it was sent to this user: nobody else may answer it, or learn what it is."""
    # The class in the same statement: loaded after, it may have been deleted in between.
    return session.scalar(select(InstructorInvitation).join(Classroom).options(
        contains_eager(InstructorInvitation.classroom)).where(InstructorInvitation.id == invitation_id,
                                                              InstructorInvitation.user_id == user.id))


def invitations_to(session: Session, user: User) -> list[InstructorInvitation]:
    """The user's unanswered invitations, by class name."""
    invitations = session.scalars(
        select(InstructorInvitation).join(Classroom).where(InstructorInvitation.user_id == user.id)
        .options(joinedload(InstructorInvitation.classroom), joinedload(InstructorInvitation.inviter))
        .order_by(Classroom.name, Classroom.id))
    return list(invitations)


def invitation_count(session: Session, user: User) -> int:
    """How many invitations to teach wait for the user's answer."""
    return session.scalar(select(func.count()).select_from(InstructorInvitation)
                          .where(InstructorInvitation.user_id == user.id))


def invitations_of(session: Session, classroom: Classroom) -> list[InstructorInvitation]:
    """The class's unanswered invitations, by the invited instructor's name."""
    invitations = session.scalars(select(InstructorInvitation).where(InstructorInvitation.classroom_id == classroom.id)
                                  .options(joinedload(InstructorInvitation.user)))
    return sorted(invitations, key=lambda invitation: (name_key(invitation.user.display_name), invitation.user_id))


def accept_invitation(session: Session, user: User, invitation: InstructorInvitation) -> Classroom:
    """Make the invited user a teacher of the class. ClassGone if the class was deleted meanwhile,
    InvitationGone if the invitation was withdrawn or answered meanwhile."""
    if not is_teacher(user):  # made a student since the invitation: the rights it would give are gone
        raise NotAnInstructor(user.email)
    classroom, invitation_id = invitation.classroom, invitation.id
    name = classroom.name
    # Share-lock the class, as joining it does: deleting it at this moment either goes first (and the instructor is
    # told so) or waits for this acceptance, instead of the new membership failing on a vanished class.
    if not share_lock(session, Classroom, Classroom.id == classroom.id):
        raise ClassGone(name)
    # Deleting the invitation is the claim on it: of an acceptance and a withdrawal (or a decline, or a second
    # acceptance) at once, the one that deletes it goes on and the other finds nothing left.
    claimed = session.execute(delete(InstructorInvitation).where(InstructorInvitation.id == invitation_id,
                                                                 InstructorInvitation.user_id == user.id))
    if not claimed.rowcount:
        raise InvitationGone(invitation_id)
    membership = membership_of(session, user, classroom)
    if membership is None:
        session.add(Membership(classroom_id=classroom.id, user_id=user.id, role=INSTRUCTOR))
    else:  # a student of the class, who now teaches it
        membership.role = INSTRUCTOR
    return classroom


def decline_invitation(session: Session, user: User, invitation_id: int) -> bool:
    """Turn an invitation down; False if it was no longer there (withdrawn, or answered from another tab)."""
    # One statement, as for removing a student: two sends at once decline once, the other finding nothing.
    declined = session.execute(delete(InstructorInvitation).where(InstructorInvitation.id == invitation_id,
                                                                  InstructorInvitation.user_id == user.id))
    return bool(declined.rowcount)


def withdraw_invitation(session: Session, classroom: Classroom, invitation_id: int) -> bool:
    """Take back an invitation to teach the class; False if it was no longer there (answered meanwhile)."""
    withdrawn = session.execute(delete(InstructorInvitation).where(InstructorInvitation.id == invitation_id,
                                                                   InstructorInvitation.classroom_id == classroom.id))
    return bool(withdrawn.rowcount)
