"""dekom_xl: allocation of the Dekom grant behind the secretariat's Excel workbook.

The pure core lives in :mod:`dekom_xl.core.model`, :mod:`dekom_xl.core.money`,
:mod:`dekom_xl.core.allocation`, :mod:`dekom_xl.core.validation`, :mod:`dekom_xl.core.summary` and
:mod:`dekom_xl.core.engine`. Workbook I/O sits in :mod:`dekom_xl.app.ports`; the doors are
:mod:`dekom_xl.cli` (command line) and :mod:`dekom_xl.xl` (xlwings).
"""

__version__ = "0.1.0"
