"""The ``dekom-xl`` argument parser: commands, arguments and help in bokmål, and argparse's
own messages translated (a usage error is exit 2, and one JSON object with ``--json``)."""

from __future__ import annotations

import argparse
import json
import sys

from dekom_xl import __version__
from dekom_xl.cli.commands import (
    cmd_check,
    cmd_collect,
    cmd_demo,
    cmd_excel,
    cmd_frames,
    cmd_keys,
    cmd_letters,
    cmd_new,
    cmd_new_year,
    cmd_overview,
    cmd_payments,
    cmd_scenarios,
    cmd_templates,
)
from dekom_xl.cli.status import EXIT_UNUSABLE

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


def _payment_file(text: str) -> str:
    if not text.lower().endswith((".xlsx", ".csv")):
        raise argparse.ArgumentTypeError(f"«{text}» må slutte på .xlsx eller .csv")
    return text


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
