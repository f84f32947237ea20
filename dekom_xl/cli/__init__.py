"""The command line ``dekom-xl``: parse, call one operation in :mod:`dekom_xl.app.ops`, print, exit.

Exit status: 0 no errors (warnings allowed), 1 errors in the data, 2 unusable input, 3 a bug
in dekom-xl (its traceback is written to a log file in the temporary folder), 130 Ctrl-C.
Messages are bokmål and name the file, sheet and cell. No traceback reaches the user.
"""

from __future__ import annotations

import errno
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

from dekom_xl import __version__
from dekom_xl.cli.parser import _Parser, build_parser
from dekom_xl.cli.status import EXIT_BUG, EXIT_DATA, EXIT_INTERRUPTED, EXIT_OK, EXIT_UNUSABLE
from dekom_xl.core.problems import format_problem

__all__ = ["EXIT_BUG", "EXIT_DATA", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_UNUSABLE",
           "build_parser", "main"]


_OS_REASONS = {
    errno.ENOSPC: "disken er full", errno.EDQUOT: "kvoten på disken er brukt opp",
    errno.EACCES: "du har ikke tilgang", errno.EPERM: "du har ikke tilgang",
    errno.EROFS: "disken er skrivebeskyttet", errno.ENAMETOOLONG: "filnavnet er for langt",
    errno.ENOENT: "filen eller mappen finnes ikke", errno.EISDIR: "det er en mappe",
    errno.EBUSY: "filen er i bruk", errno.EIO: "lese- eller skrivefeil på disken",
    errno.EEXIST: "det finnes allerede en fil med det navnet (ventet en mappe)",
    errno.ENOTDIR: "en del av stien er en fil, ikke en mappe",
}


def _fail(prob, as_json: bool) -> int:
    """Report a problem that stops the command: JSON on stdout when asked, text on stderr."""
    if as_json:
        print(json.dumps({"problems": [prob.as_dict()], "summary": None}, ensure_ascii=False))
    print(format_problem(prob), file=sys.stderr)
    return EXIT_UNUSABLE


def _interrupted(_signum, _frame):  # SIGTERM ends the command like Ctrl-C: temporary files go
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    import signal

    from dekom_xl.core.problems import problem

    signal.signal(signal.SIGTERM, _interrupted)
    as_json = "--json" in (sys.argv[1:] if argv is None else argv)
    from dekom_xl.core.model import Refused

    try:
        _Parser.json = as_json  # subcommand parsers too
        args = build_parser().parse_args(argv)
        return args.func(args)
    except Refused as err:
        return _fail(err.problem, as_json)
    except OSError as err:
        reason = _OS_REASONS.get(err.errno or 0, "operativsystemet avviste handlingen")
        name = Path(err.filename).name if err.filename else "filen"
        return _fail(problem("os-error", action="Kunne ikke lese eller skrive", file=name,
                             reason=reason, detail=err.strerror or str(err)), as_json)
    except KeyboardInterrupt:  # Ctrl-C (or SIGTERM): quietly, as the shell reports Ctrl-C
        _fail(problem("interrupted"), as_json)
        return EXIT_INTERRUPTED
    except Exception as err:  # a bug: one bokmål line; the traceback goes to a log file
        if os.environ.get("DEKOM_DEBUG"):
            raise
        log = _write_bug_log(err, sys.argv[1:] if argv is None else argv)
        _fail(problem("internal-error", kind=type(err).__name__, log=log), as_json)
        return EXIT_BUG


def _write_bug_log(err: BaseException, argv: list[str]) -> Path:
    """The traceback of a bug, written to a new file in the temporary folder; its path."""
    fd, name = tempfile.mkstemp(prefix="dekom-xl-feil-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"dekom-xl {__version__}, Python {sys.version.split()[0]}\n")
        f.write(f"kommando: dekom-xl {' '.join(argv)}\n\n")
        f.write("".join(traceback.format_exception(type(err), err, err.__traceback__)))
    return Path(name)


if __name__ == "__main__":
    sys.exit(main())
