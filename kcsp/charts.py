"""Geometry of the small server-drawn SVG bar charts.

Templates draw the SVG from these numbers (with presentation attributes,
since the Content Security Policy allows no inline styles); nothing here
writes markup. Every chart has a text description for screen readers and a
table beside it with the same figures.

Each chart keeps its own sizes, colours and patterns; what they share is
here: figures written alike, the figures in words, and horizontal bars
scaled to the biggest value and laid out a row at a fixed step.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


def format_number(value: Decimal | int | float | None) -> str:
    """'21,545', '12.5', '0.25': thousands separated, no trailing zeros."""
    if value is None:
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number:,.2f}".rstrip("0").rstrip(".")


def after_figure(unit: str) -> str:
    """A unit as it follows a figure: a per cent sign closes up ('12.5%'),
    any other after a space ('3 of 12 assessed'); no unit, nothing."""
    return f" {unit}" if unit and unit != "%" else unit


def describe(figures: Iterable[tuple[str, str]], unit: str = "") -> str:
    """A chart's (label, figure) pairs in words for screen readers:
    'Burglary: 3 of 12 assessed; Robbery: 2 of 12 assessed.'"""
    suffix = after_figure(unit)
    return "; ".join(f"{label}: {figure}{suffix}" for label, figure in figures) + "."


# The space between the end of a bar and its figure.
VALUE_GAP = 8


@dataclass(frozen=True)
class Bar:
    """One row of a horizontal bar chart: the bar starts at `x` and is
    `width` long, its top at `y`. `style` is the chart's own name for how
    the bar is drawn (a pattern, an emphasis)."""

    label: str
    value: int
    x: int
    y: int
    width: float
    style: str = ""

    @property
    def display(self) -> str:
        return format_number(self.value)

    @property
    def value_x(self) -> float:
        """Where the figure is written: just past the end of the bar."""
        return self.x + self.width + VALUE_GAP


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    left: int
    width: int
    height: int
    title: str = ""
    unit: str = ""

    @property
    def description(self) -> str:
        return describe(((bar.label, bar.display) for bar in self.bars), self.unit)


@dataclass(frozen=True)
class BarRows:
    """How a horizontal bar chart is laid out, a row a bar. The labels take
    the `left` of the chart; the biggest value's bar is `length` long and
    the others in proportion, with `right` to spare after it for the
    figure. The first row is `top` down, each next one `step` below it,
    with `bottom` to spare under the last."""

    left: int
    length: int
    right: int
    top: int
    step: int
    bottom: int = 0

    def chart(
        self, rows: Sequence[tuple[str, int, str]], *, title: str = "", unit: str = ""
    ) -> BarChart:
        """The chart of (label, value, style) rows, in their order."""
        biggest = max((value for _, value, _ in rows), default=0) or 1
        bars = [
            Bar(
                label=label,
                value=value,
                x=self.left,
                y=self.top + i * self.step,
                width=round(self.length * value / biggest, 1),
                style=style,
            )
            for i, (label, value, style) in enumerate(rows)
        ]
        return BarChart(
            bars=bars,
            left=self.left,
            width=self.left + self.length + self.right,
            height=self.top + len(bars) * self.step + self.bottom,
            title=title,
            unit=unit,
        )
