"""The team, Priya's case and the clock are in tests/conftest.py; its times, for the tests here."""

from tests.conftest import LONDON as LONDON
from tests.conftest import NOW as NOW
