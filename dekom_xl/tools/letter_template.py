"""Build the default allocation-letter template (bokmål) with python-docx.

    python -m dekom_xl.tools.letter_template      # writes dekom_xl/templates/tildelingsbrev.docx

The result is committed; the secretariat may edit it in Word. The fields are docxtpl (Jinja):
``{{ recipient }}``, ``{{ amount }}`` …; a ``{%p … %}`` tag sits alone in its paragraph. The
fields are listed in :func:`dekom_xl.core.letters.letter_contexts`.
"""

from __future__ import annotations

import sys
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "templates" / "tildelingsbrev.docx"

BODY = [
    ("h", "Tildelingsbrev – {{ scheme }} {{ year }}"),
    ("p", "Til: {{ recipient }}{% if org_number %} (org.nr. {{ org_number }}){% endif %}"),
    ("p", "Dato: {{ date }}{% if reference %}    Vår referanse: {{ reference }}{% endif %}"),
    ("h2", "Vedtak"),
    ("p", "{{ summary }}"),
    ("p", "Vedtaket er gjort med hjemmel i {{ legal_basis }}, etter innstilling fra "
          "samarbeidsforumet for ordningen."),
    ("h2", "Beløp og fordeling"),
    ("b", "Tildelt beløp til {{ recipient }}: kroner {{ amount }}"),
    ("p", "{%p if is_network and not rejected %}"),
    ("p", "Nettverket er innstilt med kroner {{ recommended }} inkludert koordinering kroner "
          "{{ coordination }}{% if requested %} (meldt behov kroner {{ requested }}){% endif %}. "
          "Av dette går kroner {{ own }} til nettverket selv{% if uh_split %}, og resten til "
          "UH-partnerne:{% else %}.{% endif %}"),
    ("p", "{%p endif %}"),
    ("p", "{%p for u in uh_split %}"),
    ("li", "{{ u.uh }}: kroner {{ u.amount }}"),
    ("p", "{%p endfor %}"),
    ("p", "{%p if not is_network %}"),
    ("p", "Beløpet er satt sammen av disse postene:"),
    ("p", "{%p for p in parts %}"),
    ("li", "{{ p.source }}: kroner {{ p.amount }}{% if p.held %} (holdes tilbake){% endif %}"),
    ("p", "{%p endfor %}"),
    ("p", "{%p endif %}"),
    ("p", "{%p if remark %}"),
    ("p", "Merknad fra samarbeidsforumet: {{ remark }}"),
    ("p", "{%p endif %}"),
    ("h2", "Vilkår og utbetaling"),
    ("p", "{%p if rejected %}"),
    ("p", "Det blir ingen utbetaling."),
    ("p", "{%p elif conditions %}"),
    ("p", "Kroner {{ held }} holdes tilbake til dette vilkåret er oppfylt: "
          "{{ conditions|join(' ') }}{% if payable_int %} Resten, kroner {{ payable }}, "
          "utbetales innen fire uker.{% endif %}"),
    ("p", "{%p else %}"),
    ("p", "Beløpet utbetales innen fire uker etter dette vedtaket."),
    ("p", "{%p endif %}"),
    ("h2", "Rapportering og ubrukte midler"),
    ("p", "Mottakeren skal rapportere om bruken av midlene innen {{ report_by }}, på skjemaet "
          "fra sekretariatet. Midler som ikke er brukt ved utgangen av året, skal oppgis i "
          "rapporteringen. Samarbeidsforumet kan avkorte neste års tildeling mot gjenstående "
          "midler, eller kreve ubrukte midler betalt tilbake."),
    ("h2", "Klagerett"),
    ("p", "Vedtaket kan påklages, jf. forvaltningsloven § 28. Klagefristen er tre uker fra "
          "brevet er mottatt, jf. forvaltningsloven § 29. Klagen sendes til {{ sender }}. "
          "Endres ikke vedtaket, sendes klagen videre til klageinstansen."),
    ("p", ""),
    ("p", "Med hilsen"),
    ("p", "{{ sender }}"),
]


def build(target: Path = TARGET) -> Path:
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    section.left_margin = section.right_margin = Cm(2.5)
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    section.header.paragraphs[0].text = "{{ sender }}"
    for kind, text in BODY:
        if kind == "h":
            doc.add_heading(text, level=1)
        elif kind == "h2":
            doc.add_heading(text, level=2)
        elif kind == "li":
            doc.add_paragraph(text, style="List Bullet")
        elif kind == "b":
            doc.add_paragraph().add_run(text).bold = True
        else:
            doc.add_paragraph(text)
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.core_properties.title = "Tildelingsbrev"
    doc.core_properties.author = "dekom-xl"
    doc.save(str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = build(Path(args[0]) if args else TARGET)
    print(f"Skrev {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
