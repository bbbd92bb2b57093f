import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from kcsp.roles import Role
from meetings import services
from meetings.models import MinuteItem
from meetings.views.clerk import KEPT
from tests import factories
from tests.helpers import text, words
from tests.meetings.minutes_factories import agenda

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting():
    meeting = factories.meeting(start="2022-03-24T10:00")
    agenda(meeting, ["Kent Community Safety Agreement Review and Refresh"])
    return meeting


def _url(meeting, name: str, *extra) -> str:
    return reverse(
        f"meetings:{name}", args=[meeting.body.slug, meeting.url_key, *extra]
    )


def _form(item, **overrides):
    data = {
        "version": item.version,
        "title": item.title,
        "paragraph": ["Ms Brinson outlined the review."],
        "resolution": [
            "RESOLVED that the Partnership\na) consider the changes\n"
            "b) agree the priorities"
        ],
        "resolution_kind": ["agreed"],
        "resolution_to": [""],
        "action": "save",
    }
    data.update(overrides)
    return data


def test_clerk_starts_minutes_and_saves_an_item_without_javascript(
    client: Client, clerk, meeting
) -> None:
    client.force_login(clerk)
    assert "Start minutes from the agenda" in text(
        client.get(_url(meeting, "minutes_draft"))
    )
    client.post(_url(meeting, "minutes_start"), {"first_number": "52"})
    item = MinuteItem.objects.get()
    assert item.number == 52
    response = client.post(_url(meeting, "minutes_item", item.pk), _form(item))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.version == 2
    resolution = item.resolutions.get()
    assert resolution.text == "RESOLVED that the Partnership"
    assert [(p.letter, p.text) for p in resolution.parts.all()] == [
        ("a", "consider the changes"),
        ("b", "agree the priorities"),
    ]
    editor = text(client.get(_url(meeting, "minutes_item", item.pk)))
    assert "a) consider the changes\nb) agree the priorities" in editor


def test_paragraph_buttons_keep_typed_text_without_saving(
    client: Client, clerk, meeting
) -> None:
    client.force_login(clerk)
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    data = _form(
        item, paragraph=["First typed", "Second typed"], action="up-paragraph:1"
    )
    page = text(client.post(_url(meeting, "minutes_item", item.pk), data))
    assert page.index("Second typed") < page.index("First typed")
    data["action"] = "add-paragraph"
    page = text(client.post(_url(meeting, "minutes_item", item.pk), data))
    assert page.count('name="paragraph"') == 3
    item.refresh_from_db()
    assert item.version == 1 and not item.paragraphs.exists()


def test_autosave_answers_with_the_new_version(client: Client, clerk, meeting) -> None:
    client.force_login(clerk)
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    response = client.post(
        _url(meeting, "minutes_item", item.pk), _form(item), headers={"X-Autosave": "1"}
    )
    assert response.status_code == 200
    assert response.json()["ok"] and response.json()["version"] == 2
    stale = client.post(
        _url(meeting, "minutes_item", item.pk), _form(item), headers={"X-Autosave": "1"}
    )
    assert stale.status_code == 409 and stale.json()["conflict"]


def test_second_clerk_is_refused_and_sees_both_texts(
    client: Client, clerk, meeting
) -> None:
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    other = Client()
    other.force_login(factories.user("second-clerk", Role.CLERK))
    other.post(
        _url(meeting, "minutes_item", item.pk),
        _form(item, paragraph=["The first clerk's account."]),
    )
    client.force_login(clerk)
    response = client.post(
        _url(meeting, "minutes_item", item.pk),
        _form(item, paragraph=["The second clerk's account."]),
    )
    assert response.status_code == 409
    page = text(response)
    assert "changed by someone else" in page
    assert "The second clerk&#x27;s account." in page  # kept in the form
    assert "The first clerk&#x27;s account." in page  # shown beside it
    item.refresh_from_db()
    assert [p.text for p in item.paragraphs.all()] == ["The first clerk's account."]
    # Saving again from the refreshed form (now at the latest version) works.
    resave = client.post(
        _url(meeting, "minutes_item", item.pk),
        _form(item, paragraph=["Both accounts, combined."]),
    )
    assert resave.status_code == 302


def test_text_posted_after_the_session_expired_is_kept_for_after_sign_in(
    client: Client, clerk, meeting
) -> None:
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    url = _url(meeting, "minutes_item", item.pk)
    response = client.post(url, _form(item, paragraph=["Typed while signed out."]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    autosave = client.post(
        url,
        _form(item, paragraph=["Typed while signed out."]),
        headers={"X-Autosave": "1"},
    )
    assert autosave.status_code == 401 and autosave.json()["signed_out"]
    client.post(
        reverse("login"), {"username": "clerk", "password": "a-long-test-password"}
    )
    page = text(client.get(url))
    assert "You were signed out before your last changes were saved" in page
    assert "Typed while signed out." in page
    assert "Typed while signed out." not in text(client.get(url))  # offered once
    item.refresh_from_db()
    assert not item.paragraphs.exists()


def _kept(client: Client) -> dict:
    return client.session.get(KEPT, {})


def test_signed_out_posts_keep_only_a_few_small_drafts_of_real_items(
    client: Client, meeting
) -> None:
    agenda(meeting, [f"Update from district CSP {n}" for n in range(1, 5)])
    items = list(services.minutes_start_from_agenda(meeting=meeting).items.all())
    assert len(items) == 5
    typed = "Ms Brinson outlined the review. " * 100  # about 3 KB
    # Flooding: posts of 8.5 MB, and posts for meetings and items that do not
    # exist or do not belong together, each still sent to sign in.
    huge = _form(items[0], paragraph=["x" * 8_500_000])
    elsewhere = factories.meeting(start="2022-07-08T10:00")
    strays = [
        (_url(meeting, "minutes_item", 999_999), _form(items[0])),
        (_url(elsewhere, "minutes_item", items[0].pk), _form(items[0])),
        (
            reverse("meetings:minutes_item", args=["no-such-body", "2022-03-24", 1]),
            _form(items[0]),
        ),
        (_url(meeting, "minutes_start"), {"first_number": typed}),
    ]
    flood = [(_url(meeting, "minutes_item", items[0].pk), huge)] * 5 + strays * 10
    for url, data in flood:
        response = client.post(url, data)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert _kept(client) == {}
    # Real drafts of five items: the newest three are kept.
    for item in items:
        client.post(
            _url(meeting, "minutes_item", item.pk), _form(item, paragraph=[typed])
        )
    assert list(_kept(client)) == [
        _url(meeting, "minutes_item", item.pk) for item in items[-3:]
    ]
    assert len(json.dumps(dict(client.session.items()))) < 20_000


def test_a_post_refused_by_the_csrf_check_keeps_nothing(clerk, meeting) -> None:
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    url = _url(meeting, "minutes_item", item.pk)
    browser = Client(enforce_csrf_checks=True)
    data = _form(item, paragraph=["Typed while signed out."])
    assert browser.post(url, data).status_code == 403
    assert _kept(browser) == {}
    # The clerk's own browser holds the CSRF cookie and the form's token.
    sign_in = browser.get(reverse("login"))
    token = sign_in.context["csrf_token"]
    response = browser.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert list(_kept(browser)) == [url]
    browser.post(
        reverse("login"),
        {
            "username": "clerk",
            "password": "a-long-test-password",
            "csrfmiddlewaretoken": token,
        },
    )
    page = text(browser.get(url))
    assert "You were signed out before your last changes were saved" in page
    assert "Typed while signed out." in page
    assert f'value="{item.title}"' in page


def test_drafting_screen_is_for_clerks_only(client: Client, partner, meeting) -> None:
    url = _url(meeting, "minutes_draft")
    assert client.get(url).status_code == 302
    client.force_login(partner)
    assert client.get(url).status_code == 404
    assert client.post(_url(meeting, "minutes_start")).status_code == 404


def _saved_twice(client: Client, meeting, first: str, then: str) -> MinuteItem:
    """A minute item whose paragraph the signed-in clerk saved as `first`
    (version 2), then as `then` (version 3)."""
    item = services.minutes_start_from_agenda(meeting=meeting).items.get()
    for paragraph in (first, then):
        client.post(
            _url(meeting, "minutes_item", item.pk), _form(item, paragraph=[paragraph])
        )
        item.refresh_from_db()
    return item


def test_compare_two_versions_side_by_side(client: Client, clerk, meeting) -> None:
    client.force_login(clerk)
    item = _saved_twice(
        client,
        meeting,
        "Ms Brinson outlined the review.",
        "Ms Brinson explained the review.",
    )
    page = text(
        client.get(_url(meeting, "minutes_item_compare", item.pk), {"a": 2, "b": 3})
    )
    assertInHTML(
        '<tr class="diff__row diff__row--changed">'
        '<td>1. Ms Brinson <del><span class="visually-hidden">[removed: </span>'
        'outlined<span class="visually-hidden">]</span></del> the review.</td>'
        '<td>1. Ms Brinson <ins><span class="visually-hidden">[added: </span>'
        'explained<span class="visually-hidden">]</span></ins> the review.</td>'
        "</tr>",
        page,
    )
    assertInHTML(
        '<tr class="diff__row diff__row--unchanged">'
        f"<td>Title: {item.title}</td><td>Title: {item.title}</td></tr>",
        page,
    )


def test_compare_escapes_what_was_typed(client: Client, clerk, meeting) -> None:
    client.force_login(clerk)
    item = _saved_twice(
        client,
        meeting,
        'Fish & chips <script>alert("x")</script>',
        "Fish & chips & peas",
    )
    page = text(client.get(_url(meeting, "minutes_item_compare", item.pk)))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "1. Fish &amp; chips" in page and "&amp; peas" in page


def test_publish_and_approve_from_the_drafting_screen(client: Client, clerk) -> None:
    body = factories.body()
    old = factories.meeting(body, start="2021-11-18T10:00")
    agenda(old, ["Working group update"])
    new = factories.meeting(body, start="2022-03-24T10:00")
    agenda(new, ["Notes of meeting held on 18 November 2021"])
    client.force_login(clerk)
    for m in (old, new):
        client.post(_url(m, "minutes_start"))
        client.post(_url(m, "minutes_publish"))
    item = services.minutes_for(new).items.get()
    client.post(
        _url(new, "minutes_item", item.pk),
        _form(
            item,
            paragraph=[],
            resolution=[
                "RESOLVED that the minutes of the meeting held "
                "on 18 November 2021 were correctly recorded."
            ],
            resolution_kind=["approved"],
        ),
    )
    overview = text(client.get(_url(old, "minutes_draft")))
    resolution = item.resolutions.get()
    assert f'value="{resolution.pk}"' in overview
    for wrong in ("", "first", "-1", "1.5", "9" * 30):
        refused = client.post(_url(old, "minutes_approve"), {"resolution": wrong})
        assert "Choose the resolution that approved these minutes." in text(
            client.get(refused.url)
        ), wrong
    assert services.minutes_for(old).status != "approved"
    client.post(_url(old, "minutes_approve"), {"resolution": resolution.pk})
    assert services.minutes_for(old).status == "approved"
    public = text(Client().get(old.get_absolute_url()))
    assert "Approved at the meeting on" in public


def test_no_one_is_present_until_the_clerk_records_it(client: Client, clerk) -> None:
    from meetings.models import Attendance, Declaration, Membership

    meeting = factories.meeting(start="2022-03-24T10:00")
    agenda(meeting, ["Vision Zero"])
    for surname in ("Hill", "Brinson"):
        Membership.objects.create(
            body=meeting.body, person=factories.person(surname), start="2020-01-01"
        )
    client.force_login(clerk)
    client.post(_url(meeting, "minutes_start"))

    rows = Attendance.objects.filter(meeting=meeting)
    assert {row.kind for row in rows} == {Attendance.Kind.NOT_RECORDED}
    page = text(client.get(_url(meeting, "minutes_draft")))
    assert "2 people are listed from the membership but not yet recorded" in page

    refused = client.post(_url(meeting, "minutes_publish"), follow=True)
    assert "Record the attendance first: 2 people are not yet recorded" in text(refused)
    assert meeting.minutes.status == "draft"
    hill = rows.get(person__surname="Hill").person
    with pytest.raises(ValidationError, match="Record them at the meeting first"):
        services.declaration_record(meeting=meeting, person=hill, details="A grant.")
    assert not Declaration.objects.exists()

    done = client.post(
        _url(meeting, "minutes_attendance"), {"mark-present": "1"}, follow=True
    )
    assert "2 people recorded as present." in text(done)
    assert "not yet recorded" not in text(done)
    client.post(_url(meeting, "minutes_publish"))
    meeting.minutes.refresh_from_db()
    assert meeting.minutes.status == "published_draft"
    public = text(client.get(meeting.get_absolute_url()))
    assert "Mr Hill" in public


def test_a_recorded_attendance_cannot_be_set_back_to_not_recorded(clerk) -> None:
    from meetings.forms import AttendanceForm
    from meetings.models import Attendance

    meeting = factories.meeting(start="2022-03-24T10:00")
    row = Attendance.objects.create(
        meeting=meeting, person=factories.person("Hill"), kind="present"
    )
    offered = dict(AttendanceForm(instance=row).fields["kind"].choices)
    assert "not_recorded" not in offered
    assert offered["apologies"] == "Apologies"


def _public_minute(client: Client, meeting) -> MinuteItem:
    client.post(_url(meeting, "minutes_start"), {"first_number": "52"})
    item = MinuteItem.objects.get()
    client.post(_url(meeting, "minutes_item", item.pk), _form(item))
    client.post(_url(meeting, "minutes_publish"))
    item.refresh_from_db()
    return item


def test_a_change_to_public_draft_minutes_can_wait_to_be_published(
    client: Client, clerk, meeting
) -> None:
    client.force_login(clerk)
    item = _public_minute(client, meeting)
    editor = client.get(_url(meeting, "minutes_item", item.pk))
    assert "These draft minutes are public: Save changes the public page at once." in (
        words(editor)
    )
    assert 'data-autosave="off"' in editor.content.decode()

    later = _form(item, paragraph=["Ms Brinson explained the review."], action="stage")
    client.post(_url(meeting, "minutes_item", item.pk), later)
    public = words(Client().get(meeting.get_absolute_url()))
    assert "Ms Brinson outlined the review." in public
    assert "explained" not in public
    reopened = words(client.get(_url(meeting, "minutes_item", item.pk)))
    assert "Ms Brinson explained the review." in reopened
    assert "You are editing a change saved without publishing." in reopened
    overview = words(client.get(_url(meeting, "minutes_draft")))
    assert "Changes saved without publishing" in overview
    assert "Minute 52: Kent Community Safety Agreement Review and Refresh" in overview

    done = client.post(_url(meeting, "minutes_publish_staged"), follow=True)
    assert "Published the saved changes to minute 52." in words(done)
    public = words(Client().get(meeting.get_absolute_url()))
    assert "Ms Brinson explained the review." in public
    item.refresh_from_db()
    assert (item.staged, item.version) == (None, 3)


def test_a_saved_change_overtaken_by_a_later_save_is_not_published(
    client: Client, clerk, meeting
) -> None:
    client.force_login(clerk)
    item = _public_minute(client, meeting)
    staged = _form(item, paragraph=["Staged wording."], action="stage")
    client.post(_url(meeting, "minutes_item", item.pk), staged)
    client.post(
        _url(meeting, "minutes_item", item.pk),
        _form(item, paragraph=["Published wording."]),
    )
    item.refresh_from_db()
    assert item.staged is None  # saving and publishing takes the place of it
    client.post(_url(meeting, "minutes_item", item.pk), staged)  # stale version
    refused = words(client.post(_url(meeting, "minutes_publish_staged"), follow=True))
    assert "was changed by someone else" in refused
    assert "nothing was published" in refused
    assert "Published wording." in words(Client().get(meeting.get_absolute_url()))
