"""A signed letter outlives its signing certificate (issue 22).

Issue 22: "verify_pdf reports a timestamped B-LT signature that still verifies with the signing
certificate expired (test with a short-lived certificate and a moved clock)."
"""

import datetime as dt

import time_machine

from cases.documents.pdf import LEVEL_B_LT, verify_pdf
from engagement.documents import services
from engagement.documents.models import LetterStep
from tests.cases.documents.test_signing import run_verify

from .conftest import stored_bytes


def _sent_letter(family) -> bytes:
    letter = services.letter_draft(
        case=family.case, by=family.lead, step=LetterStep.DAY_10, recipient=family.parent
    )
    letter = services.letter_update(
        letter=letter,
        by=family.lead,
        address="14 Elm Grove\nNorthshire NS1 4AB",
        subject=letter.subject,
        body="I called today. Please contact us within 5 days if you would like support.",
    )
    return stored_bytes(services.letter_send(letter=letter, by=family.lead).document)


def test_a_letter_signed_b_lt_verifies_after_its_short_lived_certificate_expires(
    family, short_lived_certificate, local_tsa, tmp_path
):
    signed_at = dt.datetime.now(dt.UTC)
    pdf = _sent_letter(family)
    assert local_tsa.requests >= 1
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    expires = short_lived_certificate.not_valid_after_utc
    assert expires - signed_at < dt.timedelta(days=3)

    # A week after the certificate expired, with nothing fetched: only what the file carries.
    with time_machine.travel(expires + dt.timedelta(days=7), tick=False):
        assert dt.datetime.now(dt.UTC) > expires
        result = verify_pdf(pdf)
        code, printed, _ = run_verify(path)

    assert result.ok, result.problem
    assert result.level == LEVEL_B_LT
    stamped = dt.datetime.fromisoformat(result.timestamp)
    assert signed_at - dt.timedelta(minutes=1) <= stamped <= signed_at + dt.timedelta(minutes=5)
    assert stamped < expires  # the timestamp proves it was signed while the certificate was valid
    assert result.signer == "Test Borough Council (short-lived signing certificate)"
    # The command prints the same: valid (exit 0), the level, and the timestamp's time.
    assert code == 0
    assert printed["problem"] is None and printed["intact"] and printed["trusted"]
    assert printed["level"] == LEVEL_B_LT
    assert printed["timestamp"] == result.timestamp
