"""terraform-docs' Markdown escaping of table cells and its clean-up of the whole section.

Ported from terraform-docs v0.19.0 `template/sanitizer.go` (`SanitizeMarkdownTable`,
`EscapeCharacters`, `ConvertMultiLineText`, `NormalizeURLs`) and `format/util.go`
(`sanitize`), with escaping and HTML on, as its defaults are.
"""

from __future__ import annotations

import re
from typing import Callable

from metaflow_cdktf.docs.urls import normalize_urls

_GO_SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
# RE2's \s, \S and \w are ASCII-only and \s excludes \v.
_RE2_SPACE = r"[\t\n\f\r ]"
_RE2_NON_SPACE = r"[^\t\n\f\r ]"
_RE2_WORD = r"[0-9A-Za-z_]"

_NOT_ESCAPED = "‡‡‡DONTESCAPE‡‡‡"
# Underscores that start a line-leading list/rule marker, and the ones that
# delimit _emphasis_, stay Markdown; every other underscore is escaped.
_LEADING_UNDERSCORES = re.compile(rf"^({_RE2_SPACE}*)(_+)({_RE2_SPACE}+)(.*)")
_EMPHASIS_UNDERSCORES = re.compile(
    rf"({_RE2_SPACE}+)(_+)([^\t\n\f\r _])(.*)([^\t\n\f\r _])(_+)({_RE2_SPACE}+)"
)
_LINE_BREAK_BEFORE_WORD = re.compile(rf"({_RE2_NON_SPACE}*)(\r?\n)({_RE2_SPACE}*)({_RE2_WORD}+)")


def table_cell(text: str) -> str:
    """SanitizeMarkdownTable with escaping and HTML on: one table cell's Markdown."""
    if text == "":
        return "n/a"
    return _process_segments(text, "```", _sanitize_prose, _code_block_to_pre)


def _sanitize_prose(segment: str) -> str:
    segment = _escape_characters(segment)
    segment = _convert_multiline_text(segment)
    return normalize_urls(segment)


def _code_block_to_pre(segment: str) -> str:
    code = segment.strip(_GO_SPACE).replace("\n", "<br/>").replace("\r", "")
    return f"<pre>{code}</pre>"


def _process_segments(
    text: str, fence: str, prose: Callable[[str], str], code: Callable[[str], str]
) -> str:
    """Apply `prose` outside fences and `code` inside; empty pieces do not flip the state.

    That quirk (and re-wrapping code spans with a closing fence even when the
    source left them open) is terraform-docs' processSegments, kept as is.
    """
    in_code = text.startswith(fence)
    pieces = []
    for segment in text.split(fence):
        if not segment:
            continue
        pieces.append(code(segment) if in_code else prose(segment))
        in_code = not in_code
    return "".join(pieces)


def _wrap_code_span(segment: str) -> str:
    return f"`{segment}`"


def _escape_characters(text: str) -> str:
    """Escape pipes and underscores outside `code spans` (EscapeCharacters)."""
    text = _process_segments(text, "`", lambda prose: prose.replace("|", "\\|"), _wrap_code_span)
    return _process_segments(text, "`", _escape_underscores_per_line, _wrap_code_span)


def _escape_underscores_per_line(text: str) -> str:
    return "\n".join(_escape_underscores(line) for line in text.split("\n"))


def _escape_underscores(line: str) -> str:
    for pattern, groups in ((_LEADING_UNDERSCORES, (2,)), (_EMPHASIS_UNDERSCORES, (6, 2))):
        # Later groups first (and later matches first), so earlier offsets stay valid.
        for match in reversed(list(pattern.finditer(line))):
            for group in groups:
                start, end = match.span(group)
                line = line[:start] + match.group(group).replace("_", _NOT_ESCAPED) + line[end:]
    return line.replace("_", "\\_").replace(_NOT_ESCAPED, "_")


def _convert_multiline_text(text: str) -> str:
    """ConvertMultiLineText for a table cell: every line break becomes <br/>."""
    text = text.strip(_GO_SPACE)
    text = _LINE_BREAK_BEFORE_WORD.sub(r"\1  \2\3\4", text)
    text = text.replace("    \n", "  \n").replace("  \n\n", "\n\n").replace("\n  \n", "\n\n")
    return text.replace("  \n", "<br/>").replace("\n", "<br/>")


_DOUBLE_SPACES = "‡‡‡DOUBLESPACES‡‡‡"
# (pattern, replacement) in order; Go's `$` without (?m) is Python's \Z, not `$`.
_DOCUMENT_CLEANUPS = [
    (re.compile(r" {2}(\r?\n)"), _DOUBLE_SPACES + r"\1"),  # keep Markdown hard breaks...
    (re.compile(r" +(\r?\n)"), r"\1"),  # ...while dropping other trailing spaces
    (re.compile(r" +\Z"), ""),
    (re.compile(re.escape(_DOUBLE_SPACES) + r"(\r?\n)"), r"  \1"),
    (re.compile(r"(\r?\n)  (\r?\n)"), r"\1"),
    (re.compile(r"(\r?\n){3,}"), r"\1\1"),  # at most one blank line in a row
    (re.compile(r"(\r?\n){2,}\Z"), ""),  # no trailing blank lines
]


def sanitize_document(markdown: str) -> str:
    """format/util.go sanitize(), which terraform-docs runs over the whole section."""
    for pattern, replacement in _DOCUMENT_CLEANUPS:
        markdown = pattern.sub(replacement, markdown)
    return markdown
