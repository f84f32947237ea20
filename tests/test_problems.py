"""The problem catalogue is the one place for codes: every code the source emits is in it,
every entry is emitted somewhere, and every template formats with the fields its callers pass.

The source is read with :mod:`ast`: a string literal passed as the first argument to
``problem``, ``message``, ``_refuse`` (the file gate), ``_bad`` (amounts) or ``AllocationError``
is an emitted code; its keyword arguments are the fields it fills.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dekom_xl.core.model import Location, Severity
from dekom_xl.core.money import parse_amount
from dekom_xl.core.problems import CODES, Entry, format_problem, message, problem

PACKAGE = Path(__file__).resolve().parent.parent / "dekom_xl"
EMITTERS = {"problem", "message", "_refuse", "_bad", "AllocationError"}
LOCATION = {"network", "where", "file", "sheet", "cell"}
# ``_bad`` makes an Amount; its message is always filled with these two fields.
AMOUNT_FIELDS = {"what", "found"}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def emitted() -> dict[str, list[tuple[str, int, set[str]]]]:
    """code → [(module, line, fields passed)] for every literal code in the package."""
    out: dict[str, list[tuple[str, int, set[str]]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "problems.py" and path.parent.name == "core":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _name(node.func) in EMITTERS and node.args):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue  # a code carried on (parsed.code, err.code): emitted where it was made
            if _name(node.func) == "_bad":
                fields = set(AMOUNT_FIELDS)
            else:
                fields = {k.arg for k in node.keywords if k.arg} - LOCATION
            rel = str(path.relative_to(PACKAGE.parent))
            out.setdefault(first.value, []).append((rel, node.lineno, fields))
    return out


EMITTED = emitted()


def test_the_scan_finds_the_emitters():
    """Not vacuous: the scan sees the codes of the core, the adapters and the app."""
    assert {"over-frame", "file-empty", "amount-uncertain", "pool-below-base",
            "table-several"} <= set(EMITTED)


def test_every_emitted_code_is_in_the_catalogue():
    unknown = {code: sites for code, sites in EMITTED.items() if code not in CODES}
    assert unknown == {}


def test_every_catalogue_entry_is_emitted_somewhere():
    assert sorted(set(CODES) - set(EMITTED)) == []


def test_no_code_is_written_anywhere_else_as_a_constant():
    """Codes are literals at the call that makes the problem, not module constants."""
    for path in PACKAGE.rglob("*.py"):
        if path.name == "problems.py" and path.parent.name == "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                assert node.value.value not in CODES, f"{path.name}:{node.lineno}"


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_call_passes_exactly_the_fields_of_the_template(code):
    e = CODES[code]
    needed = e.fields() - {"network", "file"}
    optional = e.fields() - Entry(e.severity, e.title, _required_part(e.template)).fields()
    for module, line, fields in EMITTED.get(code, []):
        assert fields <= e.fields(), f"{module}:{line} passes fields the template lacks"
        assert needed - optional <= fields, f"{module}:{line} misses fields of the template"


def _required_part(template: str) -> str:
    """The template without its optional ``[…]`` parts."""
    out, depth = [], 0
    for ch in template:
        depth += ch == "["
        if depth == 0:
            out.append(ch)
        depth -= ch == "]"
    return "".join(out)


@pytest.mark.parametrize("code", sorted(CODES))
def test_one_problem_per_code_formats_from_the_fields_its_callers_pass(code):
    """Each template, filled with each caller's fields, is a whole bokmål sentence."""
    e = CODES[code]
    assert e.title and e.severity in Severity
    assert e.template.count("[") == e.template.count("]")
    for _module, _line, fields in EMITTED[code]:
        values = {f: f"<{f}>" for f in fields}
        p = problem(code, network="Fosen", where=Location("f.xlsx", "Ark", "C7"), **values)
        assert (p.code, p.severity, p.file, p.sheet, p.cell) == (code, e.severity, "f.xlsx",
                                                                 "Ark", "C7")
        assert "{" not in p.message and "None" not in p.message
        assert p.message.endswith((".", ">")), p.message
        for f in fields:
            assert f"<{f}>" in p.message


def test_the_legacy_message_argument_is_gone():
    with pytest.raises(TypeError):
        problem("no-submission", message="Fant ikke beslutningsgrunnlag fra Fosen.",
                network="Fosen")


def test_a_missing_field_is_a_bug_not_a_half_message():
    with pytest.raises(KeyError):
        problem("over-frame", network="Fosen", requested="1", over="2")


def test_an_optional_part_appears_only_with_its_fields():
    short = message("unallocated", rest="1 000")
    full = message("unallocated", rest="1 000", uncertain="400", left="600")
    assert short == "Kr 1 000 av tildelt beløp er ikke fordelt (udisponerte midler)."
    assert full == (short + " Blir de usikre postene (kr 400) stående, gjenstår kr 600.")


@pytest.mark.parametrize("raw, code, text", [
    ("985 000?", "amount-uncertain", "Beløpet «985 000?» er merket med spørsmålstegn."),
    ("ca. 500 000", "amount-approximate", "Beløpet «ca. 500 000» er et omtrentlig beløp."),
    ("-5", "amount-negative", "Beløpet «-5» er negativt."),
    ("12,50", "amount-ore", "Beløpet «12,50» har øre."),
    ("#REF!", "amount-excel-error", "Beløpet mangler: cellen viser feilverdien «#REF!»"),
    ("mye", "amount-not-number", "Beløpet er ikke et tall: fant «mye»"),
])
def test_an_amount_message_comes_from_the_catalogue(raw, code, text):
    got = parse_amount(raw)
    assert (got.code, got.found) == (code, raw)
    assert got.message is not None and got.message.startswith(text)
    assert got.message == message(code, what="Beløpet", found=raw)


def test_the_formatter_shows_place_severity_code_and_message():
    p = problem("no-submission", network="Fosen", where=Location("f.xlsx", "Nettverk", "A7"))
    assert format_problem(p) == ("f.xlsx: 'Nettverk'!A7: advarsel [no-submission]: "
                                 "Fant ikke beslutningsgrunnlag fra Fosen.")
