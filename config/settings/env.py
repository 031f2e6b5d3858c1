"""Reading settings from the environment, with one clear line when something is missing."""

import os

from django.core.exceptions import ImproperlyConfigured


class MissingSetting(ImproperlyConfigured):
    pass


def env(name: str, default: str | None = None) -> str:
    """Return the variable, or the default; with no default, stop with a line naming it."""
    value = os.environ.get(name)
    if value not in (None, ""):
        return value
    if default is not None:
        return default
    message = f"Set the environment variable {name}: production settings have no default for it (see docs/configuration.md)."
    # A traceback would bury the one thing an operator needs to read.
    raise SystemExit(message)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]
