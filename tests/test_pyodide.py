"""xlwings Lite's main.py in real Pyodide (from npm, in node) gives the same actions as CPython.

Pyodide is the version xlwings Lite runs (PYODIDE_VERSION); the wheels are the project's own,
built from this checkout, and the pure wheels of its dependencies (xlwings at the version
pinned in docs/xlwings-lite/requirements.txt). ``.ci/run`` provides node, Pyodide and the
wheels under ``.cache/pyodide/``; without them the test is skipped and says what is missing.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from dekom_xl.core import tables as T

ROOT = Path(__file__).resolve().parents[1]
PYODIDE_VERSION = "0.27.7"  # what xlwings Lite loads (README "xlwings Lite"; .ci/run installs it)
CACHE = ROOT / ".cache" / "pyodide"
PYODIDE_DIR = CACHE / "node_modules" / "pyodide"
WHEELS = CACHE / "wheels"
HERE = Path(__file__).parent / "pyodide"
SAMPLE = ROOT / "xlsx_templates" / "fordeling.xlsx"


def lite_xlwings_pin() -> str:
    text = (ROOT / "docs" / "xlwings-lite" / "requirements.txt").read_text(encoding="utf-8")
    return re.search(r"^xlwings==(\S+)", text, re.M).group(1)


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (.ci/run installs nodejs and npm)")
    if not (PYODIDE_DIR / "pyodide.mjs").exists():
        pytest.skip(f"Pyodide is not in {PYODIDE_DIR}: run .ci/run, or "
                    f"npm install --prefix .cache/pyodide pyodide@{PYODIDE_VERSION}")
    if not any(WHEELS.glob("xlwings-*.whl")):
        pytest.skip(f"no dependency wheels in {WHEELS}: run .ci/run (pip download, see there)")
    version = json.loads((PYODIDE_DIR / "package.json").read_text())["version"]
    assert version == PYODIDE_VERSION
    out = tmp_path_factory.mktemp("wheels")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    ours = next(out.glob("dekom_xl-*.whl"))
    assert ours.name.endswith("-py3-none-any.whl")  # a pure wheel
    xlwings = f"xlwings-{lite_xlwings_pin()}-py3-none-any.whl"
    for w in WHEELS.glob("*.whl"):
        if not w.name.startswith("xlwings-") or w.name == xlwings:
            shutil.copy(w, out)
    have = {_norm(w.name.split("-")[0]) for w in out.glob("*.whl")}
    with zipfile.ZipFile(ours) as z:
        meta = z.read(next(n for n in z.namelist() if n.endswith(".dist-info/METADATA")))
    needed = {_norm(re.match(r"[A-Za-z0-9_.-]+", line[len("Requires-Dist: "):]).group(0))
              for line in meta.decode().splitlines()
              if line.startswith("Requires-Dist: ") and "extra ==" not in line}
    needed |= {"et_xmlfile"}  # openpyxl's own dependency
    assert needed <= have, f"no wheel for {sorted(needed - have)} in {WHEELS}"
    return out


def _work_dir(tmp: Path) -> Path:
    from dekom_xl.tools.payload import payload_from_xlsx

    tmp.mkdir()
    shutil.copy(ROOT / "docs" / "xlwings-lite" / "main.py", tmp / "main.py")
    shutil.copy(HERE / "driver.py", tmp / "driver.py")
    (tmp / "payload.json").write_text(json.dumps(payload_from_xlsx(SAMPLE, outdated=T.TOOL_SHEETS),
                                                 default=str),
                                      encoding="utf-8")
    return tmp


def test_lite_main_in_pyodide_gives_the_same_actions_as_cpython(wheels, tmp_path):
    work = _work_dir(tmp_path / "pyodide")
    run = subprocess.run(["node", str(HERE / "run.mjs"), str(PYODIDE_DIR), str(wheels),
                          str(work)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    in_pyodide = json.loads(run.stdout)

    cpython_dir = _work_dir(tmp_path / "cpython")
    env = os.environ | {"PYTHONPATH": str(ROOT)}  # this checkout's dekom_xl, as in the wheel
    subprocess.run([sys.executable, "driver.py"], cwd=cpython_dir, check=True, timeout=300,
                   env=env)
    in_cpython = json.loads((cpython_dir / "result.json").read_text(encoding="utf-8"))

    assert in_pyodide["platform"] == "emscripten" and in_pyodide["python"] == [3, 12]
    assert in_pyodide["xlwings"] == lite_xlwings_pin()
    assert in_pyodide["loaded"] == []  # neither pandas nor numpy: they are not even installed
    # Both buttons are async scripts (Lite's async getters first), awaited in both runtimes.
    assert in_pyodide["async"] == in_cpython["async"] == {"oppdater_sammendrag": True,
                                                           "beregn_rammer": True}
    for script in ("oppdater_sammendrag", "beregn_rammer"):
        actions = in_pyodide["actions"][script]
        # Every tool sheet written once, in place (kept, not re-added); the sample has
        # Modeller, so Modellrammer too.
        written = [a["sheet_position"] for a in actions if a["func"] == "setValues"]
        assert len(written) == len(set(written)) == len(T.TOOL_SHEETS)
        assert not [a for a in actions if a["func"] in ("addSheet", "sheetDelete")]
        assert actions == in_cpython["actions"][script], script
