"""A local HTTP server that answers as GOV.UK Notify's API does, for the calls the product makes.

It keeps every request (method, path, headers, JSON body) for the test to check, and answers
with the shapes of Notify's API reference: 201 and the new notification for a send, 200 and the
notification for a status, 400/403 with Notify's error list when told to.
"""

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SERVICE_ID = "8f1b6a1e-7c5d-4a2b-9e3f-0a1b2c3d4e5f"
SECRET = "2d4f6a8c-1b3d-4e5f-8a7b-9c0d1e2f3a4b"
API_KEY = f"engaging_families_test-{SERVICE_ID}-{SECRET}"
SMS_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
EMAIL_TEMPLATE_ID = "a1b2c3d4-0000-4000-8000-00000000e3a1"


@dataclass
class Seen:
    method: str
    path: str
    headers: dict
    body: dict | None


@dataclass
class NotifyDouble:
    requests: list[Seen] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)  # notification id -> status
    refuse_with: int | None = None  # answer the next sends with this HTTP status
    url: str = ""

    def answer(self, seen: Seen) -> tuple[int, dict]:
        if self.refuse_with is not None:
            error = {
                400: ("BadRequestError", "Can't send to this recipient using a team-only API key"),
                403: ("AuthError", "Invalid token: API key not found"),
                500: ("Exception", "Internal server error"),
            }[self.refuse_with]
            return self.refuse_with, {
                "status_code": self.refuse_with,
                "errors": [{"error": error[0], "message": error[1]}],
            }
        if seen.method == "POST" and seen.path.startswith("/v2/notifications/"):
            kind = seen.path.rsplit("/", 1)[-1]
            notification_id = str(uuid.uuid4())
            self.statuses[notification_id] = "created"
            body = seen.body or {}
            answer = {"id": notification_id, "reference": body.get("reference")}
            if kind == "sms":
                answer |= {
                    "content": {
                        "body": body.get("personalisation", {}).get("body", ""),
                        "from_number": "GOVUK",
                    },
                    "template": {"id": body.get("template_id"), "version": 1, "uri": "x"},
                    "uri": f"{self.url}/v2/notifications/{notification_id}",
                }
            elif kind == "email":
                personalisation = body.get("personalisation", {})
                answer |= {
                    "content": {
                        "body": personalisation.get("body", ""),
                        "subject": personalisation.get("subject", ""),
                        "from_email": "early.help@notifications.service.gov.uk",
                    },
                    "template": {"id": body.get("template_id"), "version": 1, "uri": "x"},
                    "uri": f"{self.url}/v2/notifications/{notification_id}",
                }
            else:
                answer |= {"postage": body.get("postage", "second")}
            return 201, answer
        if seen.method == "GET" and seen.path.startswith("/v2/notifications/"):
            notification_id = seen.path.rsplit("/", 1)[-1]
            if notification_id not in self.statuses:
                return 404, {
                    "status_code": 404,
                    "errors": [{"error": "NoResultFound", "message": "No result found"}],
                }
            return 200, {"id": notification_id, "status": self.statuses[notification_id], "type": "sms"}
        return 404, {"status_code": 404, "errors": [{"error": "NotFound", "message": "Not found"}]}


def start(double: NotifyDouble) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            seen = Seen(
                method=self.command,
                path=self.path.split("?", 1)[0],
                headers={k.lower(): v for k, v in self.headers.items()},
                body=json.loads(raw) if raw else None,
            )
            double.requests.append(seen)
            status, answer = double.answer(seen)
            data = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _handle

        def log_message(self, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    double.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def notify_api(settings):
    """A Notify double on a local port, and the settings that point the product's client at it."""
    double = NotifyDouble()
    server = start(double)
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = double.url
    settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID
    settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE_ID
    yield double
    server.shutdown()
    server.server_close()
