"""One-line text: titles, names, numbers and mail subjects hold no line breaks or control characters.

A title with CR/LF used to save, and every reminder mail for it then failed ("Header values can't
contain newlines"). Line breaks and tabs become one space; other control characters are dropped.
"""

from __future__ import annotations

import re
import unicodedata

_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")


def one_line(value: str) -> str:
    """The text on one line: breaks and tabs as one space, other control characters removed."""
    value = _BREAKS.sub(" ", value)
    return "".join(char for char in value if unicodedata.category(char) != "Cc")


def mail_subject(value: str, *, limit: int = 255) -> str:
    """A subject that is always a valid mail header: one line, single spaces, bounded."""
    return " ".join(one_line(value).split())[:limit]
