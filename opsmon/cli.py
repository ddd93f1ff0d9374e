"""The `opsmon` command: manage.py with the development settings unless told otherwise."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsmon.settings.development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["opsmon", *(argv if argv is not None else sys.argv[1:])])
    return 0


if __name__ == "__main__":
    sys.exit(main())
