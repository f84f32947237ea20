"""The command line ``dekom-xl``: parse, call one operation in :mod:`dekom_xl.app.ops`, print, exit.

Exit status: 0 no errors (warnings allowed), 1 errors in the data, 2 unusable input, 3 a bug
in dekom-xl (its traceback is written to a log file in the temporary folder), 130 Ctrl-C.
Messages are bokmål and name the file, sheet and cell. No traceback reaches the user.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path

from dekom_xl import __version__
from dekom_xl.core.engine import Outcome
from dekom_xl.core.model import Severity
from dekom_xl.core.money import format_kr
from dekom_xl.core.problems import format_problem

EXIT_OK, EXIT_DATA, EXIT_UNUSABLE, EXIT_BUG = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # Ctrl-C, as the shell reports it


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
        print(f"Tildelt kr {format_kr(b.grant)}; fordelt (faste poster) kr {format_kr(b.allocated)}; "
              f"usikre kr {format_kr(b.uncertain)}; udisponert kr {format_kr(b.unallocated)}.")
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
    written = ops.templates(ops.open_allocation(Path(a.workbook)), Path(a.out), skipped=skipped)
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


def _payment_file(text: str) -> str:
    if not text.lower().endswith((".xlsx", ".csv")):
        raise argparse.ArgumentTypeError(f"«{text}» må slutte på .xlsx eller .csv")
    return text


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


# argparse's own words, in bokmål (its messages are English; users read only bokmål).
_ARGPARSE_NB = [
    ("the following arguments are required:", "disse argumentene mangler:"),
    ("unrecognized arguments:", "ukjente argumenter:"),
    ("invalid int value:", "ugyldig heltall:"),
    ("invalid choice:", "ugyldig valg:"),
    ("choose from", "velg blant"),
    ("expected one argument", "mangler en verdi"),
    ("ambiguous option:", "tvetydig valg:"),
    ("could match", "kan bety"),
    ("not allowed with argument", "kan ikke brukes sammen med"),
]


class _Formatter(argparse.HelpFormatter):
    """Help text with a bokmål usage line."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Bruk: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help headings and error messages are bokmål."""

    json = False  # --json was given: a usage error is one JSON object too

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenter"
        self._optionals.title = "valg"
        self.add_argument("-h", "--help", action="help", help="vis denne hjelpen og avslutt")

    def error(self, message: str):
        """Print the usage and a bokmål message; exit 2 (unusable input)."""
        for en, nb in _ARGPARSE_NB:
            message = message.replace(en, nb)
        if getattr(self, "json", False):
            from dekom_xl.core.problems import problem

            prob = problem("bad-arguments", text=message)
            print(json.dumps({"problems": [prob.as_dict()], "summary": None}, ensure_ascii=False))
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNUSABLE, f"{self.prog}: feil: {message}\n"
                                 f"Se «{self.prog} --help».\n")


def _amount(text: str) -> int:
    """An amount typed on the command line: ``150000``, ``150 000`` or ``kr 150 000``."""
    from dekom_xl.core.money import parse_amount

    got = parse_amount(text)
    if not got.ok or got.value is None:
        raise argparse.ArgumentTypeError(got.message or f"«{text}» er ikke et beløp i kroner.")
    return got.value


def _year(text: str) -> int:
    """A year such as 2025."""
    if not text.strip().isdigit() or not 1900 < int(text) < 2200:
        raise argparse.ArgumentTypeError(f"«{text}» er ikke et årstall (for eksempel 2025).")
    return int(text)


def _command(sub, name: str, func, help: str, description: str, *,
             workbook: str | None = "fordelingsarbeidsboken") -> argparse.ArgumentParser:
    """A subcommand running ``func``, with the workbook argument unless ``workbook`` is None."""
    c = sub.add_parser(name, help=help, description=description)
    if workbook is not None:
        c.add_argument("workbook", metavar="ARBEIDSBOK", help=workbook)
    c.set_defaults(func=func)
    return c


def _json(c: argparse.ArgumentParser) -> None:
    c.add_argument("--json", action="store_true", help="skriv resultatet som JSON")


def build_parser() -> argparse.ArgumentParser:
    """The ``dekom-xl`` parser with its seven commands (help texts in bokmål)."""
    p = _Parser(
        prog="dekom-xl",
        description="Fordeling av Dekom-midler: rammer, beslutningsgrunnlag, kontroll og "
                    "sammendrag i sekretariatets Excel-arbeidsbok.",
        epilog="Avslutningsstatus: 0 ingen feil, 1 feil i dataene, 2 filen kan ikke brukes, "
               "3 intern feil i dekom-xl, 130 avbrutt.")
    p.add_argument("--version", action="version", version=f"dekom-xl {__version__}",
                   help="vis versjonsnummeret og avslutt")
    sub = p.add_subparsers(dest="command", required=True, metavar="KOMMANDO",
                           title="kommandoer", help="kjør «dekom-xl KOMMANDO --help» for mer")

    c = _command(sub, "demo", cmd_demo, "kjør hele eksempelåret 2025 (arbeidsbok, maler, "
                 "innhenting)", "Lager arbeidsboken for eksempelåret, 11 utfylte maler, henter "
                 "dem inn og lager sammendraget.", workbook=None)
    c.add_argument("--out", default="demo", metavar="MAPPE", help="mappe å skrive til (standard: demo)")

    c = _command(sub, "new", cmd_new, "ny arbeidsbok fra budget.csv og networks.csv",
                 "Lager en ny fordelingsarbeidsbok fra importformatet.",
                 workbook="arbeidsboken som skal lages (.xlsx)")
    c.add_argument("--from-csv", required=True, metavar="MAPPE",
                   help="mappe med budget.csv og networks.csv (og ev. uh.csv, recommendations.csv)")
    c.add_argument("--year", type=_year, metavar="ÅR", help="år (standard: fra linjen «grant» i budget.csv)")
    c.add_argument("--scheme", metavar="ORDNING", help="ordning, f.eks. Dekom eller Kompetanseløftet")
    c.add_argument("--base-grant", type=_amount, default=None, metavar="BELØP",
                   help="grunntilskudd per nettverk i kroner, f.eks. 150000 eller «150 000»")
    c.add_argument("--force", action="store_true",
                   help="erstatt en arbeidsbok som finnes (den gamle legges i .dekom-backup)")

    c = _command(sub, "frames", cmd_frames, "regn rammene inn på arket Rammer",
                 "Regner rammene (grunntilskudd + resten etter nøkkel) og oppdaterer verktøyarkene.")
    _json(c)

    c = _command(sub, "templates", cmd_templates, "én ferdig utfylt mal per nettverk",
                 "Skriver ett beslutningsgrunnlag per nettverk, med ramme og koordinering fylt inn.")
    c.add_argument("--out", required=True, metavar="MAPPE", help="mappe for malene")

    _command(sub, "excel", cmd_excel, "skriv Python-filen til knappen Run main (Excel på PC/Mac)",
             "Skriver <arbeidsbok>.py ved siden av arbeidsboken. Knappen Run main i xlwings-fanen "
             "kjører den: henter beslutningsgrunnlag fra mappen på Oppsett og lager "
             "verktøyarkene på nytt. Ingen makroer.")

    c = _command(sub, "collect", cmd_collect, "hent inn beslutningsgrunnlag og oppdater "
                 "sammendraget", "Leser alle beslutningsgrunnlag i MAPPE (og ark limt inn i "
                 "arbeidsboken), kontrollerer og lager verktøyarkene på nytt.")
    c.add_argument("folder", metavar="MAPPE", help="mappe med utfylte beslutningsgrunnlag")
    _json(c)

    c = _command(sub, "check", cmd_check, "bare kontroll og sammendrag; skriver ingenting",
                 "Kontrollerer arbeidsboken og viser sammendraget uten å skrive noe.")
    _json(c)

    c = _command(sub, "scenarios", cmd_scenarios, "rammene under hver fordelingsmodell (arket "
                 "Scenarier)", "Regner rammene for hver modell i tabellen Modeller og skriver "
                 "dem, med avviket fra rammen som brukes nå, på arket Modellrammer.")
    _json(c)

    c = sub.add_parser("new-year", help="ny arbeidsbok for neste år fra fjorårets",
                       description="Lager arbeidsboken for ÅR fra fjorårets: nettverk, alias, UH, "
                                   "koordinering, nøkler, modeller og faste poster fra langsiktig "
                                   "plan (merket «sjekk beløpet»); nøkkeltallene merkes «skal "
                                   "oppdateres», tildelt beløp står tomt, og saldoene føres over "
                                   "til arket Saldo. Fjorårets arbeidsbok bare leses.")
    c.add_argument("old", metavar="FJORÅRET", help="fjorårets fordelingsarbeidsbok")
    c.add_argument("new", metavar="NY", help="den nye arbeidsboken (.xlsx)")
    c.add_argument("--year", type=_year, metavar="ÅR",
                   help="det nye året (standard: året etter fjorårets, fra Oppsett)")
    c.add_argument("--force", action="store_true", help="skriv over NY hvis den finnes")
    c.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    c.set_defaults(func=cmd_new_year)

    c = sub.add_parser("keys", help="nøkkeltall fra kommunetall (tabellen Kommuner)",
                       description="Summerer en fil med tall per kommune (kommunenummer; kommune; "
                                   "verdi – semikolon eller komma, UTF-8 eller Excels Windows-1252) "
                                   "per nettverk etter tabellen Kommuner, og skriver summene i "
                                   "nøkkelkolonnen på arket Nettverk. Ingenting annet endres; ved "
                                   "feil skrives ingenting.")
    c.add_argument("workbook", metavar="ARBEIDSBOK", help="fordelingsarbeidsboken")
    c.add_argument("file", metavar="FIL", help="CSV-fil med tall per kommune")
    c.add_argument("--column", default="Nøkkeltall", metavar="KOLONNE",
                   help="nøkkelkolonnen som fylles (standard: Nøkkeltall)")
    c.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    c.set_defaults(func=cmd_keys)

    c = sub.add_parser("overview", help="oversikt per mottaker over flere arbeidsbøker",
                       description="Leser flere fordelingsarbeidsbøker (ordninger, år) og skriver "
                                   "én oversikt med summer per mottaker på tvers av ordninger og "
                                   "per år. Arbeidsbøkene bare leses.")
    c.add_argument("workbooks", nargs="+", metavar="ARBEIDSBOK", help="fordelingsarbeidsbøkene")
    c.add_argument("--out", required=True, metavar="FIL", help="oversikten som skrives (.xlsx)")
    c.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    c.set_defaults(func=cmd_overview)

    c = _command(sub, "letters", cmd_letters, "ett tildelingsbrev (.docx) per mottaker",
                 "Skriver ett tildelingsbrev per mottaker fra Word-malen, med beløp, fordeling, "
                 "vilkår, rapportering og klagerett.")
    c.add_argument("--out", required=True, metavar="MAPPE", help="mappe for brevene")
    c.add_argument("--template", metavar="MAL", help="egen Word-mal (.docx) med flettefelt")
    _json(c)

    c = _command(sub, "payments", cmd_payments, "utbetalingsliste (.xlsx eller .csv)",
                 "Skriver én rad per mottaker og status (utbetales, holdes tilbake, avslått) med "
                 "organisasjonsnummer og beløp.")
    c.add_argument("--out", required=True, type=_payment_file, metavar="FIL",
                   help="FIL.xlsx eller FIL.csv")
    _json(c)
    return p


_OS_REASONS = {
    errno.ENOSPC: "disken er full", errno.EDQUOT: "kvoten på disken er brukt opp",
    errno.EACCES: "du har ikke tilgang", errno.EPERM: "du har ikke tilgang",
    errno.EROFS: "disken er skrivebeskyttet", errno.ENAMETOOLONG: "filnavnet er for langt",
    errno.ENOENT: "filen eller mappen finnes ikke", errno.EISDIR: "det er en mappe",
    errno.EBUSY: "filen er i bruk", errno.EIO: "lese- eller skrivefeil på disken",
    errno.EEXIST: "det finnes allerede en fil med det navnet (ventet en mappe)",
    errno.ENOTDIR: "en del av stien er en fil, ikke en mappe",
}


def _fail(prob, as_json: bool) -> int:
    """Report a problem that stops the command: JSON on stdout when asked, text on stderr."""
    if as_json:
        print(json.dumps({"problems": [prob.as_dict()], "summary": None}, ensure_ascii=False))
    print(format_problem(prob), file=sys.stderr)
    return EXIT_UNUSABLE


def _interrupted(_signum, _frame):  # SIGTERM ends the command like Ctrl-C: temporary files go
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    import signal

    from dekom_xl.core.problems import problem

    signal.signal(signal.SIGTERM, _interrupted)
    as_json = "--json" in (sys.argv[1:] if argv is None else argv)
    from dekom_xl.core.model import Refused

    try:
        _Parser.json = as_json  # subcommand parsers too
        args = build_parser().parse_args(argv)
        return args.func(args)
    except Refused as err:
        return _fail(err.problem, as_json)
    except OSError as err:
        reason = _OS_REASONS.get(err.errno or 0, "operativsystemet avviste handlingen")
        name = Path(err.filename).name if err.filename else "filen"
        return _fail(problem("os-error", action="Kunne ikke lese eller skrive", file=name,
                             reason=reason, detail=err.strerror or str(err)), as_json)
    except KeyboardInterrupt:  # Ctrl-C (or SIGTERM): quietly, as the shell reports Ctrl-C
        _fail(problem("interrupted"), as_json)
        return EXIT_INTERRUPTED
    except Exception as err:  # a bug: one bokmål line; the traceback goes to a log file
        if os.environ.get("DEKOM_DEBUG"):
            raise
        log = _write_bug_log(err, sys.argv[1:] if argv is None else argv)
        _fail(problem("internal-error", kind=type(err).__name__, log=log), as_json)
        return EXIT_BUG


def _write_bug_log(err: BaseException, argv: list[str]) -> Path:
    """The traceback of a bug, written to a new file in the temporary folder; its path."""
    fd, name = tempfile.mkstemp(prefix="dekom-xl-feil-", suffix=".log")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(f"dekom-xl {__version__}, Python {sys.version.split()[0]}\n")
        f.write(f"kommando: dekom-xl {' '.join(argv)}\n\n")
        f.write("".join(traceback.format_exception(type(err), err, err.__traceback__)))
    return Path(name)


if __name__ == "__main__":
    sys.exit(main())
