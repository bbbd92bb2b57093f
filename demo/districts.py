"""Demo records of four district partnerships: Dover, Thanet, Maidstone and
Tunbridge Wells.

Everything here is invented for the demonstration: the people (none is a
real officer or councillor), their boards' meetings, minutes and actions,
and the partnerships' 2025 strategic assessments. Each board met in late
2025, when it agreed its priorities from its 2025 strategic assessment,
and again in 2026, when it approved the minutes of the first meeting; its
next meeting is a few weeks after the day the demo is loaded, with its
agenda published. The assessments name their priorities in the county
agreement's matrix vocabulary, so that the 2025 matrix shows which of the
four districts named each and the other seven as missing.

Runs after the agreement and priorities demos: the 2025 round of the matrix
belongs to the agreement in force.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from agreement.models import Agreement, AssessmentIssue, AssessmentRound
from agreement.services import strategic_assessment_record
from demo.agreement import MATRIX
from demo.directory import (
    P,
    organisation,
    organisations_by_short_name,
    upsert_person,
)
from demo.records import (
    APOLOGIES,
    DECLARATIONS,
    Entry,
    Papers,
    agenda,
    approve,
    at,
    held,
    meeting_on,
    membership,
    minute,
    minutes_of,
    post_update,
    previous_minutes,
    progress,
    publish,
    resolution_action,
    upsert_body,
)
from kcsp.formatting import long_date
from kcsp.models import Action, Partnership
from kcsp.workdays import local_datetime
from meetings import services
from meetings.models import AgendaItem, Body, Meeting, Membership, Minutes, Resolution

ASSESSMENT_YEAR = 2025
MEMBERS_FROM = "2025-06-01"
M = Membership.Role

# Six fictional people a district: who sits on its board, for whom, in what
# role (the chair first).
DISTRICT_PEOPLE: dict[str, list[tuple[P, str]]] = {
    "dover": [
        (P("Councillor", "H", "Marlowe-Finch", "Helen", org="Dover DC", job_title="Cabinet Member for Community Safety"), M.CHAIR),
        (P("Chief Inspector", "P", "Oduya", "Paul", org="Kent Police", job_title="District Commander, Dover"), M.VICE_CHAIR),
        (P("Ms", "K", "Trevanion", "Kerry", org="Dover DC", job_title="Community Safety Manager"), M.MEMBER),
        (P("Mr", "G", "Pennock", "Gareth", org="KFRS", job_title="Station Manager, Dover"), M.MEMBER),
        (P("Ms", "L", "Castellan", "Lucy", org="Dover DC", job_title="Head of Housing"), M.MEMBER),
        (P("Ms", "A", "Quarrie", "Anita", org="Probation", job_title="Head of Probation Delivery Unit, East Kent"), M.MEMBER),
    ],
    "thanet": [
        (P("Councillor", "J", "Brightling", "Jon", org="Thanet DC", job_title="Cabinet Member for Community Safety"), M.CHAIR),
        (P("Chief Inspector", "S", "Ravensworth", "Sara", org="Kent Police", job_title="District Commander, Thanet"), M.VICE_CHAIR),
        (P("Mr", "D", "Kittredge", "Dev", org="Thanet DC", job_title="Community Safety Manager"), M.MEMBER),
        (P("Ms", "R", "Ebbsworth", "Rachel", org="KFRS", job_title="Station Manager, Margate"), M.MEMBER),
        (P("Mrs", "N", "Sallis", "Nina", org="Thanet DC", job_title="Housing Options Manager"), M.MEMBER),
        (P("Dr", "M", "Okwuosa", "Miriam", org="ICB", job_title="Health and Care Partnership Lead, East Kent"), M.MEMBER),
    ],
    "maidstone": [
        (P("Councillor", "B", "Tillotson-Gray", "Barbara", org="Maidstone BC", job_title="Cabinet Member for Communities"), M.CHAIR),
        (P("Chief Inspector", "E", "Langridge", "Ed", org="Kent Police", job_title="District Commander, Maidstone"), M.VICE_CHAIR),
        (P("Mr", "F", "Aldous", "Frank", org="Maidstone BC", job_title="Community Protection Manager"), M.MEMBER),
        (P("Ms", "Y", "Ferrand", "Yvette", org="KFRS", job_title="Station Manager, Maidstone"), M.MEMBER),
        (P("Mr", "C", "Wetherell", "Colin", org="Maidstone BC", job_title="Head of Housing and Community Services"), M.MEMBER),
        (P("Ms", "I", "Pardoe", "Imogen", org="Probation", job_title="Head of Probation Delivery Unit, West Kent"), M.MEMBER),
    ],
    "tunbridge-wells": [
        (P("Councillor", "A", "Merriweather", "Alan", org="TWBC", job_title="Portfolio Holder for Community Safety"), M.CHAIR),
        (P("Chief Inspector", "J", "Haverfield", "Jo", org="Kent Police", job_title="District Commander, Tunbridge Wells"), M.VICE_CHAIR),
        (P("Ms", "P", "Stanbridge", "Priya", org="TWBC", job_title="Community Safety Manager"), M.MEMBER),
        (P("Mr", "N", "Cressey", "Neil", org="KFRS", job_title="Station Manager, Tunbridge Wells"), M.MEMBER),
        (P("Ms", "H", "Wedgbury", "Hannah", org="TWBC", job_title="Head of Housing Services"), M.MEMBER),
        (P("Mr", "R", "Ingledew", "Rob", org="ICB", job_title="Health Lead, West Kent"), M.MEMBER),
    ],
}  # fmt: skip


@dataclass(frozen=True)
class Local:
    """An item of local business: its title, what the minute says, what the
    board resolved, and the action it asked of a partner."""

    title: str
    minute: str
    resolved: str
    owner: str
    action: str


@dataclass(frozen=True)
class District:
    slug: str
    place: str
    council: str
    venue: str
    first: str
    second: str
    weeks_ahead: int
    priorities: list[str]
    summary: str
    first_local: Local
    second_local: Local
    plan_owner: str


DISTRICTS: list[District] = [
    District(
        slug="dover",
        place="Dover",
        council="Dover DC",
        venue="Council Chamber, Council Offices, Dover",
        first="2025-11-13",
        second="2026-06-11",
        weeks_ahead=4,
        priorities=["Domestic Abuse", "ASB/Environmental", "Substance Misuse", "Vulnerable Adults", "Vehicle Related"],
        summary="Sample summary for the demonstration: domestic abuse remains the "
        "largest source of repeat victims; anti-social behaviour is concentrated "
        "in the town centre; port traffic brings road safety concerns on the A20.",
        first_local=Local(
            title="Anti-social behaviour in Dover town centre",
            minute="The District Commander described the evening problems around "
            "the Market Square and the joint patrols tried over the summer.",
            resolved="RESOLVED that Kent Police report to the next meeting on the "
            "effect of the joint patrols in the town centre.",
            owner="Kent Police",
            action="Report on the effect of the town centre joint patrols",
        ),
        second_local=Local(
            title="Safeguarding vulnerable adults in temporary accommodation",
            minute="The Head of Housing reported on the checks made when people "
            "are placed in temporary accommodation out of the district.",
            resolved="RESOLVED that the housing team and the Probation Service agree "
            "a shared referral route for adults at risk placed in temporary "
            "accommodation.",
            owner="Probation",
            action="Agree a shared referral route for adults at risk in temporary accommodation",
        ),
        plan_owner="KFRS",
    ),
    District(
        slug="thanet",
        place="Thanet",
        council="Thanet DC",
        venue="Council Chamber, Council Offices, Margate",
        first="2025-11-20",
        second="2026-06-18",
        weeks_ahead=5,
        priorities=["ASB/Environmental", "Violence (other than DA)", "Domestic Abuse", "Vulnerable Adults", "Substance Misuse", "Young People"],
        summary="Sample summary for the demonstration: anti-social behaviour and "
        "violence in the night-time economy of the coastal towns lead the "
        "assessment, with young people's exposure to exploitation.",
        first_local=Local(
            title="Summer season on the seafront",
            minute="Partners reviewed the summer's incidents on the Margate and "
            "Ramsgate seafronts and the use of the dispersal powers.",
            resolved="RESOLVED that the Community Safety Manager report to the next "
            "meeting on the use of the dispersal powers over the summer.",
            owner="Thanet DC",
            action="Report on the use of dispersal powers over the summer season",
        ),
        second_local=Local(
            title="Young people and exploitation: schools outreach",
            minute="The Health and Care Partnership Lead described the outreach "
            "offered to secondary schools on exploitation and county lines.",
            resolved="RESOLVED that the outreach be offered to every secondary "
            "school in the district by the end of the school year.",
            owner="ICB",
            action="Offer the exploitation outreach to every secondary school",
        ),
        plan_owner="Kent Police",
    ),
    District(
        slug="maidstone",
        place="Maidstone",
        council="Maidstone BC",
        venue="Town Hall, High Street, Maidstone",
        first="2025-10-16",
        second="2026-05-21",
        weeks_ahead=6,
        priorities=["Violence (other than DA)", "Domestic Abuse", "Theft", "ASB/Environmental", "Young People"],
        summary="Sample summary for the demonstration: violence in the town "
        "centre and shoplifting rose; domestic abuse and young people's safety "
        "remain priorities.",
        first_local=Local(
            title="Shop theft in the town centre",
            minute="The Community Protection Manager presented the business crime "
            "figures and the work of the town centre retailers' group.",
            resolved="RESOLVED that Kent Police and the retailers' group report to "
            "the next meeting on the shop theft reporting scheme.",
            owner="Kent Police",
            action="Report on the shop theft reporting scheme",
        ),
        second_local=Local(
            title="Safer streets at night",
            minute="Members discussed lighting and the safe haven scheme in the "
            "town centre at night.",
            resolved="RESOLVED that the council survey the town centre's lighting "
            "with partners and report the findings.",
            owner="Maidstone BC",
            action="Survey town centre lighting with partners and report the findings",
        ),
        plan_owner="KFRS",
    ),
    District(
        slug="tunbridge-wells",
        place="Tunbridge Wells",
        council="TWBC",
        venue="Council Chamber, Town Hall, Royal Tunbridge Wells",
        first="2025-11-06",
        second="2026-06-04",
        weeks_ahead=7,
        priorities=["Domestic Abuse", "Burglary", "Theft", "Vehicle Related", "Public Perceptions"],
        summary="Sample summary for the demonstration: burglary and vehicle crime "
        "in the rural parishes, and residents' confidence in reporting, lead the "
        "assessment alongside domestic abuse.",
        first_local=Local(
            title="Burglary in the rural parishes",
            minute="The District Commander reported on burglaries of outbuildings "
            "and farm premises and the rural crime team's work with parish councils.",
            resolved="RESOLVED that Kent Police report to the next meeting on the "
            "property marking offered to rural households.",
            owner="Kent Police",
            action="Report on property marking for rural households",
        ),
        second_local=Local(
            title="Residents' confidence in reporting crime",
            minute="The Community Safety Manager presented the residents' survey "
            "on how safe people feel and how they report concerns.",
            resolved="RESOLVED that partners publish a joint guide on reporting "
            "crime and anti-social behaviour.",
            owner="TWBC",
            action="Publish a joint guide on reporting crime and anti-social behaviour",
        ),
        plan_owner="KFRS",
    ),
]  # fmt: skip

PLAN_ITEM = "Partnership plan 2026/27: delivery against the 2025 priorities"
PROGRESS_ITEM = "Action log and progress on the partnership's priorities"


def _assessment_item(district: District) -> str:
    return (
        f"{district.place} strategic assessment 2025 and the partnership's priorities"
    )


def _papers() -> Papers:
    papers: dict[str, list[str]] = {}
    for d in DISTRICTS:
        papers[_assessment_item(d)] = [
            d.summary,
            "The assessment recommends these priorities, highest first: "
            + "; ".join(d.priorities)
            + ".",
        ]
        papers[f"{d.place}: {PLAN_ITEM}"] = [
            f"Progress of the {d.place} partnership's action plan against each of "
            "the priorities it agreed from the 2025 strategic assessment.",
            "Sample paper for the demonstration.",
        ]
    return Papers(papers)


PAPERS = _papers()


def _board(district: District) -> Body:
    partnership = Partnership.objects.get(slug=district.slug)
    board = upsert_body(
        f"{district.slug}-community-safety-partnership-board",
        name=f"{partnership.name} Board",
        short_name=f"{district.place} CSP Board",
        partnership=partnership,
        kind=Body.Kind.PARTNERSHIP_BOARD,
        purpose=f"The board of the {partnership.name}: the council, the police, "
        "the fire and rescue service, probation, health and housing agree the "
        "partnership's priorities from its annual strategic assessment and "
        "oversee its action plan.",
        clerk_name=f"Community Safety Team, {organisation(district.council).name}",
    )
    orgs = organisations_by_short_name()
    for p, role in DISTRICT_PEOPLE[district.slug]:
        upsert_person(p, orgs)
        membership(board, p.surname, p.initials, role, MEMBERS_FROM, org=p.org)
    return board


def _coming_start(weeks: int) -> dt.datetime:
    """A Thursday at least `weeks` weeks after today, at 2.00 pm."""
    day = timezone.localdate() + dt.timedelta(weeks=weeks)
    day += dt.timedelta(days=(3 - day.weekday()) % 7)
    return local_datetime(day, dt.time(14))


def _meetings(district: District, board: Body) -> tuple[Meeting, Meeting, Meeting]:
    first = meeting_on(board, at(district.first, "14:00"), venue=district.venue)
    second = meeting_on(board, at(district.second, "14:00"), venue=district.venue)
    # The next meeting is a few weeks ahead of whenever the demo is loaded;
    # a later load keeps the one an earlier load made while it is still ahead.
    coming = (
        board.meetings.filter(start__gt=timezone.now()).order_by("start").first()
    ) or meeting_on(board, _coming_start(district.weeks_ahead), venue=district.venue)
    return first, second, coming


def _local_entry(local: Local) -> Entry:
    return (local.title, {"purpose": AgendaItem.Purpose.DECISION})


def _agendas(
    district: District, first: Meeting, second: Meeting, coming: Meeting
) -> None:
    # Each meeting's business after the apologies and declarations, and the
    # paper at one of its items (reference, title).
    meetings: list[tuple[Meeting, list[Entry], str, str]] = [
        (
            first,
            [
                (
                    _assessment_item(district),
                    {
                        "purpose": AgendaItem.Purpose.DECISION,
                        "presenter": "Community Safety Manager",
                    },
                ),
                _local_entry(district.first_local),
            ],
            "A3",
            _assessment_item(district),
        ),
        (
            second,
            [
                previous_minutes(long_date(first.date), "Minutes"),
                (PLAN_ITEM, {"purpose": AgendaItem.Purpose.DECISION}),
                _local_entry(district.second_local),
            ],
            "A4",
            f"{district.place}: {PLAN_ITEM}",
        ),
        (
            coming,
            [
                previous_minutes(long_date(second.date), "Minutes"),
                (PROGRESS_ITEM, {"purpose": AgendaItem.Purpose.NOTING}),
            ],
            "",
            "",
        ),
    ]
    for meeting, business, reference, paper in meetings:
        items = agenda(
            meeting, [("A", "Business", [APOLOGIES, DECLARATIONS, *business])]
        )
        if paper:
            PAPERS.add(meeting, items.get(reference), paper)
    for meeting in (first, second):
        publish(meeting, meeting.start - dt.timedelta(days=10))
        held(meeting)
    publish(coming, min(timezone.now(), coming.start - dt.timedelta(days=10)))


def _minuted(
    meeting: Meeting, items: list[tuple[str, list[str], services.ResolutionInput]]
) -> Minutes:
    """The meeting's minutes: while in draft, everyone present, each agenda
    item (reference, paragraphs, resolution) minuted, and the draft
    published a week after the meeting."""
    minutes = minutes_of(meeting)
    if minutes.status == Minutes.Status.DRAFT:
        services.attendance_mark_present(meeting=meeting)
        for reference, paragraphs, resolved in items:
            minute(minutes, reference, paragraphs, [resolved])
        services.minutes_publish_draft(
            minutes=minutes, at=meeting.start + dt.timedelta(days=7)
        )
    return minutes


def _minutes(district: District, first: Meeting, second: Meeting) -> None:
    R = services.ResolutionInput
    minutes = _minuted(
        first,
        [
            (
                "A3",
                [
                    "The Community Safety Manager presented the 2025 strategic "
                    "assessment, built from the partners' data for the year to "
                    "September.",
                ],
                R(
                    text="RESOLVED that the partnership agreed its priorities from "
                    "the 2025 strategic assessment, highest first: "
                    f"{'; '.join(district.priorities)}.",
                    kind="agreed",
                ),
            ),
            (
                "A4",
                [district.first_local.minute],
                R(text=district.first_local.resolved, kind="requested"),
            ),
        ],
    )
    later = _minuted(
        second,
        [
            (
                "A4",
                [
                    "Partners reported progress on each of the priorities agreed "
                    "from the 2025 strategic assessment.",
                ],
                R(
                    text="RESOLVED that the plan be agreed, and that the fire and "
                    "rescue service lead a joint home safety visit campaign for "
                    "vulnerable residents, reporting to the next meeting.",
                    kind="agreed",
                ),
            ),
            (
                "A5",
                [district.second_local.minute],
                R(text=district.second_local.resolved, kind="agreed"),
            ),
        ],
    )
    approve(minutes, by=later, reference="A3")


def _actions(district: District, first: Meeting, second: Meeting) -> None:
    def resolution(meeting: Meeting, reference: str) -> Resolution:
        return Resolution.objects.get(
            minute_item__minutes__meeting=meeting,
            minute_item__agenda_reference=reference,
        )

    asked = [
        (first, "A3", district.council, "2026-03-31", "Set up a delivery group for each of the 2025 priorities"),
        (first, "A4", district.first_local.owner, None, district.first_local.action),
        (second, "A4", district.plan_owner, None, "Lead a joint home safety visit campaign for vulnerable residents"),
        (second, "A5", district.second_local.owner, "2027-03-31", district.second_local.action),
    ]  # fmt: skip
    # Where the actions first asked for had got to: (meeting, reference,
    # update, status, RAG, when).
    updates = [
        (first, "A3", "Delivery groups for domestic abuse and anti-social behaviour have met; the others meet in the spring.", Action.Status.IN_PROGRESS, Action.Rag.AMBER, first.start + dt.timedelta(days=60)),
        (first, "A4", "The report was circulated to members ahead of the next meeting.", Action.Status.COMPLETE, Action.Rag.GREEN, second.start - dt.timedelta(days=14)),
    ]  # fmt: skip
    made: dict[tuple[str, int], Action] = {}
    for meeting, reference, owner, due, title in asked:
        decided = resolution(meeting, reference)
        if not decided.actions.exists():
            link = resolution_action(decided, organisation(owner), due, title)
            made[reference, meeting.pk] = link.action
    for meeting, reference, text, status, rag, posted in updates:
        action = made.get((reference, meeting.pk))
        if action is not None:
            post_update(action, text, status=status, rag=rag, posted_at=posted)
            progress(action, status, rag, on=posted)


def _assessments() -> None:
    for district in DISTRICTS:
        partnership = Partnership.objects.get(slug=district.slug)
        if partnership.strategic_assessments.filter(year=ASSESSMENT_YEAR).exists():
            continue
        title = _assessment_item(district)
        strategic_assessment_record(
            partnership=partnership,
            year=ASSESSMENT_YEAR,
            priorities=district.priorities,
            summary=district.summary,
            document=PAPERS.pdf(title),
            document_name=PAPERS.filename(title),
        )


def _round_2025() -> AssessmentRound | None:
    """The 2025 round of the matrix, with the agreement in force: the
    districts' latest assessments beside those the agreement was built on."""
    current = Agreement.objects.current().first()
    if current is None:
        return None
    round_, created = AssessmentRound.objects.get_or_create(
        agreement=current,
        label="2025/26",
        defaults={
            "year": ASSESSMENT_YEAR,
            "conducted": "2025",
            "method": "Sample round for the demonstration: the district "
            "partnerships' 2025 strategic assessments recorded on the portal so "
            "far, in the county matrix's terms.",
        },
    )
    if created:
        for order, (name, _common, note) in enumerate(MATRIX):
            AssessmentIssue.objects.create(
                round=round_,
                name=name,
                highlighted=sum(name in d.priorities for d in DISTRICTS) >= 3,
                note=note,
                order=order,
            )
    return round_


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    for district in DISTRICTS:
        board = _board(district)
        first, second, coming = _meetings(district, board)
        _agendas(district, first, second, coming)
        _minutes(district, first, second)
        _actions(district, first, second)
    _assessments()
    _round_2025()
    log(
        f"Districts: {len(DISTRICTS)} partnerships' boards, "
        f"{Meeting.objects.filter(body__partnership__slug__in=[d.slug for d in DISTRICTS]).count()} "
        "meetings and their 2025 strategic assessments."
    )
