"""Markdown to HTML that is safe to put in a page, whoever wrote the Markdown."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_BLOCK_TAGS = {
    "p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "sub", "sup", "del", "s",
}
# markdown-it writes ~~struck~~ text as <s>: without it here the words would show as if they were current.
_INLINE_TAGS = {"em", "strong", "code", "a", "sub", "sup", "del", "s", "br"}
_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}

# Raw HTML in the source is shown as text, and nh3 removes anything that slips through.
_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")


@lru_cache(maxsize=4096)
def render_markdown(text: str) -> Markup:
    """Render block Markdown (paragraphs, lists, tables) to sanitized HTML."""
    html = _md.render(text or "")
    return Markup(_clean(html, _BLOCK_TAGS))


@lru_cache(maxsize=4096)
def render_inline(text: str) -> Markup:
    """Render one line of Markdown (a choice, a card front) without block elements."""
    html = _md.renderInline(text or "")
    return Markup(_clean(html, _INLINE_TAGS))


@lru_cache(maxsize=4096)
def plain_text(text: str) -> str:
    """Markdown as the words it shows, on one line and without its markup (struck text kept between ~~): for
    tables, exports, JSON fields and ids."""
    rendered = re.sub(r"<br\s*/?>|</p>|</li>|</h\d>", " ", str(render_markdown(text)))
    # Struck words read as current without their stroke ('~~107~~ 98' is not '107 98'): keep Markdown's mark.
    rendered = re.sub(r"</?(?:s|del)>", "~~", rendered)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", rendered)).split())


def _clean(markup: str, tags: set[str]) -> str:
    return nh3.clean(
        markup,
        tags=tags,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
