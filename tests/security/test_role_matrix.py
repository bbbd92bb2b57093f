"""The role table as a matrix: every role x every kind of content x every surface.

Into the demo partnership, each kind of content the role table speaks of gets
a marker word (and, where it has one, its own address). Each role then reads
every surface it can reach: every page of the URL walk (HTML, PDFs, feeds,
calendars, the sitemap, document and evidence downloads), the addresses of
the planted records, site search for each marker, every page of every list
of the open data API and, for those with a back office, the list, change,
history and past-version views of every planted record. A marker must be
found by exactly the roles the table lets read it, and by no other: a page
answering 200 with content its reader may not see fails here, not only one
answering with the wrong status.

The table (`kcsp.visibility.ROLE_TABLE`) in words:
- partner officer: restricted papers, their own organisation's actions;
- clerk: all meeting, agreement and priorities content; no DHR material;
- DHR coordinator: DHR cases, documents and actions; meetings and the
  agreement as a partner officer sees them;
- administrator: everything.

A new kind of content is one entry in KINDS; a new page joins the walk.
"""

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from dhr.models import AgencyAction
from kcsp import services as kcsp_services
from kcsp.models import Action, Organisation
from kcsp.roles import Role
from kcsp.visibility import Visibility
from meetings.models import AgendaItem, Body, Meeting, MinuteParagraph
from tests import factories
from tests.mailserver import html_of, text_of
from tests.security.world import World, site_patterns, url_for

pytestmark = pytest.mark.django_db

PARTNER_A = "partner officer of KFRS"
PARTNER_B = "partner officer of Kent Police"
CLERK = "clerk"
# A clerk of a district partnership: the county partnership's content is no
# more theirs than a member of the public's.
DISTRICT_CLERK = "clerk of Dover"
COORDINATOR = "DHR coordinator"
ADMINISTRATOR = "administrator"
# Role -> the demo account (None: signed out).
ROLES: dict[str, str | None] = {
    "public": None,
    PARTNER_A: "partner",
    PARTNER_B: "partner-b",
    CLERK: "clerk",
    DISTRICT_CLERK: "clerk-dover",
    COORDINATOR: "dhr",
    ADMINISTRATOR: "admin",
}
PARTNERS = frozenset({PARTNER_A, PARTNER_B})


@dataclass
class Planted:
    phrase: str
    seen_by: frozenset[str]
    # Public pages the content would show on, read by every role.
    pages: list[str] = field(default_factory=list)
    # The content's own addresses: reading one, or finding it in a page, is
    # seeing the content.
    addresses: list[str] = field(default_factory=list)
    # Its records, whose back-office views are read.
    records: list[Model] = field(default_factory=list)


def _draft_minutes(world: World) -> Planted:
    item = world.draft_meeting.minutes.items.first()
    paragraph = MinuteParagraph.objects.create(
        minute_item=item, order=99, text="Zarquon draft minutes paragraph."
    )
    return Planted(
        "Zarquon",
        frozenset({CLERK, ADMINISTRATOR}),
        pages=[world.draft_meeting.get_absolute_url()],
        records=[world.draft_meeting.minutes, paragraph],
    )


def _exempt_item(world: World) -> Planted:
    item = AgendaItem.objects.filter(visibility=Visibility.EXEMPT).first()
    item.description = "Vexillium exempt item description."
    item.save()
    return Planted(
        "Vexillium",
        frozenset({CLERK, ADMINISTRATOR}),
        pages=[item.meeting.get_absolute_url()],
        records=[item],
    )


def _paper(document: Any, title: str, seen_by: frozenset[str]) -> Planted:
    document.title = title
    document.save()
    return Planted(
        title.split()[0],
        seen_by,
        pages=[document.meeting.get_absolute_url()],
        addresses=[document.get_absolute_url()],
        records=[document],
    )


def _exempt_paper(world: World) -> Planted:
    return _paper(
        world.exempt_document,
        "Kryptonel exempt paper",
        frozenset({CLERK, ADMINISTRATOR}),
    )


def _restricted_paper(world: World) -> Planted:
    return _paper(
        world.restricted_document,
        "Ploughwick restricted paper",
        PARTNERS | {CLERK, COORDINATOR, ADMINISTRATOR},
    )


def _unpublished_agenda(world: World) -> Planted:
    meeting = Meeting.objects.filter(agenda_published_at__isnull=True).latest("start")
    item = factories.item(
        factories.section(meeting), "Quillerbrook item of an unpublished agenda"
    )
    return Planted(
        "Quillerbrook",
        frozenset({CLERK, ADMINISTRATOR}),
        pages=[meeting.get_absolute_url()],
        records=[item],
    )


def _district_unpublished_agenda(world: World) -> Planted:
    """An item on the agenda of a district partnership's coming meeting: its
    clerk's, and not the county clerk's."""
    board = factories.body(
        "Dover Community Safety Partnership Board",
        partnership=factories.partnership("Dover"),
    )
    meeting = factories.meeting(board, start="2027-02-04T14:00")
    item = factories.item(
        factories.section(meeting), "Oxbellow item of a district's unpublished agenda"
    )
    return Planted(
        "Oxbellow",
        frozenset({DISTRICT_CLERK, ADMINISTRATOR}),
        pages=[meeting.get_absolute_url()],
        records=[item, meeting],
    )


def _non_public_body(world: World) -> Planted:
    body = Body.objects.filter(is_public=False).first()
    body.purpose = "Fennimore: the purpose of a body that meets in private."
    body.save()
    return Planted(
        "Fennimore",
        frozenset({CLERK, ADMINISTRATOR}),
        addresses=[reverse("meetings:body", args=[body.slug])],
        records=[body],
    )


def _draft_agreement(world: World) -> Planted:
    draft = world.draft_agreement
    draft.title = "Thrumbleton draft agreement"
    draft.save()
    return Planted(
        "Thrumbleton",
        frozenset({CLERK, ADMINISTRATOR}),
        addresses=[
            reverse("agreement:detail", args=[draft.slug]),
            reverse("agreement:pdf", args=[draft.slug]),
        ],
        records=[draft],
    )


def _dhr_case(world: World) -> Planted:
    case = world.unpublished_case
    case.reference = "GLIMMERDALE 2026/09"
    case.decision_reason = "Glimmerdale: the decision's reasons."
    case.save()
    return Planted(
        "Glimmerdale",
        frozenset({COORDINATOR, ADMINISTRATOR}),
        addresses=[case.get_staff_url()],
        records=[case],
    )


def _dhr_agency_action(world: World) -> AgencyAction:
    return AgencyAction.objects.filter(
        recommendation__case=world.unpublished_case
    ).select_related("action")[0]


def _dhr_action(world: World) -> Planted:
    """Kent Police's action on an unpublished review: theirs to work on."""
    action = _dhr_agency_action(world).action
    action.title = "Brindlecombe audit of repeat incidents"
    action.owner_organisation = Organisation.objects.get(short_name="Kent Police")
    action.owner_person = None
    action.save()
    return Planted(
        "Brindlecombe",
        frozenset({PARTNER_B, COORDINATOR, ADMINISTRATOR}),
        addresses=[action.get_absolute_url()],
        records=[action],
    )


def _dhr_evidence(world: World) -> Planted:
    action = _dhr_agency_action(world).action
    update = kcsp_services.action_post_update(
        action=action,
        by=get_user_model().objects.get(username="dhr"),
        text="Marrowfield: the audit's findings are attached.",
        evidence=io.BytesIO(factories.pdf_bytes()),
        evidence_name="audit.pdf",
    )
    return Planted(
        "Marrowfield",
        frozenset({PARTNER_B, COORDINATOR, ADMINISTRATOR}),
        addresses=[reverse("kcsp:action_evidence", args=[update.pk])],
        records=[action],
    )


def _other_organisations_action(world: World) -> Planted:
    hidden = world.other_action  # Kent Police's, of no public source
    hidden.title = "Snorkelbury private action"
    hidden.save()
    return Planted(
        "Snorkelbury",
        frozenset({PARTNER_B, CLERK, ADMINISTRATOR}),
        addresses=[hidden.get_absolute_url()],
        records=[hidden],
    )


def _private_notes(world: World) -> Planted:
    public = Action.objects.public().exclude(source_kind=AgencyAction.ACTION_KIND)[0]
    public.private_notes = "Wibbleton: a note for the partnership's staff."
    public.save()
    return Planted("Wibbleton", frozenset({CLERK, ADMINISTRATOR}), records=[public])


def _question(world: World, **fields: Any) -> Any:
    from meetings.models import PublicQuestion

    meeting = PublicQuestion.objects.order_by("pk").first().meeting
    return PublicQuestion.objects.create(meeting=meeting, **fields)


def _question_pages(question: Any) -> list[str]:
    meeting = question.meeting
    return [
        meeting.get_absolute_url(),
        reverse("meetings:questions", args=[meeting.body.slug]),
        reverse("meetings:agenda_pdf", args=[meeting.body.slug, meeting.url_key]),
        reverse("meetings:minutes_pdf", args=[meeting.body.slug, meeting.url_key]),
    ]


def _unconfirmed_question(world: World) -> Planted:
    """A question its asker never confirmed: nobody reads it."""
    question = _question(
        world,
        name="Ms Ottoline Prest",
        email="prest@example.org",
        question="Dunderwhistle question nobody confirmed.",
    )
    return Planted("Dunderwhistle", frozenset(), pages=_question_pages(question))


def _rejected_question(world: World) -> Planted:
    """A rejected question: the clerk's queue lists it, nothing public does."""
    question = _question(
        world,
        name="Mr Amos Tidy",
        email="tidy@example.org",
        question="Mallowmere question the clerk rejected.",
        status="rejected",
        reject_reason="It is about an individual case.",
    )
    return Planted(
        "Mallowmere",
        frozenset({CLERK, ADMINISTRATOR}),
        pages=_question_pages(question),
    )


def _unconsented_name(world: World) -> Planted:
    """An accepted question whose asker did not agree to their name's
    publication: the question is public, the name only the clerk's."""
    question = _question(
        world,
        name="Mrs Petronella Gulliwick",
        email="gulliwick@example.org",
        question="When will the new CCTV cameras in Ashford be switched on?",
        status="accepted",
        answer="In January.",
    )
    return Planted(
        "Gulliwick",
        frozenset({CLERK, ADMINISTRATOR}),
        pages=_question_pages(question),
    )


def _questioner_email(world: World) -> Planted:
    """A questioner's e-mail address is shown on no surface at all."""
    question = _question(
        world,
        name="Mr Lionel Hart",
        name_published=True,
        email="snickersnee@example.org",
        question="How many neighbourhood watch schemes are there in Dover?",
        status="accepted",
    )
    return Planted("snickersnee", frozenset(), pages=_question_pages(question))


def _assessment(world: World) -> Planted:
    """A district partnership's strategic assessment: public once recorded,
    on its page, in its document, the API and the sitemap, to every role."""
    assessment = world.assessment
    assessment.summary = "Gossamerby: what the district's assessment found."
    assessment.save()
    return Planted(
        "Gossamerby",
        frozenset(ROLES),
        addresses=[assessment.get_absolute_url(), assessment.get_document_url()],
        records=[assessment],
    )


def _call(world: World, marker: str, item: AgendaItem | None = None) -> Planted:
    from meetings.models import CallForAction

    demo = CallForAction.objects.order_by("pk").first()
    call = CallForAction.objects.create(
        body=item.meeting.body if item else demo.body,
        member=demo.member,
        area="Tenterden division",
        title=f"{marker} call for action",
        matter="Fly-tipping and fires on the old airfield.",
        tried="Reported to the district council twice.",
        received_on=dt.date(2026, 10, 1),
        agenda_item=item,
        status="considered" if item else "received",
    )
    return Planted(
        marker,
        frozenset({CLERK, ADMINISTRATOR}),
        pages=[reverse("meetings:calls")],
        addresses=[call.get_absolute_url()],
        records=[call],
    )


def _call_received(world: World) -> Planted:
    """A call for action the committee has not yet considered: nothing
    public shows it."""
    return _call(world, "Wrenfoldham")


def _call_on_unpublished_agenda(world: World) -> Planted:
    """A call put on the agenda of a meeting whose agenda is unpublished."""
    meeting = Meeting.objects.filter(
        body__slug="crime-and-disorder-committee", agenda_published_at__isnull=True
    ).first() or factories.meeting(
        Body.objects.get(slug="crime-and-disorder-committee"), start="2027-01-21T10:00"
    )
    item = factories.item(factories.section(meeting), "Call for action item")
    return _call(world, "Gorsebrook", item)


def _call_under_exempt_item(world: World) -> Planted:
    """A call considered under an exempt item of a published agenda."""
    item = AgendaItem.objects.filter(visibility=Visibility.EXEMPT).first()
    return _call(world, "Hazelmarsh", item)


def _petition(world: World, **fields: Any) -> Any:
    from meetings.models import Petition

    body = Petition.objects.order_by("pk").first().body
    return Petition.objects.create(
        body=body, request="What it asks.", name="A petitioner", **fields
    )


def _petition_pages(petition: Any) -> list[str]:
    return [
        reverse("meetings:petitions"),
        reverse("meetings:petitions") + "?state=open",
        reverse("manage:petitions"),
        reverse("manage:dashboard"),
    ]


def _petition_addresses(petition: Any) -> list[str]:
    return [
        petition.get_absolute_url(),
        reverse("meetings:petition_sign", args=[petition.pk]),
        reverse("manage:petition", args=[petition.pk]),
    ]


def _unconfirmed_petition(world: World) -> Planted:
    """A petition its petitioner never confirmed: nobody reads it."""
    petition = _petition(world, title="Quinquagesima petition nobody confirmed")
    return Planted(
        "Quinquagesima",
        frozenset(),
        pages=_petition_pages(petition),
        addresses=_petition_addresses(petition),
    )


def _unchecked_petition(world: World, status: str, title: str) -> Planted:
    petition = _petition(
        world, title=title, status=status, reject_reason="Not a partnership matter."
    )
    return Planted(
        title.split()[0],
        frozenset({CLERK, ADMINISTRATOR}),
        pages=_petition_pages(petition),
        addresses=[
            petition.get_absolute_url(),
            reverse("meetings:petition_sign", args=[petition.pk]),
        ],
    )


def _checking_petition(world: World) -> Planted:
    """A confirmed petition the clerk has not checked: theirs alone."""
    return _unchecked_petition(world, "checking", "Bombazine petition to check")


def _rejected_petition(world: World) -> Planted:
    """A rejected petition: the clerk's queue lists it, nothing public does."""
    return _unchecked_petition(world, "rejected", "Crinoline petition rejected")


def _signature(world: World, **fields: Any) -> Any:
    from meetings.models import Petition, PetitionSignature

    petition = Petition.objects.filter(status="open").order_by("pk").first()
    return PetitionSignature.objects.create(petition=petition, **fields)


def _signer(world: World) -> Planted:
    """A confirmed signer's name, postcode and address: the clerk's only."""
    signature = _signature(
        world,
        name="Mr Ozymandias Pettigrew",
        postcode="ME14 1XQ",
        email="pettigrew@example.org",
        confirmed_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
    )
    petition = signature.petition
    return Planted(
        "Pettigrew",
        frozenset({CLERK, ADMINISTRATOR}),
        pages=[*_petition_pages(petition), *_petition_addresses(petition)],
    )


def _unconfirmed_signer(world: World) -> Planted:
    """A signature never confirmed: on no page, not even the clerk's."""
    signature = _signature(
        world, name="Ms Philippa Snodgrass", postcode="CT1 2EH", email="s@example.org"
    )
    petition = signature.petition
    return Planted(
        "Snodgrass",
        frozenset(),
        pages=[*_petition_pages(petition), *_petition_addresses(petition)],
    )


def _petitioner_email(world: World) -> Planted:
    """The petitioner's address: the clerk's only."""
    from meetings.models import Petition

    petition = Petition.objects.filter(status="open").order_by("pk").first()
    petition.email = "flibbertigibbet@example.org"
    petition.save()
    return Planted(
        "flibbertigibbet",
        frozenset({CLERK, ADMINISTRATOR}),
        pages=[*_petition_pages(petition), *_petition_addresses(petition)],
    )


def _redacted_minute(world: World) -> Planted:
    """A passage redacted from published minutes: its original wording is
    for administrators alone, on the redaction's record."""
    from meetings.services import redaction_apply

    meeting = world.meeting
    paragraph = MinuteParagraph.objects.filter(
        minute_item__minutes__meeting=meeting, minute_item__visibility="public"
    ).first()
    paragraph.text += " The resident of Gallowglass Lane was named by mistake."
    paragraph.save()
    redaction = redaction_apply(
        target=paragraph.minute_item,
        passage="resident of Gallowglass Lane",
        reason="personal information",
    )
    return Planted(
        "Gallowglass",
        frozenset({ADMINISTRATOR}),
        pages=[
            meeting.get_absolute_url(),
            reverse("meetings:minutes_pdf", args=[meeting.body.slug, meeting.url_key]),
        ],
        records=[meeting.minutes, redaction],
    )


def _redacted_paper(world: World) -> Planted:
    """A passage redacted from a published paper: the paper as uploaded is
    for administrators alone."""
    from meetings.services import document_add, redaction_apply
    from tests.meetings.pdf_helpers import text_pdf

    meeting = world.meeting
    paper = document_add(
        meeting=meeting,
        upload=io.BytesIO(text_pdf("Letter from Mr Quintus Ormsgill")),
        name="letter.pdf",
        title="Letter about the night-time economy",
    )
    redaction = redaction_apply(
        target=paper, passage="Quintus Ormsgill", reason="personal information"
    )
    return Planted(
        "Ormsgill",
        frozenset({ADMINISTRATOR}),
        pages=[meeting.get_absolute_url(), paper.get_absolute_url()],
        addresses=[reverse("admin:meetings_redaction_original", args=[redaction.pk])],
        records=[paper, redaction],
    )


KINDS: dict[str, Callable[[World], Planted]] = {
    "draft minutes": _draft_minutes,
    "exempt agenda item": _exempt_item,
    "exempt paper": _exempt_paper,
    "restricted paper": _restricted_paper,
    "unpublished agenda": _unpublished_agenda,
    "a district's unpublished agenda": _district_unpublished_agenda,
    "non-public body": _non_public_body,
    "draft agreement": _draft_agreement,
    "DHR case": _dhr_case,
    "DHR action": _dhr_action,
    "DHR evidence": _dhr_evidence,
    "another organisation's private action": _other_organisations_action,
    "private notes of a public action": _private_notes,
    "unconfirmed public question": _unconfirmed_question,
    "rejected public question": _rejected_question,
    "unconsented questioner's name": _unconsented_name,
    "questioner's e-mail address": _questioner_email,
    "district strategic assessment": _assessment,
    "call for action not yet considered": _call_received,
    "call for action on an unpublished agenda": _call_on_unpublished_agenda,
    "call for action under an exempt item": _call_under_exempt_item,
    "unconfirmed petition": _unconfirmed_petition,
    "petition awaiting checking": _checking_petition,
    "rejected petition": _rejected_petition,
    "petition signer's details": _signer,
    "unconfirmed signature": _unconfirmed_signer,
    "petitioner's e-mail address": _petitioner_email,
    "passage redacted from minutes": _redacted_minute,
    "passage redacted from a paper": _redacted_paper,
}


# Reading every surface --------------------------------------------------------


TAG = re.compile(r"<[^>]+>")
# What a search or filtered list found, without the words searched for.
SEARCH_RESULTS = re.compile(r'<ol class="search-results".*?</ol>', re.S)
ADMIN_RESULTS = re.compile(r'<table id="result_list".*?</table>', re.S)
NOT_READ = {"healthz", "login", "logout", "kcsp:search"}
VIEWS = ("change", "history")


@dataclass
class Reading:
    """Everything one role read: text by address, and what answered 200."""

    texts: dict[str, str] = field(default_factory=dict)
    answered: set[str] = field(default_factory=set)

    def where(self, phrase: str) -> list[str]:
        found = phrase.lower()
        return [url for url, text in self.texts.items() if found in text.lower()]


def _content(response: Any) -> str:
    body = b"".join(response) if response.streaming else response.content
    if "pdf" in response.get("Content-Type", ""):
        pages = PdfReader(io.BytesIO(body)).pages
        return "\n".join(page.extract_text() or "" for page in pages)
    return body.decode(errors="replace")


def _read(client: Client, reading: Reading, url: str, part: re.Pattern | None = None):
    response = client.get(url)
    if response.status_code != 200:
        return
    reading.answered.add(url)
    text = _content(response)
    if part is not None:
        text = "\n".join(part.findall(text))
    reading.texts[url] = text


def _admin_urls(record: Model, phrase: str) -> list[tuple[str, re.Pattern | None]]:
    model = type(record)
    if not admin.site.is_registered(model):
        return []
    info = (model._meta.app_label, model._meta.model_name)
    model_admin = admin.site.get_model_admin(model)
    listing = reverse("admin:{}_{}_changelist".format(*info))
    if model_admin.search_fields:
        listing += f"?q={phrase}"
    urls: list[tuple[str, re.Pattern | None]] = [(listing, ADMIN_RESULTS)]
    name = "admin:{}_{}_{{}}".format(*info)
    urls += [(reverse(name.format(v), args=[record.pk]), None) for v in VIEWS]
    versions = record.history.values_list("history_id", flat=True)  # type: ignore[attr-defined]
    urls += [
        (reverse(name.format("simple_history"), args=[record.pk, v]), None)
        for v in versions
    ]
    return urls


def _agenda_to_members(world: World) -> None:
    """The world's board e-mails its agendas to its members, and publishes
    the agenda of a coming meeting holding the markers of an exempt item, an
    exempt paper and a restricted paper."""
    from meetings import services

    body = world.meeting.body
    body.agenda_to_members = True
    body.save()
    for n, membership in enumerate(body.memberships.current()):
        membership.person.email = membership.person.email or f"m{n}@example.org"
        membership.person.save()
    meeting = factories.coming_meeting(30, body)
    item = factories.item(factories.section(meeting), "Item sent to members")
    exempt = factories.item(
        factories.section(meeting, "C", "Exempt items"),
        "Exempt item sent to members",
        visibility=Visibility.EXEMPT,
        exempt_paragraph=3,
        description="Vexillium exempt item description.",
    )
    for title, visibility in [
        ("Ploughwick restricted paper", Visibility.RESTRICTED),
        ("Kryptonel exempt paper", Visibility.EXEMPT),
    ]:
        factories.document(
            meeting,
            item if visibility == Visibility.RESTRICTED else exempt,
            title,
            visibility=visibility,
            exempt_paragraph=3 if visibility == Visibility.EXEMPT else None,
        )
    services.agenda_publish(meeting=meeting)


def read_alerts(
    reading: Reading, planted: dict[str, Planted], mailbox: Any, world: World
) -> None:
    """The e-mail alerts an address following everything it may follow (every
    partnership, every body, every public action, each marker as search
    words) is sent for all that was ever published, and the agendas a body's
    members are sent, read back from the SMTP server."""
    from kcsp import registry
    from kcsp.alerts.events import kind_choices
    from kcsp.alerts.sending import alerts_send
    from kcsp.alerts.subscribing import AlertRequest, subscription_confirm

    wanted = [
        (t.kind, value)
        for t in registry.alert_targets()
        if t.choices
        for value, _ in t.choices()
    ]
    wanted += [
        ("action", str(pk))
        for pk in Action.objects.public().values_list("pk", flat=True)
    ]
    wanted += [("keyword", p.phrase) for p in planted.values()]
    _agenda_to_members(world)
    kinds = tuple(kind for kind, _ in kind_choices())
    for target, value in wanted:
        request = AlertRequest(
            "follower@example.org", target, value, kinds, "immediate"
        )
        subscription_confirm(request=request, at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    alerts_send(since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    for n, message in enumerate(mailbox.messages):
        texts = [str(message["Subject"]), text_of(message), html_of(message)]
        reading.texts[f"e-mail alert {n}: {message['Subject']}"] = "\n".join(texts)


def read_everything(
    role: str, world: World, planted: dict[str, Planted], mailbox: Any = None
) -> Reading:
    client = Client()
    username = ROLES[role]
    user = None
    if username is not None:
        user = get_user_model().objects.get(username=username)
        client.force_login(user)
    reading = Reading()
    if username is None and mailbox is not None:
        read_alerts(reading, planted, mailbox, world)
    # Every page, whether the role is meant to reach it or not (the URL walk
    # checks that); only what answers 200 is read.
    for route, name in site_patterns():
        if name not in NOT_READ:
            _read(client, reading, url_for(world, name, route))
    for p in planted.values():
        for url in [*p.pages, *p.addresses]:
            _read(client, reading, url)
        _read(client, reading, f"{reverse('kcsp:search')}?q={p.phrase}", SEARCH_RESULTS)
        if user is not None and user.is_staff:
            for record in p.records:
                for url, part in _admin_urls(record, p.phrase):
                    _read(client, reading, url, part)
    for _, name in site_patterns():
        if name.startswith("api:") and name.endswith("-list"):
            url: str | None = f"{reverse(name)}?page_size=200"
            while url:
                response = client.get(url)
                assert response.status_code == 200, url
                reading.texts[url] = response.content.decode()
                url = response.json().get("next")
    return reading


@pytest.fixture
def planted(world: World) -> dict[str, Planted]:
    factories.user(
        "partner-b",
        Role.PARTNER_OFFICER,
        organisation_obj=Organisation.objects.get(short_name="Kent Police"),
    )
    return {kind: plant(world) for kind, plant in KINDS.items()}


def _wrong(role: str, reading: Reading, planted: dict[str, Planted]) -> list[str]:
    wrong = []
    for kind, p in planted.items():
        found = reading.where(p.phrase)
        linked = [
            a
            for a in p.addresses
            if any(a in text for url, text in reading.texts.items() if url != a)
        ]
        opened = [a for a in p.addresses if a in reading.answered]
        if role in p.seen_by:
            if not (found or opened):
                wrong.append(f"{role}, {kind}: found nowhere, but the table allows it")
        elif found or linked or opened:
            where = sorted({*found, *opened, *(f"a link to {a}" for a in linked)})
            wrong.append(f"{role}, {kind}: seen at {', '.join(where)}")
    return wrong


# Addresses of each kind of surface, all of which the administrator reads.
SURFACES = {
    "HTML page": "/meetings/",
    "PDF": ".pdf",
    "document download": "/documents/",
    "evidence download": "/actions/evidence/",
    "feed": "/feeds/",
    "calendar": ".ics",
    "sitemap": "sitemap.xml",
    "search": "/search/",
    "open data API": "/api/v1/",
    "back-office list": "/admin/",
    "back-office history": "/history/",
}


def test_each_role_reads_exactly_what_the_role_table_allows(
    world: World, planted: dict[str, Planted], smtp_server: Any, settings: Any
) -> None:
    """One world, read by every role in turn (building it is most of the
    cost). E-mail alerts go to anyone, so the public reads them."""
    settings.ALERTS_PER_ADDRESS_PER_HOUR = 100_000
    wrong = []
    readings = {}
    for role in ROLES:
        readings[role] = read_everything(role, world, planted, smtp_server)
        wrong += _wrong(role, readings[role], planted)
    assert wrong == [], "\n".join(wrong)
    # A surface that silently showed nothing could not pass as "no leak":
    # the administrator reads every kind of content on every kind of surface.
    read = readings[ADMINISTRATOR].texts
    missing = [s for s, part in SURFACES.items() if not any(part in u for u in read)]
    assert missing == [], f"Surfaces never read: {missing}"
    # Alerts were read, of every kind of event, with public content in them.
    alerts = [t for u, t in readings["public"].texts.items() if u.startswith("e-mail")]
    for title in ("Agenda:", "minutes:", ", minute "):
        assert any(title in text for text in alerts), title
    assert any(world.meeting.body.name in text for text in alerts)
    assert any("Item sent to members" in t and "as a member of" in t for t in alerts)
    assert len(KINDS) >= 13


def test_every_back_office_screen_asks_the_visibility_rule() -> None:
    """Each model admin and each of its inlines lists, opens and offers as
    choices only what the rule allows (`kcsp.admin.VisibleRows`); those with
    history show it only for records the user may read (`VisibleAdmin`)."""
    from simple_history.admin import SimpleHistoryAdmin

    from kcsp.admin import VisibleAdmin, VisibleRows

    outside = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {
            "kcsp",
            "meetings",
            "agreement",
            "priorities",
            "dhr",
        }:
            continue
        if not isinstance(model_admin, VisibleRows):
            outside.append(model._meta.label)
        if isinstance(model_admin, SimpleHistoryAdmin) and not isinstance(
            model_admin, VisibleAdmin
        ):
            outside.append(f"{model._meta.label} history")
        outside += [
            f"{model._meta.label} inline {inline.__name__}"
            for inline in model_admin.inlines
            if not issubclass(inline, VisibleRows)
        ]
    assert outside == []
