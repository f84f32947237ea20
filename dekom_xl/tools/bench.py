"""The benchmark: ``python -m dekom_xl.bench --json``.

Synthetic counties at 1×, 10× and 16× the sample year (16× ≈ all of Norway: 176 decision
bases, ≈ 7 000 cost lines). For each scale, inside one process and after imports, it takes
the median of several runs of:

- ``collect_s``: ``dekom-xl collect`` on a fresh copy of the allocation workbook;
- ``open_only_s``: only opening the same files with openpyxl's full load (the reader collect
  used before the fast reader, :mod:`dekom_xl.adapters.files.fastread`);
- ``floor_s``: reading every sheet of the same files with python-calamine (the floor: what a
  fast reader needs just to see the data), and ``vs_floor``, collect over that;
- ``process_s`` (county scale only): the whole ``dekom-xl collect`` process, start to exit;
- ``excel_round_trips``: the actions the «Oppdater sammendrag» button issues (remote engine).

Peak memory is the process's maximum resident set size. Targets (checked here, not in timed
tests): collect ≤ 1.5 × open-only, ≈ 180 files ≤ 10 s, round trips equal at every scale,
peak memory ≤ 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

SCALES = (1, 10, 16)


def prepare(scale: int, folder: Path) -> tuple[Path, Path, int]:
    """Workbook + filled decision bases for a synthetic county; returns (book, dir, lines)."""
    from dekom_xl.adapters.builder import build_allocation, fill_template
    from dekom_xl.app import ops
    from dekom_xl.tools.synthetic import synthetic_year

    data = synthetic_year(scale, lines_per_network=40 if scale >= 16 else None)
    bare = replace(data, submissions=[], problems=[])
    book = folder / "fordeling.xlsx"
    build_allocation(bare, book)
    templates = ops.templates(ops.open_allocation(book), folder / "maler")
    subs = {s.network: s for s in data.submissions}
    lines = 0
    for net, path in zip(bare.networks, templates, strict=True):
        sub = subs[net.name]
        fill_template(path, list(sub.lines), coordination=sub.coordination)
        lines += len(sub.lines)
    return book, folder / "maler", lines


def _median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(scale: int, runs: int = 3) -> dict:
    import openpyxl
    import xlwings as xw

    from dekom_xl.app import ops
    from dekom_xl.tools.payload import payload_from_xlsx
    from dekom_xl.xl import oppdater_sammendrag

    with tempfile.TemporaryDirectory(prefix=f"dekom-bench-{scale}-") as tmp_name:
        tmp = Path(tmp_name)
        book, folder, lines = prepare(scale, tmp)
        pristine = tmp / "pristine.xlsx"
        shutil.copy(book, pristine)
        files = sorted(folder.glob("*.xlsx"))

        def collect():
            shutil.copy(pristine, book)  # each run starts from the same workbook
            wb = ops.open_allocation(book)
            ops.collect(wb, folder, progress=False)
            wb.save()

        def open_only():
            for f in [book, *files]:
                openpyxl.load_workbook(f, data_only=True)

        def floor():
            from python_calamine import CalamineWorkbook

            for f in [book, *files]:
                cw = CalamineWorkbook.from_path(str(f))
                for name in cw.sheet_names:
                    cw.get_sheet_by_name(name).to_python()

        def process():
            shutil.copy(pristine, book)
            subprocess.run([sys.executable, "-m", "dekom_xl", "collect", str(book), str(folder)],
                           check=False, capture_output=True)

        floor_s = _median_time(floor, runs)
        process_s = _median_time(process, runs) if scale == 1 else None
        copy_s = _median_time(lambda: shutil.copy(pristine, book), runs)
        collect_s = max(_median_time(collect, runs) - copy_s, 0.0)
        open_s = _median_time(open_only, runs)
        wb = ops.open_allocation(book)
        ops.collect(wb, folder, progress=False)
        wb.save()
        xbook = xw.Book(json=payload_from_xlsx(book))
        oppdater_sammendrag(xbook)
        trips = len(xbook.json()["actions"])
    return {"scale": scale, "files": len(files), "lines": lines,
            "collect_s": round(collect_s, 3), "open_only_s": round(open_s, 3),
            "ratio": round(collect_s / open_s, 2) if open_s else None,
            "floor_s": round(floor_s, 3),
            "vs_floor": round(collect_s / floor_s, 1) if floor_s else None,
            "process_s": round(process_s, 3) if process_s is not None else None,
            "excel_round_trips": trips}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m dekom_xl.bench",
                                description="Måler innhenting mot ren åpning av filene.")
    p.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    p.add_argument("--runs", type=int, default=3, help="antall kjøringer per skala (median)")
    p.add_argument("--scales", default=",".join(map(str, SCALES)), help="f.eks. 1,10,16")
    a = p.parse_args(argv)
    scales = [measure(int(s), a.runs) for s in a.scales.split(",")]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    trips = {s["excel_round_trips"] for s in scales}
    biggest = max(scales, key=lambda s: s["files"])
    checks = {
        "collect_le_1_5x_open_only": all(s["ratio"] is not None and s["ratio"] <= 1.5
                                         for s in scales),
        "largest_le_10_s": biggest["collect_s"] <= 10,
        "round_trips_constant": len(trips) == 1,
        "peak_memory_le_500_mb": peak_mb <= 500,
        "largest_le_10x_floor": biggest["vs_floor"] is not None and biggest["vs_floor"] <= 10,
        "county_process_le_1_5_s": all(s["process_s"] is None or s["process_s"] <= 1.5
                                       for s in scales),
    }
    result = {"scales": scales, "peak_memory_mb": round(peak_mb, 1), "targets": checks}
    if a.json:
        print(json.dumps(result))
    else:
        print(f"{'skala':>5} {'filer':>6} {'linjer':>7} {'collect s':>10} {'åpne s':>8} "
              f"{'forhold':>8} {'gulv s':>7} {'x gulv':>7} {'prosess s':>9} {'rundturer':>10}")
        for s in scales:
            print(f"{s['scale']:>5} {s['files']:>6} {s['lines']:>7} {s['collect_s']:>10} "
                  f"{s['open_only_s']:>8} {s['ratio']:>8} {s['floor_s']:>7} {s['vs_floor']:>7} "
                  f"{str(s['process_s'] or '-'):>9} {s['excel_round_trips']:>10}")
        print(f"Største minnebruk: {peak_mb:.0f} MB. Mål: {checks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
