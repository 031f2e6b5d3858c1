import pytest

from cases.messaging import normalise_uk_phone


@pytest.mark.parametrize(
    "written",
    [
        "07700 900123",
        "07700-900-123",
        "+44 7700 900123",
        "+44 (0)7700 900123",
        "447700900123",
        "0044 7700 900123",
    ],
)
def test_uk_mobile_numbers_written_any_way_are_one_number(written):
    assert normalise_uk_phone(written) == "447700900123"


def test_not_a_number():
    assert normalise_uk_phone("ask at school") == ""
