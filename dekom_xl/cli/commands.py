"""What each ``dekom-xl`` command does: call one operation of the application layer and
print its result in bokmål (or one JSON object with ``--json``); returns the exit status."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from dekom_xl.cli.status import EXIT_DATA, EXIT_OK
from dekom_xl.core.engine import Outcome
from dekom_xl.core.model import Severity
from dekom_xl.core.money import format_kr
from dekom_xl.core.problems import format_problem

SKIPPED_SHOWN = 3  # files in a folder that are not decision bases: shown one by one up to this


def _print_problems(outcome: Outcome, *, show_info: bool = True) -> None:
    skipped = [p for p in outcome.problems if p.code == "file-other"]
    many = len(skipped) > SKIPPED_SHOWN + 1
    hidden = {id(p) for p in skipped[SKIPPED_SHOWN:]} if many else set()
    for p in outcome.problems:
        if (show_info or p.severity is not Severity.INFO) and id(p) not in hidden:
            print(format_problem(p))
    if show_info and many:
        print(f"… og {len(hidden)} andre filer i mappen som ikke er beslutningsgrunnlag, "
              "hoppet over (alle står i --json).")


def _counts(outcome: Outcome) -> str:
    n = outcome.warnings
    return f"{outcome.errors} feil, {n} {'advarsel' if n == 1 else 'advarsler'}"


def _report(outcome: Outcome, as_json: bool) -> int:
    if as_json:
        print(json.dumps(outcome.as_dict(), ensure_ascii=False))
    else:
        _print_problems(outcome)
        s = outcome.summary
        b = s.budget
        from dekom_xl.core.engine import grant_unreadable

        if grant_unreadable(outcome.data):  # not «tildelt kr 0; udisponert kr −11 900 000»
            print(f"Tildelt beløp mangler (se feilen over); fordelt (faste poster) kr "
                  f"{format_kr(b.allocated)}; usikre kr {format_kr(b.uncertain)}.")
        else:
            print(f"Tildelt kr {format_kr(b.grant)}; fordelt (faste poster) kr "
                  f"{format_kr(b.allocated)}; usikre kr {format_kr(b.uncertain)}; udisponert "
                  f"kr {format_kr(b.unallocated)}.")
        print(f"Rammer til sammen kr {format_kr(s.frames_total)} (potten kr {format_kr(s.pool)}).")
        print(f"Kontroll: {_counts(outcome)}.")
    return outcome.exit_status


def cmd_new(a) -> int:
    from dekom_xl.app import ops

    outcome = ops.new_workbook(Path(a.workbook), Path(a.from_csv), year=a.year, scheme=a.scheme,
                               base_grant=a.base_grant, force=a.force)
    _print_problems(outcome, show_info=False)
    print(f"Laget {a.workbook} ({len(outcome.summary.networks)} nettverk). {_counts(outcome)}.")
    _run_main_note(Path(a.workbook))
    return outcome.exit_status


def _run_main_note(workbook: Path) -> None:
    """Write the Run main module beside a workbook just made; a name that cannot be one only
    gets a note (the workbook itself is fine)."""
    from dekom_xl.app.ops import FileProblem
    from dekom_xl.app.runmain import write_run_main

    try:
        target = write_run_main(workbook)
    except FileProblem as err:
        print(f"Merk: {err.problem.message}", file=sys.stderr)
    else:
        print(f"Skrev {target} (for knappen Run main i xlwings-fanen i Excel).")


def cmd_excel(a) -> int:
    from dekom_xl.app import ops
    from dekom_xl.app.runmain import write_run_main

    ops.open_allocation(Path(a.workbook))  # refuses anything but an allocation workbook
    target = write_run_main(Path(a.workbook))
    print(f"Skrev {target}. Åpne {Path(a.workbook).name} i Excel og trykk Run main i "
          "xlwings-fanen: verktøyarkene lages på nytt.")
    return EXIT_OK


def cmd_frames(a) -> int:
    from dekom_xl.app import ops
    from dekom_xl.app.runlog import log_run

    wb = ops.open_allocation(Path(a.workbook))
    outcome = ops.frames(wb)
    log_run(wb, "frames", outcome, [Path(a.workbook)])
    wb.save()
    if a.json:
        return _report(outcome, True)
    s = outcome.summary
    for n in s.networks:
        print(f"{n.network}: ramme kr {format_kr(n.frame_key)}"
              + (f" (vedtatt kr {format_kr(n.frame_decided)})" if n.frame_decided is not None
                 else "") + f", inkl. koordinering kr {format_kr(n.frame_incl)}")
    print(f"Sum rammer kr {format_kr(s.frames_total)} = potten kr {format_kr(s.pool)}. "
          f"Skrev arket Rammer i {a.workbook}. {_counts(outcome)}.")
    return outcome.exit_status


def cmd_templates(a) -> int:
    from dekom_xl.app import ops

    skipped: list = []
    blocking: list = []
    written = ops.templates(ops.open_allocation(Path(a.workbook)), Path(a.out), skipped=skipped,
                            blocking=blocking)
    if blocking:
        for prob in blocking:
            print(format_problem(prob))
        print(f"Ingen beslutningsgrunnlag er skrevet: rammene kan ikke regnes riktig før "
              f"{len(blocking)} feil over er rettet (arket Nettverk og Oppsett). Rett dem, og "
              "kjør kommandoen på nytt.")
        return EXIT_DATA
    for p in written:
        print(p)
    for prob in skipped:
        print(format_problem(prob))
    print(f"Skrev {len(written)} beslutningsgrunnlag i {a.out}"
          + (f"; {len(skipped)} utfylte er ikke overskrevet" if skipped else "") + ". Send dem "
          "til nettverkene; legg de utfylte i en egen mappe som du henter inn med «collect».")
    _run_main_note(Path(a.workbook))
    return EXIT_OK


def cmd_collect(a) -> int:
    from dekom_xl.app import ops
    from dekom_xl.app.collect import excel_files
    from dekom_xl.app.runlog import log_run

    wb = ops.open_allocation(Path(a.workbook))
    outcome = ops.collect(wb, Path(a.folder), progress=None if not a.json else False)
    if not any(p.code == "no-decision-bases" for p in outcome.problems):  # else: nothing written
        log_run(wb, "collect", outcome, [Path(a.workbook), *excel_files(Path(a.folder))[0]])
    wb.save()
    if not a.json:
        if any(p.code == "no-decision-bases" for p in outcome.problems):
            print(f"Ingenting hentet fra {a.folder}; {a.workbook} er ikke endret.")
        else:
            print(f"Hentet {len(outcome.submissions)} beslutningsgrunnlag fra {a.folder} inn i "
                  f"{a.workbook}.")
    return _report(outcome, a.json)


def cmd_check(a) -> int:
    from dekom_xl.app import ops

    return _report(ops.check(ops.open_allocation(Path(a.workbook))), a.json)


def _decision_output(outcome: Outcome, as_json: bool, written: list[str], what: str) -> int:
    st = outcome.settlement
    if as_json:
        print(json.dumps(outcome.as_dict() | {"written": written, "settlement_total": st.total},
                         ensure_ascii=False))
        return outcome.exit_status
    _print_problems(outcome, show_info=False)
    if st.blocked:
        print("Ingenting er skrevet: fordelingen til mottakerne har feil (se over). Rett dem og "
              "prøv igjen.")
        return outcome.exit_status
    print(f"Skrev {what}. Til sammen kr {format_kr(st.total)} til {len(st.recipients)} "
          f"mottakere, herav kr {format_kr(st.held_total)} holdt tilbake til vilkår er oppfylt.")
    return outcome.exit_status


def cmd_letters(a) -> int:
    from dekom_xl.app import decision_out

    outcome, files = decision_out.letters(Path(a.workbook), Path(a.out),
                                          Path(a.template) if a.template else None)
    if not files and not outcome.settlement.blocked and not a.json:
        _print_problems(outcome, show_info=False)
        print("Ingen tildelingsbrev er skrevet: ingen nettverk har innstilling ennå. Velg "
              "«innstilles», «delvis» eller «avslås» i kolonnen Vedtak på arket Innstilling.")
        return outcome.exit_status
    status = _decision_output(outcome, a.json, [str(f) for f in files],
                              f"{len(files)} tildelingsbrev i {a.out}")
    waiting = len(outcome.settlement.recipients) - len(files)
    if files and waiting and not a.json:
        print(f"{waiting} av mottakerne får ikke brev ennå: nettverket har ingen innstilling "
              "(Vedtak er tomt på arket Innstilling).")
    return status


def cmd_payments(a) -> int:
    from dekom_xl.app import decision_out

    outcome, target = decision_out.payment_list(Path(a.workbook), Path(a.out))
    return _decision_output(outcome, a.json, [str(target)] if target else [],
                            f"utbetalingslisten til {a.out}")



def cmd_demo(a) -> int:
    from dekom_xl.app import ops

    r = ops.demo(Path(a.out))
    o = r.outcome
    s = o.summary
    rec = {x.recipient: x.amount for x in s.recipients}
    print(f"Eksempelåret {s.year} ({s.scheme}), nøkkeltallene er illustrative.")
    print(f"  Arbeidsbok:  {r.workbook}")
    print(f"  Maler:       {len(r.templates)} filer i {r.templates[0].parent if r.templates else ''}")
    print(f"  Tildelt kr {format_kr(s.budget.grant)}, rammer kr {format_kr(s.frames_total)}, "
          f"udisponert kr {format_kr(s.budget.unallocated)}.")
    print("  Meldt behov per mottaker: " + ", ".join(f"{k} kr {format_kr(v)}"
                                                  for k, v in rec.items()))
    st = o.settlement
    if st.recommended_total:
        print(f"  Innstilt kr {format_kr(st.recommended_total)}, herav holdt tilbake kr "
              f"{format_kr(st.held_total)}. Til mottakere: " + ", ".join(
                  f"{r.recipient} kr {format_kr(r.amount)}" for r in st.recipients
                  if r.kind == "uh") + f", nettverkene selv kr {format_kr(st.own_total)}.")
    print(f"  Kontroll: {_counts(o)} (se arket Kontroll).")
    for p in o.problems:
        if p.severity is not Severity.INFO:
            print("  " + format_problem(p))
    from dekom_xl.app.demo_years import demo_years

    y = demo_years(Path(a.out), r.workbook)
    print(f"  Nytt år:     {y.next_year.path} (dekom-xl new-year: nøkkeltall og tildelt beløp "
          "skal fylles inn)")
    print(f"  Ordning 2:   {y.second} (ILLUSTRATIV: videregående som egen ordning i 2026)")
    print(f"  Oversikt:    {y.overview} (per mottaker over {len(y.sources)} ordninger og år)")
    return o.exit_status


def cmd_scenarios(a) -> int:
    from dekom_xl.app import scenarios

    outcome = scenarios.run_scenarios(Path(a.workbook))
    if a.json:
        print(json.dumps(scenarios.as_dict(outcome), ensure_ascii=False))
        return outcome.exit_status
    _print_problems(outcome, show_info=False)
    sc = outcome.scenarios
    if sc is None:
        return outcome.exit_status
    for m in sc.models:
        frames = sc.frames[m.name]
        floor = f", gulv kr {format_kr(m.floor)}" if m.floor is not None else ""
        print(f"{m.name}: grunntilskudd kr {format_kr(m.base_grant)}, nøkkel {m.describe()}"
              f"{floor}; sum kr {format_kr(sum(frames.values()))}")
        for n in sc.networks:
            diff = frames[n] - sc.current.get(n, 0)
            print(f"  {n}: kr {format_kr(frames[n])} ({'+' if diff > 0 else ''}"
                  f"{format_kr(diff)} mot nå)")
    print(f"{len(sc.models)} modeller, hver summerer til potten kr {format_kr(sc.pool)}. "
          f"Skrev arket Modellrammer i {a.workbook}. {_counts(outcome)}.")
    return outcome.exit_status


def cmd_new_year(a) -> int:
    from dekom_xl.app.newyear import new_year

    r = new_year(Path(a.old), Path(a.new), a.year, force=a.force)
    o = r.outcome
    if a.json:
        print(json.dumps({"problems": [p.as_dict() for p in o.problems],
                          "workbook": str(r.path), "year": r.year, "networks": r.networks,
                          "budget_lines": [b.label for b in r.budget_lines],
                          "balances": len(r.balances)}, ensure_ascii=False))
        return EXIT_OK
    print(f"Laget {r.path} for {r.year} fra {a.old} ({r.old_year}); {a.old} er bare lest.")
    print(f"  {r.networks} nettverk med alias, koordinering og UH; {len(r.budget_lines)} "
          "budsjettposter fra langsiktig plan (merket «sjekk beløpet»); "
          f"{len(r.balances)} rader på arket Saldo.")
    print("  Å gjøre: skriv inn tildelt beløp på Oppsett og oppdater nøkkeltallene (merket "
          "«skal oppdateres», f.eks. med «dekom-xl keys»).")
    print(f"  Kontroll i den nye arbeidsboken: {_counts(o)} (det som mangler før rammene kan "
          "regnes).")
    return EXIT_OK


def cmd_keys(a) -> int:
    from dekom_xl.app.keys import fill_keys

    r = fill_keys(Path(a.workbook), Path(a.file), column=a.column)
    if a.json:
        print(json.dumps({"problems": [p.as_dict() for p in r.problems], "column": r.column,
                          "written": [{"network": n, "value": float(v)}
                                      for n, v in r.written.items()]}, ensure_ascii=False))
        return r.exit_status
    for p in r.problems:
        print(format_problem(p))
    if r.written:
        for n, v in r.written.items():
            shown = format_kr(int(v)) if v.denominator == 1 else f"{float(v):.2f}".replace(".", ",")
            print(f"{n}: {shown}")
        print(f"Skrev «{r.column}» for {len(r.written)} nettverk i {a.workbook}; ingenting annet "
              "er endret.")
    else:
        print(f"Ingenting er skrevet i {a.workbook}: rett feilene over og kjør kommandoen igjen.")
    return r.exit_status


def cmd_overview(a) -> int:
    from dekom_xl.app.overview import overview
    from dekom_xl.core.overview import totals

    sources, problems = overview([Path(w) for w in a.workbooks], Path(a.out))
    if a.json:
        print(json.dumps({"problems": [p.as_dict() for p in problems],
                          "workbooks": [{"file": s.file, "scheme": s.scheme, "year": s.year,
                                         "recipients": s.amounts} for s in sources],
                          "totals": totals(sources)}, ensure_ascii=False))
        return EXIT_OK
    for who, amount in totals(sources).items():
        print(f"{who}: kr {format_kr(amount)}")
    print(f"Skrev oversikten over {len(sources)} arbeidsbøker til {a.out} "
          "(arbeidsbøkene er bare lest).")
    return EXIT_OK
