"""Reading the `security` logger in a test (the `security_log` fixture in tests/conftest.py turns it on)."""


def security_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "security"]
