"""GOV.UK pagination: the first, the last and the current page with one either side, and an
ellipsis where the gap begins."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory

from cases.templatetags.govuk import pagination_pages


def page(number: int, pages: int):
    return Paginator(list(range(pages * 10)), 10).get_page(number)


@pytest.mark.parametrize(
    ("number", "pages", "shown"),
    [
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (1, 9, [1, 2, None, 9]),
        (3, 9, [1, 2, 3, 4, None, 9]),
        (4, 9, [1, None, 3, 4, 5, None, 9]),
        (5, 9, [1, None, 4, 5, 6, None, 9]),
        (8, 9, [1, None, 7, 8, 9]),
        (9, 9, [1, None, 8, 9]),
        (500, 1000, [1, None, 499, 500, 501, None, 1000]),
    ],
)
def test_the_pages_shown_around_the_current_one(number, pages, shown):
    assert pagination_pages(page(number, pages)) == shown


def test_the_markup_links_each_page_shown_marks_the_current_one_and_keeps_the_filters():
    request = RequestFactory().get("/needs-you/", {"page": "5", "kind": "letter"})
    request.user = AnonymousUser()
    html = render_to_string("includes/pagination.html", {"page_obj": page(5, 9)}, request=request)
    assert re.findall(r'aria-label="Page (\d+)"', html) == ["1", "4", "5", "6", "9"]
    assert html.count("govuk-pagination__item--ellipses") == 2
    assert re.findall(r'aria-current="page">(\d+)<', html) == ["5"]
    assert "?page=4&amp;kind=letter" in html and 'rel="prev"' in html and 'rel="next"' in html
