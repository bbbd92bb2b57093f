"""The core's pages in sitemap.xml; each app adds its own from its sitemaps.py."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kcsp.registry import register_sitemap


class PagesSitemap(Sitemap):
    """Pages that are always public: home, accessibility and privacy."""

    changefreq = "weekly"

    def items(self) -> list[str]:
        return ["kcsp:home", "kcsp:accessibility", "kcsp:privacy"]

    def location(self, item: str) -> str:
        return reverse(item)


register_sitemap("pages", PagesSitemap)
