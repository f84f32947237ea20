"""dekom_xl: allocation of the Dekom grant behind the secretariat's Excel workbook.

The pure core lives in :mod:`dekom_xl.model`, :mod:`dekom_xl.money`,
:mod:`dekom_xl.allocation`, :mod:`dekom_xl.validation`, :mod:`dekom_xl.summary` and
:mod:`dekom_xl.engine`. Workbook I/O sits in :mod:`dekom_xl.io`; the doors are
:mod:`dekom_xl.cli` (command line) and :mod:`dekom_xl.xl` (xlwings).
"""

__version__ = "0.1.0"
