"""Adapters: .xlsx/.xlsm files on disk (openpyxl, XlsxWriter) and live Excel (xlwings).

They turn workbooks into the core's raw tables and fields and write its sheet content back.
"""
