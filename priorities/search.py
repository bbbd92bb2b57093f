"""What site search can find in the agreement: its priorities.

A priority of a draft version is indexed like any other but found only by
those who may read the draft (staff): `Priority.objects.for_audience` lets
the public see priorities of approved and superseded versions only.
"""

from django.db.models import QuerySet

from agreement.models import Agreement
from kcsp.registry import SearchLink, SearchSource, SearchText, register_search_source
from kcsp.richtext import light_to_plain
from priorities.models import Priority


def _rows() -> QuerySet[Priority]:
    return Priority.objects.select_related("agreement")


def _text(row: Priority) -> SearchText:
    agreement = row.agreement
    names = [row.name] + ([row.short_name] if row.short_name else [])
    return SearchText(
        title=row.name,
        text="\n".join([*names[1:], light_to_plain(row.description)]),
        date=agreement.approved_on or agreement.period_start,
    )


def _context(agreement: Agreement) -> str:
    if agreement.is_draft:
        return f"{agreement.period} (draft, not published)"
    if agreement.is_current:
        return f"{agreement.title}, {agreement.period}"
    return f"{agreement.title}, {agreement.period} (superseded)"


def _link(row: Priority) -> SearchLink:
    return SearchLink(
        title=f"Priority: {row.name}",
        url=row.get_absolute_url(),
        context=_context(row.agreement),
    )


register_search_source(
    SearchSource(
        key="priorities.priority",
        kind="priorities",
        kind_label="Agreement priorities",
        model=Priority,
        rows=_rows,
        text=_text,
        link_fields=(
            "name",
            "slug",
            "agreement__status",
            "agreement__title",
            "agreement__slug",
            "agreement__period_start",
            "agreement__period_end",
        ),
        link=_link,
        body_path="agreement__responsible_body__slug",
        follows=((Agreement, "agreement"),),
    )
)
