"""Fill catalogue entries from a small JSON file: {"msgid": {"es": "...", "pt_BR": "..."}}.

For a plural entry give a list, [singular, plural], instead of a string.

For the few strings a change adds; English entries get msgstr = msgid. Then compiles the .mo files.
Usage: python scripts/translate.py translations.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "ivcs" / "locale"


def main(path: str) -> int:
    table: dict[str, dict[str, str]] = json.loads(Path(path).read_text(encoding="utf-8"))
    missing = 0
    for language in ("es", "pt_BR", "en"):
        po_path = ROOT / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            done = all(entry.msgstr_plural.values()) if entry.msgid_plural else bool(entry.msgstr)
            if done and "fuzzy" not in entry.flags:
                continue
            given = table.get(entry.msgid, {}).get(language)
            if language == "en":
                given = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else entry.msgid
            if given is None:
                print(f"{language}: no translation for {entry.msgid!r}", file=sys.stderr)
                missing += 1
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: given[0], 1: given[1]}
            else:
                entry.msgstr = given
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        catalogue.save(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
