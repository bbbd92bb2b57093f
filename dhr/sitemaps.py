"""Published reviews in sitemap.xml: only those online (published and not
taken down), by their public fields only."""

import datetime as dt
from typing import Any

from dhr.models import Case
from dhr.models.cases import PUBLIC_FIELDS
from kcsp.registry import register_sitemap
from kcsp.sitemaps import NamedPagesSitemap, PortalSitemap


class ReviewListSitemap(NamedPagesSitemap):
    url_names = ("dhr:list",)


class ReviewSitemap(PortalSitemap):
    changefreq = "yearly"

    def items(self) -> Any:
        return Case.objects.online().only(*PUBLIC_FIELDS).order_by("pk")

    def lastmod(self, obj: Case) -> dt.date | None:
        return obj.published_on


register_sitemap("review-list", ReviewListSitemap)
register_sitemap("reviews", ReviewSitemap)
