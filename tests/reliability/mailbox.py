"""A mail transport that keeps a delivery log: what the reliability test counts.

It stands in for a mail gateway that can be asked whether it already took a message (GOV.UK
Notify answers that by reference): each message handed over is appended to a file, one JSON line
with its Message-ID, and `already_sent` looks the Message-ID up there. Appending one short line
is one write(2), so a worker killed at any point leaves a line either whole or absent.

When the file `die-after-next-send` is next to the log, the process handing over the next mail
kills itself straight after, before the database records it as sent: the one gap no
transaction closes, made to happen rather than left to chance.
"""

import contextlib
import json
import os
import signal
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


def log_path() -> Path:
    return Path(os.environ["RELIABILITY_LOG"])


# A real mail server takes a while: before it accepts a message, and after, before it answers.
# The pause after is the gap where a worker killed leaves a mail sent but not recorded as sent.
BEFORE_SECONDS = 0.004
AFTER_SECONDS = 0.012


class DeliveryLog(BaseEmailBackend):
    def send_messages(self, email_messages):
        for message in email_messages:
            time.sleep(BEFORE_SECONDS)
            entry = {
                "message_id": message.extra_headers["Message-ID"],
                "to": message.to,
                "subject": message.subject,
                "pid": os.getpid(),
            }
            with log_path().open("a") as log:
                log.write(json.dumps(entry) + "\n")
            die = log_path().parent / "die-after-next-send"
            if die.exists():
                # The worst moment to die: the mail has gone, the database does not know yet.
                with contextlib.suppress(FileNotFoundError):  # another process took it
                    die.unlink()
                    with (log_path().parent / "died-after-send.log").open("a") as died:
                        died.write(entry["message_id"] + "\n")
                    os.kill(os.getpid(), signal.SIGKILL)
            time.sleep(AFTER_SECONDS)
        return len(email_messages)

    def already_sent(self, message_id: str) -> bool:
        path = log_path()
        if not path.exists():
            return False
        sent = any(json.loads(line).get("message_id") == message_id for line in _whole_lines(path))
        if sent:
            # Counted by the test: a repeat the check kept out of the log.
            with (path.parent / "repeats-caught.log").open("a") as caught:
                caught.write(message_id + "\n")
        return sent


def _whole_lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.endswith("}")]
