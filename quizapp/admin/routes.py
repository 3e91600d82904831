"""The users page: find accounts, change their role, deactivate and reactivate them."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.admin import bp
from quizapp.admin.forms import AccountForm, RoleForm, UserSearchForm
from quizapp.api.tokens import live_token_count
from quizapp.auth.deactivation import OwnAccount, deactivate, reactivate
from quizapp.auth.roles import LAST_ADMIN, TEACHING_ROLES, LastAdmin, a_role, find_users, set_role, untaught_warning
from quizapp.classroom.membership import classes_of, classes_only_they_teach
from quizapp.extensions import db
from quizapp.http import View
from quizapp.models import INSTRUCTOR, STUDENT, Role, User


def admin_required(view: View) -> View:
    """Let only logged-in admins through to the view; others get 403."""
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role != Role.ADMIN.value:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/users")
@admin_required
def users():
    """Every account with its role, for an admin to change."""
    search = UserSearchForm(request.args)
    valid = search.validate()
    text, role, status = search.q.data or "", search.role.data or "", search.status.data or ""
    # Past the page's limit the admin must learn that more accounts match, or the rest would seem not to exist.
    found, total = find_users(db.session, text, role, status) if valid else ([], 0)
    forms = {u.id: RoleForm(prefix=f"user{u.id}", role=u.role) for u in found}
    return (render_template("admin/users.html", search=search, users=found, total=total, forms=forms,
                            kept=kept_search(), account_form=AccountForm()),
            200 if valid else 422)


def kept_search() -> dict[str, str]:
    """The search the page was showing, for an action on one of its rows to come back to it (if valid)."""
    search = UserSearchForm(request.args)
    if not search.validate():
        return {}
    return {name: value for name, value in (("q", search.q.data), ("role", search.role.data),
                                            ("status", search.status.data)) if value}


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int):
    """Give an account another role, unless that would leave no admin."""
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm(prefix=f"user{user.id}")
    if not form.validate_on_submit():
        # The refused change comes back on its own row, with the message next to the role.
        return render_template("admin/users.html", search=UserSearchForm(formdata=None), users=[user], total=1,
                               forms={user.id: form}, kept=kept_search(), account_form=AccountForm()), 422
    try:
        untaught = set_role(db.session, user, Role(form.role.data))
    except LastAdmin:
        flash(LAST_ADMIN, "error")
    else:
        db.session.commit()
        if user.id == current_user.id and user.role != Role.ADMIN.value:
            # This page is for admins only: going back to it would answer "Not allowed" under the message.
            flash(f"You are now {a_role(user.role)}; the Users page is for admins.", "success")
            if untaught:
                flash(untaught_warning(user, untaught), "error")
            return redirect(url_for("main.index"))
        flash(f"{user.display_name} is now {a_role(user.role)}.", "success")
        if untaught:
            flash(untaught_warning(user, untaught), "error")
    # Back to the search the change was made from: among hundreds of accounts the row would be hard to find again.
    return redirect(url_for("admin.users", **kept_search()))


@bp.route("/users/<int:user_id>/deactivate", methods=["GET", "POST"])
@admin_required
def deactivate_user(user_id: int):
    """Ask, then close an account: it can no longer log in, and its work stays in the classes' records."""
    user = db.session.get(User, user_id) or abort(404)
    back = url_for("admin.users", **kept_search())
    form = AccountForm()
    if not user.is_active:
        flash(f"{user.display_name} is already deactivated.", "info")
        return redirect(back)
    if form.validate_on_submit():
        try:
            untaught = deactivate(db.session, user, by=current_user)
        except OwnAccount:
            flash("You cannot deactivate your own account; another admin can.", "error")
        except LastAdmin:
            flash(LAST_ADMIN, "error")
        else:
            db.session.commit()
            flash(f"{user.display_name} is deactivated: they cannot log in, and their work is kept.", "success")
            if untaught:
                flash(untaught_warning(user, untaught, closed=True), "error")
        return redirect(back)
    # The consequences are listed before anything happens, as for the other actions that take something away.
    return render_template(
        "admin/deactivate.html", user=user, form=form, back=back, own=user.id == current_user.id,
        tokens=live_token_count(db.session, user), studies=classes_of(db.session, user, STUDENT),
        teaches=classes_of(db.session, user, INSTRUCTOR),
        untaught=classes_only_they_teach(db.session, user) if user.role in TEACHING_ROLES else [])


@bp.post("/users/<int:user_id>/reactivate")
@admin_required
def reactivate_user(user_id: int):
    """Let a deactivated account log in again with its old password."""
    user = db.session.get(User, user_id) or abort(404)
    if AccountForm().validate_on_submit() and reactivate(user):
        db.session.commit()
        flash(f"{user.display_name} is active again and can log in with their old password.", "success")
    return redirect(url_for("admin.users", **kept_search()))
