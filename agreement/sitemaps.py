"""Published versions of the agreement in sitemap.xml (never a draft)."""

from agreement.models import Agreement
from kcsp.registry import register_sitemap
from kcsp.sitemaps import PublicRowsSitemap


class AgreementSitemap(PublicRowsSitemap):
    model = Agreement


register_sitemap("agreement", AgreementSitemap)
