"""Markup → plain text for the corpus: man roff, POD, reStructuredText, AsciiDoc, Markdown.

Each converter keeps the words and drops the layout; paragraphs come out separated by blank
lines. Normalisation (clean.normalise) runs afterwards. Standard library only.
"""
from __future__ import annotations

import re

# ---------------------------------------------------------------------------------------------
# man roff

_ROFF_GLYPHS = {
    "em": "—", "en": "–", "hy": "-", "aq": "'", "dq": '"', "lq": "“", "rq": "”", "oq": "‘",
    "cq": "’", "bu": "•", "co": "©", "rg": "®", "tm": "™", "rs": "\\", "ti": "~", "ha": "^",
    "mu": "×", "di": "÷", "+-": "±", "<=": "≤", ">=": "≥", "!=": "≠", "->": "→", "<-": "←",
    "de": "°", "fo": "«", "fc": "»", "Fo": "«", "Fc": "»", "sc": "§", "ps": "¶", "lB": "[",
    "rB": "]", "lC": "{", "rC": "}", "ba": "|", "or": "|", "at": "@", "sh": "#", "Do": "$",
    "ga": "`", "aa": "´", "pl": "+", "mi": "−", "eq": "=", "sl": "/", "ul": "_", "ru": "_",
    "bv": "|", "dg": "†", "ss": "ß",
}
_ROFF_ESCAPE = re.compile(
    r"\\(?:"
    r"f(?:\[[^\]]*\]|\(..|.)"          # font changes
    r"|s[+-]?(?:\d|\(\d\d|\[\d+\])"     # size changes
    r"|\*(?:\[[^\]]*\]|\(..|.)"         # string interpolation
    r"|\((..)"                          # glyph \(xx
    r"|\[([^\]]*)\]"                    # glyph \[xx]
    r"|[kz]."                           # marks
    r"|[hvwlLxXoHSN]'[^']*'"            # motions and the like
    r"|n(?:\[[^\]]*\]|\(..|.)"          # number registers
    r"|(.))"                            # any other escape
)


def _roff_escape(m: re.Match[str]) -> str:
    glyph = m.group(1) or m.group(2)
    if glyph is not None:
        if glyph.startswith("u") and len(glyph) >= 5:
            try:
                return chr(int(glyph[1:], 16))
            except ValueError:
                return ""
        return _ROFF_GLYPHS.get(glyph, "")
    single = m.group(3)
    if single is None:
        return ""
    return {"-": "-", "e": "\\", "\\": "\\", "~": " ", " ": " ", "0": " ", "'": "´",
            "`": "`", ".": ".", '"': ""}.get(single, "")


_ROFF_ARGS = re.compile(r'"([^"]*)"|(\S+)')
_FONT_MACROS = frozenset("B I R SB SM BI BR IB IR RB RI CW".split())
_BREAK_MACROS = frozenset("PP LP P sp br TP IP HP TQ RS RE PD ne bp in ti".split())


def roff_to_text(src: str) -> tuple[str, str]:
    """(title, text) of a man page, from its roff source."""
    title = ""
    out: list[str] = []
    para: list[str] = []
    nofill = False
    skip_until: str | None = None

    def flush() -> None:
        if para:
            out.append(("\n" if nofill else " ").join(para))
            para.clear()

    for raw in src.split("\n"):
        if skip_until is not None:
            if raw.startswith(skip_until):
                skip_until = None
            continue
        if raw.startswith((".\\\"", "'\\\"", '.\\"', "\\\"", ".\\#")) or raw.strip() in (".", "'"):
            continue
        line = raw
        if line.startswith((".", "'")) and len(line) > 1:
            parts = line[1:].strip().split(None, 1)
            if not parts:
                continue
            macro, rest = parts[0], (parts[1] if len(parts) > 1 else "")
            args = [a or b for a, b in _ROFF_ARGS.findall(rest)]
            if macro == "TH":
                title = " ".join(args[:2])
                continue
            if macro in ("SH", "SS"):
                flush()
                out.append(_ROFF_ESCAPE.sub(_roff_escape, " ".join(args)))
                continue
            if macro in ("de", "de1", "am", "ig"):
                skip_until = ".."
                continue
            if macro in ("nf", "EX"):
                flush()
                nofill = True
                continue
            if macro in ("fi", "EE"):
                flush()
                nofill = False
                continue
            if macro in ("TS",):
                flush()
                nofill = True
                continue
            if macro in ("TE",):
                flush()
                nofill = False
                continue
            if macro in _BREAK_MACROS:
                flush()
                if macro in ("IP", "HP") and args and args[0] not in ("\\(bu", "\\[bu]", "•"):
                    para.append(args[0])
                continue
            if macro in _FONT_MACROS:
                # .B/.I set one font (words keep their spaces); .BR and kin alternate fonts
                # between arguments that are meant to touch.
                line = (" " if len(macro) == 1 or macro in ("SB", "SM", "CW") else "").join(args)
            elif macro in ("UR", "MT"):
                continue
            elif macro in ("UE", "ME"):
                line = " ".join(args)
                if not line:
                    continue
            elif macro in ("SY", "OP", "Nm", "Ar", "Fl", "Dq", "Sq", "Nd"):
                line = " ".join(args)
            else:
                continue  # any other request: layout only
        if ";" in line and nofill and line.rstrip().endswith(("allbox;", "tab(:);", "box;")):
            continue
        text = _ROFF_ESCAPE.sub(_roff_escape, line)
        if raw.endswith("\\c"):
            text = text.rstrip()
        if text.strip() or nofill:
            para.append(text if nofill else text.strip())
        else:
            flush()
    flush()
    return title, "\n\n".join(p for p in out if p.strip())


# ---------------------------------------------------------------------------------------------
# POD (Perl documentation)

_POD_CODE = re.compile(r"([A-Z])(<{2,}\s)(.*?)(\s>{2,})|([A-Z])<([^<>]*)>", re.S)
_POD_ENTITIES = {"lt": "<", "gt": ">", "verbar": "|", "sol": "/", "quot": '"', "amp": "&"}


def _pod_code(m: re.Match[str]) -> str:
    code, body = (m.group(1), m.group(3)) if m.group(1) else (m.group(5), m.group(6))
    if code in ("X", "Z"):
        return ""
    if code == "E":
        if body.isdigit():
            return chr(int(body))
        if body.startswith("0x"):
            return chr(int(body, 16))
        return _POD_ENTITIES.get(body, "")
    if code == "L":
        text = body.split("|", 1)[0] if "|" in body else body
        return text.replace('"', "").split("/")[0] if "|" not in body else text
    return body


def pod_to_text(src: str) -> str:
    out: list[str] = []
    in_pod = src.lstrip().startswith("=")
    skip_block = False
    for para in re.split(r"\n\s*\n", src):
        if para.startswith("="):
            cmd, _, rest = para[1:].partition(" ")
            cmd = cmd.strip()
            if cmd == "cut":
                in_pod = False
                continue
            in_pod = True
            if cmd == "begin":
                skip_block = True
                continue
            if cmd == "end":
                skip_block = False
                continue
            if skip_block or cmd in ("pod", "over", "back", "for", "encoding"):
                continue
            para = rest.strip()
        if not in_pod or skip_block:
            continue
        if not para[:1].isspace():
            para = " ".join(para.split("\n"))
        for _ in range(4):  # nested formatting codes, innermost first
            new = _POD_CODE.sub(_pod_code, para)
            if new == para:
                break
            para = new
        out.append(para)
    return "\n\n".join(p for p in out if p.strip())


# ---------------------------------------------------------------------------------------------
# reStructuredText (Python docs), AsciiDoc (git docs), Markdown (laws)

_RST_ROLE = re.compile(r":[\w:.-]+:`(?:[^`<]*?<)?([^`<>]+?)>?`")
_RST_LINK = re.compile(r"`([^`<]+?)\s*<[^`>]+>`__?")
_RST_LITERAL = re.compile(r"``([^`]+)``")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+<>.:_])\1{2,}\s*$")
_RST_DIRECTIVE = re.compile(r"^(\s*)\.\. ([\w:-]+)::\s*(.*)$")
_RST_DROP_DIRECTIVES = frozenset(
    "index toctree highlight sectionauthor moduleauthor testsetup testcleanup only raw image "
    "figure include literalinclude audit-event opcode2 productionlist".split()
)


def rst_to_text(src: str) -> str:
    out: list[str] = []
    drop_indent: int | None = None
    for line in src.split("\n"):
        if drop_indent is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > drop_indent:
                continue
            drop_indent = None
        if _RST_UNDERLINE.match(line):
            continue
        m = _RST_DIRECTIVE.match(line)
        if m:
            indent, name, arg = m.groups()
            if name in _RST_DROP_DIRECTIVES:
                drop_indent = len(indent)
                continue
            line = indent + arg if arg else ""
        elif line.lstrip().startswith(".. "):  # comments, targets, substitutions
            drop_indent = len(line) - len(line.lstrip())
            continue
        elif line.lstrip().startswith(":") and re.match(r"^\s*:[\w-]+:\s*\S*$", line):
            continue  # field lists such as :noindex:
        line = _RST_LINK.sub(r"\1", line)
        line = _RST_ROLE.sub(r"\1", line)
        line = _RST_LITERAL.sub(r"\1", line)
        out.append(line.replace("\\ ", ""))
    return "\n".join(out)


_ADOC_LINKGIT = re.compile(r"linkgit:([\w.-]+)\[(\d)\]")
_ADOC_DELIM = re.compile(r"^(-{4,}|={4,}|\.{4,}|\+{4,}|\*{4,}|_{4,}|\|={3,})\s*$")
_ADOC_ATTR = re.compile(r"^(:[\w-]+:.*|\[\[.*\]\]|\[[\w ,=\"'-]*\]|ifdef::.*|ifndef::.*|endif::.*|include::.*)$")


def asciidoc_to_text(src: str) -> str:
    out = []
    for line in src.split("\n"):
        if _ADOC_DELIM.match(line) or _ADOC_ATTR.match(line.strip()):
            continue
        line = _ADOC_LINKGIT.sub(r"\1(\2)", line)
        line = line.replace("{litdd}", "--").replace("{caret}", "^").replace("{tilde}", "~")
        out.append(line)
    return "\n".join(out)


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_EMPH = re.compile(r"(\*\*|__)(.+?)\1")
_MD_COMMENT = re.compile(r"<!--.*?-->", re.S)
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def markdown_to_text(src: str) -> str:
    src = _MD_COMMENT.sub("", src)
    if src.startswith("---\n"):  # front matter
        end = src.find("\n---", 4)
        if end > 0:
            src = src[end + 4:]
    out = []
    for line in src.split("\n"):
        if _MD_TABLE_RULE.match(line):
            continue
        if line.lstrip().startswith("|"):
            line = " ".join(c.strip() for c in line.strip().strip("|").split("|"))
        line = _MD_HEADING.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_EMPH.sub(r"\2", line)
        out.append(line)
    return "\n".join(out)
