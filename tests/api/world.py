"""A partnership with published and unpublished content side by side.

Everything that must never reach a public surface carries a word starting
"SECRET", so a leakage test can look for that one word in any response.
"""

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from agreement import services as agreement_services
from agreement.models import Agreement
from kcsp.models import Action
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import Body, Meeting, Membership, Resolution
from tests import factories
from tests.agreement import factories as agreement_factories
from tests.meetings.minutes_factories import write

SECRET = "SECRET"


@dataclass
class World:
    body: Body
    hidden_body: Body
    meeting: Meeting
    minuted: Meeting
    unpublished: Meeting
    draft_minuted: Meeting
    public_item: Any
    exempt_item: Any
    resolution: Resolution
    public_action: Action
    agreement: Agreement


def meeting_with_minutes(
    body: Body, start: str, *, publish_minutes: bool = True, tag: str = ""
) -> Meeting:
    """A meeting with a published agenda (a public and an exempt item, their
    papers) and minutes, published unless `publish_minutes` is False."""
    meeting = factories.meeting(body, start=start)
    section = factories.section(meeting)
    public = factories.item(
        section,
        f"Community Safety Agreement refresh {tag}".strip(),
        presenter="Mr S Peerbux",
        description="The annual refresh of the agreement.",
    )
    exempt = factories.item(
        section,
        f"Contract for IDVA services {tag}".strip(),
        visibility=Visibility.EXEMPT,
        exempt_paragraph=ExemptParagraph.FINANCIAL,
        description="SECRET exempt description",
        presenter="SECRET exempt presenter",
    )
    factories.document(meeting, public, title=f"Agreement report {tag}".strip())
    factories.document(
        meeting, public, title="SECRET restricted paper", visibility="restricted"
    )
    factories.document(meeting, exempt, title="SECRET exempt paper")
    services.agenda_publish(meeting=meeting)
    minutes = services.minutes_start_from_agenda(meeting=meeting)
    services.attendance_mark_present(meeting=meeting)
    public_minute, exempt_minute = minutes.items.order_by("order")
    words = "SECRET draft paragraph" if not publish_minutes else "The agreement"
    write(
        public_minute,
        [f"{words} was presented."],
        "RESOLVED that the Partnership"
        if publish_minutes
        else "RESOLVED SECRET draft decision",
        ["note the refresh", "approve the priorities"],
        kind=Resolution.Kind.APPROVED,
    )
    write(
        exempt_minute,
        ["SECRET exempt paragraph"],
        "RESOLVED SECRET exempt decision",
    )
    if publish_minutes:
        services.minutes_publish_draft(minutes=minutes)
    return meeting


def build() -> World:
    police = factories.organisation("Kent Police", short_name="Kent Police")
    body = factories.body()
    hidden = factories.body("SECRET Tasking Group", is_public=False)
    chair = factories.person(
        "Hill",
        initials="P M",
        honours="OBE",
        email="SECRET@example.org",
        phone="SECRET phone",
        job_title="SECRET job",
    )
    Membership.objects.create(
        body=body, person=chair, role=Membership.Role.CHAIR, representing=police
    )
    hidden_member = factories.person("SECRETPERSON")
    Membership.objects.create(body=hidden, person=hidden_member)
    factories.person("SECRETUNLISTED")

    minuted = meeting_with_minutes(body, "2022-03-24T10:00")
    draft_minuted = meeting_with_minutes(
        body, "2022-06-16T10:00", publish_minutes=False
    )
    meeting_with_minutes(hidden, "2022-04-01T10:00", tag="SECRET hidden body")

    unpublished = factories.meeting(body, start="2022-09-15T10:00")
    factories.item(factories.section(unpublished), "SECRET unpublished agenda item")
    factories.document(unpublished, title="SECRET unpublished paper")

    public_item = minuted.items.get(visibility=Visibility.PUBLIC)
    exempt_item = minuted.items.get(visibility=Visibility.EXEMPT)
    resolution = Resolution.objects.get(
        minute_item__minutes__meeting=minuted,
        minute_item__visibility=Visibility.PUBLIC,
    )
    public_action = services.resolution_action_create(
        resolution=resolution,
        owner_organisation=police,
        due_date=dt.date(2022, 9, 1),
        title="Circulate the refreshed agreement",
    ).action
    private = Action.objects.create(
        title="SECRET private action",
        owner_organisation=police,
        private_notes="SECRET notes",
    )
    assert not Action.objects.public().contains(private)
    Action.objects.create(
        title="SECRET review action",
        owner_organisation=police,
        source_kind="dhr",
    )
    Action.objects.filter(pk=public_action.pk).update(private_notes="SECRET notes")

    approved = agreement_factories.agreement()
    agreement_factories.with_priorities(approved, ["Domestic Abuse", "Road Safety"])
    draft = agreement_factories.agreement(
        slug="2012-13",
        start="2012-04-01",
        end="2013-03-31",
        status=Agreement.Status.DRAFT,
        edition="SECRET draft refresh",
    )
    agreement_factories.with_priorities(draft, ["SECRET draft priority"])
    agreement_services.strategic_assessment_record(
        partnership=factories.partnership("Dover"),
        year=2010,
        priorities=["Domestic Abuse", "ASB/Environmental"],
        summary="Domestic abuse rose most in the year.",
        document=io.BytesIO(factories.pdf_bytes()),
        document_name="dover-strategic-assessment-2010.pdf",
    )
    agreement_services.strategic_assessment_record(
        partnership=factories.partnership("Thanet"),
        year=2011,
        priorities=["ASB/Environmental"],
    )
    return World(
        body=body,
        hidden_body=hidden,
        meeting=minuted,
        minuted=minuted,
        unpublished=unpublished,
        draft_minuted=draft_minuted,
        public_item=public_item,
        exempt_item=exempt_item,
        resolution=resolution,
        public_action=public_action,
        agreement=approved,
    )
