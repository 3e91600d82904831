"""A small HTML tree for tests: find form controls, the error text tied to them, and the values they show."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CONTROLS = ("input", "select", "textarea")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        """The element's text content, white space collapsed."""
        parts = [child if isinstance(child, str) else child.text() for child in self.children]
        return " ".join(" ".join(parts).split())

    def walk(self):
        """This element and every element inside it."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.walk()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in _VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {name: value or "" for name, value in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


def controls(page: Element, name: str) -> list[Element]:
    """The inputs, selects and text areas sending a field of this name."""
    return [e for e in page.walk() if e.tag in CONTROLS and e.attrs.get("name") == name]


def described_error(page: Element, control: Element) -> str:
    """The error text a screen reader announces with a control: its own aria-describedby, or its fieldset's."""
    ids = {e.attrs["id"]: e for e in page.walk() if "id" in e.attrs}
    texts = []
    for holder in (control, *control.ancestors()):
        if holder is control or holder.tag == "fieldset":
            for ref in holder.attrs.get("aria-describedby", "").split():
                target = ids.get(ref)
                if target is not None and "error" in target.attrs.get("class", "").split():
                    texts.append(target.text())
    return " ".join(texts)


def shown_values(page: Element, name: str) -> list[str]:
    """What the page shows for a field: typed text, the selected options, the ticked boxes."""
    values = []
    for control in controls(page, name):
        if control.tag == "textarea":
            values.append(control.text())
        elif control.tag == "select":
            values += [option.attrs.get("value", option.text()) for option in control.walk()
                       if option.tag == "option" and "selected" in option.attrs]
        elif control.attrs.get("type") in ("checkbox", "radio"):
            if "checked" in control.attrs:
                values.append(control.attrs.get("value", "on"))
        elif control.attrs.get("type") not in ("submit", "hidden", "file") and control.attrs.get("value"):
            values.append(control.attrs["value"])
    return values


def unbroken(page: str) -> str:
    """A page without the places it lets a long word break (<wbr>), so that an address reads as one run."""
    return page.replace("<wbr>", "")
