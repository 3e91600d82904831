"""Text plumbing shared by the formats: decoding uploads, and moving text between HTML, plain text and Markdown.

Our banks hold Markdown rendered with raw HTML switched off, so text that
arrives as HTML is turned into the Markdown that shows the same thing, and
plain text is escaped only where Markdown would otherwise change it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

from anyascii import anyascii
from markdown_it import MarkdownIt

from quizapp.content.markdown import plain_text, render_markdown
from quizapp.formats.model import FormatError, Text

_md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)
# What the import report says of each kind of markup that could not be kept; the rest "are not imported".
LOSSES = {
    "tables": "tables in the text are shown as lines of text, their rows and columns run together",
    "links": "links in the text to addresses other than web or mail addresses are shown as their words only",
    "superscripts": "superscripts or subscripts in the text other than digits and signs are shown as normal text",
}
_UNESCAPE = re.compile(r"\\(.)")
_SUPERSCRIPT = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True)) | {"−": "⁻"}
_SUBSCRIPT = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=True)) | {"−": "₋"}
# Quotes nested deeper than this are kept as paragraphs of the deepest quote: each level rewrites every line it holds,
# and past about twenty levels Markdown shows nothing at all of what they hold.
MAX_QUOTE_DEPTH = 8
_LOOKS_HTML = re.compile(r"<(?:[a-zA-Z][a-zA-Z0-9]*\b[^>]*|/[a-zA-Z][a-zA-Z0-9]*\s*)>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);")


def decode(data: bytes, again: str = "try again") -> str:
    """Bytes of an uploaded file as text: UTF-8 (with or without BOM) or UTF-16 with a BOM."""
    # The callers put the file's name before the message; `again` says what to do once it is saved as UTF-8.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise FormatError(f"not valid UTF-16 text; save the file as UTF-8 and {again}") from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise FormatError(f"not UTF-8 text ({unreadable_character(data, error.start)}){legacy_encoding_hint(data)}; "
                          f"save the file as UTF-8 and {again}", line) from error


def unreadable_character(data: bytes, start: int) -> str:
    """Where on its line the first byte that is not UTF-8 stands, by the words before it: a byte count through
    the file cannot be found in an editor."""
    before = data[data.rfind(b"\n", 0, start) + 1:start].decode("utf-8", errors="replace").lstrip()
    if not before:
        return "the first character of the line cannot be read"
    shown = before
    if len(before) > 30:
        shown = before[-30:]
        shown = "…" + (shown[shown.index(" ") + 1:] if " " in shown[:-1] else shown)  # from a word's start
    return f"the character after “{shown}” cannot be read"


def legacy_encoding_hint(data: bytes) -> str:
    """", it looks like Windows-1251 (Cyrillic)" when bytes that are not UTF-8 read as Russian or Kazakh text in
    the code page Windows saves them in, else nothing."""
    # Notepad before 2019 and Excel's "CSV" save Cyrillic in Windows-1251. Read in it, a Russian file is words of
    # Cyrillic letters; a French or German one has a "Cyrillic" letter here and there inside Latin words ("Cafй").
    words = [word for word in re.findall(r"[^\W\d_]+", data.decode("cp1251", errors="replace"))
             if not word.isascii()]
    cyrillic = [word for word in words if all("\u0400" <= ch <= "\u04ff" for ch in word)]
    if cyrillic and len(cyrillic) >= 0.8 * len(words):
        return ", it looks like Windows-1251 (Cyrillic)"
    return ""


def normalise_newlines(text: str) -> str:
    """Drop a byte-order mark and turn CRLF and lone CR into LF."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def escape_markdown(text: str) -> str:
    """Backslash-escape everything Markdown would read as markup."""
    text = _SPECIAL.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub(r"\\&", text)
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    """Escape what makes a line a heading, quote or list; in "2. Mai" the dot, as Markdown has no escape for a
    digit (a backslash before one would be shown)."""
    indent, start = match.groups()
    return f"{indent}{start[:-1]}\\{start[-1]}" if start[0].isdigit() else f"{indent}\\{start}"


def plain_to_markdown(text: str) -> str:
    """Plain text as Markdown that shows it literally, escaping only paragraphs that need it."""
    paragraphs = re.split(r"\n[ \t]*\n", "\n".join(line.strip() for line in text.strip().split("\n")))
    return "\n\n".join(p if _renders_literally(p) else escape_markdown(p) for p in paragraphs if p.strip())


def _renders_literally(paragraph: str) -> bool:
    return _md.render(paragraph) == f"<p>{_md.utils.escapeHtml(paragraph)}</p>\n"


def looks_like_html(text: str) -> bool:
    """Whether text contains tags or character references."""
    return bool(_LOOKS_HTML.search(text))


def to_markdown(text: Text) -> tuple[str, set[str]]:
    """Any of Moodle's text formats as our Markdown, with the names of things that could not be kept."""
    if text.format == "markdown":
        return text.text.strip(), set()
    if text.format == "html" or (text.format == "moodle" and looks_like_html(text.text)):
        return html_to_markdown(text.text)
    return plain_to_markdown(text.text), set()


def to_plain(text: Text) -> str:
    """Any text format as one line of plain text, without Markdown escapes (for answers compared as text)."""
    markdown, _ = to_markdown(text)
    return plain_text(markdown)


def markdown_to_html(markdown: str) -> str:
    """Markdown as the sanitized HTML our pages show."""
    return str(render_markdown(markdown)).strip()


def slug(text: str, limit: int = 60) -> str:
    """An id-safe slug: lower-case ASCII letters, digits and hyphens (empty if nothing is left). Other scripts
    are transliterated (Сәлем -> salem), so that a Kazakh or Russian item keeps an id of its own words."""
    ascii_text = anyascii(unicodedata.normalize("NFC", text)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text).split()
    result = ""
    for word in words:
        if len(result) + len(word) + 1 > limit:
            break
        result = f"{result}-{word}" if result else word
    return result or (words[0][:limit] if words else "")


class _HtmlToMarkdown(HTMLParser):
    """Walks HTML and writes the Markdown that shows the same text and emphasis."""

    _BLOCK = {"p", "div", "section", "article", "header", "footer", "blockquote", "table", "figure", "center"}
    _DROPPED = {"script": "", "style": "", "img": "images", "audio": "media", "video": "media",
                "object": "media", "iframe": "media", "embed": "media", "svg": "images", "math": "formulas"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lost: set[str] = set()
        self.links: list[tuple[str, int]] = []
        self.scripts: list[int] = []
        self.lists: list[list[int]] = []
        self.quotes: list[int] = []
        self.skip = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Turn an opening HTML tag into its Markdown, or drop it."""
        if tag in self._DROPPED:
            if self._DROPPED[tag]:
                self.lost.add(self._DROPPED[tag])
            if tag not in ("img", "embed"):
                self.skip += 1
            return
        if tag in self._BLOCK or tag in ("ul", "ol") or re.fullmatch(r"h[1-6]", tag):
            self._block()
        if re.fullmatch(r"h[1-6]", tag):
            self.out.append("#" * max(3, int(tag[1])) + " ")
        elif tag in ("ul", "ol"):
            self.lists.append([0 if tag == "ol" else -1])
        elif tag == "li":
            self._line()
            depth = max(len(self.lists) - 1, 0)
            kind = self.lists[-1] if self.lists else [-1]
            if kind[0] >= 0:
                kind[0] += 1
                self.out.append("   " * depth + f"{kind[0]}. ")
            else:
                self.out.append("  " * depth + "- ")
        elif tag == "br":
            self.out.append("\x00" if not self.pre else "\n")
        elif tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre":
            self._block()
            self.out.append("```\n")
            self.pre += 1
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.out)))
            self.out.append("[")
        elif tag in ("sup", "sub"):
            self.scripts.append(len(self.out))
        elif tag == "blockquote":
            self.quotes.append(len(self.out))
        elif tag in ("s", "del", "strike"):
            self.out.append("~~")
        elif tag in ("td", "th"):
            self.lost.add("tables")
            self.out.append(" | ")
        elif tag == "tr":
            self._line()
        elif tag == "hr":
            self._block()
            self.out.append("---")
            self._block()

    def handle_endtag(self, tag: str) -> None:
        """Close what the matching opening tag began."""
        if tag in self._DROPPED:
            if tag not in ("img", "embed"):
                self.skip = max(self.skip - 1, 0)
            return
        if tag in ("b", "strong"):
            self.out.append("**")
        elif tag in ("s", "del", "strike"):
            self.out.append("~~")
        elif tag in ("i", "em"):
            self.out.append("*")
        elif tag == "code" and not self.pre:
            self.out.append("`")
        elif tag == "pre" and self.pre:
            self.pre -= 1
            if self.out:
                self.out[-1] = self.out[-1].rstrip("\n")
            self.out.append("\n```")
            self._block()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            if href.startswith(("http://", "https://", "mailto:")):
                self.out.append(f"]({href})")
            else:
                # Our pages link only to web and mail addresses; the words stay, without brackets around them.
                self.out[start] = ""
                if href.strip() and not href.startswith("#"):
                    self.lost.add("links")
        elif tag in ("sup", "sub") and self.scripts:
            self._script(self.scripts.pop(), _SUPERSCRIPT if tag == "sup" else _SUBSCRIPT)
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self._block()
        elif tag == "blockquote" and self.quotes:
            start = self.quotes.pop()
            if len(self.quotes) < MAX_QUOTE_DEPTH:
                self._quote(start)
            else:
                self._block()
        elif tag in self._BLOCK or re.fullmatch(r"h[1-6]", tag):
            self._block()

    def handle_data(self, data: str) -> None:
        """Text between tags: kept as is in <pre>, else with white space collapsed and escaped for Markdown."""
        data = data.replace("\x00", "")
        if self.skip:
            return
        if self.pre:
            # Browsers drop the newline that follows <pre>; so does the fence.
            self.out.append(data.lstrip("\n") if self.out and self.out[-1] == "```\n" else data)
            return
        collapsed = re.sub(r"\s+", " ", data)
        if not collapsed.strip():
            if self.out and not self.out[-1].endswith((" ", "\n")):
                self.out.append(" ")
            return
        self.out.append(collapsed if _renders_literally_inline(collapsed) else escape_markdown(collapsed))

    def _script(self, start: int, characters: dict[str, str]) -> None:
        """Superscript or subscript text as Unicode's raised or lowered characters (x², H₂O), as Markdown has
        no markup for them; text that has no such characters is kept on the line and reported."""
        written = _UNESCAPE.sub(r"\1", "".join(self.out[start:]))
        if written.strip() and all(char in characters for char in written):
            self.out[start:] = ["".join(characters[char] for char in written)]
        elif written.strip():
            self.lost.add("superscripts")

    def _quote(self, start: int) -> None:
        """What a <blockquote> held, as Markdown's quoted lines (a quote inside it gets "> > ")."""
        # A <br> (NUL until the end) starts a quoted line too.
        quoted = re.sub(r"\n{3,}", "\n\n", "".join(self.out[start:]).strip("\n")).replace("\x00", "\x00> ")
        lines = quoted.split("\n") if quoted.strip() else []
        self.out[start:] = ["\n".join(f"> {line}" if line.strip() else ">" for line in lines)]
        self._block()

    def _line(self) -> None:
        if self.out and not "".join(self.out[-2:]).endswith("\n"):
            self.out.append("\n")

    def _block(self) -> None:
        self.out.append("\n\n")

    def markdown(self) -> str:
        """The Markdown written so far."""
        # NUL marks a <br>: a Markdown hard break, once stray spaces at line ends are gone.
        text = "\n".join(line.rstrip(" \t") for line in "".join(self.out).split("\n"))
        text = re.sub(r"[ \t]*\x00[ \t]*", "\x00", text).strip("\x00 \n")
        text = re.sub(r"\x00+(?=\n|$)", "", text).replace("\x00", "  \n")
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def _renders_literally_inline(text: str) -> bool:
    return not _LINE_START.match(text.lstrip()) and _md.renderInline(text) == _md.utils.escapeHtml(text)


def html_to_markdown(text: str) -> tuple[str, set[str]]:
    """HTML as Markdown showing the same text, emphasis, lists and links; reports what had to go."""
    parser = _HtmlToMarkdown()
    try:
        parser.feed(text)
        parser.close()
    except AssertionError:
        # html.parser gives up on some malformed declarations ("<![x"); keep the words, drop the tags.
        return plain_to_markdown(html.unescape(re.sub(r"<[^>]*>?", " ", text))), {"tags of malformed HTML"}
    return parser.markdown(), parser.lost
