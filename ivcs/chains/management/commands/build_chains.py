"""`ivcs build-chains [--check]`: derive data/input_output/derived_links.csv and end_use.csv again from
the source tables and rule texts copied into the repository (see data/input_output/DERIVATION.md)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ivcs.engines.chains import derive

OUTPUTS = ("derived_links.csv", "end_use.csv")


class Command(BaseCommand):
    help = (
        "Derive the industry-table and rules-of-origin links between HS headings (reproducible, byte for byte). "
        "Then `ivcs import-chains` loads them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        data = Path(settings.DATA_DIR)
        parser.add_argument("--source", default=str(data / "input_output" / "source"))
        parser.add_argument("--rules", default=str(data / "rules_of_origin" / "uk_trade_tariff_backend" / "rule_sets"))
        parser.add_argument("--out", default=str(data / "input_output"))
        parser.add_argument(
            "--check",
            action="store_true",
            help="derive into a scratch folder and fail if the result differs from --out",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        for folder in (options["source"], options["rules"]):
            if not Path(folder).is_dir():
                raise CommandError(f"{folder} is not a folder")
        result = derive.derive(options["source"], options["rules"])
        with tempfile.TemporaryDirectory() as scratch:
            target = Path(scratch) if options["check"] else out
            target.mkdir(parents=True, exist_ok=True)
            before = {name: _read(out / name) for name in OUTPUTS}
            derive.write_links(target / "derived_links.csv", result.links)
            derive.write_end_use(target / "end_use.csv", result.end_use)
            changed = [name for name in OUTPUTS if _read(target / name) != before[name]]
        for key, value in result.stats.items():
            self.stdout.write(f"  {key}: {value}")
        if options["check"]:
            if changed:
                raise CommandError(f"the derivation does not reproduce {', '.join(changed)} in {out}")
            self.stdout.write(self.style.SUCCESS(f"Reproduced {', '.join(OUTPUTS)} byte for byte."))
            return
        if changed:
            (out / "derived_on.txt").write_text(dt.date.today().isoformat() + "\n", encoding="utf-8")
            self.stdout.write(self.style.SUCCESS(f"Wrote {', '.join(changed)}; run `ivcs import-chains` to load them."))
        else:
            self.stdout.write("Nothing changed.")


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None
