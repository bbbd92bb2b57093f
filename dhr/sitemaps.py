"""Published reviews in sitemap.xml: only those online (published and not
taken down), by their public fields only."""

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from dhr.models import Case
from dhr.models.cases import PUBLIC_FIELDS
from kcsp.registry import register_sitemap


class ReviewListSitemap(Sitemap):
    def items(self) -> list[str]:
        return ["dhr:list"]

    def location(self, item: str) -> str:
        return reverse(item)


class ReviewSitemap(Sitemap):
    changefreq = "yearly"

    def items(self) -> Any:
        return Case.objects.online().only(*PUBLIC_FIELDS).order_by("pk")

    def lastmod(self, obj: Case) -> dt.date | None:
        return obj.published_on


register_sitemap("review-list", ReviewListSitemap)
register_sitemap("reviews", ReviewSitemap)
