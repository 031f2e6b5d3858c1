"""The safety scale across meetings, laid out for a server-rendered SVG.

Pure geometry: no database, no HTML. Every person gets a marker shape of their own, a dash
pattern of their own and their name written beside their line, so the chart reads the same in
black and white, in forced colours and on paper.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import RaterKind

# Unit-sized outlines (centred on 0,0) scaled per point: distinct silhouettes, not colours.
SHAPES = (
    ("circle", "M -1 0 A 1 1 0 1 0 1 0 A 1 1 0 1 0 -1 0 Z"),
    ("square", "M -0.9 -0.9 H 0.9 V 0.9 H -0.9 Z"),
    ("triangle", "M 0 -1.1 L 1 0.8 L -1 0.8 Z"),
    ("diamond", "M 0 -1.2 L 1.2 0 L 0 1.2 L -1.2 0 Z"),
    ("cross", "M -0.35 -1 H 0.35 V -0.35 H 1 V 0.35 H 0.35 V 1 H -0.35 V 0.35 H -1 V -0.35 H -0.35 Z"),
    (
        "star",
        "M 0 -1.1 L 0.3 -0.35 L 1.05 -0.35 L 0.45 0.15 L 0.65 0.95 L 0 0.45 L -0.65 0.95 L -0.45 0.15 L -1.05 -0.35 L -0.3 -0.35 Z",
    ),
    ("triangle-down", "M 0 1.1 L 1 -0.8 L -1 -0.8 Z"),
    ("hexagon", "M -1 0 L -0.5 -0.9 L 0.5 -0.9 L 1 0 L 0.5 0.9 L -0.5 0.9 Z"),
)
# What the legend calls each shape.
SHAPE_LABELS = {
    "circle": _("circle"),
    "square": _("square"),
    "triangle": _("triangle"),
    "diamond": _("diamond"),
    "cross": _("cross"),
    "star": _("star"),
    "triangle-down": _("triangle pointing down"),
    "hexagon": _("hexagon"),
}
# GOV.UK palette colours, each dark enough for 3:1 against white.
COLOURS = ("#1d70b8", "#ca3535", "#0f7a52", "#54319f", "#b58840", "#0b0c0c", "#d53880", "#28a197")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "12 4", "3 6", "10 2 2 2 2 2", "1 2")

WIDTH = 720
TOP, BOTTOM, LEFT = 20, 50, 44
ROW_HEIGHT = 26  # per scale point
LABEL_GAP = 15  # minimum vertical space between two end-of-line names
LABEL_WIDTH = 190
KIND_LABELS = dict(RaterKind.choices)
SIDE_STEP = 14  # how far apart markers sit when people give the same number at the same meeting


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    rating: int
    meeting_on: dt.date
    label: str  # what a screen reader and a hover say about the point


@dataclass
class Series:
    name: str
    kind: str
    shape: str
    path: str  # the marker outline, unit-sized
    colour: str
    dash: str
    points: list[Point] = field(default_factory=list)
    label_y: float = 0.0

    @property
    def shape_label(self) -> str:
        return str(SHAPE_LABELS[self.shape])

    def get_kind_display(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def line(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)

    @property
    def last(self) -> Point:
        return self.points[-1]


@dataclass(frozen=True)
class Column:
    x: float
    meeting_on: dt.date
    title: str


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    columns: list[Column]
    series: list[Series]
    ticks: list[Tick]
    label_x: float


@dataclass(frozen=True)
class Rating:
    """One placed rating, as the chart needs it."""

    meeting_id: int
    meeting_on: dt.date
    meeting_name: str
    name: str
    kind: str
    rating: int


def _spread(wanted: list[float], low: float, high: float) -> list[float]:
    """Nudge sorted label positions apart so no two names overlap, staying within [low, high]."""
    placed: list[float] = []
    for y in wanted:
        placed.append(max(y, placed[-1] + LABEL_GAP) if placed else max(y, low))
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - LABEL_GAP)
    return placed


def safety_chart(meetings: Iterable[tuple[int, dt.date, str]], ratings: Iterable[Rating]) -> Chart | None:
    """Lay out everyone's ratings across the meetings (oldest first); None when nothing is rated."""
    meetings = list(meetings)
    ratings = list(ratings)
    if not ratings:
        return None
    height = TOP + ROW_HEIGHT * 10 + BOTTOM
    plot_bottom = TOP + ROW_HEIGHT * 10
    # One meeting is a single scale: keep it narrow so each name sits close to its marker.
    width = LEFT + 140 + LABEL_WIDTH if len(meetings) == 1 else WIDTH
    right = width - LABEL_WIDTH
    span = right - LEFT
    x_of = {}
    columns = []
    for index, (meeting_id, meeting_on, name) in enumerate(meetings):
        # A single meeting sits near the axis so its names stay close to their markers.
        x = LEFT + 60 if len(meetings) == 1 else LEFT + 20 + index * (span - 40) / (len(meetings) - 1)
        x_of[meeting_id] = x
        columns.append(Column(x=x, meeting_on=meeting_on, title=name))

    def y_of(value: int) -> float:
        return plot_bottom - value * ROW_HEIGHT

    by_name: dict[str, Series] = {}
    # People who gave the same number at the same meeting stand side by side, not on top of each other.
    same_place: dict[tuple[int, int], list[str]] = {}
    for rating in ratings:
        same_place.setdefault((rating.meeting_id, rating.rating), []).append(rating.name.strip().casefold())

    def x_for(rating: Rating, key: str) -> float:
        group = same_place[(rating.meeting_id, rating.rating)]
        return x_of[rating.meeting_id] + (group.index(key) - (len(group) - 1) / 2) * SIDE_STEP

    for rating in sorted(ratings, key=lambda r: (r.meeting_on, r.meeting_id)):
        key = rating.name.strip().casefold()
        series = by_name.get(key)
        if series is None:
            index = len(by_name)
            shape, path = SHAPES[index % len(SHAPES)]
            series = Series(
                name=rating.name,
                kind=rating.kind,
                shape=shape,
                path=path,
                colour=COLOURS[index % len(COLOURS)],
                dash=DASHES[index % len(DASHES)],
            )
            by_name[key] = series
        series.points.append(
            Point(
                x=x_for(rating, key),
                y=y_of(rating.rating),
                rating=rating.rating,
                meeting_on=rating.meeting_on,
                label=gettext("%(name)s: %(rating)s out of 10 at %(meeting)s on %(meeting_on)s")
                % {
                    "name": rating.name,
                    "rating": rating.rating,
                    "meeting": rating.meeting_name,
                    "meeting_on": f"{rating.meeting_on:%-d %B %Y}",
                },
            )
        )
    series_list = list(by_name.values())
    ordered = sorted(series_list, key=lambda s: (s.last.y, s.name))
    for series, y in zip(ordered, _spread([s.last.y for s in ordered], TOP, plot_bottom), strict=True):
        series.label_y = y
    return Chart(
        width=width,
        height=height,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=plot_bottom,
        columns=columns,
        series=series_list,
        ticks=[Tick(y=y_of(v), value=v) for v in range(11)],
        label_x=right + 14,
    )
