"""Compile every ivcs/locale/*/LC_MESSAGES/*.po into .mo with polib (no GNU gettext needed).

The .mo files are committed, so a fresh clone has working translations without compiling anything;
`make messages` re-extracts strings and runs this after translators update the .po files.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "ivcs" / "locale"


def main() -> int:
    count = 0
    for po_path in sorted(ROOT.glob("*/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
        count += 1
        print(f"compiled {po_path.relative_to(ROOT.parent.parent)}: {catalogue.percent_translated()}% translated")
    return 0 if count else 1


if __name__ == "__main__":
    sys.exit(main())
