"""How a measure is doing, and the geometry of its chart.

A measure is off target when its latest value is worse than its target, and
worsening when its latest value is worse than the one before, "worse" read
in the measure's direction (lower or higher is better). A measure monitored
with no better direction is never either.
"""

from dataclasses import dataclass
from decimal import Decimal

from kcsp.charts import after_figure, describe, format_number
from priorities.models import Measure, MeasureValue


@dataclass(frozen=True)
class ValueRow:
    value: MeasureValue
    off_target: bool


@dataclass
class MeasureStatus:
    measure: Measure
    values: list[MeasureValue]

    @property
    def latest(self) -> MeasureValue | None:
        return self.values[-1] if self.values else None

    @property
    def previous(self) -> MeasureValue | None:
        return self.values[-2] if len(self.values) > 1 else None

    @property
    def off_target(self) -> bool:
        latest = self.latest
        return latest is not None and self.measure.off_target(latest.value)

    @property
    def worsening(self) -> bool:
        latest, previous = self.latest, self.previous
        if latest is None or previous is None:
            return False
        return self.measure.is_better(previous.value, latest.value)

    @property
    def is_exception(self) -> bool:
        return self.off_target or self.worsening

    @property
    def summary(self) -> str:
        """'Off target and worsening', 'On target' ... in plain words."""
        if self.latest is None:
            return "No figures yet"
        words = []
        if self.measure.target is not None and self.measure.direction != "neither":
            words.append("Off target" if self.off_target else "On target")
        if self.previous is not None and self.measure.direction != "neither":
            if self.worsening:
                words.append("worsening")
            elif self.measure.is_better(self.latest.value, self.previous.value):
                words.append("improving")
            else:
                words.append("no better or worse")
        if not words:
            return "Monitored"
        text = ", ".join(words)
        return text[:1].upper() + text[1:]

    @property
    def rows(self) -> list[ValueRow]:
        return [ValueRow(v, self.measure.off_target(v.value)) for v in self.values]

    @property
    def chart(self) -> "MeasureChart | None":
        return measure_chart(self.measure, self.values)


@dataclass(frozen=True)
class VBar:
    label: str
    display: str
    x: float
    y: float
    width: float
    height: float
    off_target: bool

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True)
class Tick:
    y: float
    display: str


@dataclass(frozen=True)
class MeasureChart:
    title: str
    description: str
    width: int
    height: int
    left: int
    plot_bottom: float
    bars: list[VBar]
    ticks: list[Tick]
    target_y: float | None
    target_display: str

    @property
    def plot_right(self) -> int:
        return self.width - RIGHT


WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 110, 16, 44
MOST_BARS = 8


def _nice_ceiling(value: Decimal) -> Decimal:
    """A round number at or above `value` for the top of the scale."""
    if value <= 0:
        return Decimal(1)
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = Decimal(str(step)) * magnitude
        if top >= value:
            return top
    return value


def measure_chart(measure: Measure, values: list[MeasureValue]) -> MeasureChart | None:
    """Bars of the latest values (oldest first) and a dashed target line."""
    shown = values[-MOST_BARS:]
    if not shown:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    candidates = [v.value for v in shown]
    if measure.target is not None:
        candidates.append(measure.target)
    top = _nice_ceiling(max(candidates))

    def y_of(value: Decimal) -> float:
        return round(TOP + plot_h - float(value / top) * plot_h, 1)

    slot = plot_w / len(shown)
    bar_w = round(min(slot * 0.6, 60), 1)
    bars = [
        VBar(
            label=v.period_label,
            display=v.display,
            x=round(LEFT + i * slot + (slot - bar_w) / 2, 1),
            y=y_of(v.value),
            width=bar_w,
            height=round(TOP + plot_h - y_of(v.value), 1),
            off_target=measure.off_target(v.value),
        )
        for i, v in enumerate(shown)
    ]
    ticks = [Tick(y_of(top * k / 4), format_number(top * k / 4)) for k in range(5)]
    description = "Values by period: " + describe(
        ((v.period_label, v.display) for v in shown), measure.unit
    )
    if measure.target is not None:
        description += f" Target: {measure.target_display}{after_figure(measure.unit)}"
        if measure.target_label:
            description += f" ({measure.target_label})"
        description += "."
    description += f" {measure.get_direction_display()}."
    return MeasureChart(
        title=measure.name,
        description=description,
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        plot_bottom=TOP + plot_h,
        bars=bars,
        ticks=ticks,
        target_y=y_of(measure.target) if measure.target is not None else None,
        target_display=measure.target_display,
    )
