"""Who read restricted review data, when, and through which page.

Every coordinator page, PDF, document download and back-office view that
shows a case writes one row. Rows are never changed or deleted through the
portal; administrators read them in the back office.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from dhr.models.cases import Case
from kcsp.models import WrittenOnceModel, optional_link


class AccessLog(WrittenOnceModel):
    changed_message = "An access log entry cannot be changed."

    class What(models.TextChoices):
        CASE_PAGE = "case_page", "Case page"
        CASE_PDF = "case_pdf", "Action plan PDF for the board"
        DOCUMENT = "document", "Document download"
        CASE_FORM = "case_form", "Form on a case"
        DASHBOARD = "dashboard", "Coordinator dashboard"
        LEARNING = "learning", "Learning across reviews"
        FUNDING = "funding", "Funding and costs"
        ADMIN_LIST = "admin_list", "Back office list"
        ADMIN_CHANGE = "admin_change", "Back office change view"
        ADMIN_HISTORY = "admin_history", "Back office history"

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Copies, so the log still says who and which case after either is deleted.
    username = models.CharField(max_length=150)
    case = optional_link(Case, related_name="+")
    case_reference = models.CharField(max_length=40, blank=True)
    what = models.CharField(max_length=20, choices=What)
    path = models.CharField(max_length=500)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.username}, {self.get_what_display()}, {self.at:%Y-%m-%d %H:%M}"
