"""The limiter's per-request check runs only for blueprints that declare limits, and every limit is in one."""

from __future__ import annotations

from flask import request
from flask_limiter.util import get_qualified_name

from quizapp.extensions import RATE_LIMITED_BLUEPRINTS, limiter
from tests.conftest import login, make_app


def test_every_route_with_a_limit_is_in_a_blueprint_the_limiter_checks(app):
    limited = [endpoint for endpoint, view in app.view_functions.items()
               if limiter.limit_manager.decorated_limits(get_qualified_name(view))]
    assert "auth.login" in limited
    outside = [endpoint for endpoint in limited if endpoint.partition(".")[0] not in RATE_LIMITED_BLUEPRINTS]
    assert outside == [], f"limits declared outside {sorted(RATE_LIMITED_BLUEPRINTS)}: {outside}"


def test_the_limiter_checks_requests_of_those_blueprints_only(app, database, tmp_path):
    app = make_app(database, tmp_path, RATELIMIT_ENABLED=True)  # made after `app`, which turns limits off
    client = app.test_client()
    check, hooks, checked = limiter._check_request_limit, app.before_request_funcs, []
    assert check not in hooks[None]

    def recording_check() -> None:
        checked.append(request.blueprint)
        check()

    for name in RATE_LIMITED_BLUEPRINTS:
        hooks[name] = [recording_check if hook == check else hook for hook in hooks[name]]
    for path in ("/", "/sources/", "/auth/login"):
        assert client.get(path).status_code == 200
    assert checked == ["auth"]


def test_the_limiters_header_and_clean_up_hooks_run_for_those_blueprints_only(database, tmp_path):
    app = make_app(database, tmp_path, RATELIMIT_ENABLED=True)
    everywhere = [*app.after_request_funcs[None], *app.teardown_request_funcs[None]]
    assert not [hook for hook in everywhere if "limiter" in getattr(getattr(hook, "func", hook), "__module__", "")]
    client = app.test_client()
    assert "X-RateLimit-Limit" in login(client, "nobody@example.org").headers
    assert "X-RateLimit-Limit" not in client.get("/").headers
