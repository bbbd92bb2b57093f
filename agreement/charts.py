"""Geometry of the small server-drawn SVG bar charts.

Templates draw the SVG from these numbers (with presentation attributes,
since the Content Security Policy allows no inline styles); nothing here
writes markup. Every chart has a text description for screen readers and a
table beside it with the same figures.
"""

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


@dataclass(frozen=True)
class HBar:
    label: str
    value: int
    display: str
    y: float
    width: float
    strong: bool = False

    @property
    def text_y(self) -> float:
        return self.y + 17

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 8


@dataclass(frozen=True)
class HBarChart:
    title: str
    description: str
    bars: list[HBar]
    width: int
    height: int

    @property
    def axis_x(self) -> int:
        return LABEL_WIDTH

    @property
    def axis_bottom(self) -> float:
        return self.height - 4


LABEL_WIDTH = 230
BAR_AREA = 330
ROW = 32


def horizontal_bars(
    *, title: str, rows: list[tuple[str, int, bool]], unit: str = ""
) -> HBarChart:
    """A horizontal bar chart of (label, count, emphasised) rows."""
    biggest = max((count for _, count, _ in rows), default=0) or 1
    bars = [
        HBar(
            label=label,
            value=count,
            display=format_number(count),
            y=8 + i * ROW,
            width=round(BAR_AREA * count / biggest, 1),
            strong=strong,
        )
        for i, (label, count, strong) in enumerate(rows)
    ]
    suffix = f" {unit}" if unit else ""
    description = "; ".join(f"{b.label}: {b.display}{suffix}" for b in bars) + "."
    return HBarChart(
        title=title,
        description=description,
        bars=bars,
        width=LABEL_WIDTH + BAR_AREA + 50,
        height=16 + len(bars) * ROW,
    )
