"""Time rendering and signing the three-page sample document, cold and warm.

Run: DJANGO_SETTINGS_MODULE=config.settings.test .venv/bin/python bench/pdf.py [N]
Prints JSON. The target is under 1 s warm for a three-page document.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from io import BytesIO, StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def p90(values: list[float]) -> float:
    """The 90th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, round(0.9 * len(ordered)) - 1)]


def main(runs: int = 10) -> dict:
    """Render and sign once cold, then `runs` times warm; return the timings."""
    started = time.perf_counter()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from cases.documents import render_pdf, sign_pdf, verify_pdf
    from tests.documents.sample import sample_context

    import_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        settings.SIGNING_KEY_FILE = str(Path(folder) / "key.pem")
        settings.SIGNING_CERT_FILE = str(Path(folder) / "cert.pem")
        settings.SIGNING_KEY_PASSPHRASE = ""
        call_command("make_dev_certificate", stdout=StringIO(), stderr=StringIO())

        cpu: list[float] = []

        def once() -> tuple[float, float, bytes]:
            c0, t0 = time.process_time(), time.perf_counter()
            pdf = render_pdf("pdf/sample.html", sample_context())
            t1 = time.perf_counter()
            signed = sign_pdf(pdf, reason="Benchmark", signer_name="Bench")
            t2 = time.perf_counter()
            cpu.append(time.process_time() - c0)
            return t1 - t0, t2 - t1, signed

        cold_render, cold_sign, signed = once()
        warm = [once() for _ in range(runs)]
        warm_cpu = cpu[1:]
        t0 = time.perf_counter()
        verification = verify_pdf(signed)
        verify_seconds = time.perf_counter() - t0

    from pyhanko.pdf_utils.reader import PdfFileReader

    totals = [r + s for r, s, _ in warm]
    return {
        "document": "pdf/sample.html",
        "pages": int(PdfFileReader(BytesIO(signed)).root["/Pages"]["/Count"]),
        "bytes": len(signed),
        "runs": runs,
        "import_and_setup_s": round(import_seconds, 3),
        "cold_s": round(cold_render + cold_sign, 3),
        "cold_render_s": round(cold_render, 3),
        "cold_sign_s": round(cold_sign, 3),
        "warm_median_s": round(statistics.median(totals), 3),
        "warm_p90_s": round(p90(totals), 3),
        # CPU time is what the machine's load cannot inflate; wall time is what a user waits.
        "warm_cpu_median_s": round(statistics.median(warm_cpu), 3),
        "warm_render_median_s": round(statistics.median(r for r, _, _ in warm), 3),
        "warm_sign_median_s": round(statistics.median(s for _, s, _ in warm), 3),
        "verify_s": round(verify_seconds, 3),
        "verified": verification.ok,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 10), indent=2))
