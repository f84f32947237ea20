"""Tooling users never run: the benchmark harness, synthetic counties, remote-engine payloads,
the LibreOffice renderer for docs and tests, and the .xlsm/VBA builder.
"""
