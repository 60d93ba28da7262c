"""`make site`'s build: `mkdocs build` with its own arguments, except that a fault of the file
system (a read-only folder, a full disk, no permission) is told in one sentence — what, where —
instead of a Python traceback. Everything else MkDocs prints and decides as it always does.

    python -m generator.site.build --strict --site-dir site.new
"""

from __future__ import annotations

import errno
import sys

import click
from mkdocs.__main__ import cli

FAULTS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "there is no permission to write there",
    errno.EPERM: "there is no permission to write there",
}


def fault_message(exc: OSError) -> str | None:
    """One sentence for a file-system fault; None for any other error (it keeps its traceback)."""
    if exc.errno not in FAULTS:
        return None
    where = f" ({exc.filename})" if exc.filename else ""
    return f"Could not write the site: {FAULTS[exc.errno]}{where}."


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(args=["build", *(sys.argv[1:] if argv is None else argv)], prog_name="mkdocs", standalone_mode=False)
    except click.ClickException as exc:  # MkDocs' own failures (--strict warnings, config errors): as mkdocs prints them
        exc.show()
        return exc.exit_code
    except click.Abort:
        return 1
    except OSError as exc:
        message = fault_message(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
