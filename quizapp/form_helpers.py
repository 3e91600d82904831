"""Form rendering shared by every page: hidden fields without ids, and a refused form's problems as links; and a
whole-number field that says what to type."""

from __future__ import annotations

from typing import Any, NamedTuple

from markupsafe import Markup
from wtforms import Form, IntegerField
from wtforms.widgets import HiddenInput

# Fields rendered as a group of inputs: a link goes to the first input, which takes the focus.
_GROUPS = ("RadioField", "MultiCheckboxField", "CheckboxesField")


class FormProblem(NamedTuple):
    """One line of an error summary: the input to jump to (if any), the field's label, the first message."""

    target: str | None
    label: str
    message: str


def _first_message(errors: Any) -> str | None:
    for error in errors:
        found = _first_message(error) if isinstance(error, list | tuple) else error
        if found:
            return str(found)
    return None


def form_problems(form: Form) -> list[FormProblem]:
    """Each field with an error, in the form's order, with the id its link jumps to."""
    problems = []
    for field in form:
        message = _first_message(field.errors.values() if isinstance(field.errors, dict) else field.errors)
        if message is None:
            continue
        visible = not isinstance(field.widget, HiddenInput)
        target = (f"{field.id}-0" if field.type in _GROUPS else field.id) if visible else None
        problems.append(FormProblem(target, str(field.label.text) if visible else "", message))
    return problems


def hidden_fields(form: Form) -> Markup:
    """A form's hidden fields (its CSRF token among them) without ids, which repeat on pages with several forms."""
    return Markup("").join(field(id=False) for field in form if isinstance(field.widget, HiddenInput))


class WholeNumberField(IntegerField):
    """A number field whose unreadable value ("ten", "10.5") says what to type, not "Not a valid integer value."."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        """Read the number typed, or refuse it in plain words."""
        try:
            super().process_formdata(valuelist)
        except ValueError as unreadable:
            raise ValueError("Type a whole number in figures, such as 10.") from unreadable
