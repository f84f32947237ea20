"""One press of a button in Excel, on any engine (desktop, xlwings Lite, remote).

:func:`press` runs one operation of :mod:`dekom_xl.app.ops` on a live workbook:

- the wrong workbook is refused like on the command line (nothing written);
- a second press while a run is going is refused with a message (a flag per workbook in this
  Python process, and on desktop Excel a marker name in the workbook, because Excel on macOS
  may start a second Python process);
- on desktop Excel, screen updating and automatic calculation are off for the run and always
  restored;
- everything is read and computed before anything is written; if the run fails anyway, the
  writes queued so far are dropped (Lite and the remote engine send them only at the end);
- every failure becomes a short bokmål message through ``book.app.alert``, and the details
  are written where the message says. Never a traceback in Excel.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from collections.abc import Callable
from pathlib import Path

from dekom_xl.adapters import live
from dekom_xl.adapters.live import prefetch
from dekom_xl.app.ports import WorkbookIO
from dekom_xl.core.engine import Outcome
from dekom_xl.core.model import Refused

TITLE = "dekom-xl"
BUSY = ("dekom-xl arbeider allerede med denne arbeidsboken. Vent til den er ferdig; "
        "ingenting er endret av dette trykket.")
_running: set[str] = set()  # workbooks with a run under way in this Python process


def press(book, operation: Callable[[WorkbookIO], Outcome], *,
          extras: dict | None = None) -> Outcome | None:
    """Run ``operation`` on ``book`` as one guarded button press; None when it did not run.

    ``extras``: what :func:`dekom_xl.adapters.live.prefetch` read (xlwings Lite)."""
    from dekom_xl.app.ops import live_allocation

    key = _key(book)
    if key in _running or live.busy_marker(book):
        live.alert(book, BUSY, TITLE)
        return None
    _running.add(key)
    mark = live.queued(book)
    try:
        wb = live_allocation(book, extras)
        with live.quiet(book), live.busy(book):
            return operation(wb)
    except Refused as err:
        live.drop_queued(book, mark)
        live.alert(book, err.problem.message, TITLE)
    except Exception as err:  # a bug: a short message here, the details where it says
        live.drop_queued(book, mark)
        where = _write_details(book, err)
        live.alert(book, f"Intern feil i dekom-xl ({type(err).__name__}). Verktøyarkene er ikke "
                         f"endret. Detaljene står i {where}; send dem til utviklerne.", TITLE)
    finally:
        _running.discard(key)
    return None


async def press_async(book, operation: Callable[[WorkbookIO], Outcome]) -> Outcome | None:
    """xlwings Lite: read hidden rows, formulas and merged cells with Lite's asynchronous
    getters first, then :func:`press` (so the button checks what the command line checks)."""
    try:
        extras = await prefetch(book)
    except Exception:  # an engine without the getters: the run notes what it could not check
        extras = None
    return press(book, operation, extras=extras)


def _key(book) -> str:
    try:
        return str(book.fullname)
    except Exception:
        return str(id(book))


def _write_details(book, err: BaseException) -> str:
    """Write the traceback where the user can find it; returns that place in bokmål."""
    text = (f"dekom-xl {dt.datetime.now().isoformat(timespec='seconds')}\n"
            + "".join(traceback.format_exception(type(err), err, err.__traceback__)))
    if live.is_desktop(book):
        folders = [Path(str(book.fullname)).resolve().parent]
        import tempfile

        folders.append(Path(tempfile.gettempdir()))
        for folder in folders:
            target = folder / "dekom-xl-feil.txt"
            try:
                with open(target, "a", encoding="utf-8") as f:
                    f.write(text + "\n")
                return f"filen {target}"
            except OSError:
                continue
    print(text, file=sys.stderr)
    if sys.platform == "emscripten":
        return "xlwings Lite-panelet (Output/Utdata)"
    return "loggen til xlwings-serveren"
