"""The `satupintu` console script: Django's management commands under the project's name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "satupintu"
    if len(argv) > 1 and not argv[1].startswith("-"):
        # Allow dashed names (`satupintu load-regions`) for the project's commands.
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
