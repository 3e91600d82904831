"""Inviting another instructor to teach a class, and their answer: nobody teaches a class without saying yes."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from quizapp.classroom import bp
from quizapp.classroom.access import class_taught, teacher_required
from quizapp.classroom.forms import ActionForm, InstructorForm
from quizapp.classroom.invitations import (
    AlreadyInvited,
    InvitationGone,
    accept_invitation,
    class_invitation,
    decline_invitation,
    invitation_for,
    invite_instructor,
    withdraw_invitation,
)
from quizapp.classroom.limits import invitation_mail_allowed, refused_invitations_per_account
from quizapp.classroom.mails import send_invitation
from quizapp.classroom.membership import AlreadyTeaching, ClassGone, NotAnInstructor, taught_class
from quizapp.classroom.routes import detail_page
from quizapp.extensions import db
from quizapp.failures import error_response
from quizapp.mail import mail_available, mail_kept_locally


@bp.post("/<int:classroom_id>/instructors")
@teacher_required
@refused_invitations_per_account
def add_teacher(classroom_id: int):
    """Invite another instructor, by their email, to teach the class too."""
    classroom = class_taught(classroom_id)
    form = InstructorForm()
    if form.validate_on_submit():
        try:
            invitation = invite_instructor(db.session, classroom, form.email.data, by=current_user)
        except NotAnInstructor:
            form.email.errors.append("That email does not belong to an instructor account.")
        except AlreadyTeaching as teaching:
            form.email.errors.append("You already teach this class." if teaching.user.id == current_user.id
                                     else f"{teaching.user.display_name} already teaches this class.")
        except AlreadyInvited as invited:
            form.email.errors.append(f"{invited.user.display_name} is invited already and has not answered yet.")
        else:
            invitee, class_name = invitation.user, classroom.name
            name, email = invitee.display_name, invitee.email
            db.session.commit()
            # Mailed once stored: an invitation that failed to commit must not be announced.
            held_back = False
            if mail_available():
                held_back = not invitation_mail_allowed(email)
                if not held_back:
                    send_invitation(email, name, class_name, by=current_user)
            flash(invited_message(name, held_back), "success")
            return redirect(url_for("classroom.detail", classroom_id=classroom.id))
    return detail_page(classroom, 422, instructor_form=form)


def invited_message(name: str, held_back: bool = False) -> str:
    """What the inviter is told: where the invitee answers, and whether a mail told them."""
    answer = "They teach this class once they accept on their Classes page; until then they cannot open it."
    if held_back:
        # Not said: how many mails, or from whom. The invitation is on their Classes page all the same.
        return (f"{name} is invited. {answer} We sent them no email this time, as one address gets only a few "
                "invitation emails a day, so let them know yourself.")
    if mail_kept_locally():
        return (f"{name} is invited. {answer} This server has no mail server set up, so the mail telling them was "
                "not sent: it is in the terminal where quizapp runs, and under instance/outbox/.")
    if mail_available():
        return f"{name} is invited, and we sent them an email. {answer}"
    return f"{name} is invited. {answer} This site sends no email, so let them know yourself."


@bp.post("/<int:classroom_id>/invitations/<int:invitation_id>/withdraw")
@teacher_required
def withdraw(classroom_id: int, invitation_id: int):
    """Take back an invitation to teach the class that its instructor has not answered."""
    classroom = class_taught(classroom_id)
    invitation = class_invitation(db.session, classroom, invitation_id)
    # Answered or withdrawn since the page was shown; an id of no invitation of this class is told the same.
    if invitation is None:
        flash("That invitation was answered or withdrawn already: the lists below are up to date.", "info")
        return redirect(url_for("classroom.detail", classroom_id=classroom.id))
    invitee = invitation.user
    if ActionForm().validate_on_submit():
        if withdraw_invitation(db.session, classroom, invitation_id):
            db.session.commit()
            flash(f"The invitation to {invitee.display_name} is withdrawn.", "success")
        elif taught_class(db.session, invitee, classroom.id) is not None:
            flash(f"{invitee.display_name} accepted a moment ago and now teaches this class. To take them off, "
                  "use Remove next to their name.", "info")
        else:
            flash(f"{invitee.display_name} declined a moment ago.", "info")
    return redirect(url_for("classroom.detail", classroom_id=classroom.id))


@bp.post("/invitations/<int:invitation_id>/accept")
@login_required
def accept(invitation_id: int):
    """Accept an invitation to teach a class: only the instructor it was sent to may."""
    invitation = invitation_for(db.session, current_user, invitation_id)
    if invitation is None:
        return no_longer_open()
    classroom_id, name = invitation.classroom_id, invitation.classroom.name
    if not ActionForm().validate_on_submit():
        return redirect(url_for("classroom.index"))
    try:
        accept_invitation(db.session, current_user, invitation)
    except NotAnInstructor:
        flash("Only instructor accounts can teach a class, and yours is not one now. You can decline the "
              "invitation, or ask an admin to make your account an instructor again.", "error")
        return redirect(url_for("classroom.index"))
    except ClassGone:
        db.session.rollback()
        flash(f"“{name}” was deleted a moment ago, so you were not added to it.", "error")
        return redirect(url_for("classroom.index"))
    except InvitationGone:
        db.session.rollback()
        if taught_class(db.session, current_user, classroom_id) is None:
            flash(f"The invitation to teach “{name}” was withdrawn a moment ago.", "error")
            return redirect(url_for("classroom.index"))
    else:
        db.session.commit()
    flash(f"You now teach “{name}”.", "success")
    return redirect(url_for("classroom.detail", classroom_id=classroom_id))


@bp.post("/invitations/<int:invitation_id>/decline")
@login_required
def decline(invitation_id: int):
    """Turn down an invitation to teach a class: only the instructor it was sent to may."""
    invitation = invitation_for(db.session, current_user, invitation_id)
    if invitation is None:
        return no_longer_open()
    name = invitation.classroom.name
    if ActionForm().validate_on_submit():
        if decline_invitation(db.session, current_user, invitation_id):
            db.session.commit()
            flash(f"You declined to teach “{name}”.", "success")
        else:
            flash(f"The invitation to teach “{name}” was already withdrawn or answered.", "info")
    return redirect(url_for("classroom.index"))


def no_longer_open():
    """The page for an answer to an invitation that is not open to this user: withdrawn, answered, or not theirs."""
    # Still a 404, and the same words whatever the id: one sent to somebody else, or never given, must not tell
    # itself apart from one withdrawn. The words are for the invitee answering from a page left open.
    return error_response(404, "Invitation no longer open",
                          "That invitation to teach is no longer open: it was withdrawn or answered already. "
                          "Your Classes page lists the invitations still waiting for your answer.")
