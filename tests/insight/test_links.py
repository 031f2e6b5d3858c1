"""`insight.links.links`: a route's URL for many rows at the cost of one `reverse`, the same URL
`reverse` gives for each."""

from django.urls import reverse

from insight.links import links


def test_each_rows_link_is_the_one_reverse_gives():
    case_page = links("cases:case_detail", "case_pk")
    sign = links("riskassessment:assessment_sign", "case_pk", "pk")
    notification = links("flowchart:notification_read", "pk")
    for case_pk, pk in [(1, 2), (7, 7), (2147483647, 12), (40, 2147483646)]:
        assert case_page(case_pk) == reverse("cases:case_detail", kwargs={"case_pk": case_pk})
        assert sign(case_pk, pk) == reverse(
            "riskassessment:assessment_sign", kwargs={"case_pk": case_pk, "pk": pk}
        )
        assert notification(pk) == reverse("flowchart:notification_read", kwargs={"pk": pk})


def test_a_route_with_no_arguments_is_its_one_url():
    assert links("cases:my_cases")() == reverse("cases:my_cases")
