"""The national identifiers the returns carry, and their check digits.

A unique pupil number (DfE, "Unique Pupil Numbers (UPNs): guidance for local authorities and
schools"): 13 characters. The first is a check letter; characters 2 to 4 are the local authority
number, 5 to 12 digits, and the 13th a digit (or a letter in a temporary UPN). The check letter is
the sum of each of characters 2 to 13 times its position (2 to 13), modulo 23, as a letter of
A to Z leaving out I, O and S; a letter in position 13 counts as its place in that same alphabet.

An NHS number: 10 digits. The first nine, weighted 10 down to 2 and summed, modulo 11, taken from
11 give the tenth (11 counts as 0; 10 means no valid number has those nine digits).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S


def upn_check_letter(upn: str) -> str | None:
    """The check letter the 12 characters after the first call for, or None if they cannot be a UPN."""
    if len(upn) != 13 or not upn[1:12].isdigit():
        return None
    last = upn[12]
    if last.isdigit():
        last_value = int(last)
    elif last in UPN_LETTERS:
        last_value = UPN_LETTERS.index(last)
    else:
        return None
    total = sum(int(char) * weight for weight, char in enumerate(upn[1:12], start=2)) + last_value * 13
    return UPN_LETTERS[total % 23]


def upn_problem(value: str) -> str | None:
    """What is wrong with this unique pupil number, or None if it is a valid one."""
    upn = value.strip().upper()
    if len(upn) != 13:
        return _("A unique pupil number is 13 characters, for example A123456789012")
    expected = upn_check_letter(upn)
    if expected is None:
        return _(
            "A unique pupil number is a letter, 11 digits and a last digit or letter, "
            "for example A123456789012"
        )
    if upn[0] != expected:
        return _("This is not a valid unique pupil number: check it against the school's records")
    return None


def validate_upn(value: str) -> None:
    if problem := upn_problem(value):
        raise ValidationError(problem, code="upn")


def nhs_check_digit(first_nine: str) -> int | None:
    """The tenth digit the first nine call for, or None if no NHS number starts with them."""
    total = sum(int(char) * weight for char, weight in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def nhs_number_problem(value: str) -> str | None:
    """What is wrong with this NHS number, or None if it is a valid one."""
    number = value.replace(" ", "")
    if len(number) != 10 or not number.isdigit():
        return _("An NHS number is 10 digits, for example 943 476 5919")
    if nhs_check_digit(number[:9]) != int(number[9]):
        return _("This is not a valid NHS number: check it against the person's health records")
    return None


def validate_nhs_number(value: str) -> None:
    if problem := nhs_number_problem(value):
        raise ValidationError(problem, code="nhs_number")
