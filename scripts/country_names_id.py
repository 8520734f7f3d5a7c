"""Print Indonesian names for django-countries' country list as .po entries.

django-countries ships no Indonesian catalogue, so its names are English under LANGUAGE_CODE "id".
The names come from Debian's iso-codes (`apt-get install iso-codes`), matched by ISO code, and are
appended to locale/id/LC_MESSAGES/django.po, which Django searches before the package's own catalogues.
Entries whose msgid is already in the catalogue are skipped. Run again when django-countries adds names.
"""

import gettext
import json
import os
import sys
from pathlib import Path

ISO_JSON = Path("/usr/share/iso-codes/json/iso_3166-1.json")
ISO_MO = Path("/usr/share/locale/id/LC_MESSAGES/iso_3166-1.mo")
ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
# Names iso-codes has not translated yet, as Indonesian writes them.
OVERRIDES = {"CV": "Tanjung Verde", "CZ": "Ceko"}


def indonesian_name(entry: dict, iso_id: gettext.GNUTranslations) -> str:
    if entry["alpha_2"] in OVERRIDES:
        return OVERRIDES[entry["alpha_2"]]
    # The short name (Taiwan, Bolivia) is what people say; iso-codes leaves a name untranslated when
    # Indonesian spells it the same way (Australia, Malaysia, Bolivia).
    english = entry.get("common_name") or entry["name"]
    return iso_id.gettext(english)


def po_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    import polib
    from django.utils import translation
    from django_countries import countries
    from django_countries.data import COUNTRIES

    iso = {entry["alpha_2"]: entry for entry in json.loads(ISO_JSON.read_text())["3166-1"]}
    with ISO_MO.open("rb") as handle:
        iso_id = gettext.GNUTranslations(handle)
    known = {entry.msgid for entry in polib.pofile(str(CATALOGUE))}
    with translation.override("en"):
        names = {code: str(name) for code, name in COUNTRIES.items()}
        names.update({code: str(name) for code, name in countries.COMMON_NAMES.items()})
        pairs = sorted({(name, code) for code, name in names.items()})
    for english, code in pairs:
        if english in known or code not in iso:
            continue
        known.add(english)
        indonesian = indonesian_name(iso[code], iso_id)
        print(f"#. ISO 3166-1 {code}\nmsgid {po_quote(english)}\nmsgstr {po_quote(indonesian)}\n")


if __name__ == "__main__":
    main()
