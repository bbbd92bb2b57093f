from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agreement.models import Agreement
from agreement.selectors import agreement_changes, assessment_matrix
from kcsp.visibility import Audience
from priorities.models import PriorityLead
from tests.helpers import text

pytestmark = pytest.mark.django_db


class _Sink:
    def write(self, msg: Any = "", *args: Any, **kw: Any) -> None:
        pass

    def flush(self) -> None:
        pass


def _rows() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for app in ("agreement", "priorities")
        for m in apps.get_app_config(app).get_models()
    }


@pytest.fixture
def demo() -> None:
    call_command("load_demo", no_accounts=True, stdout=_Sink())


def test_loading_twice_gives_the_same_rows(demo) -> None:
    first = _rows()
    values = list(
        Agreement.objects.order_by("slug").values_list("slug", "status", "approved_on")
    )
    call_command("load_demo", no_accounts=True, stdout=_Sink())
    assert _rows() == first
    assert (
        list(
            Agreement.objects.order_by("slug").values_list(
                "slug", "status", "approved_on"
            )
        )
        == values
    )


def test_the_2011_14_agreement_from_the_seed(demo) -> None:
    first = Agreement.objects.get(slug="2011-14")
    assert str(first) == "Kent Community Safety Agreement, April 2011 to March 2014"
    assert first.status == Agreement.Status.SUPERSEDED
    assert str(first.approved_on) == "2011-05-20"
    assert list(first.priorities.values_list("name", flat=True)) == [
        "Anti-social behaviour including environmental",
        "Domestic Abuse",
        "Substance Misuse",
        "Acquisitive crime (i.e. thefts/shoplifting)",
        "Violent Crime",
        "Road Safety",
    ]
    assert first.themes.count() == 5
    tbc = PriorityLead.objects.get(priority__agreement=first, is_tbc=True)
    assert tbc.priority.slug == "anti-social-behaviour"
    leads = {
        lead.priority.slug: lead.display
        for lead in PriorityLead.objects.filter(priority__agreement=first)
    }
    assert leads["substance-misuse"] == (
        "Head of Kent Drug and Alcohol Action Team (KDAAT)"
    )
    assert leads["violent-crime"] == (
        "Head of Partnership and Communities Command, Kent Police"
    )
    assert first.strategies.count() == 36
    assert [s.label for s in first.signatories.select_related("organisation")][-1] == (
        "Local District/Borough Community Safety Partnerships"
    )
    assert first.contact_email == "communitysafetyunit@kent.gov.uk"
    context = first.priorities.get(slug="road-safety").description
    assert "all-time low of 545" in context


def test_refreshes_reflect_the_minutes(demo) -> None:
    names = {
        a.slug: set(a.priorities.values_list("name", flat=True))
        for a in Agreement.objects.all()
    }
    assert "Child Sexual Exploitation" in names["2015-16"]
    assert "Child Sexual Exploitation" not in names["2011-14"]
    assert "Preventing Extremism and Hate" in names["2018-19"]
    assert "Preventing Extremism and Hate" not in names["2015-16"]
    current = Agreement.objects.current().get()
    assert current.slug == "2022-23"
    assert current.approved_at_meeting.date.isoformat() == "2022-03-24"
    themes = set(current.themes.values_list("name", flat=True))
    assert "Response and Recovery from Significant events" in themes
    report = agreement_changes(agreement=current, audience=Audience.PUBLIC)
    changes = {g.title: g.changes for g in report.groups}
    assert [c.after for c in changes["Cross-cutting themes"]] == [
        ("Response and Recovery from Significant events",)
    ]
    assert [c.after for c in changes["Priorities"]] == [
        ("Domestic Abuse, including Violence Against Women and Girls",)
    ]
    assert Agreement.objects.get(slug="2023-24").is_draft


def test_demo_pages_answer(demo, client: Client) -> None:
    for url in [
        reverse("agreement:current"),
        reverse("agreement:detail", args=["2011-14"]),
        reverse("agreement:changes", args=["2022-23"]),
        reverse("priorities:list"),
        reverse("priorities:detail", args=["domestic-abuse"]),
        reverse("priorities:detail", args=["child-sexual-exploitation"]),
    ]:
        assert client.get(url).status_code == 200, url
    body = text(client.get(reverse("priorities:detail", args=["domestic-abuse"])))
    assert "Consider the funding arrangements for Domestic Homicide Reviews" not in body
    assert "Kent Community Safety Agreement Review and Refresh" in body
    assert client.get(reverse("agreement:detail", args=["2023-24"])).status_code == 404


# The 2011-14 agreement's Appendix A as published (seed 001): each priority
# and the number of the 11 local partnerships selecting it, in its order.
APPENDIX_A = [
    ("ASB/Environmental", 11),
    ("Domestic Abuse", 11),
    ("Substance Misuse", 8),
    ("Theft", 6),
    ("Violence (other than DA)", 6),
    ("Burglary", 4),
    ("Criminal Damage", 4),
    ("Young People", 4),
    ("Offenders/Re-offending", 4),
    ("Vehicle Related", 3),
    ("Public Perceptions", 2),
    ("Vulnerable Adults", 1),
]
COMMON = {
    "ASB/Environmental",
    "Domestic Abuse",
    "Substance Misuse",
    "Theft",
    "Violence (other than DA)",
}


def test_the_2011_matrix_computed_from_district_records_is_appendix_a(
    demo, client: Client
) -> None:
    first = Agreement.objects.get(slug="2011-14")
    m = assessment_matrix(
        round_=first.assessment_rounds.get(), audience=Audience.PUBLIC
    )
    assert [(r.issue.name, r.count) for r in m.rows] == APPENDIX_A
    assert {r.issue.name for r in m.rows if r.issue.highlighted} == COMMON
    assert len(m.columns) == 11 and m.missing == []
    assert {c.assessment.year for c in m.assessed} == {2010}
    body = text(client.get(first.get_absolute_url()))
    assert "11 of 11 partnerships' assessments recorded" in body
    assert "Vulnerable Adults: 1 of 11 assessed." in body
    assert "No assessment for" not in body


ABOLISHED = ("Police Authority", "Primary Care Trust", "Kent Probation", "PCT")


def test_each_later_version_has_the_words_of_its_own_year(demo, client: Client) -> None:
    """A refresh starts from the words of the version before; each demo
    version is then written for its year: the 2022/23 foreword speaks of
    2022/23 and its partners are those of 2022, not the bodies abolished
    since 2011."""
    forewords = {
        a.slug: a.sections.get(kind="foreword")
        for a in Agreement.objects.exclude(slug="2011-14")
    }
    assert set(forewords) == {"2015-16", "2018-19", "2021-22", "2022-23", "2023-24"}
    for slug, foreword in forewords.items():
        assert "2011/14" not in foreword.body, slug
        assert slug.replace("-", "/") in foreword.body, slug
        assert "Mike Hill" not in foreword.signature, slug
    current = Agreement.objects.get(slug="2022-23")
    words = "\n".join(
        f"{s.heading}\n{s.body}\n{s.signature}" for s in current.sections.all()
    )
    words += "\n".join(
        s.label for s in current.signatories.select_related("organisation")
    )
    for abolished in ABOLISHED:
        assert abolished not in words, abolished
    assert "2011-12" not in words and "Big Society" not in words
    assert "Violence Against Women and Girls" in forewords["2022-23"].body
    assert "Child Sexual Exploitation" in forewords["2015-16"].body
    assert "Preventing Extremism and Hate" in forewords["2018-19"].body
    assert "COVID-19" in forewords["2021-22"].body
    # The first version keeps the words it was agreed with.
    first = Agreement.objects.get(slug="2011-14").sections.get(kind="foreword")
    assert "for 2011/14" in first.body
    page = text(client.get(reverse("agreement:detail", args=["2022-23"])))
    assert "2022/23 refresh of the Kent Community Safety Agreement" in page
    assert "for 2011/14" not in page and "Kent Police Authority" not in page
    # What is carried from 2011-14 unrevised says so where it is shown.
    for kind in ("strategies", "context"):
        assert "Sample text" in current.sections.get(kind=kind).body, kind
    assert "Sample text: in this demonstration the list below" in page
