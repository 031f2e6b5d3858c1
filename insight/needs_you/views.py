"""Thin view of the line manager's home page: what waits for them, most urgent first, paged."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from cases.access import role_view
from cases.http import accepts
from cases.models import Role

from . import selectors

PAGE_SIZE = 25


@accepts("GET")
@role_view(Role.LINE_MANAGER)
def needs_you(request):
    today = timezone.localdate()
    items = selectors.needs_you(request.user, today)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insight/needs_you.html",
        {
            "page_obj": page,
            # Each with its link, worked out for the page's 25 rather than the whole queue.
            "items": selectors.with_links(page.object_list),
            "total": len(items),
            "overdue": sum(1 for item in items if item.days_overdue),
            "today": today,
        },
    )
