"""Many clients at once against the real app: a threaded server in-process, and a plain HTTP client per user."""

from __future__ import annotations

import http.client
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

from flask import Flask
from werkzeug.serving import make_server

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@contextmanager
def serve(app: Flask) -> Iterator[tuple[str, int]]:
    """The app on a free loopback port, one thread per request, as the browser tests serve it."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "127.0.0.1", server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Browser:
    """One user's cookies and CSRF token; every request a fresh connection, redirects not followed."""

    address: tuple[str, int]
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""

    def request(self, method: str, path: str, form: dict[str, object] | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(*self.address, timeout=120)
        try:
            headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
            body = None
            if form is not None:
                body = urlencode({"csrf_token": self.csrf, **form}, doseq=True)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, _, value = cookie.split(";", 1)[0].partition("=")
                if value and "expires=Thu, 01 Jan 1970" not in cookie:
                    self.cookies[name.strip()] = value
                else:
                    self.cookies.pop(name.strip(), None)
            return response.status, text
        finally:
            connection.close()

    def log_in(self, email: str, password: str) -> None:
        status, page = self.request("GET", "/auth/login")
        self.csrf = _CSRF.search(page).group(1)
        status, _ = self.request("POST", "/auth/login", {"email": email, "password": password})
        assert status == 302, f"login of {email} answered {status}"
        # Logging in starts a new CSRF token: take it from the page the login leads to.
        status, page = self.request("GET", "/")
        self.csrf = _CSRF.search(page).group(1)

    def twin(self) -> Browser:
        """The same browser in a second tab: same session, same token (a double click sends both)."""
        return Browser(self.address, dict(self.cookies), self.csrf)


def at_once(tasks: list[Callable[[], list[int]]]) -> list[int]:
    """Run every task in its own thread, all released at the same moment; the HTTP statuses they saw."""
    start = threading.Barrier(len(tasks))

    def run(task: Callable[[], list[int]]) -> list[int]:
        start.wait(timeout=60)
        return task()

    with ThreadPoolExecutor(max_workers=len(tasks)) as pool:
        return [status for statuses in pool.map(run, tasks) for status in statuses]
