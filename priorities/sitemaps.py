"""Priority pages in sitemap.xml: one address per priority of a published
version (the page shows the current version; earlier ones are linked from
it). A priority only a draft version has is not listed."""

from typing import Any

from django.urls import reverse

from kcsp.registry import register_sitemap
from kcsp.sitemaps import NamedPagesSitemap, PortalSitemap
from priorities.models import Priority


class PrioritySitemap(PortalSitemap):
    by_partnership = True
    changefreq = "monthly"

    def items(self) -> Any:
        slugs = self.narrowed(Priority.objects.public()).values_list("slug", flat=True)
        return sorted(set(slugs))

    def location(self, item: str) -> str:
        return reverse("priorities:detail", args=[item])


class PriorityListSitemap(NamedPagesSitemap):
    by_partnership = True
    url_names = narrowed_names = ("priorities:list",)


register_sitemap("priority-list", PriorityListSitemap)
register_sitemap("priorities", PrioritySitemap)
