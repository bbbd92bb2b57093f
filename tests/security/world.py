"""Sample records for walking the portal's URLs: the demo partnership plus
the few kinds of record the demo does not hold (a DHR review's published
document, a progress update with evidence), and the URL patterns to walk."""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreement import services as agreement_services
from agreement.models import Agreement, StrategicAssessment
from dhr.models import Case
from kcsp import services as kcsp_services
from kcsp.models import Action, Organisation, Partnership
from meetings.models import CallForAction, Document, Meeting, Petition, PublicQuestion
from tests import factories
from tests.dhr import factories as dhr_factories


@dataclass
class World:
    partnership: str
    body: str
    meeting: Meeting
    draft_meeting: Meeting
    document: Document
    restricted_document: Document
    exempt_document: Document
    own_action: Action
    other_action: Action
    evidence_update: Any
    agreement: Agreement
    draft_agreement: Agreement
    published_case: Case
    unpublished_case: Case
    case_document: Any
    assessment: StrategicAssessment

    def kwargs(self, name: str) -> dict[str, Any] | None:
        meeting = {"body": self.meeting.body.slug, "key": self.meeting.url_key}
        drafting = {
            "body": self.draft_meeting.body.slug,
            "key": self.draft_meeting.url_key,
        }
        minute_item = self.draft_meeting.minutes.items.first()
        agenda_item = self.meeting.items.order_by("pk").first()
        case_pk = self.unpublished_case.pk
        question = PublicQuestion.objects.order_by("pk").first()
        petition = Petition.objects.filter(status="open").order_by("pk").first()
        questioned = {
            "body": question.meeting.body.slug,
            "key": question.meeting.url_key,
        }
        call = {"pk": CallForAction.objects.order_by("pk").first().pk}
        recommendation = self.unpublished_case.recommendations.filter(
            agency_actions__isnull=False
        ).first()
        dhr_action = recommendation.agency_actions.first()
        samples: dict[str, dict[str, Any]] = {
            "meetings:body": {"slug": self.body},
            "kcsp:partnership": {"slug": self.partnership},
            "kcsp:partnership_logo": {"slug": self.partnership},
            "kcsp:partnership_sitemap": {"slug": self.partnership},
            "meetings:forward_plan": {"slug": self.body},
            "meetings:body_attendance": {"slug": self.body},
            "meetings:organisation_attendance": {
                "slug": self.own_action.owner_organisation.slug
            },
            "meetings:detail": meeting,
            "meetings:document": {
                "pk": self.document.pk,
                "filename": self.document.filename,
            },
            "meetings:agenda_pdf": meeting,
            "meetings:minutes_pdf": meeting,
            "meetings:pack_pdf": meeting,
            "meetings:pack": meeting,
            "meetings:staff_pack_pdf": meeting,
            "meetings:staff_pack": meeting,
            "manage:meeting": meeting,
            "manage:meeting_new": {"slug": self.body},
            "manage:agenda": meeting,
            "manage:agenda_start": drafting,
            "manage:section_add": meeting,
            "manage:agenda_offer": meeting,
            "manage:item": {**meeting, "pk": agenda_item.pk},
            "manage:item_move": {**meeting, "pk": agenda_item.pk},
            "manage:item_remove": {**meeting, "pk": agenda_item.pk},
            "manage:year": {"slug": self.body},
            "manage:publish": drafting,
            "manage:withdraw": meeting,
            "manage:meeting_change": meeting,
            "manage:supplement": meeting,
            "manage:election": drafting,
            "manage:members": {"slug": self.body},
            "manage:membership": {
                "slug": self.body,
                "pk": self.meeting.body.memberships.order_by("pk").first().pk,
            },
            "manage:declarations": meeting,
            "manage:redact": meeting,
            "meetings:questions": {"slug": question.meeting.body.slug},
            "meetings:question_confirm": {"token": "a-link-nobody-was-given"},
            "manage:questions": questioned,
            "manage:question": {**questioned, "pk": question.pk},
            "meetings:call": call,
            "manage:call": call,
            "meetings:petition": {"pk": petition.pk},
            "meetings:petition_sign": {"pk": petition.pk},
            "meetings:petition_confirm": {"token": "a-link-nobody-was-given"},
            "meetings:signature_confirm": {"token": "a-link-nobody-was-given"},
            "manage:petition": {"pk": petition.pk},
            "manage:vote": {
                **meeting,
                "pk": self.meeting.minutes.items.filter(resolutions__isnull=False)
                .first()
                .resolutions.first()
                .pk,
            },
            "meetings:minutes_item": {**drafting, "pk": minute_item.pk},
            "meetings:minutes_item_move": {**drafting, "pk": minute_item.pk},
            "meetings:minutes_item_delete": {**drafting, "pk": minute_item.pk},
            "meetings:minutes_item_action": {**drafting, "pk": minute_item.pk},
            "meetings:minutes_item_compare": {**drafting, "pk": minute_item.pk},
            "feeds:body_calendar": {"slug": self.body},
            "kcsp:action": {"pk": self.own_action.pk},
            "kcsp:action_evidence": {"pk": self.evidence_update.pk},
            "agreement:detail": {"slug": self.agreement.slug},
            "agreement:changes": {"slug": self.agreement.slug},
            "agreement:pdf": {"slug": self.agreement.slug},
            "agreement:assessment": {
                "partnership": self.assessment.partnership.slug,
                "year": self.assessment.year,
            },
            "agreement:assessment_document": {
                "partnership": self.assessment.partnership.slug,
                "year": self.assessment.year,
                "filename": self.assessment.filename,
            },
            "priorities:detail": {"slug": "domestic-abuse"},
            "dhr:review": {"slug": self.published_case.slug},
            "dhr:review_pdf": {"slug": self.published_case.slug},
            "dhr:document": {
                "slug": self.published_case.slug,
                "pk": self.case_document.pk,
                "filename": self.case_document.filename,
            },
            "dhr:case": {"pk": case_pk},
            "dhr:case_pdf": {"pk": case_pk},
            "dhr:publish": {"pk": case_pk},
            "dhr:document_add": {"pk": case_pk},
            "dhr:case_document": {
                "pk": self.published_case.pk,
                "document": self.case_document.pk,
                "filename": self.case_document.filename,
            },
            "dhr:recommendation_add": {"pk": case_pk},
            "dhr:action_add": {"pk": case_pk, "number": recommendation.number},
            "dhr:sign_off": {"pk": case_pk, "action": dhr_action.action_id},
            "two_factor_link": {"token": "a-link-nobody-was-given"},
            "kcsp:alert_confirm": {"token": "a-link-nobody-was-given"},
            "kcsp:alert_manage": {"token": "a-link-nobody-was-given"},
            "kcsp:alert_unsubscribe": {"token": "a-link-nobody-was-given"},
        }
        if name.startswith("meetings:minutes_"):
            samples.setdefault(name, drafting)
        if name.startswith("feeds:body_"):
            samples.setdefault(name, {"slug": self.body})
        if name.startswith("api:") and name.endswith("-detail"):
            return {"pk": self.api_sample(name.removeprefix("api:"))}
        return samples.get(name)

    def api_sample(self, route: str) -> int:
        """The id of a public record for an open data API detail address."""
        from meetings.models import Membership, Resolution
        from priorities.models import Priority

        minutes = self.meeting.minutes
        records = {
            "body-detail": self.meeting.body,
            "membership-detail": Membership.objects.filter(body=self.meeting.body)[0],
            "person-detail": Membership.objects.filter(body=self.meeting.body)[
                0
            ].person,
            "meeting-detail": self.meeting,
            "agenda-item-detail": self.meeting.items.filter(visibility="public")[0],
            "document-detail": self.document,
            "minute-item-detail": minutes.items.first(),
            "resolution-detail": Resolution.objects.filter(
                minute_item__minutes=minutes
            )[0],
            "agreement-detail": self.agreement,
            "priority-detail": Priority.objects.filter(agreement=self.agreement)[0],
            "action-detail": Action.objects.public()[0],
            "partnership-detail": self.meeting.body.partnership,
            "strategic-assessment-detail": self.assessment,
        }
        return records[route].pk


def build_world() -> World:
    call_command("load_demo", force=True, stdout=io.StringIO())
    body = "kent-community-safety-partnership"
    partner = get_user_model().objects.get(username="partner")
    own_org = partner.person.organisation
    own_action = Action.objects.filter(owner_organisation=own_org).open().first()
    update = kcsp_services.action_post_update(
        action=own_action,
        by=partner,
        text="Figures attached.",
        evidence=io.BytesIO(factories.pdf_bytes()),
        evidence_name="figures.pdf",
    )
    published = Case.objects.public_listing().first()
    published.action_plan_public = True
    published.save()
    unpublished = Case.objects.exclude(pk=published.pk).filter(
        recommendations__agency_actions__isnull=False
    )[0]
    # A district's assessment with its document (the demo's have none).
    dover = StrategicAssessment.objects.get(partnership__slug="dover", year=2010)
    assessment = agreement_services.strategic_assessment_record(
        partnership=dover.partnership,
        year=dover.year,
        priorities=dover.priority_list,
        summary=dover.summary,
        document=io.BytesIO(factories.pdf_bytes()),
        document_name="dover-strategic-assessment-2010.pdf",
    )
    county = Partnership.objects.get(slug="kent")
    county.logo.save("kcsp.png", ContentFile(factories.png_bytes()))
    return World(
        partnership=county.slug,
        body=body,
        meeting=Meeting.objects.get(body__slug=body, url_key="2022-03-24"),
        draft_meeting=Meeting.objects.get(
            body__slug="crime-and-disorder-committee", url_key="2011-07-08"
        ),
        document=Document.objects.filter(
            meeting__url_key="2022-03-24", visibility="public"
        ).first(),
        restricted_document=Document.objects.get(visibility="restricted"),
        exempt_document=Document.objects.get(visibility="exempt"),
        own_action=own_action,
        # An action of no public source is never public.
        other_action=kcsp_services.action_create(
            title="Review of the county lines referral pathway",
            owner_organisation=Organisation.objects.get(short_name="Kent Police"),
            reports_to=Meeting.objects.get(
                body__slug=body, url_key="2022-03-24"
            ).body.name,
        ),
        evidence_update=update,
        agreement=Agreement.objects.get(status="approved"),
        draft_agreement=Agreement.objects.get(status="draft"),
        published_case=published,
        unpublished_case=unpublished,
        case_document=dhr_factories.document(published),
        assessment=assessment,
    )


def patterns(
    entries: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(route, full name, pattern) of every URL pattern under `entries`."""
    for entry in entries:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else (entry.name or "")
            yield prefix + str(entry.pattern), name, entry


def site_patterns() -> list[tuple[str, str]]:
    """(route, name) of every page outside the admin, which is walked apart."""
    found = [
        (route, name)
        for route, name, _ in patterns(get_resolver().url_patterns)
        if not name.startswith("admin:")
    ]
    assert all(name for _, name in found), "Every page needs a URL name."
    return found


def url_for(world: World, name: str, route: str) -> str:
    kwargs = world.kwargs(name)
    if kwargs is None:
        assert "<" not in route, f"No sample arguments for {name} ({route})"
        kwargs = {}
    return reverse(name, kwargs=kwargs)
