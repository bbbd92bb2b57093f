"""Published versions of the agreement in sitemap.xml (never a draft)."""

import datetime as dt
from typing import Any

from django.contrib.sitemaps import Sitemap

from agreement.models import Agreement
from kcsp.registry import register_sitemap


class AgreementSitemap(Sitemap):
    changefreq = "monthly"

    def items(self) -> Any:
        return Agreement.objects.public().order_by("pk")

    def lastmod(self, obj: Agreement) -> dt.datetime:
        return obj.updated_at


register_sitemap("agreement", AgreementSitemap)
