"""UK telephone numbers written one way, so a text's sender can be matched to a person."""

import re

_NOT_DIGITS = re.compile(r"[^\d+]")


def normalise_uk_phone(number: str) -> str:
    """'07700 900 123', '+44 (0)7700-900123' and '447700900123' all as '447700900123'; "" if it is
    not a number at all. Numbers from abroad keep their own country code."""
    digits = _NOT_DIGITS.sub("", number or "")
    if digits.startswith("+"):
        digits = digits[1:]
    elif digits.startswith("00"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = "44" + digits[1:]
    digits = digits.replace("+", "")
    if digits.startswith("440"):  # +44 (0)7700...
        digits = "44" + digits[3:]
    return digits if len(digits) >= 7 else ""
