"""The users page: find accounts and change their role."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from quizapp.admin import bp
from quizapp.admin.forms import RoleForm, UserSearchForm
from quizapp.auth.roles import LastAdmin, find_users, set_role, untaught_warning
from quizapp.extensions import db
from quizapp.http import View
from quizapp.models import Role, User


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
    text, role = search.q.data or "", search.role.data or ""
    # Past the page's limit the admin must learn that more accounts match, or the rest would seem not to exist.
    found, total = find_users(db.session, text, role) if valid else ([], 0)
    forms = {u.id: RoleForm(prefix=f"user{u.id}", role=u.role) for u in found}
    return (render_template("admin/users.html", search=search, users=found, total=total, forms=forms,
                            kept=_kept_search()),
            200 if valid else 422)


def _kept_search() -> dict[str, str]:
    """The search the page was showing, for a role change to come back to it (when it was a valid one)."""
    search = UserSearchForm(request.args)
    if not search.validate():
        return {}
    return {name: value for name, value in (("q", search.q.data), ("role", search.role.data)) if value}


@bp.post("/users/<int:user_id>/role")
@admin_required
def change_role(user_id: int):
    """Give an account another role, unless that would leave no admin."""
    user = db.session.get(User, user_id) or abort(404)
    form = RoleForm(prefix=f"user{user.id}")
    if not form.validate_on_submit():
        # The refused change comes back on its own row, with the message next to the role.
        return render_template("admin/users.html", search=UserSearchForm(formdata=None), users=[user], total=1,
                               forms={user.id: form}, kept=_kept_search()), 422
    try:
        untaught = set_role(db.session, user, Role(form.role.data))
    except LastAdmin:
        flash("That is the last admin account; make another admin first.", "error")
    else:
        db.session.commit()
        if user.id == current_user.id and user.role != Role.ADMIN.value:
            # This page is for admins only: going back to it would answer "Not allowed" under the message.
            flash(f"You are now {user.role}; the Users page is for admins.", "success")
            if untaught:
                flash(untaught_warning(user, untaught), "error")
            return redirect(url_for("main.index"))
        flash(f"{user.display_name} is now {user.role}.", "success")
        if untaught:
            flash(untaught_warning(user, untaught), "error")
    # Back to the search the change was made from: among hundreds of accounts the row would be hard to find again.
    return redirect(url_for("admin.users", **_kept_search()))
