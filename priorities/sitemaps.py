"""Priority pages in sitemap.xml: one address per priority of a published
version (the page shows the current version; earlier ones are linked from
it). A priority only a draft version has is not listed."""

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from kcsp.registry import register_sitemap
from kcsp.sitemaps import NamedPagesSitemap
from priorities.models import Priority


class PrioritySitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> Any:
        slugs = Priority.objects.public().values_list("slug", flat=True)
        return sorted(set(slugs))

    def location(self, item: str) -> str:
        return reverse("priorities:detail", args=[item])


class PriorityListSitemap(NamedPagesSitemap):
    url_names = ("priorities:list",)


register_sitemap("priority-list", PriorityListSitemap)
register_sitemap("priorities", PrioritySitemap)
