"""The application layer: the operations both doors (command line, xlwings) call.

Operations take the workbook interface (:mod:`dekom_xl.app.ports`) and a folder where one is
needed; they read through the core, validate, and write the tool sheets.
"""
