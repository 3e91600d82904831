"""The floor the classroom benchmark compares against: a Flask app that only answers, under the same gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.route("/", methods=["GET", "POST"])
def bare() -> str:
    """Accept a form post and answer with a few bytes, as cheaply as Flask can."""
    return "ok"


@app.get("/healthz")
def healthz() -> str:
    """Lets the benchmark wait for the workers like it does for the app."""
    return "ok"
