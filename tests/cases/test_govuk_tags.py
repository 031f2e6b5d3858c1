from django.template import Context, Template


def test_table_head_names_each_column_once_and_right_aligns_figures():
    html = Template(
        '{% include "includes/table_head.html" with caption="Supervision records, newest first" '
        'columns="Date,Actions" numeric="2" only %}'
    ).render(Context())

    assert '<caption class="govuk-visually-hidden">Supervision records, newest first</caption>' in html
    assert '<th scope="col" class="govuk-table__header">Date</th>' in html
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Actions</th>' in html
    assert html.count("<th ") == 2


def test_table_head_leaves_the_caption_to_a_page_that_writes_its_own():
    html = Template('{% include "includes/table_head.html" with columns="Date,Stage" only %}').render(
        Context()
    )

    assert "<caption" not in html
    assert html.count("<th ") == 2


def test_table_head_names_a_column_of_links_for_screen_readers_only():
    html = Template(
        '{% include "includes/table_head.html" with columns="Adult" action_column="Action" '
        'action_class="app-print-hide" only %}'
    ).render(Context())

    assert '<th scope="col" class="govuk-table__header app-print-hide">' in html
    assert '<span class="govuk-visually-hidden">Action</span>' in html
