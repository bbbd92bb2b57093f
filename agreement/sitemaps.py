"""Published versions of the agreement in sitemap.xml (never a draft), and
the district partnerships' strategic assessments the matrix is made from."""

from typing import Any

from agreement.models import Agreement, StrategicAssessment
from kcsp.registry import register_sitemap
from kcsp.sitemaps import PublicRowsSitemap


class AgreementSitemap(PublicRowsSitemap):
    model = Agreement


class AssessmentSitemap(PublicRowsSitemap):
    changefreq = "yearly"
    model = StrategicAssessment

    def items(self) -> Any:
        return super().items().select_related("partnership")


register_sitemap("agreement", AgreementSitemap)
register_sitemap("assessments", AssessmentSitemap)
