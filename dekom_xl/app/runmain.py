"""The desktop door with no VBA: the module the xlwings add-in's *Run main* button imports.

The add-in's ribbon button *Run main* (``RibbonXlwings.RunMain`` in xlwings' ``xlwings.xlam``)
takes the active workbook's file name up to the last dot as a module name and runs
``import <name>; <name>.main()``; ``xlwings.utils.prepare_sys_path`` puts the workbook's
folder first on ``sys.path``. So a few lines in ``<workbook stem>.py`` beside the workbook
make a plain ``.xlsx`` a button: no macros, no macro security prompt.

:func:`write_run_main` writes that module. It refuses (as a :class:`FileProblem`) a workbook
whose name cannot be imported, and never overwrites a ``.py`` that it did not write itself.
"""

from __future__ import annotations

import keyword
import re
import sys
import unicodedata
from pathlib import Path

from dekom_xl.adapters.files import FileProblem
from dekom_xl.core.problems import problem

MARKER = "# dekom-xl: Run main-modul (skrevet av dekom-xl, trygg å skrive over)."

SOURCE = f'''{MARKER}
"""Run main for {{workbook}}: the xlwings add-in's *Run main* button calls main()."""


def main():
    import xlwings as xw

    book = xw.Book.caller()
    try:
        from dekom_xl.xl import run_main
    except ImportError as err:
        book.app.alert(
            "dekom-xl er ikke installert for Python-en som xlwings-tillegget bruker "
            f"({{err}}). Installer det med «pip install dekom-xl» og trykk Run main igjen.",
            title="dekom-xl")
        return
    run_main(book)
'''

# Modules that a workbook's name must not shadow: already imported by the time the add-in
# imports the workbook's module (the standard library), or needed by dekom_xl itself.
_TAKEN = set(sys.stdlib_module_names) | {
    "xlwings", "dekom_xl", "openpyxl", "xlsxwriter", "defusedxml", "tqdm", "et_xmlfile",
    "numpy", "pandas", "pywintypes", "pythoncom", "win32com", "appscript", "aem",
}
_ASCII_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_NORDIC = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "aa", "Å": "Aa"})


def module_name(workbook: Path) -> str:
    """The name *Run main* imports: the file name up to its last dot."""
    name = Path(workbook).name
    return name.rsplit(".", 1)[0] if "." in name else name


def name_fault(name: str) -> str | None:
    """Why ``name`` cannot be the Run main module (bokmål), or None when it can.

    Conservative on purpose: only ASCII letters, digits and ``_``. Python itself accepts
    ``fordeling_bø`` as a module name, but xlwings sends the ``import`` line through VBA and
    the command line, where letters outside the Windows code page are not guaranteed to
    survive; nothing here can test that in real Excel, so the name is refused.
    """
    if not name:
        return "navnet er tomt"
    if any(ch in name for ch in " -."):
        return "navnet har mellomrom, bindestrek eller punktum"
    if not name.isascii():
        return "navnet har bokstaver utenfor a–z (som æ, ø, å)"
    if name[0].isdigit():
        return "navnet begynner med et siffer"
    if not _ASCII_NAME.match(name):
        return "navnet har tegn som ikke er bokstaver, sifre eller understrek"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return "navnet er et reservert ord i Python"
    if name.lower() in _TAKEN:
        return "navnet er det samme som en Python-modul som allerede finnes"
    return None


def suggest_name(name: str) -> str:
    """A valid module name close to ``name`` (``Fordeling 2025-v2`` → ``Fordeling_2025_v2``)."""
    s = name.translate(_NORDIC)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^A-Za-z0-9_]+", "_", s).strip("_") or "fordeling"
    if s[0].isdigit():
        s = "fordeling_" + s
    if keyword.iskeyword(s) or keyword.issoftkeyword(s) or s.lower() in _TAKEN:
        s += "_dekom"
    return s


def run_main_path(workbook: Path) -> Path:
    """Where the module for ``workbook`` goes: ``<stem>.py`` beside it."""
    workbook = Path(workbook)
    return workbook.with_name(module_name(workbook) + ".py")


def write_run_main(workbook: Path) -> Path:
    """Write ``<workbook stem>.py`` beside ``workbook``; returns its path.

    Raises :class:`FileProblem` (nothing written) when the name cannot be imported or when
    a ``.py`` of that name exists that dekom-xl did not write.
    """
    workbook = Path(workbook)
    name = module_name(workbook)
    fault = name_fault(name)
    if fault is not None:
        suggested = suggest_name(name) + workbook.suffix
        raise FileProblem(problem("workbook-name-not-module", file=workbook.name,
                                  workbook=workbook.name, reason=fault, suggested=suggested))
    target = run_main_path(workbook)
    if target.exists() and MARKER not in target.read_text(encoding="utf-8", errors="replace"):
        raise FileProblem(problem("run-main-file-exists", file=target.name, module=target.name,
                                  workbook=workbook.name))
    text = SOURCE.replace("{workbook}", workbook.name)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    tmp.replace(target)
    return target
