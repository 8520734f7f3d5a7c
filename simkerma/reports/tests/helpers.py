"""Reading pages in the reports' tests."""

from __future__ import annotations

import re
from html import unescape


def page_text(response) -> str:
    """The page's text, tags dropped and white space folded, to look for a sentence in it."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
