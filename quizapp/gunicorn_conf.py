"""gunicorn settings for quizapp, read from the environment: `make serve` and the systemd unit use this file.

    WEB_CONCURRENCY  worker processes (default: 2 per core + 1)
    GUNICORN_BIND    address to listen on (default 127.0.0.1:8000; nginx proxies to it)
    GUNICORN_THREADS threads per worker (default 1)
    GUNICORN_WORKER_CLASS  sync (default) or gthread
    GUNICORN_ACCESSLOG  '-' for stdout, a path, or unset for none (nginx keeps the access log)
    GUNICORN_CONTROL_SOCKET  path of the `gunicornc` control socket, or 'off' (default: gunicorn's own,
                     one per user, so a second instance under the same account needs a path of its own)
"""

import multiprocessing
import os
import subprocess
import sys

wsgi_app = "quizapp:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
# Listen queue for bursts: a lecture hall answering at once arrives faster than workers accept.
backlog = 2048
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
# Behind nginx on the same machine the proxy headers come from loopback; the app applies ProxyFix itself
# (QUIZAPP_PROXY_HOPS), so gunicorn need not trust anyone else's.
forwarded_allow_ips = "127.0.0.1,::1"
control = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = control == "off"
if control and control != "off":
    control_socket = control


def on_starting(server) -> None:
    """Refuse to start, before listening, when the app's settings cannot work (no SECRET_KEY outside
    development): one clear line, instead of a traceback from every worker that tries to boot."""
    # The app named on the command line wins over this file's; the benchmark's bare app needs no key.
    if (getattr(server.app, "app_uri", None) or server.cfg.wsgi_app) != wsgi_app:
        return
    # Built in a child process: imported here, the app's modules would stay in the master, and workers
    # forked after a reload (HUP) would run the old code instead of the new.
    check = subprocess.run([sys.executable, "-c", _SETTINGS_CHECK], capture_output=True, text=True, check=False)
    if check.returncode == _BAD_SETTING:
        server.log.error("Not starting: %s", check.stderr.strip())
        sys.exit(1)
    if check.returncode != 0:
        raise RuntimeError(f"The app cannot be built:\n{check.stderr}")


_BAD_SETTING = 3
_SETTINGS_CHECK = f"""
import sys
from quizapp import create_app
from quizapp.config import SettingError
try:
    create_app()
except SettingError as error:
    print(error, file=sys.stderr)
    sys.exit({_BAD_SETTING})
"""


def post_worker_init(worker) -> None:
    """Compile every template before the worker takes a request, and say once if login limits are counted
    per worker. Compiling the few templates a quiz page uses costs tens of milliseconds per worker, which
    would otherwise fall on the first students after each start or reload, when a class is likely to arrive
    at once."""
    environment = getattr(worker.wsgi, "jinja_env", None)  # None when serving something other than the app
    if environment is not None:
        for name in environment.list_templates():
            environment.get_template(name)
    warning = unshared_limits_warning(worker)
    if warning:
        worker.log.warning(warning)


def unshared_limits_warning(worker) -> str | None:
    """The warning for the first worker of a server whose workers each keep login limits in memory."""
    config = getattr(worker.wsgi, "config", None)
    if config is None or worker.age != 1 or worker.cfg.workers < 2 or not config.get("RATELIMIT_ENABLED"):
        return None
    if not str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory"):
        return None
    return (f"Login limits are kept in each worker's memory: with {worker.cfg.workers} workers an email or an "
            f"address may fail up to {worker.cfg.workers} times the configured number of logins before it is "
            "refused. Set REDIS_URL (Redis on this machine will do) so that the workers share the counts.")
