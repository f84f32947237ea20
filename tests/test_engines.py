"""What each xlwings engine needs: the version floor, and xlwings Lite's main.py wrappers.

.ci/run runs this file and tests/test_xl.py a second time with the lowest xlwings that
pyproject.toml allows, so the floor is tested, not assumed.
"""

import asyncio
import importlib.util
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

xw = pytest.importorskip("xlwings")

ROOT = Path(__file__).resolve().parents[1]
LITE = ROOT / "docs" / "xlwings-lite"


@pytest.fixture(autouse=True)
def licence(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")


def xlwings_floor() -> str:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    return next(re.match(r"xlwings>=(\S+)", d).group(1) for d in deps if d.startswith("xlwings"))


def _version(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split(".")[:3])


def test_the_floor_is_what_the_code_needs():
    # from xlwings import script: 0.33.17; remote column_width setter: 0.37.0;
    # charts.add(chart_type=, anchor=) on the remote engine: 0.37.3.
    assert _version(xlwings_floor()) >= (0, 37, 3)
    assert _version(xw.__version__) >= _version(xlwings_floor())
    from xlwings import script  # noqa: F401  (the import that failed on 0.33)

    import dekom_xl.xl  # noqa: F401


def test_lite_pins_an_allowed_xlwings():
    text = (LITE / "requirements.txt").read_text(encoding="utf-8")
    pin = re.search(r"^xlwings==(\S+)$", text, re.M).group(1)
    assert _version(pin) >= _version(xlwings_floor())


def test_the_button_draws_the_charts_on_the_remote_engine(tmp_path):
    """Below 0.37.3 the remote engine has no charts.add(chart_type=, anchor=): skipped silently.
    (The button keeps existing tool sheets with their charts and widths, so it builds them
    here in a copy without tool sheets.)"""
    import openpyxl

    import dekom_xl.xl as xl
    from dekom_xl.core.tables import TOOL_SHEETS
    from dekom_xl.tools.payload import payload_from_xlsx

    bare = tmp_path / "fordeling.xlsx"
    wb = openpyxl.load_workbook(ROOT / "xlsx_templates" / "fordeling.xlsx")
    for sheet in TOOL_SHEETS:
        del wb[sheet]
    wb.save(bare)
    book = xw.Book(json=payload_from_xlsx(bare))
    xl.oppdater_sammendrag(book)
    counts = Counter(a["func"] for a in book.json()["actions"])
    assert counts["addChart"] == 3  # Sammendrag: per recipient and per network; Modellrammer
    assert counts["setColumnWidth"] > 0  # raises NotImplementedError below 0.37.0


@pytest.fixture
def lite_main(monkeypatch):
    """docs/xlwings-lite/main.py with xlwings Lite's decorators (xlwings.server's, which
    ``from xlwings import func`` gives when XLWINGS_ON_SERVER is set)."""
    import xlwings.server as server

    for name in ("arg", "func", "ret", "script"):
        monkeypatch.setattr(xw, name, getattr(server, name), raising=False)
    spec = importlib.util.spec_from_file_location("lite_main_engines", LITE / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def call(module, func_name, *args):
    """Call a custom function the way Excel (Office.js) does: ranges 2-D, numbers float."""
    from xlwings.server import custom_functions_call

    data = {"func_name": func_name, "args": [a if isinstance(a, list) else [[a]] for a in args],
            "version": xw.__version__, "client": "Office.js", "caller_address": "Ark1!A1",
            "formula_name": func_name.upper(), "culture_info_name": "nb-NO",
            "date_format": "dd.mm.yyyy", "runtime": "1.4"}
    return asyncio.run(custom_functions_call(data, module))


@pytest.mark.parametrize("args, expected", [
    # =DEKOM_RAMMER(1000; A1:B1) with A1 "Fosen", B1 5: one row is one network.
    (("dekom_rammer", 1000.0, [["Fosen", 5.0]]), [[1000]]),
    (("dekom_rammer", 1000.0, [["Fosen", 1.0], ["Orkdal", 1.0]], 100.0), [[500], [500]]),
    (("dekom_rammer", 1000.0, [[1.0], [1.0], [1.0]], 100.0), [[334], [333], [333]]),
    (("dekom_fordel", 100.0, [["a", 1.0]]), [[100]]),
    (("dekom_fordel", 100.0, [["a", 1.0], ["b", 2.0]]), [[33], [67]]),
    (("dekom_likt", 10.0, 3.0), [[4], [3], [3]]),
    (("dekom_belop", "kr 754 521"), [[754_521]]),
])
def test_lite_custom_functions_through_xlwings_conversion(lite_main, args, expected):
    assert call(lite_main, *args) == expected


@pytest.mark.parametrize("args, start", [
    (("dekom_rammer", 1000.0, [["Fosen", "mange"]]),
     "Feil: Nøkkeltallet i rad 1 («mange») er ikke et tall."),
    (("dekom_fordel", 100.0, [["a"], ["b"]]), "Feil: Nøkkeltallet i rad 1 («a») er ikke et tall."),
    (("dekom_likt", 100.0, "tre"), "Feil: Antallet («tre») må være et helt tall."),
    (("dekom_rammer", 100.0, [[1.0], [1.0]], 60.0), "Feil: Potten"),
    (("dekom_belop", "985 000?"), "Feil: Beløpet «985 000?»"),
])
def test_lite_custom_function_errors_are_bokmal(lite_main, args, start):
    result = call(lite_main, *args)
    assert result[0][0].startswith(start), result


def test_import_and_button_need_neither_pandas_nor_numpy(tmp_path):
    """As in xlwings Lite without them: both imports blocked, the button still runs."""
    import subprocess
    import sys

    code = (
        "import sys, os\n"
        "sys.modules['pandas'] = None; sys.modules['numpy'] = None  # import raises ImportError\n"
        "os.environ['XLWINGS_LICENSE_KEY'] = 'noncommercial'\n"
        "import xlwings as xw, dekom_xl, dekom_xl.xl as xl, dekom_xl.cli\n"
        "from dekom_xl.tools.payload import payload_from_xlsx\n"
        f"book = xw.Book(json=payload_from_xlsx(r'{ROOT / 'xlsx_templates' / 'fordeling.xlsx'}'))\n"
        "xl.oppdater_sammendrag(book)\n"
        "print(len(book.json()['actions']))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert int(run.stdout) > 0


def test_the_wheel_is_pure_and_publishable(tmp_path):
    """`python -m build` makes the same wheel; twine check reads the same metadata."""
    import subprocess
    import sys
    import zipfile
    from email.parser import Parser

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path),
                    str(ROOT)], check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("dekom_xl-*.whl"))
    assert wheel.name.endswith("-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        meta = Parser().parsestr(z.read(next(n for n in names if n.endswith("/METADATA"))).decode())
    assert meta["Name"] == "dekom-xl" and meta["License-Expression"] == "MIT"
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert meta["Description-Content-Type"] == "text/markdown"
    assert meta.get_payload().startswith("# dekom_xl")
    requires = meta.get_all("Requires-Dist")
    assert "xlwings>=0.37.3" in requires
    assert not any(r.startswith(("pandas", "numpy")) for r in requires)
    assert "dekom_xl/xl.py" in names and "dekom_xl/core/problems.py" in names


def test_lite_requirements_list_dekom_xl_and_every_dependency():
    """Lite installs what requirements.txt names: dekom-xl and each of its dependencies
    (so nothing rests on a resolver), with xlwings pinned."""
    lines = [ln.strip() for ln in (LITE / "requirements.txt").read_text(encoding="utf-8")
             .splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    names = {re.match(r"[A-Za-z0-9_.-]+", ln).group(0).lower() for ln in lines}
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    needed = {re.match(r"[A-Za-z0-9_.-]+", d).group(0).lower() for d in deps}
    assert names == needed | {"dekom-xl"}
    assert "dekom-xl==" + tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "version"] in lines
    assert not names & {"pandas", "numpy"}
