"""Two web servers on different machines read the same signed documents.

The issue: "Signed documents live where every process reaches them (the database, or
django-storages when an authority configures object storage), so web servers and workers on
different machines read the same letters and PDFs ... A test runs two web servers with separate
working directories against one database and reads on one a document signed on the other."

Each "machine" here is a working directory of its own with its own MEDIA_ROOT and VAR_DIR; the
only thing the two share is the SQLite database file. The schema is built from the models
(`migrate --run-syncdb` with migrations off) because running every migration takes longer than
the rest of the test; the migrations themselves are checked by `makemigrations --check` and by
tests/config/test_migrate_demo_forward.py.
"""

import hashlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
MANAGE = str(ROOT / "manage.py")
LEAD_EMAIL = "lead@two-servers.test"

SETTINGS = f"""
from config.settings.local import *  # noqa: F403

# The tables straight from the models, see the module docstring.
MIGRATION_MODULES = {{app.rsplit(".", 1)[-1]: None for app in INSTALLED_APPS}}  # noqa: F405
MFA_EXEMPT_EMAILS = [*MFA_EXEMPT_EMAILS, {LEAD_EMAIL!r}]  # noqa: F405
"""

# Run on machine A through the services, as a lead practitioner signing an agreement would.
SIGN = f"""
import json
from django.test import Client
from django.urls import reverse
from engagement.documents import services
from engagement.documents.models import AgreementTemplate, SignatureMethod, SignatureRole
from tests.factories import CaseFactory, PractitionerFactory, parent_of

# The wording a migration seeds (the schema here is built without them).
AgreementTemplate.objects.create(our_commitments="Be respectful", family_commitments="Be honest")
lead = PractitionerFactory(email={LEAD_EMAIL!r})
case = CaseFactory(lead_practitioner=lead)
agreement = services.agreement_start(case=case, by=lead)
services.agreement_sign(
    agreement=agreement, by=lead, role=SignatureRole.PARENT, method=SignatureMethod.TYPED,
    person=parent_of(case), typed_name="Dana Parent",
)
services.agreement_sign(
    agreement=agreement, by=lead, role=SignatureRole.PRACTITIONER, method=SignatureMethod.TYPED,
    typed_name="Practitioner A",
)
agreement.refresh_from_db()
client = Client()
client.force_login(lead)
cookie = next(iter(client.cookies.values()))
print(json.dumps({{
    "path": reverse("engagement:agreement_pdf", kwargs={{"case_pk": case.pk, "pk": agreement.pk}}),
    "sha256": agreement.document.sha256,
    "name": agreement.document.file.name,
    "cookie": f"{{cookie.key}}={{cookie.value}}",
}}))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server on port {port} stopped: see its log in the test's folder")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listened on port {port}")


def _machine(tmp_path: Path, name: str, shared: dict) -> tuple[Path, dict]:
    folder = tmp_path / name
    (folder / "media").mkdir(parents=True)
    env = {
        **shared,
        "MEDIA_ROOT": str(folder / "media"),
        "VAR_DIR": str(folder / "var"),
        "SIGNING_KEY_FILE": str(folder / "var" / "signing" / "key.pem"),
        "SIGNING_CERT_FILE": str(folder / "var" / "signing" / "cert.pem"),
    }
    return folder, env


def _run(args: list[str], *, cwd: Path, env: dict) -> str:
    done = subprocess.run(
        [sys.executable, MANAGE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _get(port: int, path: str, cookie: str) -> bytes:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:  # nosec B310: a local test server
        assert response.status == 200
        return response.read()


def test_a_document_signed_on_one_server_is_read_on_the_other(tmp_path):
    (tmp_path / "two_servers_settings.py").write_text(SETTINGS)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    shared = {
        **env,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "two_servers_settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "DOCUMENTS_STORAGE": "cases.storage.DatabaseStorage",
    }
    a, env_a = _machine(tmp_path, "a", shared)
    b, env_b = _machine(tmp_path, "b", shared)
    _run(["migrate", "--noinput", "--run-syncdb"], cwd=a, env=env_a)
    _run(["make_dev_certificate"], cwd=a, env=env_a)

    servers, logs = [], []
    try:
        ports = {}
        for name, cwd, env in (("a", a, env_a), ("b", b, env_b)):
            ports[name] = _free_port()
            # A file, not a pipe: a full pipe would stop the server mid-request.
            logs.append((cwd / "server.log").open("w"))
            servers.append(
                subprocess.Popen(
                    [sys.executable, MANAGE, "runserver", "--noreload", f"127.0.0.1:{ports[name]}"],
                    cwd=cwd,
                    env=env,
                    stdout=logs[-1],
                    stderr=subprocess.STDOUT,
                )
            )
        signed = json.loads(_run(["shell", "-c", SIGN], cwd=a, env=env_a).strip().splitlines()[-1])
        for server, port in zip(servers, ports.values(), strict=True):
            _wait_for_port(port, server)

        from_b = _get(ports["b"], signed["path"], signed["cookie"])
        from_a = _get(ports["a"], signed["path"], signed["cookie"])
    finally:
        for server in servers:
            server.kill()
            server.wait(timeout=10)
        for log in logs:
            log.close()

    assert hashlib.sha256(from_b).hexdigest() == signed["sha256"]
    assert from_a == from_b
    # Neither machine's own disk holds it: the bytes came from the database they share.
    assert not any((a / "media").rglob("*")) and not any((b / "media").rglob("*"))
