"""Column and bar charts for the insight pages, laid out for a server-rendered SVG.

Pure geometry: no database, no HTML. Every series has a fill pattern of its own (solid, stripes,
dots, cross-hatch) as well as a colour, every bar carries its number, and the legend names each
pattern, so a chart reads the same in black and white, in forced colours and on paper. The
templates in templates/insight/ draw these with autoescaped labels and presentation attributes
only (no style attributes or scripts), which the CSP allows.
"""

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# GOV.UK palette colours, each dark enough for 3:1 against white and under a white pattern.
FILLS = (
    ("solid", "#1d70b8"),
    ("stripes", "#ca3535"),
    ("dots", "#505a5f"),
    ("crosshatch", "#0f7a52"),
    ("solid", "#54319f"),
    ("stripes", "#b58840"),
)
PATTERN_NAMES = {
    "solid": _("solid fill"),
    "stripes": _("diagonal stripes"),
    "dots": _("dots"),
    "crosshatch": _("cross-hatching"),
}

# How many of a chart's unit, in words, for the units the insight figures count.
UNIT_WORDS = {
    "attempts": lambda n: ngettext("%(count)d attempt", "%(count)d attempts", n),
    "cases": lambda n: ngettext("%(count)d case", "%(count)d cases", n),
    "assessments": lambda n: ngettext("%(count)d assessment", "%(count)d assessments", n),
    "decisions": lambda n: ngettext("%(count)d decision", "%(count)d decisions", n),
}

FONT_SIZE = 13
CHAR_WIDTH = 7  # a generous average width of a 13px character, to keep labels from overlapping
VALUE_CHIP_HEIGHT = 16  # a segment shorter or narrower than its number's chip shows no number
TICK_TARGET = 5


@dataclass(frozen=True)
class Series:
    """One stack of the chart: a name for the legend and a value per category."""

    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Fill:
    index: int
    name: str
    pattern: str
    colour: str

    @property
    def pattern_name(self) -> str:
        return PATTERN_NAMES[self.pattern]


@dataclass(frozen=True)
class Segment:
    fill: Fill
    x: float
    y: float
    width: float
    height: float
    value: int
    title: str  # what a hover and a screen reader say about the segment
    show_value: bool

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2

    @property
    def centre_y(self) -> float:
        return self.y + self.height / 2

    @property
    def chip_width(self) -> int:
        """A white chip behind the number, so it reads over any pattern."""
        return len(str(self.value)) * CHAR_WIDTH + 6

    @property
    def chip_x(self) -> float:
        return self.centre_x - self.chip_width / 2

    @property
    def chip_y(self) -> float:
        return self.centre_y - 7


@dataclass(frozen=True)
class Tick:
    position: float  # y for a column chart, x for a bar chart
    value: int


@dataclass
class Column:
    x: float
    width: float
    label: str
    total: int
    segments: list[Segment] = field(default_factory=list)
    total_y: float = 0.0
    label_lines: list[str] = field(default_factory=list)

    @property
    def centre_x(self) -> float:
        return self.x + self.width / 2


@dataclass
class ColumnChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    ticks: list[Tick]
    columns: list[Column]
    fills: list[Fill]
    rotate_labels: bool
    description: str

    @property
    def label_y(self) -> float:
        return self.bottom + 16

    @property
    def tick_label_x(self) -> float:
        return self.left - 6

    @property
    def line_height(self) -> int:
        return FONT_SIZE + 2


@dataclass
class Bar:
    y: float
    height: float
    label_lines: list[str]
    total: int
    segments: list[Segment] = field(default_factory=list)
    total_x: float = 0.0

    @property
    def centre_y(self) -> float:
        return self.y + self.height / 2

    @property
    def first_line_y(self) -> float:
        """Where the first line of the label sits, so one or two lines centre on the bar."""
        return self.centre_y - (len(self.label_lines) - 1) * (FONT_SIZE + 2) / 2


@dataclass
class BarChart:
    width: int
    height: int
    label_x: float
    left: float
    right: float
    top: float
    bottom: float
    ticks: list[Tick]
    bars: list[Bar]
    fills: list[Fill]
    description: str

    @property
    def line_height(self) -> int:
        return FONT_SIZE + 2

    @property
    def tick_label_y(self) -> float:
        return self.bottom + 14


def fills_for(series: list[Series]) -> list[Fill]:
    return [
        Fill(index=i, name=s.name, pattern=FILLS[i % len(FILLS)][0], colour=FILLS[i % len(FILLS)][1])
        for i, s in enumerate(series)
    ]


def nice_scale(largest: int, target: int = TICK_TARGET) -> list[int]:
    """Round tick values from 0 covering `largest`: steps of 1, 2 or 5 times a power of ten."""
    if largest <= 0:
        return [0, 1]
    rough = largest / target
    magnitude = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    top = math.ceil(largest / step) * step
    return list(range(0, top + step, step))


def wrap(label: str, limit: int) -> list[str]:
    """Split a long label into at most two lines at a space; a longer second line is shortened."""
    if len(label) <= limit:
        return [label]
    cut = label.rfind(" ", 0, limit + 1)
    if cut <= 0:
        return [label[: limit - 1] + "…"]
    first, rest = label[:cut], label[cut + 1 :]
    return [first, rest if len(rest) <= limit else rest[: limit - 1] + "…"]


def _amount(total: int, unit: str) -> str:
    """ "6 attempts", "1 attempt": the unit's words when it is one the figures count."""
    if words := UNIT_WORDS.get(unit):
        return words(total) % {"count": total}
    noun = unit[:-1] if total == 1 and unit.endswith("s") else unit
    return f"{total} {noun}"


def _describe(categories: list[str], series: list[Series], unit: str) -> str:
    """A phrase per category for the chart's <desc>, naming the series behind each number."""
    parts = []
    for index, category in enumerate(categories):
        total = sum(s.values[index] for s in series)
        shares = [f"{s.name.lower()} {s.values[index]}" for s in series if s.values[index]]
        detail = f" ({', '.join(shares)})" if len(shares) > 1 else ""
        parts.append(f"{category}: {_amount(total, unit)}{detail}".replace("  ", " "))
    return "; ".join(parts) + "."


def _fits(label: str, limit: int) -> list[str] | None:
    """The label on at most two lines of `limit` characters, or None if it needs shortening."""
    lines = wrap(label, limit)
    return lines if " ".join(lines) == label and all(len(line) <= limit for line in lines) else None


def _segments(specs: list[tuple[Fill, int, dict]]) -> list[Segment]:
    """Numbers go inside segments only when a bar has several: alone, the total says it."""
    several = len(specs) > 1
    segments = []
    for fill, value, geometry in specs:
        fits = geometry.pop("fits")
        segments.append(Segment(fill=fill, value=value, show_value=several and fits, **geometry))
    return segments


def _stack_totals(categories: list[str], series: list[Series]) -> tuple[list[int], list[int]] | None:
    """Each category's stacked total and the scale's ticks; None when there is nothing to draw."""
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    if not categories or not any(totals):
        return None
    return totals, nice_scale(max(totals))


def _words(categories: list[str]) -> list[str]:
    """The labels as text: a choice's label marked for translation is looked up once, here, and
    then measured, wrapped and joined like any other."""
    return [str(category) for category in categories]


def column_chart(
    categories: list[str], series: list[Series], *, unit: str = "", plot_height: int = 220
) -> ColumnChart | None:
    """Stacked columns, one per category (oldest period first); None when every value is 0."""
    categories = _words(categories)
    if (stacked := _stack_totals(categories, series)) is None:
        return None
    totals, ticks = stacked
    slot = max(26.0, min(110.0, 660 / len(categories)))
    # Labels wrap onto two lines under their column; when even that is too wide (many weeks)
    # they turn to read upwards so neighbours do not run into each other.
    limit = max(1, int((slot - 4) / CHAR_WIDTH))
    wrapped = [_fits(c, limit) for c in categories]
    rotate = any(lines is None for lines in wrapped)
    left, top = 48.0, 24.0
    bottom = top + plot_height
    if rotate:
        label_room = min(max(len(c) for c in categories), 24) * CHAR_WIDTH * 0.75 + 10
    else:
        label_room = max(len(lines) for lines in wrapped) * (FONT_SIZE + 2) + 8
    width = int(left + slot * len(categories) + 16)
    height = int(bottom + label_room + 8)
    scale = plot_height / ticks[-1]
    fills = fills_for(series)
    columns = []
    for index, category in enumerate(categories):
        x = left + index * slot + slot * 0.15
        bar_width = slot * 0.7
        column = Column(
            x=x,
            width=bar_width,
            label=category,
            total=totals[index],
            label_lines=[category] if rotate else wrapped[index],
        )
        y = bottom
        specs = []
        for fill, s in zip(fills, series, strict=True):
            value = s.values[index]
            if not value:
                continue
            height_px = value * scale
            y -= height_px
            specs.append(
                (
                    fill,
                    value,
                    {
                        "x": x,
                        "y": y,
                        "width": bar_width,
                        "height": height_px,
                        "title": f"{category}, {fill.name}: {value}",
                        "fits": height_px >= VALUE_CHIP_HEIGHT
                        and bar_width >= len(str(value)) * CHAR_WIDTH + 6,
                    },
                )
            )
        column.segments = _segments(specs)
        column.total_y = y - 6
        columns.append(column)
    return ColumnChart(
        width=max(width, 320),
        height=height,
        left=left,
        right=left + slot * len(categories),
        top=top,
        bottom=bottom,
        ticks=[Tick(position=bottom - t * scale, value=t) for t in ticks],
        columns=columns,
        fills=fills,
        rotate_labels=rotate,
        description=_describe(categories, series, unit),
    )


def bar_chart(
    categories: list[str], series: list[Series], *, unit: str = "", label_chars: int = 38
) -> BarChart | None:
    """Horizontal stacked bars, one per category, its label on the left; None when all are 0."""
    categories = _words(categories)
    if (stacked := _stack_totals(categories, series)) is None:
        return None
    totals, ticks = stacked
    labels = [wrap(c, label_chars) for c in categories]
    label_width = min(max(len(line) for lines in labels for line in lines), label_chars) * CHAR_WIDTH
    left = 8 + label_width + 10
    plot_width = 380.0
    right = left + plot_width
    top = 8.0
    scale = plot_width / ticks[-1]
    fills = fills_for(series)
    bars = []
    y = top
    for index, category in enumerate(categories):
        bar_height = 22.0 if len(labels[index]) == 1 else 32.0
        bar = Bar(y=y + 4, height=bar_height, label_lines=labels[index], total=totals[index])
        x = left
        specs = []
        for fill, s in zip(fills, series, strict=True):
            value = s.values[index]
            if not value:
                continue
            width_px = value * scale
            specs.append(
                (
                    fill,
                    value,
                    {
                        "x": x,
                        "y": bar.y,
                        "width": width_px,
                        "height": bar_height,
                        "title": f"{category}, {fill.name}: {value}"
                        if len(series) > 1
                        else f"{category}: {value}",
                        "fits": width_px >= len(str(value)) * CHAR_WIDTH + 8,
                    },
                )
            )
            x += width_px
        bar.segments = _segments(specs)
        bar.total_x = x + 6
        bars.append(bar)
        y += bar_height + 10
    bottom = y + 2
    return BarChart(
        width=int(right + 60),
        height=int(bottom + 22),
        label_x=left - 10,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        ticks=[Tick(position=left + t * scale, value=t) for t in ticks],
        bars=bars,
        fills=fills,
        description=_describe(categories, series, unit),
    )
