"""Published versions of the agreement in sitemap.xml (never a draft), and
the district partnerships' strategic assessments the matrix is made from."""

from agreement.models import Agreement, StrategicAssessment
from kcsp.registry import register_sitemap
from kcsp.sitemaps import PublicRowsSitemap


class AgreementSitemap(PublicRowsSitemap):
    model = Agreement


class AssessmentSitemap(PublicRowsSitemap):
    changefreq = "yearly"
    model = StrategicAssessment
    related = ("partnership",)


register_sitemap("agreement", AgreementSitemap)
register_sitemap("assessments", AssessmentSitemap)
