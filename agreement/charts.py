"""The chart of a strategic assessment matrix: how many partnerships name
each priority, common issues drawn darker. Its geometry is the core's
(`kcsp.charts`); the sizes are the matrix's own."""

from kcsp.charts import BarChart, BarRows

MATRIX_ROWS = BarRows(left=230, length=330, right=50, top=8, step=32, bottom=8)


def horizontal_bars(
    *, title: str, rows: list[tuple[str, int, bool]], unit: str = ""
) -> BarChart:
    """A horizontal bar chart of (label, count, emphasised) rows, an
    emphasised one drawn darker with its label in bold."""
    return MATRIX_ROWS.chart(
        [(label, count, "strong" if strong else "") for label, count, strong in rows],
        title=title,
        unit=unit,
    )
