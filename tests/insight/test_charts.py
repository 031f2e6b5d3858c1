"""The chart geometry: pure functions, no database."""

from insight.charts import Series, bar_chart, column_chart, fills_for, nice_scale, wrap


def test_nothing_to_draw_is_no_chart():
    assert column_chart(["Sep 2026", "Oct 2026"], [Series("Engaged", (0, 0))]) is None
    assert bar_chart([], []) is None


def test_ticks_are_round_numbers_covering_the_largest_value():
    assert nice_scale(1) == [0, 1]
    assert nice_scale(6) == [0, 2, 4, 6]
    assert nice_scale(37) == [0, 10, 20, 30, 40]
    assert nice_scale(180) == [0, 50, 100, 150, 200]


def test_long_labels_wrap_onto_two_lines():
    assert wrap("Letter", 20) == ["Letter"]
    assert wrap("Continue the engagement process, with a review date", 38) == [
        "Continue the engagement process, with",
        "a review date",
    ]


def test_every_series_has_its_own_pattern_and_a_name():
    fills = fills_for([Series(name, (1,)) for name in ("Engaged", "Not reached", "Letter", "Other")])
    assert len({f.pattern for f in fills}) == 4
    assert [f.pattern_name for f in fills] == ["solid fill", "diagonal stripes", "dots", "cross-hatching"]


def test_stacked_columns_are_in_proportion_and_carry_their_numbers():
    chart = column_chart(
        ["Sep 2026", "Oct 2026", "Nov 2026"],
        [Series("Engaged", (3, 1, 0)), Series("Not reached", (3, 1, 0))],
        unit="attempts",
    )
    september, october, november = chart.columns
    assert [c.total for c in chart.columns] == [6, 2, 0]
    # Equal values stack to equal heights, the second on top of the first.
    low, high = september.segments
    assert low.height == high.height and high.y + high.height == low.y
    assert october.segments[0].height * 3 == low.height
    assert november.segments == []
    assert low.show_value and not chart.rotate_labels
    assert chart.description == (
        "Sep 2026: 6 attempts (engaged 3, not reached 3); Oct 2026: 2 attempts (engaged 1, not reached 1); "
        "Nov 2026: 0 attempts."
    )


def test_a_lone_segment_leaves_its_number_to_the_total():
    chart = column_chart(["Sep 2026"], [Series("Engaged", (4,)), Series("Not reached", (0,))])
    assert not chart.columns[0].segments[0].show_value


def test_labels_wrap_under_few_columns_and_turn_under_many():
    few = column_chart(["More than 28 days", "No successful contact yet"], [Series("Cases", (1, 2))])
    assert not few.rotate_labels
    assert few.columns[1].label_lines == ["No successful", "contact yet"]
    weeks = [f"Week {n} of the year" for n in range(52)]
    many = column_chart(weeks, [Series("Attempts", tuple(range(52)))])
    assert many.rotate_labels and many.columns[0].label_lines == ["Week 0 of the year"]


def test_bars_start_at_the_axis_and_end_at_their_total():
    chart = bar_chart(["Shared on time", "Shared late"], [Series("Assessments", (4, 1))], unit="assessments")
    on_time, late = chart.bars
    assert on_time.segments[0].x == late.segments[0].x == chart.left
    assert on_time.segments[0].width == 4 * late.segments[0].width
    assert on_time.total_x > late.total_x
    assert chart.description == "Shared on time: 4 assessments; Shared late: 1 assessment."
