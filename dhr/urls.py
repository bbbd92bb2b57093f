"""Public review pages under /dhr/<pseudonym>-<year>/, the coordinator's
pages under /dhr/cases/, /dhr/learning/ and /dhr/funding/."""

from django.urls import path, register_converter

from dhr import staff_views, views


class ReviewSlugConverter:
    """'sylvie-2018': a published review's pseudonym and year."""

    regex = r"[-a-z0-9_]+-[0-9]{4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReviewSlugConverter, "review")

app_name = "dhr"

case = "dhr/cases/<int:pk>/"

urlpatterns = [
    path("dhr/", views.review_list, name="list"),
    path("dhr/cases/", staff_views.dashboard, name="dashboard"),
    path("dhr/learning/", staff_views.learning, name="learning"),
    path("dhr/funding/", staff_views.funding, name="funding"),
    path(case, staff_views.case_detail, name="case"),
    path(f"{case}action-plan.pdf", staff_views.case_pdf, name="case_pdf"),
    path(f"{case}publish/", staff_views.publish, name="publish"),
    path(f"{case}documents/add/", staff_views.document_add, name="document_add"),
    path(
        f"{case}documents/<int:document>/<str:filename>",
        staff_views.case_document,
        name="case_document",
    ),
    path(
        f"{case}recommendations/add/",
        staff_views.recommendation_add,
        name="recommendation_add",
    ),
    path(
        f"{case}recommendations/<int:number>/actions/add/",
        staff_views.action_add,
        name="action_add",
    ),
    path(
        f"{case}actions/<int:action>/sign-off/", staff_views.sign_off, name="sign_off"
    ),
    path("dhr/<review:slug>/", views.review_detail, name="review"),
    path("dhr/<review:slug>/action-plan.pdf", views.review_pdf, name="review_pdf"),
    path(
        "dhr/<review:slug>/documents/<int:pk>/<str:filename>",
        views.document_download,
        name="document",
    ),
]
