"""dekom_xl: allocation of the Dekom grant behind the secretariat's Excel workbook.

The pure core lives in :mod:`dekom_xl.core.model`, :mod:`dekom_xl.core.money`,
:mod:`dekom_xl.core.allocation`, :mod:`dekom_xl.core.validation`, :mod:`dekom_xl.core.summary` and
:mod:`dekom_xl.core.engine`. Workbook I/O sits in :mod:`dekom_xl.app.ports`; the doors are
:mod:`dekom_xl.cli` (command line) and :mod:`dekom_xl.xl` (xlwings).
"""

import os

# openpyxl switches its XML writer to lxml when lxml is installed (docxtpl, for the letters,
# brings it). Keep the standard-library writer the package is built and tested with, so a
# workbook is written byte for byte the same whether or not lxml happens to be present.
os.environ.setdefault("OPENPYXL_LXML", "False")

__version__ = "0.1.0"
