"""XLIFF 1.2 files for translation agencies, read and written with translate-toolkit.

One <file> per page (original: the English file), one <trans-unit> per unit with id = its
number in the page and resname = its kind. Inline Markdown travels as <ph id="n"> elements
whose content is the Markdown they stand for; on import only their ids count, so a changed
link target inside a placeholder is ignored. The target's state says what the unit needs:
new, needs-review-translation (the English changed since it was translated) or final.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree
from translate.storage import xliff

from sitegen.source.inline import Code, Piece

NS = "urn:oasis:names:tc:xliff:document:1.2"
SKELETON = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">\n'
    b'<file original="NoName" source-language="en" datatype="x-markdown"><body/></file>\n'
    b"</xliff>\n"
)
DATATYPE = "x-markdown"


class _Unit(xliff.Xliff1Unit):
    namespace = NS


class _Store(xliff.xlifffile):  # type: ignore[type-arg]
    UnitClass = _Unit
    namespace = NS


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


@dataclass(frozen=True, slots=True)
class OutUnit:
    """One unit to write: source and target as words and codes."""

    number: int
    kind: str
    source: Sequence[Piece]
    target: Sequence[Piece] | None
    state: str  # new, needs-review-translation, final
    note: str
    location: str


@dataclass(frozen=True, slots=True)
class OutFile:
    original: str
    units: Sequence[OutUnit]


def _numbered(source: Sequence[Piece]) -> list[tuple[str, Piece]]:
    """Source pieces with an id for each code: 1, 2, … in order."""
    out: list[tuple[str, Piece]] = []
    count = 0
    for piece in source:
        if isinstance(piece, Code):
            count += 1
            out.append((str(count), piece))
        else:
            out.append(("", piece))
    return out


def _target_ids(
    source: list[tuple[str, Piece]], target: Sequence[Piece]
) -> list[tuple[str, Piece]]:
    """Target codes take the id of the same code in the source; others get t1, t2, …"""
    free = [(i, p.native) for i, p in source if isinstance(p, Code)]
    out: list[tuple[str, Piece]] = []
    extra = 0
    for piece in target:
        if not isinstance(piece, Code):
            out.append(("", piece))
            continue
        match = next((k for k, (_, native) in enumerate(free) if native == piece.native), None)
        if match is None:
            extra += 1
            out.append((f"t{extra}", piece))
        else:
            out.append((free.pop(match)[0], piece))
    return out


def _fill(element: etree._Element, pieces: list[tuple[str, Piece]]) -> None:
    last: etree._Element | None = None
    for ident, piece in pieces:
        if isinstance(piece, Code):
            last = etree.SubElement(element, _q("ph"), id=ident, ctype=piece.ctype)
            last.text = piece.native
        elif last is None:
            element.text = (element.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece


def write_xliff(files: Sequence[OutFile], source_lang: str, target_lang: str) -> bytes:
    """The XLIFF 1.2 document for one target language."""
    store = _Store.parsestring(SKELETON)  # type: ignore[no-untyped-call]
    for out in files:
        store.switchfile(out.original, createifmissing=True)
        for item in out.units:
            unit = _Unit("")
            store.addunit(unit)
            unit.setid(str(item.number))
            unit.xmlelement.set("resname", item.kind)
            source = unit.xmlelement.find(_q("source"))
            for child in list(source):
                source.remove(child)
            source.text = None
            numbered = _numbered(item.source)
            _fill(source, numbered)
            target = etree.Element(_q("target"), state=item.state)
            source.addnext(target)
            if item.target is not None:
                _fill(target, _target_ids(numbered, item.target))
            if item.state == "final":
                unit.xmlelement.set("approved", "yes")
            unit.addnote(item.note, origin="sitegen")
            where, _, line = item.location.rpartition(":")
            # the group's name must be unique in its <file> (the schema's U_context-group_name)
            contexts = [("sourcefile", where), ("linenumber", line)]
            unit.createcontextgroup(f"location-{item.number}", contexts, "location")
    root = store.document.getroot()
    for node in root.iterchildren(_q("file")):
        node.set("source-language", source_lang)
        node.set("target-language", target_lang)
        node.set("datatype", DATATYPE)
    store.removedefaultfile()
    _indent(root, 0)
    body: bytes = etree.tostring(
        store.document, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return body


STRUCTURE = {_q(t) for t in ("xliff", "file", "header", "body", "group", "trans-unit")} | {
    _q("context-group")
}


def _indent(element: etree._Element, level: int) -> None:
    """Line breaks between structural elements only: unit text keeps its spaces as they are."""
    children = list(element)
    if element.tag not in STRUCTURE or not children:
        return
    element.text = "\n" + "  " * (level + 1)
    for child in children:
        child.tail = "\n" + "  " * (level + 1)
        _indent(child, level + 1)
    children[-1].tail = "\n" + "  " * level


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ph:
    """A placeholder read back: its id, and the Markdown it holds in the file."""

    ident: str
    native: str


Read = str | Ph


@dataclass(slots=True)
class InUnit:
    ident: str
    resname: str
    line: int
    source: list[Read]
    target: list[Read] | None
    state: str | None
    problems: list[tuple[int, str, str]] = field(default_factory=list)


@dataclass(slots=True)
class InFile:
    original: str
    line: int
    source_lang: str
    target_lang: str
    units: list[InUnit]


class XliffError(Exception):
    """The file is not XML, or not XLIFF 1.2: line and message."""

    def __init__(self, line: int, message: str, hint: str) -> None:
        super().__init__(message)
        self.line, self.message, self.hint = line, message, hint


def _read_inline(element: etree._Element, problems: list[tuple[int, str, str]]) -> list[Read]:
    out: list[Read] = []
    if element.text:
        out.append(element.text)
    for child in element:
        if not isinstance(child.tag, str):
            pass  # a comment or processing instruction
        elif child.tag == _q("ph"):
            out.append(Ph(child.get("id", ""), "".join(child.itertext())))
        else:
            name = etree.QName(child).localname
            problems.append(
                (
                    child.sourceline or element.sourceline or 1,
                    f"markup is broken: <{name}> is not a placeholder sitegen wrote",
                    "keep only the text and the <ph> placeholders of the source",
                )
            )
        if child.tail:
            out.append(child.tail)
    return out


def read_xliff(data: bytes) -> list[InFile]:
    """Every <file> and unit, with the line of each; raises XliffError for broken XML."""
    try:
        store = _Store.parsestring(data)  # type: ignore[no-untyped-call]
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise XliffError(
            line,
            f"markup is broken: {exc.msg}",
            "open the file in the translation tool again and export it, or fix the XML here",
        ) from None
    except ValueError as exc:
        hint = "export it as XLIFF 1.2"
        raise XliffError(1, f"this is not an XLIFF 1.2 file: {exc}", hint) from None
    if store.document.docinfo.doctype:
        # Its entities are not expanded (no entity attack), so a target made of them would
        # read as empty and its page be reported unchanged, with no word why.
        raise XliffError(
            data[: data.find(b"<!DOCTYPE")].count(b"\n") + 1,
            "this file declares a DOCTYPE, with entities of its own that sitegen does not read",
            "export the file again from the translation tool; XLIFF files need no DOCTYPE",
        )
    root = store.document.getroot()
    if root.get("version") != "1.2" or etree.QName(root).namespace != NS:
        raise XliffError(
            root.sourceline or 1,
            "this is not an XLIFF 1.2 file",
            "export it from the translation tool as XLIFF 1.2",
        )
    files: list[InFile] = []
    for node in root.iterchildren(_q("file")):
        units: list[InUnit] = []
        for element in node.iter(_q("trans-unit")):
            problems: list[tuple[int, str, str]] = []
            source_el = element.find(_q("source"))
            target_el = element.find(_q("target"))
            source = _read_inline(source_el, problems) if source_el is not None else []
            target = _read_inline(target_el, problems) if target_el is not None else None
            units.append(
                InUnit(
                    element.get("id", ""),
                    element.get("resname", ""),
                    element.sourceline or 1,
                    source,
                    target,
                    target_el.get("state") if target_el is not None else None,
                    problems,
                )
            )
        files.append(
            InFile(
                node.get("original", ""),
                node.sourceline or 1,
                node.get("source-language", ""),
                node.get("target-language", ""),
                units,
            )
        )
    return files
