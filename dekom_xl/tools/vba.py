"""Compile ``macros/*.bas`` into a ``vbaProject.bin`` with ms-ovba's API (a build-time tool).

``python -m ms_ovba DIR`` is not used: it appends to files inside its own installation on
every run (so each build's Sheet1/ThisWorkbook modules grew another attribute block),
writes the source in the locale's encoding rather than the project's code page 1252, and
its compressor overflows on long repeats. This builder keeps every intermediate file in a
private temporary folder, writes CRLF/cp1252 once, patches the compression length while it
builds, and seeds the project's random bytes so two builds are byte-identical.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import tempfile
import uuid
from pathlib import Path

import ms_ovba
from ms_ovba.Models.Entities.doc_module import DocModule
from ms_ovba.Models.Entities.reference import Reference
from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
from ms_ovba.Models.Entities.std_module import StdModule
from ms_ovba.Models.Fields.libid_reference import LibidReference
from ms_ovba.vbaProject import VbaProject
from ms_ovba.Views.project_ole_file import ProjectOleFile

BLANK = Path(ms_ovba.__file__).parent / "blank_files"


# ms_ovba_compression 'copytoken_help' computes maxLength = 0xFFFF << bit_count + 3 (i.e.
# 0xFFFF << (bit_count+3)) instead of MS-OVBA's (0xFFFF >> bit_count) + 3, so any match
# longer than the copy token can hold (e.g. >= 252 repeated bytes early in a chunk) is
# written with an overflowing length: the module decompresses garbled/shorter. That is why
# xlwings.bas (45 KB) "comes back corrupted". Patched only while we build.
from ms_ovba_compression.ms_ovba import MsOvba  # noqa: E402,I001

_orig_copytoken_help = MsOvba.copytoken_help


def _fixed_copytoken_help(difference: int) -> dict:
    h = _orig_copytoken_help(difference)
    h["maxLength"] = (0xFFFF >> h["bitCount"]) + 3
    return h


@contextlib.contextmanager
def fixed_compression(enabled: bool = True):
    if enabled:
        # A deliberate patch of ms-ovba's method (see above).
        MsOvba.copytoken_help = staticmethod(_fixed_copytoken_help)  # type: ignore[method-assign]
    try:
        yield
    finally:
        MsOvba.copytoken_help = staticmethod(_orig_copytoken_help)  # type: ignore[method-assign]


class Cp1252Module(StdModule):
    """StdModule whose source is written once (no append), CRLF, in the project's code page."""

    encoding = "cp1252"

    def normalize_file(self) -> None:
        text = Path(self._file_path).read_text(encoding="utf-8")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.endswith("\n"):
            text += "\n"
        Path(self._file_path + ".new").write_bytes(text.replace("\n", "\r\n").encode(self.encoding))


@contextlib.contextmanager
def _vba_project_reserved3(value: int):
    """_VBA_PROJECT's Reserved3 as Excel writes it (0x0001 in every Excel-saved project we
    compared; ms-ovba writes 0x0003). Readers ignore it (MS-OVBA 2.3.4.1)."""
    import functools

    import ms_ovba.Views.project_ole_file as pof

    original = pof.ProjectView
    pof.ProjectView = functools.partial(original, reserved=value)
    try:
        yield
    finally:
        pof.ProjectView = original


def build_vba_project(bas_files, out, *, module_cls=Cp1252Module, seed: int | None = 0,
                      fix_compression: bool = True, sheet_codenames=("Sheet1",)) -> Path:
    """Same project layout as ms_ovba.__main__ (Sheet1 + ThisWorkbook doc modules, stdole and
    Office references), but every intermediate file lives in a private temp dir."""
    out = Path(out).resolve()
    state = random.getstate()
    if seed is not None:  # ms_ovba_crypto draws random bytes for the PROJECT stream's CMG/DPB/GC
        random.seed(seed)
    try:
        with fixed_compression(fix_compression):
            return _build(bas_files, out, module_cls, sheet_codenames)
    finally:
        random.setstate(state)


def _build(bas_files, out, module_cls, sheet_codenames) -> Path:
    with tempfile.TemporaryDirectory(prefix="vba-") as tmp, contextlib.chdir(tmp):
        project = VbaProject()
        project.project_id = "{9E394C0B-697E-4AEE-9FA6-446F51FB30DC}"
        # What projects saved by Excel carry and ms-ovba leaves out by default (compared stream
        # by stream with XlsxWriter's test projects and xlwings' quickstart_standalone.xlsm):
        project.include_projectwm()  # PROJECTwm: every module name in MBCS and UTF-16
        project.add_attribute("VersionCompatible32", "393222000")  # PROJECT: after HelpContextID
        docs = [(n, "0002082000000000C000000000000046") for n in sheet_codenames]
        docs.append(("ThisWorkbook", "0002081900000000C000000000000046"))
        for name, guid in docs:
            blank = "ThisWorkbook" if name == "ThisWorkbook" else "Sheet1"
            text = (BLANK / f"{blank}.cls").read_bytes()  # pristine copy, never the .new
            Path(f"{name}.cls").write_bytes(
                text.replace(b'VB_Name = "Sheet1"', f'VB_Name = "{name}"'.encode()))
            doc = DocModule(name)
            doc.add_file(os.path.join(tmp, f"{name}.cls"))
            doc.add_guid(uuid.UUID(guid))
            doc.normalize_file()
            doc.add_workspace(0, 0, 0, 0, "C")  # PROJECT [Workspace]: window closed
            project.add_module(doc)
        for bas in bas_files:
            bas = Path(bas)
            shutil.copy(bas, bas.name)
            mod = module_cls(bas.stem)  # module name = file stem; must equal Attribute VB_Name
            mod.add_file(os.path.join(tmp, bas.name))
            mod.normalize_file()
            mod.add_workspace(0, 0, 0, 0, "C")
            project.add_module(mod)
        for libid, ver, path, desc, name in (
            ("0002043000000000C000000000000046", "2.0", r"C:\Windows\System32\stdole2.tlb",
             "OLE Automation", "stdole"),
            ("2DF8D04C5BFA101BBDE500AA0044DE52", "2.0",
             r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
             "Microsoft Office 16.0 Object Library", "Office")):
            ref = ReferenceRegistered(LibidReference(uuid.UUID(libid), ver, "0", path, desc))
            project.add_reference(Reference(ref, name))
        with _vba_project_reserved3(1):
            ProjectOleFile.write_file(project)  # writes ./vbaProject.bin (+ scratch .bin files)
        shutil.copy("vbaProject.bin", out)
    return out
