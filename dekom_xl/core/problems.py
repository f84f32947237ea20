"""The problem catalogue: every problem code, its severity, a short bokmål title and the
message template its message is made from; and the one formatter of a problem.

Tests and tools rely on the codes; never rename one. Each code means one thing. A problem is
always made through :func:`problem`::

    problem("over-frame", network="Fosen", where=loc, requested=kr(643_042), over=kr(43_042),
            limit=kr(600_000))

fills the code's template from the keyword fields (``str.format`` style; ``{network}`` is the
problem's network). A part of a template in square brackets is optional: it is left out when
a field it names is not given (or is ``None``). Amounts are passed pre-formatted with
:func:`dekom_xl.core.money.format_kr`.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from dekom_xl.core.model import Location, Problem, Severity

E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO  # feil, advarsel, info (note)


@dataclass(frozen=True)
class Entry:
    """One catalogue entry: severity, short title, and the message template (bokmål)."""

    severity: Severity
    title: str
    template: str

    def fields(self) -> set[str]:
        """The field names the template uses (optional parts included)."""
        return {f for _, f, _, _ in string.Formatter().parse(self.template.replace("[", "")
                                                                .replace("]", "")) if f}

    def render(self, **fields: object) -> str:
        """The template filled from ``fields``; optional ``[…]`` parts only when complete."""
        def part(m: re.Match[str]) -> str:
            names = {f for _, f, _, _ in string.Formatter().parse(m.group(1)) if f}
            return m.group(1) if all(fields.get(n) is not None for n in names) else ""

        return _OPTIONAL.sub(part, self.template).format(**fields)


_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")

CODES: dict[str, Entry] = {
    # amounts (dekom_xl.core.money); {what} names the amount, {found} quotes the cell
    "amount-uncertain": Entry(E, "Beløp med spørsmålstegn",
        "{what} «{found}» er merket med spørsmålstegn. Avklar beløpet og skriv det inn uten "
        "spørsmålstegn, i hele kroner."),
    "amount-approximate": Entry(E, "Omtrentlig beløp",
        "{what} «{found}» er et omtrentlig beløp. Skriv inn det nøyaktige beløpet i hele kroner."),
    "amount-negative": Entry(E, "Negativt beløp",
        "{what} «{found}» er negativt. Beløp skal være null eller større; skriv inn beløpet uten "
        "minustegn."),
    "amount-ore": Entry(E, "Beløp med øre",
        "{what} «{found}» har øre. Skriv inn beløpet i hele kroner."),
    "amount-excel-error": Entry(E, "Feilverdi i beløpscelle",
        "{what} mangler: cellen viser feilverdien «{found}» i stedet for et beløp. Rett formelen "
        "eller skriv inn beløpet i hele kroner."),
    "amount-not-number": Entry(E, "Beløpet er ikke et tall",
        "{what} er ikke et tall: fant «{found}», ventet et beløp i hele kroner, for eksempel "
        "754 521."),
    "amount-formula-no-value": Entry(W, "Formel uten beregnet verdi",
        "{what} er en formel uten beregnet verdi ({formula}). Åpne filen i Excel, lagre den, og "
        "send den på nytt – eller skriv inn beløpet."),
    "amount-missing": Entry(E, "Beløp mangler",
        "{what} mangler. Skriv inn et beløp i hele kroner (0 hvis ingenting)."),
    # splitting money (dekom_xl.core.allocation)
    "allocation-negative": Entry(E, "Ugyldig beløp å fordele",
        "Beløpet som skal fordeles er {total}; det må være et helt kronebeløp, null eller større."),
    "allocation-empty": Entry(E, "Ingen å fordele på",
        "Det er ingen å fordele {total} kroner på."),
    "base-negative": Entry(E, "Negativt grunntilskudd",
        "Grunntilskuddet er {base}; det må være null eller større."),
    # setup and budget
    "setup-missing": Entry(E, "Oppsett mangler en verdi",
        "«{label}» er tomt. Skriv inn et tall."),
    "setup-name-missing": Entry(E, "Feltet finnes ikke i arbeidsboken",
        "Feltet «{label}» (navnet {name}) finnes ikke i arbeidsboken. Lag arbeidsboken på nytt "
        "med «dekom-xl new»."),
    "grant-line-missing": Entry(E, "Tildelt beløp mangler",
        "{file} har ingen linje «{line}» (tildelt beløp). Legg den til."),
    "budget-over-grant": Entry(E, "Budsjettet overstiger tildelt beløp",
        "Budsjettpostene er til sammen kr {total}, som er kr {over} mer enn tildelt beløp "
        "kr {grant}. Reduser postene eller rett tildelt beløp."),
    "unallocated": Entry(N, "Udisponerte midler",
        "Kr {rest} av tildelt beløp er ikke fordelt (udisponerte midler).[ Blir de usikre "
        "postene (kr {uncertain}) stående, gjenstår kr {left}.]"),
    "budget-over-grant-uncertain": Entry(W, "Budsjettet med usikre poster overstiger tildelt beløp",
        "Med de usikre postene (kr {uncertain}) blir budsjettet kr {over} høyere enn tildelt "
        "beløp kr {grant}. Avklar de usikre postene før vedtak."),
    "budget-status": Entry(E, "Ukjent status på budsjettpost",
        "Status «{found}» for «{label}» er ukjent. Velg «fast» eller «usikker»."),
    "pool-missing": Entry(E, "Potten til partnerskapene mangler",
        "Budsjettet har ingen post med kode «{line}» (potten til partnerskapene). Legg til "
        "posten i tabellen Budsjett."),
    "pool-below-base": Entry(E, "Potten er mindre enn grunntilskuddene",
        "Potten til partnerskapene ({pool} kr) er mindre enn grunntilskuddet {base} kr × {count} "
        "nettverk = {bases} kr. Senk grunntilskuddet eller øk potten."),
    "frames-not-pool": Entry(E, "Rammene summerer ikke til potten",
        "De vedtatte rammene summerer til kr {total}, som er kr {diff} {direction} enn potten "
        "til partnerskapene kr {pool}. Rett de vedtatte rammene på arket Nettverk, eller tøm dem "
        "og bruk rammene etter nøkkelen."),
    "key-missing": Entry(E, "Nøkkeltall mangler",
        "Nøkkeltallet for {network} mangler eller er ikke et tall (fant «{found}»). Skriv inn "
        "nøkkeltallet, for eksempel elevtall."),
    "key-negative": Entry(E, "Negativt nøkkeltall",
        "Nøkkeltallet for {network} er negativt ({found}). Skriv inn null eller et positivt tall."),
    # the distribution model side by side (Scenarier: table Modeller)
    "scenario-key-value": Entry(W, "Nøkkeltall i ekstra nøkkelkolonne mangler",
        "«{column}» for {network} mangler eller er ikke et tall (fant «{found}»). Modellene som "
        "bruker kolonnen regner det som 0; skriv inn tallet."),
    "scenario-share": Entry(W, "Ugyldig andel for nøkkel 2",
        "Modellen «{model}» har andel nøkkel 2 «{found}». Skriv en andel mellom 0 % og 100 % når "
        "Nøkkel 2 er fylt inn (og la begge stå tomme for én nøkkel). Modellen er ikke regnet ut."),
    "scenario-key-unknown": Entry(W, "Ukjent nøkkel i modellen",
        "Modellen «{model}» bruker nøkkelen «{key}», men arket Nettverk har bare {known}. Skriv "
        "navnet på en nøkkelkolonne, eller legg til kolonnen i tabellen Nettverk (overskriften "
        "må begynne med «Nøkkeltall»)."),
    "scenario-pool-below-base": Entry(W, "Grunntilskuddene i modellen overstiger potten",
        "Modellen «{model}» trenger kr {need} i grunntilskudd, men potten er kr {pool}. Senk "
        "grunntilskuddet i modellen."),
    "scenario-floor-too-high": Entry(W, "Gulvet i modellen er for høyt",
        "Modellen «{model}» gir hvert nettverk minst gulvet, til sammen kr {need}, men potten er "
        "kr {pool}. Senk gulvet."),
    "scenario-duplicate": Entry(W, "Samme modellnavn to ganger",
        "Modellen «{model}» står to ganger i tabellen Modeller; bare den første er regnet ut. Gi "
        "modellene ulike navn."),
    "scenario-table-missing": Entry(E, "Tabellen Modeller mangler",
        "Arbeidsboken har ikke tabellen «{table}» (arket Scenarier); den er laget før modellene "
        "kom. Lag en tabell med kolonnene Modell, Grunntilskudd og Nøkkel (og ev. Nøkkel 2, "
        "Andel nøkkel 2, Gulv, Merknad), eller lag arbeidsboken for neste år med «dekom-xl "
        "new-year». Ingenting er skrevet."),
    # year after year: new-year, balances (Saldo), keys from municipalities, overview
    "new-year-exists": Entry(E, "Filen finnes allerede",
        "{file} finnes allerede. Velg et annet navn, eller bruk --force for å skrive over den. "
        "Ingenting er skrevet."),
    "new-year-button-exists": Entry(E, "Neste års arbeidsbok finnes",
        "{file} finnes allerede i mappen {folder}. Åpne den hvis den er neste års arbeidsbok; "
        "skal den lages på nytt, gi den gamle et annet navn først og trykk på nytt. Ingenting "
        "er skrevet."),
    "new-year-no-year": Entry(E, "Året mangler",
        "{file} har ikke noe år på Oppsett, så neste år kan ikke lages. Skriv året på Oppsett "
        "og prøv igjen. Ingenting er skrevet."),
    "new-year-not-later": Entry(E, "Året er ikke et nytt år",
        "{file} gjelder {old}, og det nye året {year} er ikke senere. Skriv neste år, for "
        "eksempel --year {next}. Ingenting er skrevet."),
    "new-year-same-file": Entry(E, "Samme fil inn og ut",
        "Den nye arbeidsboken kan ikke være den samme filen som fjorårets ({file}). Gi den nye "
        "et eget navn. Ingenting er skrevet."),
    "balance-part": Entry(E, "Ukjent del i Saldo",
        "«Del» er «{found}». Skriv «nettverk» eller «UH»."),
    "reduction-rule-unknown": Entry(E, "Ukjent regel for ubrukte midler",
        "Regelen for ubrukte midler er «{found}». Skriv «ingen», «UH», «nettverk» eller «alle»."),
    "budget-negative-not-here": Entry(E, "Negativt beløp på feil post",
        "Beløpet for «{label}» er negativt (kr {amount}). Penger som føres tilbake (for eksempel "
        "«Tilbakeført fra 2024») skrives som en egen fast post uten mottaker; tildelt beløp, "
        "partnerskapene, usikre poster og direktetildelinger må være null eller større."),
    "budget-line-negative": Entry(N, "Penger tilbakeført",
        "«{label}» er negativ (kr {amount}): pengene føres tilbake og øker det som kan "
        "disponeres. Sum faste poster er kr {allocated}."),
    "reduction-capped": Entry(N, "Ubrukte midler større enn ny tildeling",
        "{network} har kr {unspent} ubrukt ({part}), mer enn den nye tildelingen kr {allocated}. "
        "Tildelingen er avkortet til 0; resten (kr {rest}) står fortsatt på arket Saldo."),
    "keys-table-missing": Entry(E, "Tabellen Kommuner mangler",
        "{file} har ikke tabellen «{table}» (kommunenummer, kommune, nettverk). Lag den på et ark "
        "som heter Kommuner, eller lag arbeidsboken med «dekom-xl new-year». Ingenting er skrevet."),
    "keys-file-not-csv": Entry(E, "Kommunetallene er ikke en CSV-fil",
        "{file} er {kind}, ikke en CSV-fil med kommunenummer, kommune og verdi. Åpne den i "
        "Excel, lagre den som «CSV (semikolondelt)» (.csv) og kjør kommandoen med den filen. "
        "Ingenting er skrevet."),
    "keys-column-missing": Entry(E, "Nøkkelkolonnen finnes ikke",
        "Tabellen Nettverk har ingen kolonne «{column}». Legg den til (overskriften må begynne med "
        "«Nøkkeltall»), eller velg en annen med --column. Ingenting er skrevet."),
    "keys-mapped-twice": Entry(E, "Kommunen står to ganger i Kommuner",
        "Kommune {number} ({municipality}) står også i {first}. En kommune hører til ett nettverk: "
        "slett den ene raden."),
    "keys-unknown-network": Entry(E, "Ukjent nettverk i Kommuner",
        "{municipality} er lagt til nettverket «{found}», som ikke finnes på arket Nettverk. Skriv "
        "navnet slik det står der (eller et alias)."),
    "keys-not-mapped": Entry(E, "Kommunen er ikke lagt til et nettverk",
        "Kommune {number} ({municipality}) står i filen, men ikke i tabellen Kommuner. Legg den "
        "til med sitt nettverk."),
    "keys-file-twice": Entry(E, "Kommunen står to ganger i filen",
        "Kommune {number} ({municipality}) står to ganger i filen (også {first}). Slett den ene "
        "raden."),
    "keys-not-number": Entry(E, "Verdien er ikke et tall",
        "Verdien for {municipality} er «{found}», ikke et tall. Skriv tallet (null eller større)."),
    "keys-missing-in-file": Entry(E, "Kommunen mangler i filen",
        "Kommune {number} hører til {network}, men står ikke i {source}. Uten den blir "
        "nøkkeltallet for lavt: legg den til i filen."),
    "keys-network-without-municipalities": Entry(W, "Nettverk uten kommuner",
        "{network} har ingen kommuner i tabellen Kommuner; nøkkeltallet er ikke endret."),
    "overview-same-scheme-year": Entry(E, "Samme ordning og år to ganger i oversikten",
        "{file} gjelder {scheme} {year}, som {other} også gjør; da ville pengene telles to "
        "ganger. Ta med bare én arbeidsbok per ordning og år (ikke en kopi). Ingenting er "
        "skrevet."),
    "overview-out-is-input": Entry(E, "Oversikten kan ikke skrives over en arbeidsbok",
        "{file} er en av arbeidsbøkene som leses. Velg et annet navn for oversikten. Ingenting er "
        "skrevet."),
    # networks and names
    "network-missing-name": Entry(E, "Nettverk uten navn",
        "Raden har tall, men mangler navnet på nettverket. Skriv inn navnet."),
    "duplicate-network": Entry(E, "Samme nettverk to ganger",
        "Nettverket «{network}» står to ganger (også i {first}). Slett den ene raden eller slå "
        "dem sammen."),
    "unknown-network": Entry(E, "Ukjent nettverk",
        "{what} gjelder «{network}», som ikke er et kjent nettverk. Bruk et av navnene på arket "
        "Nettverk ({known}), eller legg navnet til som alias der."),
    "network-not-named": Entry(E, "Beslutningsgrunnlaget sier ikke hvilket nettverk",
        "Beslutningsgrunnlaget sier ikke hvilket nettverk det gjelder (feltet {name} er tomt "
        "eller mangler). Bruk malen fra sekretariatet."),
    "ambiguous-network": Entry(E, "Navnet passer på flere nettverk",
        "{what} gjelder «{network}», som passer på flere nettverk: {matches}. Skriv hele navnet "
        "på nettverket."),
    "unknown-uh": Entry(W, "Ukjent UH-institusjon",
        "UH-institusjonen «{uh}» er ukjent. Velg fra listen ({known}), eller legg navnet til som "
        "alias på arket Nettverk. Beløpet er tatt med under navnet slik det står."),
    "uh-missing": Entry(W, "UH-institusjon mangler",
        "Tiltaket «{measure}» har kostnad UH, men ingen UH-institusjon. Velg institusjonen i "
        "listen."),
    # decision bases
    "over-frame": Entry(W, "Over rammen",
        "Meldt behov kr {requested} er kr {over} over rammen inkludert koordinering kr {limit}."),
    "under-frame": Entry(N, "Under rammen",
        "Meldt behov kr {requested} er kr {under} under rammen inkludert koordinering "
        "kr {limit}."),
    "coordination-over-max": Entry(E, "Koordinering over maksimum",
        "Planlagt koordinering kr {planned} er over maksimum kr {most} for {network}. Senk "
        "koordineringen til høyst kr {most}."),
    "no-submission": Entry(W, "Beslutningsgrunnlag mangler",
        "Fant ikke beslutningsgrunnlag fra {network}."),
    "duplicate-submission": Entry(E, "To beslutningsgrunnlag for samme nettverk",
        "{network} har mer enn ett beslutningsgrunnlag: {first} og {second}. Bare det første er "
        "tatt med. Fjern filen som ikke gjelder."),
    "wrong-year": Entry(E, "Beslutningsgrunnlag for et annet år",
        "Beslutningsgrunnlaget er for {found}, men arbeidsboken gjelder {year}. Be nettverket "
        "bruke malen for {year}."),
    "wrong-scheme": Entry(E, "Beslutningsgrunnlag for en annen ordning",
        "Beslutningsgrunnlaget gjelder ordningen «{found}», men arbeidsboken gjelder "
        "«{expected}». Det er ikke tatt med. Hent det inn i arbeidsboken for {found}, eller be "
        "nettverket bruke malen for {expected} {year}."),
    "measure-missing-name": Entry(W, "Tiltak uten navn",
        "Rad {row} har beløp, men mangler navnet på tiltaket. Skriv inn tiltaket."),
    "unspent-money": Entry(N, "Ubrukte midler fra tidligere år",
        "Nettverket oppgir ubrukte midler fra tidligere år: kr {in_network} i nettverket og "
        "kr {at_uh} hos UH."),
    # recommendations
    "recommendation-over-frame": Entry(W, "Innstilling over rammen uten merknad",
        "Innstilt beløp kr {amount} er kr {over} over rammen inkludert koordinering kr {limit}, "
        "uten merknad. Skriv en merknad som begrunner beløpet, eller sett beløpet ned til "
        "rammen."),
    "recommendation-unknown-decision": Entry(E, "Ukjent vedtak i innstillingen",
        "Vedtaket «{found}» for {network} er ukjent. Velg «innstilles», «delvis» eller «avslås»."),
    "recommendation-decision-missing": Entry(W, "Beløp uten vedtak i innstillingen",
        "{network} har beløpet kr {amount} i innstillingen, men «Vedtak» er tomt, så nettverket "
        "står som «ingen innstilling ennå» i vedtaket. Velg «innstilles», «delvis» eller "
        "«avslås»."),
    "duplicate-recommendation": Entry(E, "Samme nettverk to ganger i innstillingen",
        "{network} har to rader i innstillingen (også {first}). Slett den ene."),
    "recommendation-over-request": Entry(
        N, "Innstilt over meldt behov",
        "Innstilt beløp kr {amount} er kr {over} over meldt behov kr {requested}. Differansen går "
        "til nettverkets egen andel (fylt opp), med mindre kolonnen «Til nettverket» sier noe "
        "annet."),
    "recommendation-reject-amount": Entry(
        E, "Avslag med beløp",
        "Innstillingen for {network} er «avslås», men har beløpet kr {amount}. Et avslag gir "
        "kr 0: slett beløpet, eller velg «innstilles» eller «delvis»."),
    "recommendation-partly-no-remark": Entry(
        W, "Delvis innstilling uten merknad",
        "Innstillingen for {network} er «delvis», men har ingen merknad. Skriv i «Merknad» hva "
        "som ikke innstilles og hvorfor; merknaden står i vedtaket og i brevet."),
    "recommendation-amount-missing": Entry(
        E, "Delvis innstilling uten beløp",
        "Innstillingen for {network} er «delvis», men har ikke noe beløp. Skriv inn det innstilte "
        "beløpet inkludert koordinering."),
    "coordination-budget": Entry(
        W, "Koordinering i budsjettet stemmer ikke med nettverkene",
        "Budsjettposten for koordinering er kr {budget}, men nettverkenes koordinering "
        "(maksimum på arket Nettverk) er til sammen kr {networks} for {count} nettverk. Rett "
        "budsjettposten eller koordineringen på arket Nettverk."),
    # settlement (dekom_xl.core.settlement)
    "settlement-unknown-uh": Entry(
        E, "Penger til ukjent UH",
        "Kr {amount} fra {network} skal til UH-institusjonen «{uh}», som ikke er kjent. Ingen "
        "penger kan gå til en ukjent mottaker: velg institusjonen fra listen (eller legg navnet "
        "til som alias på arket Nettverk) og hent beslutningsgrunnlagene på nytt. Vedtaksteksten "
        "lages ikke før dette er rettet."),
    "budget-unknown-recipient": Entry(
        E, "Ukjent mottaker på budsjettpost",
        "Budsjettposten «{label}» (kr {amount}) har mottakeren «{recipient}», som verken er en "
        "kjent UH-institusjon ({known}) eller et nettverk. Rett navnet i kolonnen «Mottaker». "
        "Vedtaksteksten lages ikke før dette er rettet."),
    "settlement-override": Entry(
        E, "Umulig fordeling i «Til nettverket»",
        "«Til nettverket» for {network} er kr {own}, men innstilt beløp er kr {amount} og resten "
        "kan ikke gå til UH-partnerne (partnere: {partners}). Skriv et beløp mellom 0 og det "
        "innstilte beløpet, eller tøm cellen."),
    "settlement-uh-cut": Entry(
        W, "Kuttet større enn nettverkets egen andel",
        "Innstilt beløp kr {amount} for {network} er mindre enn det UH-partnerne ba om "
        "(kr {uh}). Nettverket får kr 0 selv, og UH-beløpene er redusert forholdsmessig. Skriv "
        "beløpet nettverket skal ha i kolonnen «Til nettverket» hvis fordelingen skal være "
        "en annen."),
    "template-frame-changed": Entry(
        W, "Rammen er endret siden malen ble sendt",
        "Malen {file_name} ble laget med ramme kr {sent_frame} og koordinering kr "
        "{sent_coordination}, men arbeidsboken har nå kr {frame} og kr {coordination} for "
        "{network}. Send ny mal til nettverket, eller sett rammen tilbake."),
    "rest-network-unknown": Entry(
        E, "Ukjent nettverk for restmidlene",
        "«Restmidler fordeles på» nevner «{name}», som ikke er et kjent nettverk. Skriv navnene "
        "slik de står på arket Nettverk ({known}), skilt med semikolon, eller tøm feltet for å "
        "fordele på nettverkene som er innstilt."),
    "letters-unavailable": Entry(
        E, "Brevmodulen er ikke installert",
        "Tildelingsbrevene trenger tillegget docxtpl. Installer det med "
        "«pip install dekom-xl[letters]» og prøv igjen. Ingenting er skrevet."),
    "org-number-invalid": Entry(
        E, "Ugyldig organisasjonsnummer",
        "Organisasjonsnummeret «{number}» for {name} er ikke gyldig (det skal ha 9 sifre, og "
        "kontrollsifferet etter modulus 11 må stemme). Rett nummeret etter Enhetsregisteret."),
    # files and folders (dekom_xl.adapters.files, dekom_xl.app)
    "file-missing": Entry(E, "Filen finnes ikke",
        "Filen {path} finnes ikke. Kontroller navnet og mappen."),
    "not-a-file": Entry(E, "En mappe, ikke en fil",
        "{path} er en mappe, ikke en fil."),
    "folder-missing": Entry(E, "Mappen finnes ikke",
        "Fant ikke mappen {path}. {fix}"),
    "file-unreadable": Entry(E, "Filen kan ikke leses",
        "{file} kan ikke leses som Excel-arbeidsbok ({error}). Åpne den i Excel, lagre på nytt "
        "som .xlsx og prøv igjen."),
    "csv-unreadable": Entry(E, "CSV-filen kan ikke leses",
        "{path}: kan ikke lese filen som CSV ({error}). Lagre den som «CSV UTF-8» eller «CSV "
        "(semikolondelt)» fra Excel."),
    "csv-empty": Entry(E, "Tom CSV-fil",
        "{path}: filen er tom. Den skal ha en overskriftsrad med kolonnene {columns}."),
    "file-empty": Entry(E, "Tom fil",
        "Filen {file} er tom (0 byte). Be om å få filen sendt på nytt."),
    "file-not-xlsx": Entry(E, "Ikke en Excel-fil",
        "{file} er {kind}, ikke en Excel-arbeidsbok (.xlsx). Åpne den i Excel og lagre den som "
        "Excel-arbeidsbok (.xlsx)[, og legg den i {folder} igjen]."),
    "file-old-format": Entry(E, "Gammelt filformat",
        "{file} er i det gamle Excel-formatet (.xls). Åpne filen i Excel og lagre den som "
        "Excel-arbeidsbok (.xlsx)."),
    "file-encrypted": Entry(E, "Passordbeskyttet fil",
        "{file} er passordbeskyttet (kryptert) eller et gammelt .xls-format. Fjern passordet "
        "(Fil → Info → Beskytt arbeidsbok) og lagre som .xlsx."),
    "file-too-large": Entry(E, "Filen er for stor",
        "Filen {file} er {size} MB {state}, over grensen på {limit} MB. Et beslutningsgrunnlag "
        "skal være lite; be om malen fylt ut på nytt."),
    "file-unsafe": Entry(E, "Filen er avvist av sikkerhetshensyn",
        "{file} er avvist av sikkerhetshensyn: {reason}. Be om en ny fil lagret fra Excel."),
    "file-locked": Entry(N, "Låsefil fra Excel hoppet over",
        "{file} er en låsefil fra Excel (noen har filen åpen). Den er hoppet over; lukk filen i "
        "Excel hvis den ikke ble lest."),
    "file-other": Entry(N, "Fil som ikke er et beslutningsgrunnlag",
        "{file} er {kind}, ikke et beslutningsgrunnlag, og er ikke lest."),
    "table-missing": Entry(E, "Tabellen mangler",
        "Fant ikke tabellen «{table}» i {file}[ (tabeller i filen: {tables})]. Tabellen må hete "
        "nøyaktig «{table}» (Tabellverktøy → Tabellnavn); bruk malen fra sekretariatet."),
    "table-several": Entry(E, "Flere tiltakstabeller",
        "{file} har flere tiltakstabeller ({tables}); bare «{table}» er lest."),
    "column-missing": Entry(E, "Kolonne mangler",
        "Tabellen «{table}» mangler kolonnen «{column}». Legg til kolonnen med denne "
        "overskriften (rekkefølgen spiller ingen rolle)."),
    "column-extra": Entry(N, "Ekstra kolonne ignorert",
        "Kolonnen «{column}» i tabellen «{table}» er ikke i bruk og ble ignorert."),
    "merged-cells": Entry(W, "Sammenslåtte celler i tabellen",
        "Tabellen «{table}» har sammenslåtte celler ({ranges}). Bare verdien øverst til venstre "
        "i hver sammenslåing er lest. Opphev sammenslåingen og fyll inn hver celle."),
    "hidden-row": Entry(W, "Skjult rad i tabellen",
        "Rad {row} i tabellen «{table}» er skjult, men er tatt med. Vis raden og kontroller den, "
        "eller slett den hvis den ikke skal med."),
    "template-old": Entry(W, "Eldre malversjon",
        "{file} er laget med en annen malversjon ({found}, gjeldende er {current}). Den er lest, "
        "men kontroller tallene, og bruk ny mal neste gang."),
    "not-allocation-workbook": Entry(E, "Ikke en fordelingsarbeidsbok",
        "{file} er {kind}. Oppgi fordelingsarbeidsboken (den med arkene Oppsett, Nettverk og "
        "Innstilling); ingenting er skrevet."),
    # safety (issue 9: nothing lost, nothing silently wrong)
    "rows-not-added": Entry(W, "Rader ikke lagt til",
        "Tabellen «{table}» mangler en rad for {networks}, men cellene rett under tabellen er i "
        "bruk. Raden er ikke lagt til, og ingenting der er skrevet over. Flytt det som står under "
        "tabellen, eller legg til raden selv."),
    "amount-comma-thousands": Entry(E, "Komma som tusenskille",
        "{what} «{found}» har komma som tusenskille (engelsk skrivemåte) og kan bety to ulike "
        "beløp. Skriv beløpet med mellomrom som tusenskille, for eksempel 250 000."),
    "amount-implausible": Entry(E, "Urimelig stort beløp",
        "{what} «{found}» er over en milliard kroner og kan ikke stemme. Kontroller beløpet."),
    "total-row-in-table": Entry(W, "Summeringsrad i tabellen",
        "Rad {row} i tabellen «{table}» ser ut som en summeringsrad og er ikke tatt med[ som "
        "{what}]. Fjern raden fra tabellen; verktøyet summerer selv."),
    "duplicate-line": Entry(E, "Samme tiltakslinje to ganger",
        "Tiltaket «{measure}» står to ganger med samme beløp (første gang i {first}). Slett den "
        "ene raden, eller skriv i Merknad hvorfor det er to like linjer og endre teksten."),
    "year-missing": Entry(E, "År mangler",
        "Året er tomt i beslutningsgrunnlaget fra {network}. Skriv inn året malen gjelder."),
    "decision-base-empty": Entry(E, "Beslutningsgrunnlaget er tomt",
        "Tabellen «{table}» i beslutningsgrunnlaget fra {network} har ingen tiltak. Be "
        "nettverket fylle inn tiltakene og sende filen på nytt."),
    "data-outside-table": Entry(E, "Noe står utenfor tabellen",
        "{at} ({place} tabellen «{table}») inneholder «{found}», som ikke er lest. Flytt det "
        "inn i tabellen (utvid tabellen) eller slett det."),
    "data-under-table": Entry(E, "Noe står under tabellen",
        "{at} (under tabellen «{table}») inneholder «{found}», som ikke er lest. Er det en ny "
        "rad, utvid tabellen så raden kommer med (i Excel: dra i hjørnet nederst til høyre i "
        "tabellen; i LibreOffice: Data → Definer område); "
        "er det et notat, flytt det til siden av tabellen."),
    "hidden-sheet": Entry(E, "Skjult ark med innhold",
        "Arket «{name}» er skjult, men har innhold{what}. Det som er skjult, leses ikke. Vis "
        "arket (høyreklikk på en arkfane → Vis), flytt det som gjelder til det synlige arket, "
        "og slett resten."),
    "table-like-measures": Entry(E, "Tabell med tiltakskolonnene",
        "Tabellen «{table}» på arket «{on}» har de samme kolonnene som tiltakstabellen, men "
        "er ikke lest. Flytt tiltakene inn i tabellen «{measures}» og slett den andre tabellen."),
    "file-read-only": Entry(E, "Arbeidsboken er skrivebeskyttet",
        "{file} er skrivebeskyttet, så den er ikke endret. Fjern skrivebeskyttelsen (Egenskaper "
        "→ Skrivebeskyttet) eller lagre en kopi, og kjør kommandoen på nytt."),
    "file-open-in-excel": Entry(E, "Arbeidsboken er åpen hos noen",
        "{file} er åpen hos {user} (låsefilen ligger ved siden av). Ingenting er skrevet. Be "
        "{user} lukke filen, og kjør kommandoen på nytt."),
    "file-exists": Entry(E, "Filen finnes fra før",
        "{file} finnes allerede og er ikke overskrevet. Velg et annet navn, eller bruk --force "
        "for å erstatte den (den gamle legges i {backups})."),
    "template-has-lines": Entry(W, "Utfylt beslutningsgrunnlag ikke overskrevet",
        "{file} er allerede fylt ut (tiltakslinjer: {lines}) og er ikke overskrevet. Flytt "
        "filen hvis du vil ha en ny, tom mal for {network}."),
    "no-decision-bases": Entry(E, "Ingen beslutningsgrunnlag i mappen",
        "Fant ingen beslutningsgrunnlag i mappen {folder}. Arbeidsboken er ikke endret. Kontroller "
        "at du har valgt mappen med de utfylte malene."),
    "interrupted": Entry(E, "Avbrutt",
        "Avbrutt. Arbeidsboken er uendret (lagring skjer i ett steg)."),
    "internal-error": Entry(E, "Intern feil",
        "Intern feil i dekom-xl ({kind}). Ingenting er lagret. Detaljene er skrevet til {log}; "
        "send den filen og kommandoen du kjørte til utviklerne."),
    "bad-arguments": Entry(E, "Ugyldige argumenter",
        "Kommandoen kan ikke kjøres: {text}. Se «dekom-xl --help»."),
    "os-error": Entry(E, "Filsystemet sa nei",
        "{action} {file}: {reason} ({detail}). Ingenting er endret."),
    # the desktop Run main module (dekom_xl.app.runmain)
    "workbook-name-not-module": Entry(
        E, "Arbeidsbokens navn kan ikke brukes av Run main",
        "Knappen Run main i xlwings-fanen finner Python-koden til «{workbook}» ut fra "
        "filnavnet, og {reason}. Lagre arbeidsboken med et navn med bare a–z, sifre og "
        "understrek, for eksempel «{suggested}», og kjør kommandoen på nytt."),
    "run-main-file-exists": Entry(
        E, "Python-filen finnes fra før",
        "{module} ligger allerede ved siden av «{workbook}» og er ikke skrevet av dekom-xl, "
        "så den er ikke endret. Flytt eller gi nytt navn til den filen, eller lagre "
        "arbeidsboken med et annet navn, og kjør kommandoen på nytt."),
}


def entry(code: str) -> Entry:
    """The catalogue entry of ``code`` (an unknown code is a bug: KeyError)."""
    return CODES[code]


def severity(code: str) -> Severity:
    """The severity of a known code."""
    return entry(code).severity


def message(code: str, *, network: str | None = None, **fields: object) -> str:
    """The bokmål message of ``code`` filled from ``fields`` (and ``network``).

    A field the template does not name is a bug (TypeError), as is one it needs and lacks
    (KeyError).
    """
    e = entry(code)
    unknown = set(fields) - e.fields() - {"file"}
    if unknown:
        raise TypeError(f"{code}: the template has no field {', '.join(sorted(unknown))}")
    return e.render(network=network, **fields)


def problem(code: str, *, network: str | None = None, where: Location | None = None,
            file: str | None = None, sheet: str | None = None, cell: str | None = None,
            **fields: object) -> Problem:
    """A :class:`~dekom_xl.core.model.Problem` with the code's severity, message and location.

    The message is the code's template filled from ``fields`` (and ``network``; ``{file}`` in a
    template is the problem's file, «filen» when it has none). ``where`` gives file, sheet and
    cell unless given singly.
    """
    if where is not None:
        file = file if file is not None else where.file
        sheet = sheet if sheet is not None else where.sheet
        cell = cell if cell is not None else where.cell
    text = message(code, network=network, **({"file": file or "filen"} | fields))
    return Problem(code, severity(code), text, network, file, sheet, cell)


def format_problem(p: Problem) -> str:
    """``fosen.xlsx: 'Behovsmelding'!C17: feil [amount-uncertain] (Fosen): Beløpet …``

    The one way a problem is shown as a line of text (command line, logs).
    """
    from dekom_xl.core.cells import where as place

    loc = place(p.file, p.sheet, p.cell)
    head = f"{loc}: " if loc else ""
    net = f" ({p.network})" if p.network and p.network not in p.message else ""
    return f"{head}{p.severity.value} [{p.code}]{net}: {p.message}"
