import base64
import datetime as dt
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.utils import timezone
from PIL import Image

from tests.cases.documents.conftest import (  # noqa: F401
    local_tsa,
    make_certificate,
    org_certificate,
    pdf_text,
    short_lived_certificate,
)
from tests.factories import (
    AdultFactory,
    AgencyMemberFactory,
    CaseFactory,
    CaseMembershipFactory,
    ChildFactory,
    ManagerFactory,
    PractitionerFactory,
    TeamFactory,
)

# Typed into every free-text field: it must come out as these characters, never as markup.
INJECTION = '<script>alert("x")</script><b>bold</b>&amp;'


@pytest.fixture
def family(db, request):
    """A team, its manager, a lead practitioner's case with a child, two adults and a school member.

    Signed by a certificate made for the test, so verification checks this test's own key.
    """
    request.getfixturevalue("org_certificate")
    manager = ManagerFactory(full_name="Morgan Manager")
    team = TeamFactory(name="North Early Help Team", manager=manager)
    lead = PractitionerFactory(full_name="Priya Patel", team=team)
    case = CaseFactory(
        lead_practitioner=lead,
        family_name="Walsh family",
        referral_date=timezone.localdate() - dt.timedelta(days=12),
    )
    child = ChildFactory(case=case, full_name="Connor Walsh", date_of_birth=dt.date(2012, 5, 1))
    parent = AdultFactory(case=case, full_name="Dana Walsh")
    # Lives at another address: a letter to Dana is not held for Sam's concern (tests/engagement/documents/
    # test_household_hold.py has the household at one address).
    guarded = AdultFactory(
        case=case, full_name="Sam Walsh", domestic_abuse_concern=True, lives_in_household=False
    )
    member = AgencyMemberFactory(full_name="Alex Adeyemi")
    CaseMembershipFactory(case=case, user=member)
    return SimpleNamespace(
        manager=manager,
        team=team,
        lead=lead,
        case=case,
        child=child,
        parent=parent,
        guarded=guarded,
        member=member,
    )


def png_data_url(width=300, height=100, fmt="PNG") -> str:
    image = Image.new("RGB", (width, height), "white")
    for x in range(20, 280):
        image.putpixel((x, 50 + (x % 7)), (0, 0, 0))
    buffer = BytesIO()
    image.save(buffer, fmt)
    mime = "png" if fmt == "PNG" else fmt.lower()
    return f"data:image/{mime};base64," + base64.b64encode(buffer.getvalue()).decode()


def tampered(pdf: bytes) -> bytes:
    """The PDF with one byte of its rendered content changed."""
    index = len(pdf) // 3
    return pdf[:index] + bytes([pdf[index] ^ 0x01]) + pdf[index + 1 :]


def stored_bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def raw_text(pdf: bytes, tmp_path) -> str:
    """The PDF's text in content order with all whitespace removed, so wrapped cells compare whole."""
    import subprocess

    path = tmp_path / "raw.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return "".join(out.split())


def squeeze(text: str) -> str:
    return "".join(text.split())
