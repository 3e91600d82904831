"""The mail that tells an instructor they are invited to teach a class; it carries no secret, only a link."""

from __future__ import annotations

from flask import render_template

from quizapp.mail import one_line, send_mail, site_link
from quizapp.models import User


def send_invitation(email: str, invitee: str, class_name: str, by: User) -> None:
    """Tell the invited instructor who invites them to which class, and where they accept or decline."""
    # Names are one line here too: a class name broken over lines could pass for the mail's own text.
    class_name = one_line(class_name)
    body = render_template("classroom/mail/invitation.txt", invitee=one_line(invitee), classroom=class_name,
                           inviter=one_line(by.display_name), inviter_email=by.email,
                           link=site_link("classroom.index"))
    send_mail(email, f"Invitation to teach “{class_name}” on quizapp", body)
