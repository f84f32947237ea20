"""The pure core: domain records, money, names, cell addresses, allocation, the problem
catalogue, loading, validation, summary, decision text and sheet content.

Imports nothing outside the standard library (tested in tests/test_lint.py).
"""
