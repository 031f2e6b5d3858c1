"""Django, set up before a benchmark imports the project: each bench script's first import.

    import django_setup  # noqa: F401  (first: the project's apps need Django set up)

A script's own folder (bench/) is first on its path, so this is found; it puts the project's
root on the path and calls django.setup(), after which the script imports the apps at its top.
"""

import os
import sys
import time
from pathlib import Path

import django

STARTED = time.perf_counter()  # bench/pdf.py reports Django's set-up and the imports from here

ROOT = Path(__file__).resolve().parent.parent
# The settings each benchmark runs on (bench/run.py names the same): the web benchmark on the
# bench settings and the sweep on the test settings whatever the environment says; the PDF
# benchmark on the test settings and the seed on the bench settings unless it names others. The
# PDF and sweep benchmarks then point the settings at a database of their own.
FIXED = {"web": "config.settings.bench", "sweep": "config.settings.test"}
DEFAULT = {"pdf": "config.settings.test"}

script = Path(sys.argv[0]).stem
if script in FIXED:
    os.environ["DJANGO_SETTINGS_MODULE"] = FIXED[script]
else:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT.get(script, "config.settings.bench"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
django.setup()
