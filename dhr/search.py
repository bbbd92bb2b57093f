"""What site search can find of the reviews: published reviews only.

Everything about a case is restricted until it is published, so only
published cases and their executive summaries are indexed at all, and only
with the fields the public review page shows (`PUBLIC_FIELDS`). At search
time `Case.objects.online()` and `PublishedDocument.objects.public()` drop
reviews not yet published (a future publication date) and reviews whose
documents are taken down, for every reader, the coordinator included: they
work on cases in the staff pages, not through search.
"""

from django.conf import settings
from django.db.models import QuerySet

from dhr.models import Case, PublishedDocument
from dhr.models.cases import PUBLIC_FIELDS
from kcsp.formatting import long_date
from kcsp.registry import SearchLink, SearchSource, SearchText, register_search_source
from kcsp.uploads import pdf_text
from kcsp.visibility import Audience

KIND = "reviews"


def _label() -> str:
    return settings.DHR_LABEL


def _case_rows() -> QuerySet[Case]:
    return Case.objects.filter(published_on__isnull=False).only(*PUBLIC_FIELDS)


def _case_text(row: Case) -> SearchText:
    return SearchText(
        title=row.public_name,
        text=f"{_label()}, {row.area}",
        date=row.published_on,
    )


def _case_link(row: Case) -> SearchLink:
    return SearchLink(
        title=f"{_label()}: {row.public_name}",
        url=row.get_absolute_url(),
        context=f"{row.area}, published {long_date(row.published_on)}",
    )


# What a case's public name, address and context line are made from.
CASE_LINK = ("pseudonym", "year", "slug", "area", "published_on")


def _visible_cases(audience: Audience) -> QuerySet[Case]:
    return Case.objects.online()


register_search_source(
    SearchSource(
        key="dhr.review",
        kind=KIND,
        kind_label=f"{settings.DHR_LABEL}s",
        model=Case,
        rows=_case_rows,
        text=_case_text,
        visible=_visible_cases,
        link_fields=CASE_LINK,
        link=_case_link,
    )
)


# Executive summaries ------------------------------------------------------------


def _summary_rows() -> QuerySet[PublishedDocument]:
    return PublishedDocument.objects.filter(
        kind=PublishedDocument.Kind.EXECUTIVE_SUMMARY,
        case__published_on__isnull=False,
    ).select_related("case")


def _summary_text(row: PublishedDocument) -> SearchText:
    text = ""
    if row.is_pdf and row.file:
        try:
            with row.file.open("rb") as stream:
                text = pdf_text(stream)
        except OSError:
            text = ""
    return SearchText(
        title=f"{row.case.public_name}: executive summary",
        text=text,
        date=row.case.published_on,
    )


def _summary_link(row: PublishedDocument) -> SearchLink:
    return SearchLink(
        title=f"{_label()}: {row.case.public_name}, executive summary",
        url=row.get_absolute_url(),
        context=f"{row.case.area}, published "
        f"{long_date(row.case.published_on)} ({row.kind_label})",
    )


register_search_source(
    SearchSource(
        key="dhr.summary",
        kind=KIND,
        kind_label=f"{settings.DHR_LABEL}s",
        model=PublishedDocument,
        rows=_summary_rows,
        text=_summary_text,
        visible=lambda audience: PublishedDocument.objects.public(),
        link_fields=(
            "filename",
            "file_kind",
            "case__id",
            *(f"case__{name}" for name in CASE_LINK),
        ),
        link=_summary_link,
        follows=((Case, "case"),),
    )
)
