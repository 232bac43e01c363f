"""Text normalisation and HTML stripping for the training corpus.

`normalise` makes text canonical (NFC, whitespace, no control characters or table rules) so that
hashing for de-duplication is stable; `html_to_text` keeps the words of a page and its paragraph
breaks. The other markup converters are in markup.py. Standard library only.
"""
from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

# ---------------------------------------------------------------------------------------------
# Normalisation

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u200e\u200f\ufeff\ufffe]")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_INNER_SPACES = re.compile(r"(?<=\S)[ \t\u00a0\u2000-\u200a\u202f\u205f]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
# Table borders and underlines: lines made only of rule characters carry no text.
_RULE_LINE = re.compile(r"^\s*[-+=|_~*#:.\u2500-\u257f ]{4,}$")


def normalise(text: str) -> str:
    """NFC, no control characters, no trailing spaces, inner space runs collapsed, ≤1 blank line.

    Leading indentation is kept (verse and code blocks need it); tabs become four spaces.
    """
    text = _ANSI.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text).replace("\t", "    ")
    lines = [_INNER_SPACES.sub(" ", line).rstrip() for line in text.split("\n")
             if not _RULE_LINE.match(line)]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


def line_key(line: str) -> str:
    """The form of a line used for de-duplication: case and spacing do not matter."""
    return " ".join(line.split()).casefold()


def unwrap_paragraphs(text: str, min_avg: int = 45) -> str:
    """Join hard-wrapped prose lines into one line per paragraph; leave verse and code alone.

    A block (between blank lines) is prose when its lines are long on average and none of them
    after the first is indented more than the first.
    """
    out: list[str] = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if len(lines) > 1:
            indent0 = len(lines[0]) - len(lines[0].lstrip())
            flat = all(len(l) - len(l.lstrip()) <= max(indent0, 0) for l in lines[1:])
            avg = sum(len(l) for l in lines) / len(lines)
            if flat and avg >= min_avg:
                block = " ".join(l.strip() for l in lines)
        out.append(block)
    return "\n\n".join(out)


# ---------------------------------------------------------------------------------------------
# HTML

_BLOCK_TAGS = frozenset(
    "p div br hr h1 h2 h3 h4 h5 h6 li ul ol dl dt dd tr table blockquote section article "
    "header footer aside figure figcaption caption title pre tbody thead".split()
)
_SKIP_TAGS = frozenset("script style head nav noscript svg math button form select".split())
_SKIP_CLASSES = ("navheader", "navfooter", "related", "sphinxsidebar", "footer", "breadcrumb",
                 "toc", "navigation", "skip", "headerlink")


_WS = re.compile(r"\s+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.stack: list[tuple[str, bool]] = []
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr", "img", "meta", "link", "input", "col", "area", "wbr"):
            if tag == "br" and not self.skip_depth:
                self.parts.append("\n")
            return
        classes = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        skip = tag in _SKIP_TAGS or any(c in classes for c in _SKIP_CLASSES)
        self.stack.append((tag, skip))
        if skip:
            self.skip_depth += 1
        if tag == "pre":
            self.pre += 1
        if not self.skip_depth:
            if tag in _BLOCK_TAGS:
                self.parts.append("\n\n")
            elif tag in ("td", "th"):
                self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        # Unwind to the matching start tag; HTML in the wild is not always balanced.
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for t, skip in self.stack[i:]:
                    if skip:
                        self.skip_depth -= 1
                    if t == "pre":
                        self.pre -= 1
                del self.stack[i:]
                break
        if not self.skip_depth and tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        self.parts.append(data if self.pre else _WS.sub(" ", data))


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    # Outside <pre> a line starts with at most one space (collapsed source indentation).
    text = "\n".join(l[1:] if l.startswith(" ") and not l.startswith("  ") else l
                     for l in "".join(parser.parts).split("\n"))
    # Paragraph breaks come from tags; inside one paragraph runs of spaces are layout.
    blocks = [b.strip("\n") for b in re.split(r"\n\s*\n", text)]
    return "\n\n".join(b for b in blocks if b.strip())
