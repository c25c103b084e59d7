"""Which text counts as a URL: mvdan.cc/xurls v2.5.0 `Strict()`, as terraform-docs uses it.

terraform-docs undoes its escaping inside every URL it finds (`NormalizeURLs`),
so the docs must find exactly the URLs it finds. xurls' tables (the schemes it
knows, the Unicode ranges it allows in a path) are data, in xurls.json.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

TABLES = Path(__file__).resolve().parent / "xurls.json"


def normalize_urls(text: str) -> str:
    """Undo escaping inside URLs: terraform-docs drops every backslash from each URL found."""
    if ":" not in text:  # every scheme ends with ":"; skips the costly search for most cells
        return text
    for url in strict_url_pattern().findall(text):
        text = text.replace(url, url.replace("\\", ""))
    return text


def _character_class(ranges: list[list[str]]) -> str:
    """Regex class text for code point ranges given as [first, last] hex strings."""
    def character(hex_code_point: str) -> str:
        return re.escape(chr(int(hex_code_point, 16)))
    return "".join(character(first) if first == last else f"{character(first)}-{character(last)}"
                   for first, last in ranges)


@lru_cache(maxsize=1)
def strict_url_pattern() -> re.Pattern[str]:
    tables = json.loads(TABLES.read_text(encoding="utf-8"))
    ucs_char = _character_class(tables["ucs_char"])
    ucs_char_minus_punct = _character_class(tables["ucs_char_minus_punct"])
    private_use = _character_class(tables["private_use"])
    unreserved = r"a-zA-Z0-9\-._~"
    end_unreserved = r"a-zA-Z0-9\-_~"
    mid_sub_delims = r"!$&'*+,;="
    end_sub_delims = r"$&+="
    mid_char = r"/?#\\" + unreserved + "%" + mid_sub_delims + ":@" + ucs_char + private_use
    end_char = r"/#" + end_unreserved + "%" + end_sub_delims + ucs_char_minus_punct + private_use
    well_paren = rf"\((?:[{mid_char}]|\([{mid_char}]*\))*\)"
    well_bracket = rf"\[(?:[{mid_char}]|\[[{mid_char}]*\])*\]"
    well_brace = rf"\{{(?:[{mid_char}]|\{{[{mid_char}]*\}})*\}}"
    path = rf"(?:[{mid_char}]*(?:{well_paren}|{well_bracket}|{well_brace}|[{end_char}]))+"
    authority_schemes = "|".join(map(re.escape, tables["schemes"] + tables["unofficial_schemes"]))
    no_authority_schemes = "|".join(map(re.escape, tables["no_authority_schemes"]))
    # Alternation order cannot change a match: "://" or ":" must follow the scheme.
    schemes = f"(?i:(?:{authority_schemes})://|(?:{no_authority_schemes}):)"
    # Non-capturing everywhere, so findall returns whole matches.
    return re.compile(schemes + path)
