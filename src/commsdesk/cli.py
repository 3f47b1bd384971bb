"""The `commsdesk` command: one entry point for every automation task.

Each sub-command is a Django management command (so `commsdesk migrate` works too);
this module only points Django at our settings.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commsdesk.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["commsdesk", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
