import datetime as dt
import io
import re
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kcsp import services
from kcsp.models import Action, ActionUpdate
from kcsp.reminders import send_action_reminders
from kcsp.roles import Role
from tests import factories
from tests.helpers import queries_for, text
from tests.mailserver import html_of, text_of

pytestmark = pytest.mark.django_db


def _action(org, title: str = "Update on the commissioning process", **kw) -> Action:
    kw.setdefault("due_date", dt.date(2026, 12, 10))
    kw.setdefault("reports_to", "Kent Community Safety Partnership")
    return services.action_create(title=title, owner_organisation=org, **kw)


def test_partner_sees_only_their_organisations_and_public_actions(
    client: Client, partner, kfrs, kent_police
) -> None:
    ours = _action(kfrs, "Fire safety visits for vulnerable households")
    theirs = _action(kent_police, "Report on MARAC commissioning")
    public = factories.resolution_action(kent_police, "Vision Zero update")
    client.force_login(partner)
    listing = text(client.get(reverse("kcsp:actions")))
    assert ours.title in listing
    assert theirs.title not in listing
    assert public.title not in listing  # My actions lists only their own
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(public.get_absolute_url()).status_code == 200
    response = client.post(
        theirs.get_absolute_url(), {"text": "Done", "form": "update"}
    )
    assert response.status_code == 404
    assert not theirs.updates.exists()
    # Even a public action of another organisation takes no updates from them.
    assert client.post(public.get_absolute_url(), {"text": "x"}).status_code == 404


def test_partner_posts_an_update_with_evidence(client: Client, partner, kfrs) -> None:
    action = _action(kfrs)
    client.force_login(partner)
    evidence = io.BytesIO(factories.pdf_bytes())
    evidence.name = "visits.pdf"
    response = client.post(
        action.get_absolute_url(),
        {
            "form": "update",
            "text": "120 home visits made.",
            "status": "in_progress",
            "rag": "green",
            "evidence": evidence,
        },
    )
    assert response.status_code == 302
    update = action.updates.get()
    assert update.evidence_name == "visits.pdf" and update.evidence_mime == (
        "application/pdf"
    )
    action.refresh_from_db()
    assert (action.status, action.rag) == ("in_progress", "green")
    shown = client.get(update.get_evidence_url())
    assert shown.status_code == 200
    assert b"".join(shown.streaming_content).startswith(b"%PDF-")
    assert shown["Content-Type"] == "application/pdf"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert shown["Cache-Control"] == "private, no-store"
    assert 'filename="visits.pdf"' in shown["Content-Disposition"]
    assert Client().get(update.get_evidence_url()).status_code == 302
    # A file gone from storage is "not found", not a server error.
    update.evidence.storage.delete(update.evidence.name)
    assert client.get(update.get_evidence_url()).status_code == 404


def test_a_bad_evidence_file_is_refused_and_the_text_kept(
    client: Client, partner, kfrs
) -> None:
    action = _action(kfrs)
    client.force_login(partner)
    fake = io.BytesIO(b"MZ not a pdf")
    fake.name = "evidence.pdf"
    response = client.post(
        action.get_absolute_url(),
        {"form": "update", "text": "Typed words", "evidence": fake},
    )
    assert response.status_code == 400
    body = text(response)
    assert "not a PDF" in body and "Typed words" in body
    assert not action.updates.exists()


def test_updates_cannot_be_changed_after_posting(partner, kfrs) -> None:
    update = services.action_post_update(action=_action(kfrs), by=partner, text="First")
    update.text = "Rewritten"
    with pytest.raises(ValueError, match="cannot be changed"):
        update.save()
    assert ActionUpdate.objects.get().text == "First"


def test_closing_needs_a_sign_off_by_the_clerk(partner, clerk, kfrs) -> None:
    action = _action(kfrs)
    with pytest.raises(ValidationError, match="signed off"):
        services.action_post_update(
            action=action, by=partner, text="Done", status="closed"
        )
    services.action_post_update(
        action=action, by=partner, text="Done", status="complete"
    )
    with pytest.raises(PermissionDenied):
        services.action_sign_off(action=action, by=partner)
    services.action_sign_off(action=action, by=clerk, note="Noted at minute 58")
    action.refresh_from_db()
    assert action.status == "closed"
    assert action.signed_off_by == clerk and action.signed_off_at is not None
    with pytest.raises(ValidationError):
        services.action_post_update(action=action, by=partner, text="More")


def test_overdue_is_judged_by_the_london_date(kfrs) -> None:
    action = _action(kfrs, due_date=dt.date(2022, 3, 24))
    london = zoneinfo.ZoneInfo("Europe/London")
    # 23.30 UTC on 24 March is still 24 March in London (GMT): not overdue.
    assert not action.is_overdue(
        dt.datetime(2022, 3, 24, 23, 30, tzinfo=dt.UTC).astimezone(london).date()
    )
    # 23.30 UTC on 24 June is already 25 June in London (BST).
    summer = _action(kfrs, due_date=dt.date(2022, 6, 24))
    assert summer.is_overdue(
        dt.datetime(2022, 6, 24, 23, 30, tzinfo=dt.UTC).astimezone(london).date()
    )
    assert list(Action.objects.overdue(dt.date(2022, 6, 25))) == [action, summer]
    services.action_post_update(
        action=summer,
        by=factories.user("c", Role.CLERK),
        text="Done",
        status="complete",
    )
    assert list(Action.objects.overdue(dt.date(2022, 6, 25))) == [action]


def test_reminders_go_once_a_day(partner, kfrs, smtp_server) -> None:
    partner.email = "officer@kent.fire-uk.org"
    partner.save()
    today = dt.date(2026, 12, 3)
    week = _action(kfrs, "Due in a week", due_date=dt.date(2026, 12, 10))
    late = _action(kfrs, "Overdue", due_date=dt.date(2026, 11, 1))
    _action(kfrs, "Due later", due_date=dt.date(2027, 1, 1))
    assert send_action_reminders(today=today) == 2
    assert send_action_reminders(today=today) == 0
    received = smtp_server.messages
    subjects = sorted(str(m["Subject"]) for m in received)
    assert subjects == ["Due in 7 days: Due in a week", "Overdue: Overdue"]
    assert [str(m["To"]) for m in received] == ["officer@kent.fire-uk.org"] * 2
    assert week.get_absolute_url() in "".join(text_of(m) for m in received)
    # The HTML part links to the action as the text one does.
    assert f'{week.get_absolute_url()}">Post a progress update' in "".join(
        html_of(m) for m in received
    )
    assert send_action_reminders(today=today + dt.timedelta(days=1)) == 1  # overdue
    late.refresh_from_db()
    assert late.last_reminded_on == today + dt.timedelta(days=1)


def _reminder_queries(today: dt.date) -> int:
    with CaptureQueriesContext(connection) as run:
        send_action_reminders(today=today)
    return len(run.captured_queries)


def test_reminders_cost_the_same_queries_for_one_action_or_many(
    kfrs, kent_police, smtp_server
) -> None:
    """The run reads the actions and the officers to write to once, and
    marks every action reminded at once, however many are due."""
    for organisation, name in ((kfrs, "fire"), (kent_police, "police")):
        officer = factories.user(
            name, Role.PARTNER_OFFICER, organisation_obj=organisation
        )
        officer.email = f"{name}@example.org"
        officer.save()
    owner = factories.person("Hill", email="hill@example.org", organisation=kfrs)
    _action(kfrs, "Overdue one", due_date=dt.date(2026, 11, 1))
    one = _reminder_queries(dt.date(2026, 12, 3))
    assert len(smtp_server.messages) == 1
    for n in range(3):
        _action(kfrs, f"Fire action {n}", due_date=dt.date(2026, 11, 2))
        _action(kent_police, f"Police action {n}", due_date=dt.date(2026, 11, 3))
        _action(
            kfrs,
            f"Hill's action {n}",
            owner_person=owner,
            due_date=dt.date(2026, 11, 4),
        )
    many = _reminder_queries(dt.date(2026, 12, 4))
    assert len(smtp_server.messages) == 1 + 10
    assert many == one
    assert sorted({str(m["To"]) for m in smtp_server.messages}) == [
        "fire@example.org",
        "hill@example.org",
        "police@example.org",
    ]
    assert not Action.objects.exclude(last_reminded_on=dt.date(2026, 12, 4)).exists()


def test_each_officer_gets_their_own_reminder(kfrs, smtp_server) -> None:
    for name in ("first", "second"):
        officer = factories.user(name, Role.PARTNER_OFFICER, organisation_obj=kfrs)
        officer.email = f"{name}@kent.fire-uk.org"
        officer.save()
    _action(kfrs, "Overdue", due_date=dt.date(2026, 11, 1))
    assert send_action_reminders(today=dt.date(2026, 12, 3)) == 1
    addressed = sorted(str(m["To"]) for m in smtp_server.messages)
    assert addressed == ["first@kent.fire-uk.org", "second@kent.fire-uk.org"]
    assert all(m["Cc"] is None for m in smtp_server.messages)


def _count(page: str) -> int:
    found = re.search(r"\b(\d+) actions?\b", page)
    assert found, page
    return int(found.group(1))


def test_my_actions_lists_work_not_yet_closed_overdue_first_and_filters(
    client: Client, partner, kfrs
) -> None:
    _action(kfrs, "Later one", due_date=dt.date(2099, 1, 1))
    _action(kfrs, "Overdue one", due_date=dt.date(2020, 1, 1))
    waiting = _action(kfrs, "Waiting one", due_date=dt.date(2018, 1, 1))
    Action.objects.filter(pk=waiting.pk).update(status=Action.Status.COMPLETE)
    for title, year in [("Done long ago", 2010), ("Done lately", 2019)]:
        done = _action(kfrs, title, due_date=dt.date(year, 1, 1))
        Action.objects.filter(pk=done.pk).update(
            status=Action.Status.CLOSED, signed_off_at=timezone.now()
        )
    client.force_login(partner)
    page = text(client.get(reverse("kcsp:actions")))
    assert _count(page) == 3
    assert (
        page.index("Overdue one") < page.index("Later one") < page.index("Waiting one")
    )
    assert "Done lately" not in page and "Done long ago" not in page
    page = text(client.get(reverse("kcsp:actions"), {"status": "any"}))
    assert _count(page) == 5
    assert (
        page.index("Waiting one")
        < page.index("Done lately")
        < page.index("Done long ago")
    )
    page = text(client.get(reverse("kcsp:actions"), {"status": "open"}))
    assert _count(page) == 2 and "Waiting one" not in page
    page = text(client.get(reverse("kcsp:actions"), {"due": "overdue"}))
    assert "Overdue one" in page and "Later one" not in page
    page = text(client.get(reverse("kcsp:actions"), {"status": "closed"}))
    assert _count(page) == 2 and "Later one" not in page
    # Coming due, like overdue, is of actions still open, whatever the status
    # asked for: a closed action is due no longer.
    today = timezone.localdate()
    soon = _action(kfrs, "Soon one", due_date=today + dt.timedelta(days=10))
    finished = _action(kfrs, "Finished soon", due_date=today + dt.timedelta(days=5))
    Action.objects.filter(pk=finished.pk).update(
        status=Action.Status.CLOSED, signed_off_at=timezone.now()
    )
    page = text(client.get(reverse("kcsp:actions"), {"status": "any", "due": "30"}))
    assert _count(page) == 1 and soon.title in page and "Finished soon" not in page


def test_my_actions_queries_stay_flat_as_actions_grow_100_times(
    client: Client, partner, kfrs
) -> None:
    person = factories.person("Adams", initials="M", organisation=kfrs)
    client.force_login(partner)
    _action(kfrs, "One", owner_person=person)
    one = queries_for(client, reverse("kcsp:actions"))
    for n in range(99):
        _action(
            kfrs,
            f"Action {n}",
            owner_person=person,
            due_date=dt.date(2026, 1, 1) + dt.timedelta(days=n),
        )
    assert queries_for(client, reverse("kcsp:actions")) == one


def _reports_to_choices(page: str) -> list[str]:
    select = re.search(r'<select name="reports_to".*?</select>', page, re.S)
    assert select, page
    return re.findall(r'<option value="([^"]+)"', select.group(0))


def test_reports_to_choices_follow_new_actions_at_once(
    client: Client, partner, kfrs, kent_police
) -> None:
    _action(kfrs)
    factories.resolution_action(kent_police, body_name="Police and Crime Panel")
    client.force_login(partner)
    url = reverse("kcsp:actions")
    first = queries_for(client, url)
    assert _reports_to_choices(text(client.get(url))) == [
        "Kent Community Safety Partnership"
    ]
    # Read again from the cache: one query fewer.
    assert queries_for(client, url) == first - 1
    _action(kfrs, "Road safety campaign", reports_to="Kent Fire and Rescue Authority")
    assert _reports_to_choices(text(client.get(url))) == [
        "Kent Community Safety Partnership",
        "Kent Fire and Rescue Authority",
    ]


def test_overview_is_for_staff_and_counts(
    client: Client, clerk, partner, kfrs, kent_police
) -> None:
    # With no actions, the tables say so across every column.
    client.force_login(clerk)
    empty = text(client.get(reverse("kcsp:action_overview")))
    columns = 1 + len(Action.Status.choices) + 5
    assert empty.count(f'<td colspan="{columns}">No actions yet.</td>') == 2
    _action(kfrs, "Red one", due_date=dt.date(2020, 1, 1))
    Action.objects.filter(title="Red one").update(rag="red")
    _action(kent_police, "Green one")
    client.force_login(partner)
    assert client.get(reverse("kcsp:action_overview")).status_code == 404
    client.force_login(clerk)
    page = text(client.get(reverse("kcsp:action_overview")))
    assert "<svg" in page and "Red: 1." in page and "Not rated: 1." in page
    assert "Kent Fire and Rescue Service" in page and "Red one" in page
    # A cancelled action's last rating is not counted: the tables give the
    # chart's counts of open actions.
    cancelled = _action(kfrs, "Cancelled red one")
    Action.objects.filter(pk=cancelled.pk).update(rag="red", status="cancelled")
    page = text(client.get(reverse("kcsp:action_overview")))
    assert "Red: 1." in page
    row = re.search(
        r"<th scope=\"row\">Kent Fire and Rescue Service</th>(.*?)</tr>", page
    )
    assert row is not None
    cells = re.findall(r"<td>(\d+)</td>", row[1])
    statuses = len(Action.Status.choices)
    # Statuses, then open red, amber, green, then overdue and total.
    assert cells[statuses:] == ["1", "0", "0", "1", "2"]


def test_dhr_actions_are_for_the_coordinator_not_clerks(
    client: Client, clerk, dhr_coordinator, kfrs
) -> None:
    dhr = _action(kfrs, "DEMO-01 recommendation 1", source_kind="dhr")
    ordinary = _action(kfrs, "Ordinary action")
    assert list(Action.objects.visible_to(clerk)) == [ordinary]
    # Other actions only as a partner officer sees them: theirs and public ones.
    assert list(Action.objects.visible_to(dhr_coordinator)) == [dhr]
    assert not services.may_update_action(clerk, dhr)
    assert services.may_update_action(dhr_coordinator, dhr)
    assert not services.may_sign_off_action(dhr_coordinator, ordinary)
    update = services.action_post_update(
        action=dhr,
        by=dhr_coordinator,
        text="DEMO-01 evidence of the agency's training.",
        evidence=io.BytesIO(factories.pdf_bytes()),
        evidence_name="training.pdf",
    )
    evidence = reverse("kcsp:action_evidence", args=[update.pk])
    client.force_login(dhr_coordinator)
    assert client.get(evidence).status_code == 200

    client.force_login(clerk)
    assert client.get(dhr.get_absolute_url()).status_code == 404
    assert client.get(evidence).status_code == 404
    assert "DEMO-01" not in text(client.get(reverse("admin:kcsp_action_changelist")))
    history = reverse("admin:kcsp_action_history", args=[dhr.pk])
    assert client.get(history).status_code == 404
    version = dhr.history.earliest().history_id
    past = reverse("admin:kcsp_action_simple_history", args=[dhr.pk, version])
    assert client.get(past).status_code == 404
    # Their own actions' history is there as before.
    ok = client.get(reverse("admin:kcsp_action_history", args=[ordinary.pk]))
    assert "Ordinary action" in text(ok)


def test_the_coordinator_role_cannot_read_its_own_access_log() -> None:
    from django.contrib.auth.models import Group

    coordinator = Group.objects.get(name=Role.DHR_COORDINATOR)
    codenames = set(coordinator.permissions.values_list("codename", flat=True))
    assert "view_case" in codenames
    assert not {c for c in codenames if c.endswith("accesslog")}


def test_a_clerk_cancels_an_action_with_a_reason_the_owner_cannot(
    client: Client, clerk, partner, kfrs
) -> None:
    action = _action(kfrs, "Fire safety campaign")
    client.force_login(partner)
    page = text(client.get(action.get_absolute_url()))
    assert "Cancel the action" not in page
    refused = client.post(action.get_absolute_url(), {"form": "cancel", "reason": "x"})
    assert refused.status_code == 404

    client.force_login(clerk)
    empty = client.post(action.get_absolute_url(), {"form": "cancel", "reason": ""})
    assert empty.status_code == 400
    assert "Say why the action is cancelled." in text(empty)
    done = client.post(
        action.get_absolute_url(),
        {"form": "cancel", "reason": "Superseded by the refreshed plan"},
        follow=True,
    )
    action.refresh_from_db()
    assert action.status == Action.Status.CANCELLED
    page = text(done)
    assert "Action cancelled." in page
    assert "Cancelled: Superseded by the refreshed plan" in page
    assert "Cancel the action" not in page
