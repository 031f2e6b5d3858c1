"""The one check every signed PDF passes (issue 22): archival (PDF/A) and tagged for screen
readers (PDF/UA), as poppler's tools and the file's own objects show it."""

from io import BytesIO
from pathlib import Path

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader

from tests.cases.documents.conftest import pdf_fonts, pdf_info, pdf_metadata

# What PDF/A forbids because it reaches outside the file or runs something (ISO 19005-2, 6.6 and
# 6.2.9): actions that launch, fetch or play, and streams or forms whose content lives elsewhere.
FORBIDDEN_ACTIONS = {
    "/Launch",
    "/GoToR",
    "/GoToE",
    "/JavaScript",
    "/ImportData",
    "/ResetForm",
    "/Sound",
    "/Movie",
    "/Hide",
    "/SetOCGState",
    "/Rendition",
    "/Trans",
    "/GoTo3DView",
}
EXTERNAL_STREAM_KEYS = {"/F", "/FFilter", "/FDecodeParms"}


def font_rows(pdf: bytes, tmp_path: Path) -> list[list[str]]:
    """pdffonts' rows, one per font: name, type..., encoding, emb, sub, uni, object, generation."""
    return [line.split() for line in pdf_fonts(pdf, tmp_path).splitlines()[2:] if line.strip()]


def external_references(pdf: bytes) -> list[str]:
    """What in the file depends on something outside it, in words; empty when nothing does.

    Every object of every revision is read (object streams included), so nothing hides in a
    compressed stream or in the signature's or validation data's revisions."""
    reader = PdfFileReader(BytesIO(pdf))
    refs = set()
    for revision in range(reader.xrefs.total_revisions):
        refs |= reader.xrefs.explicit_refs_in_revision(revision)
    found = []
    for ref in sorted(refs, key=lambda r: (r.idnum, r.generation)):
        obj = reader.get_object(ref)  # an object's own value; what it refers to is read in its turn
        found.extend(f"object {ref.idnum}: {problem}" for problem in _external(obj))
    return found


def _external(obj) -> list[str]:
    problems = []
    if isinstance(obj, generic.StreamObject):
        problems += [
            f"a stream whose data is outside the file ({key})" for key in EXTERNAL_STREAM_KEYS & set(obj)
        ]
    if isinstance(obj, generic.DictionaryObject):
        action = obj.get("/S")
        if isinstance(action, generic.NameObject) and action in FORBIDDEN_ACTIONS:
            problems.append(f"a {action[1:]} action")
        if "/JS" in obj:
            problems.append("JavaScript")
        if obj.get("/Subtype") == "/Form" and "/Ref" in obj:
            problems.append("a form drawn from another file (/Ref)")
        if "/OPI" in obj:
            problems.append("an image or form replaced from outside (/OPI)")
        for value in obj.values():
            if isinstance(value, generic.DictionaryObject | generic.ArrayObject):
                problems += _external(value)
    elif isinstance(obj, generic.ArrayObject):
        for value in obj:
            if isinstance(value, generic.DictionaryObject | generic.ArrayObject):
                problems += _external(value)
    return problems


def assert_archival_and_tagged(pdf: bytes, tmp_path: Path) -> None:
    """PDF/A-2a and PDF/UA-1 identification in the XMP metadata, a metadata stream, a structure
    tree with the document marked as tagged (`pdfinfo` says `Tagged: yes`), every font embedded,
    and nothing outside the file it depends on."""
    info = pdf_info(pdf, tmp_path)
    assert info["Tagged"] == "yes", info
    assert info["Metadata Stream"] == "yes", info
    metadata = pdf_metadata(pdf, tmp_path)
    assert 'pdfaid:part="2"' in metadata and 'pdfaid:conformance="A"' in metadata, metadata
    assert 'pdfuaid:part="1"' in metadata, metadata

    root = PdfFileReader(BytesIO(pdf)).root
    assert "/StructTreeRoot" in root
    assert root["/StructTreeRoot"]["/Type"] == "/StructTreeRoot"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/Metadata" in root
    assert "/Lang" in root  # PDF/UA: the document's language, for the screen reader's voice

    fonts = font_rows(pdf, tmp_path)
    assert fonts, "no fonts: the text would not be text"
    assert all(row[-5] == "yes" for row in fonts), fonts

    assert external_references(pdf) == []
