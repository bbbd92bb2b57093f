"""The host's retention policy for review documents: the daily job deletes
a review's documents, every version of their files, a set number of years
after they were taken down and the action plan completed, logs each, and
keeps the review on the register."""

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from dhr import services
from dhr.models import Case, PublishedDocument
from kcsp.models import RetentionDeletion
from kcsp.registry import daily_jobs
from tests.dhr import factories

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 25)


def _ended(pseudonym: str, takedown_on: dt.date | None, closed_on: dt.date) -> Case:
    case = factories.published_case(
        pseudonym=pseudonym, year=2015, published_on=dt.date(2015, 6, 1)
    )
    Case.objects.filter(pk=case.pk).update(takedown_on=takedown_on, closed_on=closed_on)
    case.refresh_from_db()
    return case


def test_documents_go_the_set_years_after_take_down_and_closing(settings) -> None:
    settings.DHR_DOCUMENT_RETENTION_YEARS = 6
    due_case = _ended("Hawthorn", dt.date(2017, 3, 1), dt.date(2020, 3, 24))
    first = factories.document(due_case)
    first_file = first.file.name
    replaced = factories.document(due_case)  # a new version of the same kind
    assert replaced.pk == first.pk and replaced.file.name != first_file
    report = factories.document(
        due_case, PublishedDocument.Kind.OVERVIEW_REPORT, "overview.pdf"
    )
    edge = factories.document(
        _ended("Rowan", dt.date(2017, 3, 1), dt.date(2020, 3, 25))
    )
    public = factories.document(_ended("Alder", None, dt.date(2010, 1, 4)))
    names = [first_file, replaced.file.name, report.file.name]
    assert all(default_storage.exists(n) for n in names)

    assert services.documents_expire(today=TODAY) == 2

    assert not any(default_storage.exists(n) for n in names)
    assert set(PublishedDocument.objects.values_list("pk", flat=True)) == {
        edge.pk,
        public.pk,
    }
    assert default_storage.exists(edge.file.name)
    assert Case.objects.filter(pk=due_case.pk).exists()
    entries = RetentionDeletion.objects.order_by("record_id")
    assert [e.record_id for e in entries] == sorted([first.pk, report.pk])
    assert {e.kept_until for e in entries} == {dt.date(2026, 3, 24)}
    assert "6 years" in entries[0].rule
    assert "Executive summary of" in entries[0].description
    # Again the same day: nothing more.
    assert services.documents_expire(today=TODAY) == 0


def test_nothing_is_deleted_until_the_host_sets_its_policy(settings) -> None:
    settings.DHR_DOCUMENT_RETENTION_YEARS = 0
    document = factories.document(
        _ended("Hazel", dt.date(2016, 6, 1), dt.date(2016, 6, 1))
    )
    call_command("daily", stdout=io.StringIO())
    assert PublishedDocument.objects.filter(pk=document.pk).exists()
    assert not RetentionDeletion.objects.exists()


def test_the_daily_job_applies_the_policy(settings) -> None:
    settings.DHR_DOCUMENT_RETENTION_YEARS = 3
    assert "retention: review documents (the host's policy)" in dict(daily_jobs())
    document = factories.document(
        _ended("Elder", dt.date(2016, 6, 1), dt.date(2016, 6, 1))
    )
    call_command("daily", stdout=io.StringIO())
    assert not PublishedDocument.objects.filter(pk=document.pk).exists()
    assert RetentionDeletion.objects.get().record_id == document.pk
