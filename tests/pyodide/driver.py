"""Run xlwings Lite's main.py on the sample workbook's payload; write the actions to result.json.

The same file runs under CPython and inside Pyodide (tests/pyodide/run.mjs), from a folder
holding ``main.py`` (docs/xlwings-lite/main.py) and ``payload.json``. The scripts are
``async`` (xlwings Lite awaits them): :func:`run` awaits them; CPython runs it with
``asyncio.run``, Pyodide (whose event loop is already running) with a top-level ``await``.
"""

import asyncio
import inspect
import json
import os
import sys

os.environ["XLWINGS_LICENSE_KEY"] = "noncommercial"  # before xlwings is imported

import main  # noqa: E402  (xlwings Lite's main.py)
import xlwings as xw  # noqa: E402


async def run() -> None:
    with open("payload.json", encoding="utf-8") as f:
        payload = json.load(f)
    actions = {}
    for script in ("oppdater_sammendrag", "beregn_rammer"):
        book = xw.Book(json=payload)
        pressed = getattr(main, script)(book)
        if inspect.isawaitable(pressed):
            await pressed
        actions[script] = book.json()["actions"]
    result = {
        "platform": sys.platform,
        "python": list(sys.version_info[:2]),
        "xlwings": xw.__version__,
        "loaded": sorted(m for m in ("pandas", "numpy") if m in sys.modules),
        "async": {s: inspect.iscoroutinefunction(getattr(main, s))
                  for s in ("oppdater_sammendrag", "beregn_rammer")},
        "actions": actions,
    }
    with open("result.json", "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, default=str)


if __name__ == "__main__":
    asyncio.run(run())
