import datetime as dt

from engagement.practice.chart import LABEL_GAP, SHAPES, Rating, safety_chart

DAY = dt.date(2026, 11, 3)


def _ratings(rows):
    return [
        Rating(
            meeting_id=m,
            meeting_on=DAY + dt.timedelta(days=m),
            meeting_name=f"Meeting {m}",
            name=n,
            kind="family",
            rating=r,
        )
        for m, n, r in rows
    ]


def test_nothing_rated_no_chart():
    assert safety_chart([(1, DAY, "Visit")], []) is None


def test_each_person_has_a_series_with_their_own_shape_and_dash():
    names = [f"Person {i}" for i in range(len(SHAPES))]
    chart = safety_chart([(1, DAY, "Visit")], _ratings([(1, n, i % 11) for i, n in enumerate(names)]))
    assert [s.name for s in chart.series] == names
    assert len({s.shape for s in chart.series}) == len(SHAPES)
    assert len({s.path for s in chart.series}) == len(SHAPES)
    assert len({s.dash for s in chart.series}) == len(SHAPES)


def test_higher_ratings_sit_higher_and_meetings_run_left_to_right():
    chart = safety_chart(
        [(1, DAY, "A"), (2, DAY + dt.timedelta(days=7), "B")],
        _ratings([(1, "Kelly", 2), (2, "Kelly", 7)]),
    )
    first, second = chart.series[0].points
    assert second.y < first.y and second.x > first.x
    assert first.y == chart.bottom - 2 * (chart.bottom - chart.top) / 10
    assert second.label == "Kelly: 7 out of 10 at Meeting 2 on 5 November 2026"


def test_names_never_overlap_even_when_ratings_match():
    chart = safety_chart(
        [(1, DAY, "Visit")], _ratings([(1, "Kelly", 5), (1, "Dean", 5), (1, "Priya", 5), (1, "Gran", 10)])
    )
    label_ys = sorted(s.label_y for s in chart.series)
    assert all(b - a >= LABEL_GAP - 0.01 for a, b in zip(label_ys, label_ys[1:], strict=False))
    assert all(chart.top - 0.01 <= y <= chart.bottom + 0.01 for y in label_ys)
    # Markers for the same number at the same meeting stand side by side.
    xs = [s.points[0].x for s in chart.series if s.points[0].rating == 5]
    assert len(set(xs)) == 3


def test_the_same_name_is_one_person_across_meetings():
    chart = safety_chart(
        [(1, DAY, "A"), (2, DAY, "B")], _ratings([(1, "Kelly Taylor", 3), (2, "kelly taylor ", 4)])
    )
    assert len(chart.series) == 1 and [p.rating for p in chart.series[0].points] == [3, 4]
