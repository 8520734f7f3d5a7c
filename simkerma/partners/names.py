"""Normalising partner names so that near-duplicates can be found.

"PT. Batamindo", "Batamindo, PT" and "pt batamindo" all reduce to the key "batamindo".
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Legal-form words that say nothing about which organisation is meant.
LEGAL_FORMS = frozenset(
    {
        "pt",
        "cv",
        "tbk",
        "persero",
        "perum",
        "ud",
        "pd",
        "fa",
        "koperasi",
        "yayasan",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "llc",
        "plc",
        "gmbh",
        "ag",
        "bv",
        "nv",
        "sa",
        "pte",
        "sdn",
        "bhd",
        "the",
    }
)
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Initials written with dots, "P.T." or "C.V.": one word, not a run of single letters.
_DOTTED_INITIALS = re.compile(r"(?<![a-z0-9])[a-z](?:\.[a-z])+(?![a-z0-9])")


def name_tokens(name: str) -> list[str]:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = _DOTTED_INITIALS.sub(lambda match: match.group().replace(".", ""), text)
    tokens = [token for token in _NON_WORD.split(text) if token]
    meaningful = [token for token in tokens if token not in LEGAL_FORMS]
    return meaningful or tokens


def name_key(name: str) -> str:
    """A canonical key: meaningful words, sorted, so word order and legal forms do not matter."""
    return " ".join(sorted(name_tokens(name)))


def similarity(a: str, b: str) -> float:
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return 0.0
    if key_a == key_b:
        return 1.0
    return SequenceMatcher(None, key_a, key_b).ratio()
