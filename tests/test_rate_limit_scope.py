"""The limiter runs only for blueprints that declare limits; a limit declared anywhere else would be skipped."""

from __future__ import annotations

from flask_limiter.util import get_qualified_name

from quizapp.extensions import RATE_LIMITED_BLUEPRINTS, limiter


def test_every_route_with_a_limit_is_in_a_blueprint_the_limiter_checks(app):
    limited = [endpoint for endpoint, view in app.view_functions.items()
               if limiter.limit_manager.decorated_limits(get_qualified_name(view))]
    assert "auth.login" in limited
    outside = [endpoint for endpoint in limited if endpoint.partition(".")[0] not in RATE_LIMITED_BLUEPRINTS]
    assert outside == [], f"limits declared outside {sorted(RATE_LIMITED_BLUEPRINTS)}: {outside}"
