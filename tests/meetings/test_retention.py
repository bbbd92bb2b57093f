"""The retention schedule: the daily job deletes background papers four
years after their meeting, file and record, logs each, and touches nothing
else."""

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client

from kcsp.models import RetentionDeletion
from meetings.models import Document, Minutes, Redaction
from tests import factories
from tests.meetings.pdf_helpers import paper, text_pdf

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 25)


def _paper(meeting, title: str, kind: str = Document.Kind.BACKGROUND) -> Document:
    return factories.document(meeting, title=title, kind=kind)


def test_background_papers_go_after_four_years_and_nothing_else(
    client: Client,
) -> None:
    body = factories.body()
    old = factories.meeting(body, start="2022-03-24T10:00")  # 4 years and a day
    edge = factories.meeting(body, start="2022-03-25T10:00")  # 4 years today
    Minutes.objects.create(meeting=old, status=Minutes.Status.PUBLISHED_DRAFT)
    due = _paper(old, "Crime statistics 2021 (background)")
    kept_edge = _paper(edge, "Survey results (background)")
    report = _paper(old, "Community Safety Agreement refresh", Document.Kind.REPORT)
    file_name = due.file.name
    assert default_storage.exists(file_name)

    from meetings import services

    assert services.background_papers_expire(today=TODAY) == 1
    assert not Document.objects.filter(pk=due.pk).exists()
    assert not default_storage.exists(file_name)
    assert set(Document.objects.values_list("pk", flat=True)) == {
        kept_edge.pk,
        report.pk,
    }
    assert Minutes.objects.filter(meeting=old).exists()
    entry = RetentionDeletion.objects.get()
    assert entry.kind == "meetings.document" and entry.record_id == due.pk
    assert entry.kept_until == dt.date(2026, 3, 24)
    assert "Crime statistics 2021 (background)" in entry.description
    assert "s100D" in entry.rule
    # Running again the same day deletes nothing more.
    assert services.background_papers_expire(today=TODAY) == 0
    assert RetentionDeletion.objects.count() == 1
    with pytest.raises(ValueError, match="cannot be changed"):
        entry.save()


def test_a_redacted_background_paper_goes_with_its_unredacted_original(
    clerk,
) -> None:
    # The redaction keeps the paper as first uploaded, for administrators:
    # when the paper's time is up, that file must go too.
    from meetings import services

    old = factories.meeting(factories.body(), start="2021-06-10T10:00")
    due = paper(
        old,
        None,
        "Street lighting survey (background)",
        text_pdf("Complaint from Mrs Ada Quillfeather of Brook Lane"),
        name="survey.pdf",
        kind=Document.Kind.BACKGROUND,
    )
    redaction = services.redaction_apply(
        target=due, passage="Mrs Ada Quillfeather", reason="A resident", by=clerk
    )
    due.refresh_from_db()
    files = [due.file.name, redaction.original_file.name]
    assert files[0] != files[1] and all(default_storage.exists(n) for n in files)

    assert services.background_papers_expire(today=TODAY) == 1

    assert not any(default_storage.exists(name) for name in files)
    assert not Redaction.objects.exists()
    assert RetentionDeletion.objects.get().record_id == due.pk


def test_the_daily_command_runs_the_retention_job() -> None:
    body = factories.body()
    old = factories.meeting(body, start="2015-03-19T10:00")
    _paper(old, "Background note")
    out = io.StringIO()
    call_command("daily", stdout=out)
    assert "retention: background papers: 1" in out.getvalue()
    assert not Document.objects.exists()
