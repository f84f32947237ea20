"""Merging the styles of a freshly built workbook into a user's ``styles.xml``, as text.

Only additions: every number format, font, fill, border, cell format and differential format
the built tool sheets use is looked up in the user's styles (exact XML match) and appended
when missing. Nothing the user's cells point at moves, so their formats stay as they were; a
second run on unchanged input finds everything present and changes nothing.
"""

from __future__ import annotations

import re

_SECTIONS = ("numFmts", "fonts", "fills", "borders", "cellXfs", "dxfs")
_ITEM = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border",
         "cellXfs": "xf", "dxfs": "dxf"}
# Schema order of styleSheet's children: a missing section is inserted before the first
# later one that exists.
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles",
          "dxfs", "tableStyles", "colors", "extLst")


def _section(xml: str, name: str) -> re.Match | None:
    return re.search(rf"<{name}\b[^>]*?(?:/>|>(.*?)</{name}>)", xml, re.S)


def _items(xml: str, name: str) -> list[str]:
    m = _section(xml, name)
    if m is None or m.group(1) is None:
        return []
    tag = _ITEM[name]
    return re.findall(rf"<{tag}\b[^>]*?(?:/>|>.*?</{tag}>)", m.group(1), re.S)


def _norm(item: str) -> str:
    """An item's XML in a form that compares equal across writers (spaces before ``/>``)."""
    return re.sub(r"\s+/>", "/>", item.strip())


def _set_items(xml: str, name: str, items: list[str]) -> str:
    """Replace or insert section ``name`` with ``items`` (only appended to, never reordered)."""
    m = _section(xml, name)
    body = "".join(items)
    if m is not None:
        head = re.match(rf"<{name}\b([^>]*?)/?>", m.group(0))
        attrs = re.sub(r'\s*\bcount="\d+"', "", head.group(1) if head else "").rstrip()
        return xml[:m.start()] + f'<{name}{attrs} count="{len(items)}">{body}</{name}>' + \
            xml[m.end():]
    new = f'<{name} count="{len(items)}">{body}</{name}>'
    for later in _ORDER[_ORDER.index(name) + 1:]:
        at = re.search(rf"<{later}\b", xml)
        if at:
            return xml[:at.start()] + new + xml[at.start():]
    end = xml.rindex("</styleSheet>")
    return xml[:end] + new + xml[end:]


def _sub_attr(item: str, attr: str, mapping: dict[int, int]) -> str:
    return re.sub(rf'(\b{attr}=")(\d+)(")',
                  lambda m: f"{m.group(1)}{mapping.get(int(m.group(2)), int(m.group(2)))}"
                            f"{m.group(3)}", item)


def merge_styles(user: str, built: str) -> tuple[str, dict[int, int], dict[int, int]]:
    """``user`` styles with what ``built`` needs appended; (new xml, xf map, dxf map).

    The maps take a built ``s=""``/``dxfId=""`` index to the user's index.
    """
    out = user
    # number formats: by format code; custom ids above both workbooks' highest
    user_fmts = {code: int(i) for i, code in re.findall(
        r'<numFmt\b[^>]*?numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', "".join(_items(out, "numFmts")))}
    fmt_items = _items(out, "numFmts")
    next_id = max([163, *user_fmts.values()]) + 1
    fmt_map: dict[int, int] = {}
    for item in _items(built, "numFmts"):
        m = re.search(r'numFmtId="(\d+)"[^>]*?formatCode="([^"]*)"', item)
        if not m:
            continue
        old, code = int(m.group(1)), m.group(2)
        if code not in user_fmts:
            user_fmts[code] = next_id
            fmt_items.append(f'<numFmt numFmtId="{next_id}" formatCode="{code}"/>')
            next_id += 1
        fmt_map[old] = user_fmts[code]
    if fmt_map and fmt_items != _items(out, "numFmts"):
        out = _set_items(out, "numFmts", fmt_items)
    maps: dict[str, dict[int, int]] = {}
    for name in ("fonts", "fills", "borders", "cellXfs", "dxfs"):
        mine = _items(out, name)
        index = {_norm(x): i for i, x in reversed(list(enumerate(mine)))}
        mapping: dict[int, int] = {}
        grew = False
        for i, item in enumerate(_items(built, name)):
            if name == "cellXfs":
                item = _sub_attr(item, "numFmtId", fmt_map)
                item = _sub_attr(item, "fontId", maps["fonts"])
                item = _sub_attr(item, "fillId", maps["fills"])
                item = _sub_attr(item, "borderId", maps["borders"])
            key = _norm(item)
            if key not in index:
                index[key] = len(mine)
                mine.append(item)
                grew = True
            mapping[i] = index[key]
        maps[name] = mapping
        if grew:
            out = _set_items(out, name, mine)
    return out, maps["cellXfs"], maps["dxfs"]


def remap_sheet(xml: str, xf: dict[int, int], dxf: dict[int, int]) -> str:
    """Point a built sheet's cells, rows, columns and conditional formats at the user's styles."""
    def sub(pattern: str, mapping: dict[int, int], text: str) -> str:
        return re.sub(pattern, lambda m: f"{m.group(1)}{mapping.get(int(m.group(2)), 0)}"
                      f'"', text)

    xml = sub(r'(<c\b[^>]*?\bs=")(\d+)"', xf, xml)
    xml = sub(r'(<row\b[^>]*?\bs=")(\d+)"', xf, xml)
    xml = sub(r'(<col\b[^>]*?\bstyle=")(\d+)"', xf, xml)
    return sub(r'(<cfRule\b[^>]*?\bdxfId=")(\d+)"', dxf, xml)


def remap_dxf_attrs(xml: str, dxf: dict[int, int]) -> str:
    """``…DxfId=""`` attributes of a table part."""
    return re.sub(r'(\b\w*[Dd]xfId=")(\d+)"',
                  lambda m: f'{m.group(1)}{dxf.get(int(m.group(2)), 0)}"', xml)
