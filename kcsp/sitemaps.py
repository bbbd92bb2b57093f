"""The core's pages in sitemap.xml; each app adds its own from its sitemaps.py,
most of them as one of the two kinds of sitemap here."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kcsp.models import Partnership
from kcsp.registry import register_sitemap


class NamedPagesSitemap(Sitemap):
    """Pages whose address is their URL name alone: fixed pages and lists."""

    url_names: Sequence[str] = ()

    def items(self) -> list[str]:
        return list(self.url_names)

    def location(self, item: str) -> str:
        return reverse(item)


class PublicRowsSitemap(Sitemap):
    """The rows of `model` its own `public()` rule lets anyone read, each
    dated by its last change, so that nothing else decides what is listed."""

    changefreq = "monthly"
    model: type[Any]

    def items(self) -> Any:
        return self.model.objects.public().order_by("pk")

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


register_sitemap("pages", PagesSitemap)
register_sitemap("partnerships", PartnershipSitemap)
