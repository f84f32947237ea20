"""The writer that owns only its parts: tool sheets transplanted into the user's package.

The tool sheets are built with XlsxWriter (the same code as ``dekom-xl new``, so they look the
same), then their sheet XML, drawings, charts and tables are moved into the user's zip. Every
other part is copied byte for byte. What changes besides the tool sheets' own parts:

- ``xl/workbook.xml``: a ``<sheet>`` entry for a tool sheet that was missing, print names
  (``_xlnm.*``) scoped to tool sheets;
- ``xl/_rels/workbook.xml.rels`` and ``[Content_Types].xml``: entries for added/removed parts;
- ``xl/styles.xml``: formats the tool sheets need, appended (see :mod:`.styles`);
- ``xl/calcChain.xml`` is dropped when present (Excel's cache of formula order; it rebuilds it).

Strings in transplanted sheets are written inline, so the user's shared strings stay as they are.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from html import unescape

from dekom_xl.adapters.files.styles import merge_styles, remap_dxf_attrs, remap_sheet

CT = "[Content_Types].xml"
WB = "xl/workbook.xml"
WB_RELS = "xl/_rels/workbook.xml.rels"
R_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_REL = re.compile(r"<Relationship\b[^>]*?/?>", re.S)
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')


def rels_of(part: str) -> str:
    """The relationships part of ``part``."""
    d, name = posixpath.split(part)
    return posixpath.join(d, "_rels", name + ".rels")


def resolve(source: str, target: str) -> str:
    """The part a relationship of ``source`` points at."""
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def relationships(xml: bytes) -> list[dict[str, str]]:
    """Every ``<Relationship>`` as a dict of its attributes (values unescaped)."""
    return [{k: unescape(v) for k, v in _ATTR.findall(m.group(0))}
            for m in _REL.finditer(xml.decode("utf-8"))]


def sheets(parts: dict[str, bytes]) -> list[dict[str, str]]:
    """The workbook's sheets in order: name, sheetId, rid, part (and the raw tag)."""
    book = parts[WB].decode("utf-8")
    rels = {r["Id"]: r for r in relationships(parts.get(WB_RELS, b""))}
    out = []
    for m in re.finditer(r"<sheet\b[^>]*?/>", book):
        attrs = dict(_ATTR.findall(m.group(0)))
        rid = next((v for k, v in attrs.items() if k.endswith(":id") or k == "id"), "")
        rel = rels.get(rid)
        part = resolve(WB, rel["Target"]) if rel else ""
        out.append({"name": unescape(attrs.get("name", "")), "sheetId": attrs.get("sheetId", "0"),
                    "rid": rid, "part": part, "tag": m.group(0)})
    return out


def _internal_targets(parts: dict[str, bytes], part: str) -> list[str]:
    rels = parts.get(rels_of(part))
    if rels is None:
        return []
    return [resolve(part, r["Target"]) for r in relationships(rels)
            if r.get("TargetMode") != "External"]


def _graph(parts: dict[str, bytes], part: str) -> set[str]:
    """``part``, its relationships part and everything reachable from it."""
    seen: set[str] = set()
    todo = [part]
    while todo:
        p = todo.pop()
        if p in seen or p not in parts:
            continue
        seen.add(p)
        if rels_of(p) in parts:
            seen.add(rels_of(p))
        todo += _internal_targets(parts, p)
    return seen


def _referenced_outside(parts: dict[str, bytes], leaving: set[str]) -> set[str]:
    out: set[str] = set()
    for name in parts:
        if name.endswith(".rels") and name not in leaving:
            src = name.replace("_rels/", "")[:-len(".rels")]
            src = "" if name == "_rels/.rels" else src
            out |= {resolve(src, r["Target"]) for r in relationships(parts[name])
                    if r.get("TargetMode") != "External"}
    return out


class Package:
    """A zip package held in memory: parts in their original order, with their zip entries."""

    def __init__(self, data: bytes):
        self.infos: list[zipfile.ZipInfo] = []
        self.parts: dict[str, bytes] = {}
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                self.infos.append(info)
                self.parts[info.filename] = z.read(info.filename)

    def write(self, f) -> None:
        """Write the package to the open binary file ``f``: kept parts in their order."""
        with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
            done = set()
            for info in self.infos:
                if info.filename in self.parts:
                    z.writestr(info, self.parts[info.filename])
                    done.add(info.filename)
            for name, data in self.parts.items():
                if name not in done:
                    z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)

    # -- content types ------------------------------------------------------------------
    def _ct_remove(self, name: str) -> None:
        ct = self.parts[CT].decode("utf-8")
        ct = re.sub(rf'<Override\b[^>]*?PartName="/{re.escape(name)}"[^>]*?/>', "", ct)
        self.parts[CT] = ct.encode("utf-8")

    def _ct_add(self, name: str, content_type: str | None) -> None:
        if content_type is None:
            return
        ct = self.parts[CT].decode("utf-8")
        end = ct.rindex("</Types>")
        ct = ct[:end] + f'<Override PartName="/{name}" ContentType="{content_type}"/>' + ct[end:]
        self.parts[CT] = ct.encode("utf-8")

    def content_type(self, name: str) -> str | None:
        ct = self.parts[CT].decode("utf-8")
        m = re.search(rf'<Override\b[^>]*?PartName="/{re.escape(name)}"[^>]*?/>', ct)
        if m:
            return dict(_ATTR.findall(m.group(0))).get("ContentType")
        return None

    def remove(self, names: set[str]) -> None:
        for name in names:
            self.parts.pop(name, None)
            self._ct_remove(name)

    def add(self, name: str, data: bytes, content_type: str | None) -> None:
        self.parts[name] = data
        self._ct_add(name, content_type)

    def free_name(self, like: str) -> str:
        """An unused part name in the folder of ``like`` (``xl/charts/chart7.xml`` → chartN)."""
        d, base = posixpath.split(like)
        stem, ext = posixpath.splitext(base)
        stem = stem.rstrip("0123456789")
        n = 1
        while posixpath.join(d, f"{stem}{n}{ext}") in self.parts:
            n += 1
        return posixpath.join(d, f"{stem}{n}{ext}")


def _inline_strings(xml: str, sst: list[str]) -> str:
    def sub(m: re.Match) -> str:
        i = int(m.group(3))
        return f'<c{m.group(1)}t="inlineStr"{m.group(2)}><is>{sst[i]}</is></c>'

    return re.sub(r'<c\b([^>]*?)\bt="s"([^>]*)>\s*<v>(\d+)</v>\s*</c>', sub, xml)


def _table_ids(pkg: Package) -> set[int]:
    out = set()
    for name, data in pkg.parts.items():
        if name.startswith("xl/tables/") and name.endswith(".xml"):
            m = re.search(rb'<table\b[^>]*?\bid="(\d+)"', data)
            if m:
                out.add(int(m.group(1)))
    return out


def transplant(user: Package, built: Package, names: list[str]) -> None:
    """Replace (or add) the sheets ``names`` of ``user`` by those of ``built``, in place."""
    mine = {s["name"]: s for s in sheets(user.parts)}
    theirs = {s["name"]: s for s in sheets(built.parts)}
    order_built = [s["name"] for s in sheets(built.parts)]
    styles, xf, dxf = merge_styles(user.parts["xl/styles.xml"].decode("utf-8"),
                                   built.parts["xl/styles.xml"].decode("utf-8"))
    user.parts["xl/styles.xml"] = styles.encode("utf-8")
    sst = [m for m in re.findall(r"<si>(.*?)</si>",
                                 built.parts.get("xl/sharedStrings.xml", b"").decode("utf-8"),
                                 re.S)]
    # 1. the old tool sheets' parts go (kept when another part still points at them)
    leaving: set[str] = set()
    for name in names:
        if name in mine and name in theirs:
            graph = _graph(user.parts, mine[name]["part"])
            leaving |= {p for p in graph if p != mine[name]["part"]}
    leaving -= _referenced_outside(user.parts, leaving)
    user.remove(leaving)
    _drop_calc_chain(user)
    # 2. the new ones come in
    for name in names:
        if name not in theirs:
            continue
        src = theirs[name]["part"]
        old_xml = user.parts.get(mine[name]["part"], b"") if name in mine else b""
        target = mine[name]["part"] if name in mine else user.free_name("xl/worksheets/sheet1.xml")
        xml = remap_sheet(built.parts[src].decode("utf-8"), xf, dxf)
        xml = _inline_strings(xml, sst)
        if b'tabSelected="1"' not in old_xml:
            xml = xml.replace(' tabSelected="1"', "")
        user.parts.pop(target, None)
        user.add(target, xml.encode("utf-8"), None if name in mine else built.content_type(src))
        _copy_rels(user, built, src, target, dxf)
        if name not in mine:
            _register_sheet(user, name, target)
    _print_names(user, built, names, order_built)
    _sort_overrides(user)


def _sort_overrides(user: Package) -> None:
    """Content-type overrides in part-name order: the same registry whatever the history."""
    ct = user.parts[CT].decode("utf-8")
    found = list(re.finditer(r"<Override\b[^>]*?/>", ct))
    if not found:
        return
    ordered = sorted((m.group(0) for m in found),
                     key=lambda o: dict(_ATTR.findall(o)).get("PartName", ""))
    rest = re.sub(r"<Override\b[^>]*?/>", "", ct)
    end = rest.rindex("</Types>")
    user.parts[CT] = (rest[:end] + "".join(ordered) + rest[end:]).encode("utf-8")


def _copy_rels(user: Package, built: Package, src: str, target: str,
               dxf: dict[int, int]) -> None:
    """Copy ``src``'s relationships (and their parts, recursively) for ``target``."""
    rels = built.parts.get(rels_of(src))
    if rels is None:
        user.parts.pop(rels_of(target), None)
        return
    text = rels.decode("utf-8")
    for r in relationships(rels):
        if r.get("TargetMode") == "External":
            continue
        part = resolve(src, r["Target"])
        new = user.free_name(part)
        data = built.parts[part]
        if part.startswith("xl/tables/"):
            free = str(max(_table_ids(user), default=0) + 1).encode()
            data = re.sub(rb'(<table\b[^>]*?\bid=")(\d+)"', rb"\g<1>" + free + b'"', data,
                          count=1)
            data = remap_dxf_attrs(data.decode("utf-8"), dxf).encode("utf-8")
        user.add(new, data, built.content_type(part))
        _copy_rels(user, built, part, new, dxf)
        text = text.replace(f'Target="{r["Target"]}"', f'Target="/{new}"', 1)
    user.parts[rels_of(target)] = text.encode("utf-8")


def _drop_calc_chain(user: Package) -> None:
    if "xl/calcChain.xml" not in user.parts:
        return
    user.remove({"xl/calcChain.xml"})
    rels = user.parts[WB_RELS].decode("utf-8")
    rels = re.sub(r'<Relationship\b[^>]*?calcChain[^>]*?/>', "", rels)
    user.parts[WB_RELS] = rels.encode("utf-8")


def _register_sheet(user: Package, name: str, part: str) -> None:
    """A ``<sheet>`` entry in workbook.xml and its relationship, for a new tool sheet."""
    rels = user.parts[WB_RELS].decode("utf-8")
    ids = {r["Id"] for r in relationships(user.parts[WB_RELS])}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    rid = f"rId{n}"
    end = rels.rindex("</Relationships>")
    rels = rels[:end] + (f'<Relationship Id="{rid}" Type="{R_WORKSHEET}" Target="/{part}"/>') + \
        rels[end:]
    user.parts[WB_RELS] = rels.encode("utf-8")
    book = user.parts[WB].decode("utf-8")
    prefix = re.search(r'xmlns:(\w+)="http://schemas.openxmlformats.org/officeDocument/2006/'
                       r'relationships"', book)
    r = prefix.group(1) if prefix else "r"
    if not prefix:
        book = book.replace("<workbook ", '<workbook xmlns:r="http://schemas.openxmlformats.org/'
                            'officeDocument/2006/relationships" ', 1)
    sheet_id = max([0, *(int(s["sheetId"]) for s in sheets(user.parts))]) + 1
    esc = name.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    end = book.rindex("</sheets>")
    book = book[:end] + f'<sheet name="{esc}" sheetId="{sheet_id}" {r}:id="{rid}"/>' + book[end:]
    user.parts[WB] = book.encode("utf-8")


_DN = re.compile(r'<definedName\b[^>]*?localSheetId="(\d+)"[^>]*>.*?</definedName>', re.S)


def _print_names(user: Package, built: Package, names: list[str], order_built: list[str]) -> None:
    """``_xlnm.*`` names scoped to tool sheets come from the built workbook."""
    order_user = [s["name"] for s in sheets(user.parts)]
    book = user.parts[WB].decode("utf-8")
    mine = {str(order_user.index(n)) for n in names if n in order_user}
    book = _DN.sub(lambda m: "" if m.group(1) in mine and 'name="_xlnm.' in m.group(0)
                   else m.group(0), book)
    new = []
    for m in _DN.finditer(built.parts[WB].decode("utf-8")):
        sheet = order_built[int(m.group(1))]
        if sheet in names and sheet in order_user and 'name="_xlnm.' in m.group(0):
            new.append(m.group(0).replace(f'localSheetId="{m.group(1)}"',
                                          f'localSheetId="{order_user.index(sheet)}"'))
    if new:
        if "</definedNames>" in book:
            end = book.index("</definedNames>")
            book = book[:end] + "".join(new) + book[end:]
        else:
            end = book.index("</sheets>") + len("</sheets>")
            book = book[:end] + "<definedNames>" + "".join(new) + "</definedNames>" + book[end:]
    book = re.sub(r"<definedNames>\s*</definedNames>", "", book)
    user.parts[WB] = book.encode("utf-8")
