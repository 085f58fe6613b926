"""The `ivcs` console script: Django's manage.py for this project (`ivcs migrate`, `ivcs demo`, ...)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ivcs.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # `ivcs create-api-key`, `ivcs import-hs`: commands are spelled with hyphens on the command line
    # and live in modules with underscores.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
        if argv[1] == "help" and len(argv) > 2:
            argv[2] = argv[2].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
