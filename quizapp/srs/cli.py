"""`flask study optimize EMAIL`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.auth.accounts import user_by_email
from quizapp.extensions import db
from quizapp.srs.optimize import NotEnoughReviews, OptimizerMissing, fit_parameters

study_cli = AppGroup("study", help="Spaced-repetition maintenance.")


@study_cli.command("optimize", short_help="Fit personal FSRS parameters to one account's reviews.")
@click.argument("email")
def optimize_command(email: str) -> None:
    """Fit personal FSRS parameters for the account with EMAIL from its reviews (needs at least 1,000)."""
    user = user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No user with the email {email}.")
    try:
        parameters = fit_parameters(db.session, user)
    except (NotEnoughReviews, OptimizerMissing) as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Fitted {len(parameters)} parameters for {user.email}; their next reviews use them.")
    click.echo(", ".join(f"{p:.4f}" for p in parameters))
