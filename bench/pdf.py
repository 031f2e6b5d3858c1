"""Time rendering and signing the signed Family Engagement Risk Assessment, cold and warm.

Run: DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/pdf.py [N]
Prints JSON. The target is under 1 s warm for the three-page assessment.

The document is the demo's signed assessment (factors on both sides, the analysis, the plan and
the manager's oversight, made through the services by `seed_demo` in a database of its own, in
memory), printed by `riskassessment.services.assessment_pdf_render` and signed by
`cases.documents.pdf.sign_pdf`: the two steps signing an assessment takes. Storing the signed file
(one write) is left out. `floor` is the same path for a one-page document with nothing in it,
timed in the same run: what WeasyPrint and pyHanko cost for any document at all: `pdf/base.html` alone, the header and footer every
document has, rendered and signed the same way.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO, StringIO
from pathlib import Path

import django_setup  # first: the project's apps need Django set up
from django.conf import settings
from django.core.management import call_command
from pyhanko.pdf_utils.reader import PdfFileReader

from cases.documents.pdf import render_pdf, sign_pdf, verify_pdf
from riskassessment.models import Assessment, AssessmentStatus
from riskassessment.services import assessment_pdf_render


def p90(values: list[float]) -> float:
    """The 90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.9 * len(ordered)) - 1)]


def database() -> None:
    """An in-memory SQLite database of the bench's own, whatever DATABASE_URL names."""
    settings.DATABASES["default"] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
        "CONN_MAX_AGE": 0,
        "TEST": {},
    }


def main(runs: int = 10) -> dict:
    """Render and sign once, then `runs` times warm, then the floor; return the timings."""
    database()
    # From the start of Django's set-up to here: the project's apps, WeasyPrint and pyHanko loaded.
    import_seconds = time.perf_counter() - django_setup.STARTED

    with tempfile.TemporaryDirectory() as folder:
        settings.SIGNING_KEY_FILE = str(Path(folder) / "key.pem")
        settings.SIGNING_CERT_FILE = str(Path(folder) / "cert.pem")
        settings.SIGNING_KEY_PASSPHRASE = ""
        call_command("make_dev_certificate", stdout=StringIO(), stderr=StringIO())
        seeding = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("seed_demo", stdout=StringIO())
        seed_seconds = time.perf_counter() - seeding
        assessment = (
            Assessment.objects.filter(status__in=[AssessmentStatus.SIGNED, AssessmentStatus.SHARED])
            .select_related("case")
            .latest("signed_at")
        )
        reason = f"Family Engagement Risk Assessment version {assessment.version}, signed by {assessment.signed_name}"

        cpu: list[float] = []

        def once(render) -> tuple[float, float, bytes]:
            c0, t0 = time.process_time(), time.perf_counter()
            pdf = render()
            t1 = time.perf_counter()
            signed = sign_pdf(pdf, reason=reason, signer_name=assessment.signed_name)
            t2 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            return t1 - t0, t2 - t1, signed

        def real():
            # Read again each time, as signing does: the view is built from the database.
            return assessment_pdf_render(
                assessment=Assessment.objects.select_related("case").get(pk=assessment.pk)
            )

        first_render, first_sign, signed = once(real)
        warm = [once(real) for _ in range(runs)]
        warm_cpu = cpu[1:]
        cpu.clear()
        floor = [once(lambda: render_pdf("pdf/base.html", {})) for _ in range(runs)]
        floor_cpu = list(cpu)
        t0 = time.perf_counter()
        verification = verify_pdf(signed)
        verify_seconds = time.perf_counter() - t0

    totals = [r + s for r, s, _ in warm]
    floors = [r + s for r, s, _ in floor]
    return {
        "document": "pdf/assessment.html",
        "assessment": f"{assessment.case.reference} v{assessment.version}",
        "pages": int(PdfFileReader(BytesIO(signed)).root["/Pages"]["/Count"]),
        "bytes": len(signed),
        "runs": runs,
        "import_and_setup_s": round(import_seconds, 3),
        "seed_demo_s": round(seed_seconds, 3),
        # The first in this process after seed_demo, which rendered and signed the demo's
        # documents already: WeasyPrint's and pyHanko's own start-up is in seed_demo_s.
        "first_s": round(first_render + first_sign, 3),
        "warm_median_s": round(statistics.median(totals), 3),
        "warm_p90_s": round(p90(totals), 3),
        # CPU time is what the machine's load cannot inflate; wall time is what a user waits.
        "warm_cpu_median_s": round(statistics.median(warm_cpu), 3),
        "warm_render_median_s": round(statistics.median(r for r, _, _ in warm), 3),
        "warm_sign_median_s": round(statistics.median(s for _, s, _ in warm), 3),
        "floor_median_s": round(statistics.median(floors), 3),
        "floor_cpu_median_s": round(statistics.median(floor_cpu), 3),
        "x_floor": round(statistics.median(totals) / statistics.median(floors), 1),
        "verify_s": round(verify_seconds, 3),
        "verified": verification.ok,
        # No time-stamping authority here (it is a network call): the embedded default, B-B.
        "level": verification.level,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10), indent=2))
