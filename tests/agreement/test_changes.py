import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from agreement import services
from agreement.changes import Change, ChangeKind, Named, lineage_changes
from agreement.selectors import agreement_changes
from kcsp.visibility import Audience
from priorities import services as priority_services
from tests.agreement import factories as csa
from tests.helpers import text

pytestmark = pytest.mark.django_db


def _refreshed_2022() -> tuple[object, object]:
    """2021/22 with a VAWG concern and a COVID theme; its 2022/23 refresh
    places VAWG within domestic abuse, renames the theme, adds a priority and
    renames another."""
    first = csa.agreement(slug="2021-22", start="2021-04-01", end="2022-03-31")
    csa.with_priorities(
        first,
        [
            "Domestic Abuse",
            "Violence Against Women and Girls",
            "Anti-social behaviour",
            "Road Safety",
        ],
    )
    priority_services.theme_add(
        agreement=first, name="Response and Recovery from the COVID-19 pandemic"
    )
    draft = services.agreement_refresh(
        agreement=first,
        slug="2022-23",
        period_start=dt.date(2022, 4, 1),
        period_end=dt.date(2023, 3, 31),
    )
    priorities = {p.name: p for p in draft.priorities.all()}
    priority_services.priority_merge(
        keep=priorities["Domestic Abuse"],
        absorb=priorities["Violence Against Women and Girls"],
    )
    priority_services.priority_update(
        priority=priorities["Domestic Abuse"],
        name="Domestic Abuse and Violence Against Women and Girls",
    )
    priority_services.priority_update(
        priority=priorities["Anti-social behaviour"],
        name="Anti-social behaviour and neighbourhood crime",
    )
    priority_services.priority_add(
        agreement=draft, name="Preventing Extremism and Hate"
    )
    theme = draft.themes.get(name__startswith="Response and Recovery")
    priority_services.theme_update(
        theme=theme, name="Response and Recovery from Significant events"
    )
    road = priority_services.priority_update(
        priority=priorities["Road Safety"],
        description="Kent's Vision Zero strategy aims to end road deaths.",
    )
    priority_services.lead_set(priority=road, label="Director Community Safety, KFRS")
    services.change_note_record(
        agreement=draft,
        text="VAWG is placed within the domestic abuse priority (minute 52).",
    )
    return first, draft


def _by_title(report: object) -> dict[str, object]:
    return {g.title: g for g in report.groups}


def test_changes_report_added_renamed_and_merged_priorities() -> None:
    first, draft = _refreshed_2022()
    report = agreement_changes(agreement=draft, audience=Audience.CLERK)
    assert report.earlier == first
    changes = _by_title(report)["Priorities"].changes
    assert (
        Change(
            ChangeKind.MERGED,
            before=("Domestic Abuse", "Violence Against Women and Girls"),
            after=("Domestic Abuse and Violence Against Women and Girls",),
        )
        in changes
    )
    assert (
        Change(
            ChangeKind.RENAMED,
            before=("Anti-social behaviour",),
            after=("Anti-social behaviour and neighbourhood crime",),
        )
        in changes
    )
    assert Change(ChangeKind.ADDED, after=("Preventing Extremism and Hate",)) in changes
    # Exactly those three: Road Safety carried on unchanged in name.
    assert len(changes) == 3
    themes = _by_title(report)["Cross-cutting themes"].changes
    assert themes == [
        Change(
            ChangeKind.RENAMED,
            before=("Response and Recovery from the COVID-19 pandemic",),
            after=("Response and Recovery from Significant events",),
        )
    ]


def test_changes_report_leads_and_text() -> None:
    _first, draft = _refreshed_2022()
    groups = _by_title(agreement_changes(agreement=draft, audience=Audience.CLERK))
    assert (
        Change(
            ChangeKind.CHANGED,
            before=("Head of Partnership and Communities Command (Road Safety)",),
            after=("Director Community Safety, KFRS",),
            subject="Road Safety",
        )
        in groups["Priority leads"].changes
    )
    [context] = groups["Priorities"].texts
    assert context.label == "Road Safety: current context"
    assert [s.op for s in context.lines[0].segments] == ["added"]


def test_changes_page_reads_as_sentences(client: Client, clerk) -> None:
    _first, draft = _refreshed_2022()
    client.force_login(clerk)
    body = text(client.get(reverse("agreement:changes", args=[draft.slug])))
    assert "What changed in the version for April 2022 to March 2023" in body
    assert (
        "“Domestic Abuse” and “Violence Against Women and Girls” are now one "
        "priority: “Domestic Abuse and Violence Against Women and Girls”"
    ) in body
    assert (
        "“Anti-social behaviour” is now “Anti-social behaviour and neighbourhood crime”"
        in body
    )
    assert "Added</span> “Preventing Extremism and Hate”" in body
    assert "VAWG is placed within the domestic abuse priority (minute 52)." in body
    assert (
        '<ins><span class="visually-hidden">[added: </span>Kent&#x27;s Vision Zero'
        in body
    )


def test_changes_page_escapes_the_text_it_compares(client: Client, clerk) -> None:
    first = csa.agreement(slug="2021-22", start="2021-04-01", end="2022-03-31")
    priority_services.priority_add(
        agreement=first, name="Road Safety", description="Speed & safety cameras."
    )
    draft = services.agreement_refresh(
        agreement=first,
        slug="2022-23",
        period_start=dt.date(2022, 4, 1),
        period_end=dt.date(2023, 3, 31),
    )
    priority_services.priority_update(
        priority=draft.priorities.get(),
        description='Speed & <script>alert("x")</script> cameras.',
    )
    client.force_login(clerk)
    body = text(client.get(reverse("agreement:changes", args=[draft.slug])))
    assert "<script>alert" not in body
    assertInHTML(
        '<p class="diff__line diff__line--changed">Speed &amp; '
        '<del><span class="visually-hidden">[removed: </span>safety'
        '<span class="visually-hidden">]</span></del> '
        '<ins><span class="visually-hidden">[added: </span>'
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
        '<span class="visually-hidden">]</span></ins> cameras.</p>',
        body,
    )


def test_first_version_has_nothing_to_compare(client: Client) -> None:
    first = csa.agreement()
    body = text(client.get(reverse("agreement:changes", args=[first.slug])))
    assert "This is the first version recorded" in body


def test_lineage_reports_splits_and_removals() -> None:
    changes = lineage_changes(
        earlier=[Named(1, "Violent Crime"), Named(2, "Substance Misuse")],
        later=[Named(10, "Serious violence"), Named(11, "Violence in the home")],
        links=[(1, 10), (1, 11)],
    )
    assert changes == [
        Change(
            ChangeKind.SPLIT,
            before=("Violent Crime",),
            after=("Serious violence", "Violence in the home"),
        ),
        Change(ChangeKind.REMOVED, before=("Substance Misuse",)),
    ]
