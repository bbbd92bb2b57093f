"""The core's pages in sitemap.xml; each app adds its own from its sitemaps.py,
most of them as one of the two kinds of sitemap here.

/sitemap.xml lists every public page; /partnerships/<slug>/sitemap.xml lists
one partnership's own: the sitemaps that say `by_partnership`, narrowed to
it (rows by their queryset's `partnership_path`, lists by
`?partnership=<slug>`). Pages no partnership owns are in the first only.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from kcsp.models import Partnership
from kcsp.registry import register_sitemap, sitemaps


class PortalSitemap(Sitemap):
    """A sitemap of the whole portal, or of one `partnership`'s pages when
    it is given and the sitemap says `by_partnership`."""

    by_partnership = False

    def __init__(self, partnership: Partnership | None = None) -> None:
        self.partnership = partnership

    def narrowed(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        """`rows`, of the partnership only when there is one."""
        if self.partnership is None:
            return rows
        path = rows.partnership_path  # type: ignore[attr-defined]
        return rows.filter(**{path: self.partnership.pk})


class NamedPagesSitemap(PortalSitemap):
    """Pages whose address is their URL name alone: fixed pages and lists.
    A partnership's sitemap lists those of `narrowed_names`, lists that take
    `?partnership=<slug>`."""

    url_names: Sequence[str] = ()
    narrowed_names: Sequence[str] = ()

    def items(self) -> list[str]:
        if self.partnership is None:
            return list(self.url_names)
        return list(self.narrowed_names)

    def location(self, item: str) -> str:
        if self.partnership is None:
            return reverse(item)
        return f"{reverse(item)}?{urlencode({'partnership': self.partnership.slug})}"


class PublicRowsSitemap(PortalSitemap):
    """The rows of `model` its own `public()` rule lets anyone read, each
    dated by its last change, so that nothing else decides what is listed.
    `related` names the rows each one's address is made from, read with it."""

    by_partnership = True
    changefreq = "monthly"
    model: type[Any]
    related: Sequence[str] = ()

    def items(self) -> Any:
        rows = self.narrowed(self.model.objects.public()).order_by("pk")
        return rows.select_related(*self.related) if self.related else rows

    def lastmod(self, obj: Any) -> dt.datetime:
        return obj.updated_at


class PagesSitemap(NamedPagesSitemap):
    """Pages that are always public: home, accessibility and privacy."""

    changefreq = "weekly"
    url_names = (
        "kcsp:home",
        "kcsp:accessibility",
        "kcsp:privacy",
        "kcsp:partnerships",
    )


class PartnershipSitemap(PublicRowsSitemap):
    """Every partnership's page."""

    model = Partnership


def portal_sitemaps(
    partnership: Partnership | None = None,
) -> dict[str, type[Sitemap] | Sitemap]:
    """Every registered sitemap, or those of one partnership's pages."""
    found: dict[str, type[Sitemap] | Sitemap] = {
        name: sitemap(partnership)
        for name, sitemap in sitemaps().items()
        if partnership is None or sitemap.by_partnership
    }
    return found


register_sitemap("pages", PagesSitemap)
register_sitemap("partnerships", PartnershipSitemap)
