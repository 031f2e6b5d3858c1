"""Reading what the service produced: pages, emails, PDFs and CSV files, for traces of a payload."""

import csv
import io
import subprocess
import unicodedata
from pathlib import Path

from .payloads import injections_in, markers_in

# What a PDF must never hold: actions that run script, open files or follow links when read.
PDF_ACTION_KEYS = frozenset(
    {"/JS", "/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}
    | {"/RichMedia", "/EmbeddedFile", "/EmbeddedFiles", "/OpenAction", "/AA", "/XFA"}
)

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP: CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def page_problems(response, *, nonces: bool = True) -> tuple[list[str], set[str]]:
    """What went wrong on a page, and which payload markers it shows."""
    problems = []
    if response.status_code != 200:
        problems.append(f"answered {response.status_code}")
    if not response["Content-Type"].startswith("text/html"):
        problems.append(f"served as {response['Content-Type']}")
    html = response.content.decode()
    problems += injections_in(html, nonces=nonces)
    return problems, markers_in(html)


def email_problems(message) -> tuple[list[str], set[str]]:
    """An email may carry user text only as plain text, and never in a header it could split."""
    problems = []
    if message.content_subtype != "plain":
        problems.append(f"body is {message.content_subtype}, not plain text")
    for content, mimetype in getattr(message, "alternatives", []):
        if "html" in mimetype:
            problems += [f"HTML alternative: {p}" for p in injections_in(content)]
    if any(c in message.subject for c in "\r\n"):
        problems.append(f"subject spans lines: {message.subject!r}")
    raw = message.message().as_bytes()
    head = raw.split(b"\n\n", 1)[0].decode("ascii", errors="replace")
    for line in head.splitlines():
        name = line.split(":", 1)[0]
        if name.lower() in {"bcc", "cc", "x-injected", "reply-to", "content-type"} and name != "Content-Type":
            problems.append(f"unexpected header {line!r}")
    if len(message.recipients()) != 1:
        problems.append(f"sent to {message.recipients()}")
    return problems, markers_in(message.subject) | markers_in(message.body)


def squeeze(text: str) -> str:
    """Text as compared across a PDF round trip: NFKC, no whitespace, no control or format characters."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c)[0] != "C")


def pdf_text(pdf: bytes, folder: Path) -> str:
    path = folder / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _walk(obj, seen: set, found: list, path: str) -> None:
    from pyhanko.pdf_utils import generic

    if isinstance(obj, generic.IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, generic.DictionaryObject):
        for key, value in obj.items():
            if key in PDF_ACTION_KEYS:
                found.append(f"{path}{key}")
            if key == "/Subtype" and value == "/Link":
                found.append(f"{path}/Subtype /Link (a link annotation)")
            if key == "/S" and value in ("/JavaScript", "/URI", "/Launch"):
                found.append(f"{path}/S {value}")
            if key != "/Parent":
                _walk(value, seen, found, f"{path}{key}")
    elif isinstance(obj, generic.ArrayObject):
        for item in obj:
            _walk(item, seen, found, path)


def pdf_problems(pdf: bytes) -> tuple[list[str], dict]:
    """Actions, scripts and links anywhere in the PDF's object graph; and its document information."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    found: list[str] = []
    _walk(reader.trailer_view, set(), found, "")
    info = reader.trailer_view.get("/Info")
    info = {str(k): str(v) for k, v in info.get_object().items()} if info is not None else {}
    return found, info


def csv_problems(content: bytes) -> tuple[list[str], set[str]]:
    """A chronology export a spreadsheet opens as text only: no cell can start a formula."""
    text = content.decode("utf-8")
    problems = []
    rows = list(csv.reader(io.StringIO(text)))
    for number, row in enumerate(rows[1:], start=2):
        for column, cell in enumerate(row):
            if cell.startswith(FORMULA_STARTS):
                problems.append(f"row {number} column {column + 1} starts a formula: {cell[:40]!r}")
    return problems, markers_in(text)
