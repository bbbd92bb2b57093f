"""Demo bodies, meetings and agendas rebuilt from the published records.

The Kent Community Safety Partnership meetings of 19 March 2015 and 24 March
2022 and the Crime and Disorder Committee of 6 April 2010 and 8 July 2011 are
as the seeds record them. Meetings after today are invented, to show the
calendar, an exempt item and a restricted paper.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from demo.directory import organisations_by_short_name
from demo.records import (
    APOLOGIES,
    DECLARATIONS,
    Entry,
    Papers,
    agenda,
    at,
    held,
    meeting_on,
    membership,
    minute,
    minutes_of,
    previous_minutes,
    publish,
    titled,
    upsert_body,
)
from kcsp.visibility import ExemptParagraph, Visibility
from meetings import services
from meetings.models import (
    AgendaItem,
    Body,
    CallForAction,
    Document,
    ForwardPlanItem,
    Meeting,
    Membership,
    Minutes,
    Petition,
    PetitionSignature,
    PublicQuestion,
    RecurringItem,
    StandardItem,
)

DARENT_ROOM = "Darent Room, Sessions House, County Hall, Maidstone"

KCSP_PURPOSE = (
    "The Kent Community Safety Partnership (KCSP) brings together the county's "
    "statutory partners - Kent Police, Kent Fire and Rescue Service, the Probation "
    "Service, health, Kent County Council and the district and borough councils - "
    "with the chairs of the local Community Safety Partnerships. It is responsible "
    "for the Kent Community Safety Agreement, commissions Domestic Homicide Reviews "
    "and reports on community safety priorities to the Police and Crime "
    "Commissioner."
)
CDC_PURPOSE = (
    "The County Council's scrutiny committee for crime and disorder matters "
    "(Police and Justice Act 2006, section 19). It reviews and scrutinises "
    "decisions made, or other action taken, by the authorities responsible for "
    "crime and disorder strategies, as a critical friend of the community safety "
    "partnership: it looks at the partnership as a whole, not at individual "
    "organisations or officers. A partner required to attend or to provide "
    "information is given at least 28 days' notice, and a responsible authority "
    "must respond in writing to a formal recommendation within 28 days."
)


# Demo papers: titles and the words on their one page.
DEMO_PAPERS: dict[str, list[str]] = {
    "Kent Community Safety Agreement review and refresh": [
        "The report sets out the review of the Kent Community Safety "
        "Agreement, considering local strategic assessments, partnership "
        "plans, emerging issues and new legislation.",
        "It proposes that Violence Against Women and Girls is included "
        "within the Domestic Abuse priority, and that the cross-cutting "
        "theme 'Response and Recovery from the COVID-19 pandemic' is "
        "renamed 'Response and Recovery from Significant events'.",
    ],
    "Police and Crime Commissioner's response to mental health": [
        "Section 136 detentions have continued to reduce since December 2019."
    ],
    "Performance by exception, quarter 2": [
        "Two measures are off target; one action is rated red."
    ],
    "Partner performance dashboard": [
        "Detailed partner-level figures for officers only."
    ],
    "DHR case progress report": ["Case-by-case progress of reviews in hand."],
    "Performance by exception: partners' commentary": [
        "Each partner's account of the measures off target and what it is doing."
    ],
    "Partnership performance, quarter 2": [
        "Officers' summary of the measures and actions for the working group."
    ],
    "Hate crime in Kent: annual report": [
        "Reported hate crime rose on the year, in part through better recording."
    ],
    "Protocol for the operation of the Crime and Disorder Committee": [
        "Approved by Kent County Council on 10 December 2009.",
        "A minimum of 28 days notice will be given of the requirement "
        "to attend, except in the case of urgent items.",
        "Once a formal recommendation or report is made to a "
        "responsible authority, the authority is required to respond "
        "in writing to the Committee within 28 days.",
    ],
    "Kent Community Safety Agreement, April 2011 to March 2014": [
        "The identified county wide priorities for 2011-2014 are: "
        "anti-social behaviour including environmental; domestic "
        "abuse; substance misuse; acquisitive crime; violent crime; "
        "road safety.",
        "That Members of the Crime & Disorder Scrutiny Committee note "
        "the contents of the report.",
    ],
}
PAPERS = Papers(DEMO_PAPERS)


def _kcsp(log: Callable[[str], None]) -> None:
    kcsp = _kcsp_bodies()
    _kcsp_members(kcsp)
    held(meeting_on(kcsp, at("2014-10-08"), venue=DARENT_ROOM))
    _kcsp_2015(kcsp)
    meeting_on(kcsp, at("2015-10-08"), venue=DARENT_ROOM)
    held(meeting_on(kcsp, at("2021-11-18"), online=True))
    _kcsp_2022(kcsp)
    _kcsp_coming(kcsp)
    meeting_on(kcsp, at("2027-03-18"), online=True)
    log(f"Meetings: {kcsp.meetings.count()} of the {kcsp.short_name}.")


def _kcsp_bodies() -> Body:
    """The partnership, its working group and its review board."""
    kcsp = upsert_body(
        "kent-community-safety-partnership",
        name="Kent Community Safety Partnership",
        short_name="KCSP",
        kind=Body.Kind.PARTNERSHIP_BOARD,
        purpose=KCSP_PURPOSE,
        clerk_name="Kent Community Safety Team",
        clerk_email="communitysafetyunit@kent.gov.uk",
        accepts_questions=True,
        accepts_petitions=True,
        petition_threshold=50,
        order=1,
    )
    upsert_body(
        "kcsp-working-group",
        name="KCSP Working Group",
        kind=Body.Kind.WORKING_GROUP,
        parent=kcsp,
        purpose="Senior officers of the statutory partners who prepare the "
        "partnership's business and oversee the Crime Reduction Grant.",
        is_public=False,
        order=3,
    )
    upsert_body(
        "kent-and-medway-dhr-board",
        name="Kent and Medway Domestic Homicide Review Board",
        short_name="DHR Board",
        kind=Body.Kind.SUB_GROUP,
        parent=kcsp,
        purpose="Oversees Domestic Homicide Reviews commissioned by the partnership "
        "and signs off the agencies' actions.",
        is_public=False,
        order=4,
    )
    return kcsp


def _kcsp_members(kcsp: Body) -> None:
    """The chair and vice-chair, and the members of 2014-16 and from 2021."""
    M = Membership.Role
    membership(kcsp, "Hill", "P M", M.CHAIR, "2007-04-01", org="KCC")
    membership(kcsp, "Rivers", "J", M.VICE_CHAIR, "2015-03-19", org="KALC")
    for surname, initials, org in [
        ("Martin", "E", ""),
        ("Cooke", "Z", ""),
        ("Coffey", "V", ""),
        ("Russell", "L", "Kent Police"),
        ("Leney", "J", ""),
        ("Davison", "S", ""),
        ("Carmichael", "J", ""),
        ("Stepney", "M", "OPCC"),
        ("Adams", "M", "KFRS"),
        ("Allen", "C", "KSS CRC"),
    ]:
        membership(
            kcsp, surname, initials, M.MEMBER, "2014-05-01", "2016-05-31", org=org
        )
    for surname, initials, org in [
        ("Brinson", "S", "KCC"),
        ("Burbeck", "M", ""),
        ("Collins", "C", ""),
        ("Creaton", "T", ""),
        ("Harper", "A", "OPCC"),
        ("Hinds", "J", ""),
        ("Julian", "C", ""),
        ("Keers", "D", ""),
        ("King", "B", ""),
        ("McMahon", "L", ""),
        ("McMullan", "R", ""),
        ("Mital", "V", ""),
        ("Mookherjee", "J", "Public Health"),
        ("Oates", "A", ""),
        ("Peerbux", "S", "KCC"),
        ("Platt", "B", ""),
        ("Powell", "M", "VRU"),
        ("Robson", "S", ""),
        ("Satchell", "D", ""),
        ("Steenhuis", "P", ""),
        ("Taylor", "J", ""),
        ("Widden", "V", ""),
        ("Wilkinson", "N", "KCC"),
    ]:
        membership(kcsp, surname, initials, M.MEMBER, "2021-05-01", org=org)


def _kcsp_2015(kcsp: Body) -> None:
    """The meeting of 19 March 2015 with its agenda as published."""
    m2015 = meeting_on(kcsp, at("2015-03-19"), venue=DARENT_ROOM)
    agenda(
        m2015,
        [
            (
                "A",
                "Committee Business",
                [
                    APOLOGIES,
                    DECLARATIONS,
                    previous_minutes("8 October 2014"),
                    (
                        "Election of Vice-Chairman",
                        {"purpose": AgendaItem.Purpose.DECISION},
                    ),
                ],
            ),
            (
                "B",
                "Items for consideration",
                [
                    (
                        "Community Safety Integration Project",
                        {"presenter": "Mr M Adams, Kent Fire and Rescue Service"},
                    ),
                    ("Final Community Warden Model", {"presenter": "Mr S Beaumont"}),
                    (
                        "CSA Update Performance Report",
                        {"presenter": "Mr S Beaumont, Mr J Parris"},
                    ),
                    (
                        "MARAC Consultation - Verbal Update",
                        {"presenter": "Ms A Gilmour"},
                    ),
                    (
                        "Community Safety Conference - Verbal Update",
                        {"presenter": "Mr M Adams"},
                    ),
                    (
                        "Child Sexual Exploitation update - Verbal Update",
                        {
                            "presenter": "Mr M Stepney, Office of the Police and Crime Commissioner"
                        },
                    ),
                    ("KCST / Partnership update", {"presenter": "Mr M Adams"}),
                ],
            ),
            (
                "C",
                "Dates of meetings",
                [
                    ("Date of next meeting", {"standard": StandardItem.MEETING_DATES}),
                ],
            ),
            (
                "D",
                "Updates",
                [
                    (
                        "Domestic Homicide Review (DHR) Update",
                        {"presenter": "Mr S Beaumont, Ms A Gilmour"},
                    ),
                    ("Prevent", {"presenter": "DS Burns and DS Roullier, Kent Police"}),
                ],
            ),
        ],
    )
    publish(m2015, at("2015-03-10", "16:00"))
    held(m2015)


def _kcsp_2022(kcsp: Body) -> None:
    """The meeting of 24 March 2022 with its agenda and two of its papers."""
    m2022 = meeting_on(kcsp, at("2022-03-24"), online=True)
    items = agenda(
        m2022,
        [
            (
                "A",
                "Committee Business",
                [
                    APOLOGIES,
                    DECLARATIONS,
                    ("Substitutes", {"standard": StandardItem.SUBSTITUTES}),
                    previous_minutes("18 November 2021"),
                ],
            ),
            (
                "B",
                "Items for consideration",
                [
                    (
                        "Kent Community Safety Agreement Review and Refresh",
                        {
                            "presenter": "Mr S Peerbux, Ms S Brinson",
                            "purpose": AgendaItem.Purpose.DECISION,
                        },
                    ),
                    (
                        "Kent Community Safety Partnership Working Group Update",
                        {
                            "presenter": "Mr S Peerbux",
                            "purpose": AgendaItem.Purpose.NOTING,
                        },
                    ),
                    (
                        "Kent Police and Crime Commissioners response to Mental Health",
                        {"presenter": "Mr A Harper"},
                    ),
                    (
                        "Kent and Medway Violence Reduction Unit Update",
                        {"presenter": "Mr M Powell"},
                    ),
                    ("Zero Casualty Strategy Update", {"presenter": "Mr R McMullan"}),
                ],
            ),
            (
                "C",
                "Dates of meetings",
                [
                    (
                        "Date of meetings in 2022",
                        {"standard": StandardItem.MEETING_DATES},
                    ),
                ],
            ),
            (
                "D",
                "Updates",
                [
                    ("Domestic Homicide Review Update", {"presenter": "Mr S Peerbux"}),
                    (
                        "Kent and Medway PREVENT Duty Delivery Update",
                        {"presenter": "Mr N Wilkinson"},
                    ),
                    ("Kent and Medway Joint Exploitation Group Update", {}),
                ],
            ),
        ],
    )
    PAPERS.attach(
        m2022,
        items,
        [
            ("B1", "Kent Community Safety Agreement review and refresh", {}),
            ("B3", "Police and Crime Commissioner's response to mental health", {}),
        ],
    )
    publish(m2022, at("2022-03-15", "12:00"))
    held(m2022)


def _kcsp_coming(kcsp: Body) -> None:
    """An invented coming meeting, published with an exempt item and a
    restricted paper (the one after it is only scheduled)."""
    upcoming = meeting_on(kcsp, at("2026-12-10"), online=True)
    future = agenda(
        upcoming,
        [
            (
                "A",
                "Committee Business",
                [
                    APOLOGIES,
                    DECLARATIONS,
                    previous_minutes("24 March 2022"),
                ],
            ),
            (
                "B",
                "Items for consideration",
                [
                    (
                        "Community Safety Agreement performance by exception",
                        {
                            "presenter": "Head of Community Safety, KCC",
                            "purpose": AgendaItem.Purpose.NOTING,
                            "description": "<p>Measures off target and actions rated red.</p>",
                        },
                    ),
                    (
                        "Vision Zero road safety strategy: annual update",
                        {"presenter": "Kent and Medway Safer Roads Partnership"},
                    ),
                ],
            ),
            (
                "D",
                "Exempt items",
                [
                    (
                        "Domestic Homicide Review case progress",
                        {
                            "visibility": Visibility.EXEMPT,
                            "exempt_paragraph": ExemptParagraph.IDENTITY,
                            "description": "<p>Progress of reviews in hand, by case.</p>",
                            "public_interest_statement": "Publishing before the reviews are "
                            "approved could identify the families involved.",
                        },
                    ),
                ],
            ),
        ],
    )
    PAPERS.attach(
        upcoming,
        future,
        [
            ("B1", "Performance by exception, quarter 2", {}),
            (
                "B1",
                "Partner performance dashboard",
                {"visibility": Visibility.RESTRICTED},
            ),
            (
                "D1",
                "DHR case progress report",
                {
                    "visibility": Visibility.EXEMPT,
                    "exempt_paragraph": ExemptParagraph.IDENTITY,
                },
            ),
        ],
    )
    publish(upcoming, at("2026-11-20", "12:00"))


def _crime_and_disorder(log: Callable[[str], None]) -> None:
    cdc = upsert_body(
        "crime-and-disorder-committee",
        name="Crime and Disorder Committee",
        short_name="Communities POSC (Crime and Disorder)",
        kind=Body.Kind.SCRUTINY_COMMITTEE,
        purpose=CDC_PURPOSE,
        clerk_name="Denise Fitch",
        clerk_phone="01622 694269",
        shows_political_groups=True,
        order=2,
    )
    _cdc_members(cdc)
    _cdc_members_2025(cdc)
    _cdc_2010(cdc)
    _cdc_2011(cdc)
    _cdc_csa_scrutiny(cdc)
    log(f"Meetings: {cdc.meetings.count()} of the Crime and Disorder Committee.")


def _cdc_members(cdc: Body) -> None:
    """The committee as it sat from June 2009 to May 2013."""
    M = Membership.Role
    start, end = "2009-06-04", "2013-05-01"
    for surname, initials, role, group in [
        ("Tweed", "E M", M.CHAIR, "Conservative"),
        ("Burgess", "R B", M.MEMBER, "Conservative"),
        ("Chell", "A R", M.VICE_CHAIR, "Conservative"),
        ("Craske", "H J", M.MEMBER, "Conservative"),
        ("Hohler", "A", M.MEMBER, "Conservative"),
        ("Law", "J P", M.MEMBER, "Conservative"),
        ("Ozog", "J M", M.MEMBER, "Conservative"),
        ("Tolputt", "R", M.MEMBER, "Conservative"),
        ("Waters", "C J", M.MEMBER, "Conservative"),
        ("Willicombe", "A T", M.MEMBER, "Conservative"),
        ("Chittenden", "I S", M.MEMBER, "Liberal Democrat"),
        ("Green", "E", M.MEMBER, "Labour"),
    ]:
        membership(cdc, surname, initials, role, start, end, group=group)


# The committee from the county council elections of May 2025: invented
# members, so that its recent meeting has members present to vote.
CDC_2025 = [
    ("Councillor", "Hartnell", "G M", Membership.Role.CHAIR, "Reform UK"),
    ("Councillor", "Okonedo", "F", Membership.Role.VICE_CHAIR, "Reform UK"),
    ("Councillor", "Brackley", "T J", Membership.Role.MEMBER, "Reform UK"),
    ("Councillor", "Fairweather", "L", Membership.Role.MEMBER, "Reform UK"),
    ("Councillor", "Dunmore", "P A", Membership.Role.MEMBER, "Conservative"),
    ("Councillor", "Sefton", "R", Membership.Role.MEMBER, "Liberal Democrat"),
    ("Councillor", "Ellery", "M C", Membership.Role.MEMBER, "Green"),
]


def _cdc_members_2025(cdc: Body) -> None:
    for title, surname, initials, role, group in CDC_2025:
        titled(title, surname, initials)
        membership(cdc, surname, initials, role, "2025-05-22", group=group)


def _cdc_2010(cdc: Body) -> None:
    """The committee's first meeting, of 6 April 2010."""
    m2010 = meeting_on(cdc, at("2010-04-06"), venue=DARENT_ROOM)
    agenda(
        m2010,
        [
            (
                "B",
                "Items for consideration",
                [
                    (
                        "Brief induction - setting out the framework for the operation of this "
                        "Committee",
                        {"presenter": "Mr S Beaumont, Mr J Parris"},
                    ),
                    (
                        "The differing use of powers held by Police Community Support Officers "
                        "(PCSOs) across the County",
                        {"presenter": "Chief Inspector R Nyman"},
                    ),
                    ("CCTV Monitoring", {"presenter": "Mr P M Hill, OBE"}),
                    (
                        "Countywide arrangements in place for overview and scrutiny of CDRPs",
                        {"presenter": "Mr P D Wickenden"},
                    ),
                ],
            ),
        ],
    )
    publish(m2010, at("2010-03-26", "12:00"))
    held(m2010)


# The seeds' two items heard outside the partnership's own meetings. Neither
# page gives its meeting's date: the days below are illustrative, in the
# years the items' contents place them.
CSA_SCRUTINY_DAY = "2018-11-21"
CSA_SCRUTINY_ITEM = "Kent Community Safety Agreement"
KNIFE_CRIME_DAY = "2019-06-12"
KNIFE_CRIME_ITEM = (
    "Mr P M Hill, OBE (Cabinet Member for Community and Regulatory Services) "
    "and Mr S Peerbux (Head of Community Safety, Public Protection Service)"
)
KNIFE_CRIME_PURPOSE = (
    "A select committee of Kent County Council's members, appointed in 2019 to "
    "look into knife crime in the county: it heard witnesses from the "
    "partnership, the police, schools and the voluntary sector, and reported "
    "with recommendations to the County Council."
)


def _cdc_csa_scrutiny(cdc: Body) -> None:
    """The committee's annual look at the Community Safety Agreement, with the
    partnership's chairman and its partners (seed 000)."""
    _held_with_one_item(
        cdc,
        CSA_SCRUTINY_DAY,
        "Items for consideration",
        (
            CSA_SCRUTINY_ITEM,
            {
                "purpose": AgendaItem.Purpose.NOTING,
                "presenter": "Mr P M Hill, OBE, Mr S Peerbux",
            },
        ),
        notice_days=10,
    )


def _held_with_one_item(
    body: Body, day: str, section: str, entry: Entry, *, notice_days: int
) -> None:
    """A meeting in the Darent Room on `day` whose agenda is one item in
    section B, published `notice_days` before it, and held."""
    meeting = meeting_on(body, at(day), venue=DARENT_ROOM)
    agenda(meeting, [("B", section, [entry])])
    publish(meeting, at(day, "12:00") - dt.timedelta(days=notice_days))
    held(meeting)


def _knife_crime(log: Callable[[str], None]) -> None:
    """The Knife Crime Select Committee's witness session with the
    partnership's chairman and the head of community safety (seed 004)."""
    select = upsert_body(
        "knife-crime-select-committee",
        name="Knife Crime Select Committee",
        kind=Body.Kind.SELECT_COMMITTEE,
        purpose=KNIFE_CRIME_PURPOSE,
        order=5,
    )
    _held_with_one_item(
        select,
        KNIFE_CRIME_DAY,
        "Witness sessions",
        (KNIFE_CRIME_ITEM, {"purpose": AgendaItem.Purpose.INFORMATION}),
        notice_days=7,
    )
    log(f"Meetings: {select.meetings.count()} of the Knife Crime Select Committee.")


def _cdc_2011(cdc: Body) -> None:
    """The meeting of 8 July 2011 with its agenda and two of its papers."""
    m2011 = meeting_on(cdc, at("2011-07-08", "14:00"), venue=DARENT_ROOM)
    items = agenda(
        m2011,
        [
            (
                "A",
                "Committee Business",
                [
                    ("Substitutes", {"standard": StandardItem.SUBSTITUTES}),
                    (
                        "Declarations of Interests by Members in items on the Agenda for this "
                        "meeting",
                        {"standard": StandardItem.DECLARATIONS},
                    ),
                    (
                        "Minutes of the meeting held on 6 April 2010",
                        {
                            "standard": StandardItem.PREVIOUS_MINUTES,
                            "page_from": 1,
                            "page_to": 7,
                            "purpose": AgendaItem.Purpose.DECISION,
                            "description": "<p>The Protocol for the operation of the Crime and "
                            "Disorder Committee is attached for information (pages 1 - 4).</p>"
                            "<p>Matters arising from the minutes (pages 5 - 7): updates on</p>"
                            "<ul><li>CCTV</li><li>Powers of Police Community Support Officers "
                            "(PCSOs)</li></ul>",
                        },
                    ),
                ],
            ),
            (
                "B",
                "Items for consideration",
                [
                    (
                        "Presentation from Kent Police on their new structure",
                        {"purpose": AgendaItem.Purpose.INFORMATION},
                    ),
                    (
                        "Presentation from Kent Fire and Rescue Service on its new structure",
                        {"purpose": AgendaItem.Purpose.INFORMATION},
                    ),
                    (
                        "Community Safety Agreement 2011-14",
                        {
                            "page_from": 9,
                            "page_to": 30,
                            "purpose": AgendaItem.Purpose.NOTING,
                            "presenter": "Mr S Beaumont, Head of Community Safety",
                        },
                    ),
                ],
            ),
        ],
    )
    PAPERS.attach(
        m2011,
        items,
        [
            (
                "A3",
                "Protocol for the operation of the Crime and Disorder Committee",
                {},
            ),
            ("B3", "Kent Community Safety Agreement, April 2011 to March 2014", {}),
        ],
    )
    publish(m2011, at("2011-06-30", "12:00"))
    held(m2011)


def _work(log: Callable[[str], None]) -> None:
    """Recurring items and the forward plan of the partnership."""
    kcsp = Body.objects.get(slug="kent-community-safety-partnership")
    orgs = organisations_by_short_name()
    for title, month, presenter in [
        (
            "Annual update on mental health",
            3,
            "Office of the Police and Crime Commissioner",
        ),
        (
            "Kent Community Safety Agreement: annual review and refresh",
            3,
            "Head of Community Safety, KCC",
        ),
    ]:
        RecurringItem.objects.update_or_create(
            body=kcsp, title=title, defaults={"month": month, "presenter": presenter}
        )
    upcoming = Meeting.objects.filter(body=kcsp, url_key="2027-03-18").first()
    if upcoming:
        ForwardPlanItem.objects.update_or_create(
            body=kcsp,
            meeting=upcoming,
            title="Serious Violence Duty: partnership response",
            defaults={"partner_to_attend": orgs["VRU"]},
        )
    log(f"Forward plan: {ForwardPlanItem.objects.count()} items.")


def _recent(log: Callable[[str], None]) -> None:
    """Invented meetings of this autumn left as a clerk finds them mid-week:
    the working group's minutes still in draft with attendance to record, the
    committee's draft minutes awaiting approval, and a late paper waiting for
    the partnership's first supplementary agenda."""
    kcsp = Body.objects.get(slug="kent-community-safety-partnership")
    upcoming = kcsp.meetings.filter(url_key="2026-12-10").first()
    report = (
        upcoming.items.filter(number=1, section__letter="B").first()
        if upcoming
        else None
    )
    late = "Performance by exception: partners' commentary"
    if report is not None and not report.documents.filter(title=late).exists():
        services.agenda_paper_add(
            item=report,
            upload=PAPERS.pdf(late),
            name="performance-by-exception-partners-commentary.pdf",
            title=late,
            kind=Document.Kind.APPENDIX,
        )
    group = Body.objects.get(slug="kcsp-working-group")
    _recently_held(group, "2026-11-12", "Partnership performance, quarter 2")
    cdc = Body.objects.get(slug="crime-and-disorder-committee")
    minutes = _recently_held(
        cdc,
        "2026-09-24",
        "Hate crime in Kent: annual report",
        questions=True,
        more=[(CALL_ITEM, {"purpose": AgendaItem.Purpose.DECISION})],
    )
    if minutes.status == minutes.Status.DRAFT:
        services.attendance_mark_present(meeting=minutes.meeting)
        item = minute(
            minutes,
            "A2",
            ["Members asked how the rise in reports compared nationally."],
            [
                services.ResolutionInput(
                    text="RESOLVED that the report be noted, and that the "
                    "partnership be asked to report the figures for each district "
                    "to the committee's next meeting.",
                    kind="agreed",
                )
            ],
        )
        services.resolution_vote_count(
            resolution=item.resolutions.get(), votes_for=6, votes_against=0, abstained=1
        )
        _call_minute(minutes)
        minute(
            minutes,
            "A3",
            [
                "The Chairman read out the two questions received from the "
                "public; the first was answered at the meeting and the "
                "Chairman undertook to reply to the second in writing."
            ],
            [],
        )
        services.minutes_publish_draft(minutes=minutes, at=at("2026-10-01", "16:00"))
    log("Recent meetings: draft minutes, minutes to approve, a late paper waiting.")


def _recently_held(
    body: Body,
    day: str,
    report: str,
    questions: bool = False,
    more: list[Entry] | None = None,
) -> Minutes:
    """A meeting held on `day` with one report (and with `questions`, an item
    for the public's questions after it, and `more` items after that), its
    minutes started."""
    meeting = meeting_on(body, at(day), online=True)
    business: list[Any] = [
        APOLOGIES,
        (report, {"presenter": "Community Safety Team, KCC"}),
    ]
    if questions:
        business.append(
            ("Public questions", {"standard": StandardItem.PUBLIC_QUESTIONS})
        )
    business += more or []
    items = agenda(meeting, [("A", "Business", business)])
    if questions:
        _public_questions(meeting)
    PAPERS.add(meeting, items.get("A2"), report)
    publish(meeting, at(day, "09:00") - dt.timedelta(days=10))
    held(meeting)
    return minutes_of(meeting)


# Invented questions from the public: one with its asker's name and the
# answer given at the meeting, one whose asker kept their name private.
DEMO_QUESTIONS = [
    (
        "Mrs J Ashdown",
        True,
        "Reports of hate crime on buses in Maidstone rose last year. What is "
        "the partnership doing with the bus companies to help passengers "
        "report incidents?",
        "The Community Safety Team and Kent Police are working with the two "
        "main bus operators on a poster campaign and a text number for "
        "reporting; drivers have had training since June.",
    ),
    (
        "Mr R Quillfeather",
        False,
        "Will the annual report show figures for each district as well as "
        "for Kent as a whole?",
        "",
    ),
]


def _public_questions(meeting: Meeting) -> None:
    """The demo's two questions from the public, accepted for `meeting`."""
    body = meeting.body
    if not body.accepts_questions:
        body.accepts_questions = True
        body.save()
    for name, consent, question, answer in DEMO_QUESTIONS:
        PublicQuestion.objects.get_or_create(
            meeting=meeting,
            question=question,
            defaults={
                "name": name,
                "name_published": consent,
                "status": PublicQuestion.Status.ACCEPTED,
                "confirmed_at": meeting.start - dt.timedelta(days=9),
                "decided_at": meeting.start - dt.timedelta(days=7),
                "answer": answer,
            },
        )


# An invented Councillor Call for Action, considered at the committee's
# meeting of 24 September 2026 (item A4) with a named vote on its
# recommendation.
CALL_TITLE = "Anti-social behaviour at Hythe station car park"
CALL_ITEM = f"Councillor Call for Action: {CALL_TITLE}"
CALL_MEMBER = ("Councillor", "Pennyfeather", "S")
CALL = {
    "area": "Hythe West division",
    "title": CALL_TITLE,
    "matter": "Residents near the station car park report groups gathering "
    "most evenings since the spring: noise late at night, broken glass and "
    "cars driven at speed around the car park. Reports to the police and the "
    "district council have not stopped it.",
    "tried": "The member raised it with the local policing team in April and "
    "with the district council's community safety team in May, and attended "
    "a residents' meeting in June. Extra patrols ran for two weeks in June; "
    "the problem came back when they stopped.",
}
CALL_RECOMMENDATION = (
    "RESOLVED that the committee recommend that Kent Police and Folkestone "
    "and Hythe District Council agree a joint plan for the car park, "
    "including lighting and patrols, and report to the committee within 28 "
    "days."
)
CALL_OUTCOME = (
    "The committee recommended that Kent Police and Folkestone and Hythe "
    "District Council agree a joint plan for the car park, including lighting "
    "and patrols, and report to the committee within 28 days."
)
CALL_NAMED_VOTE = {
    "Hartnell": "for",
    "Okonedo": "for",
    "Brackley": "for",
    "Fairweather": "against",
    "Dunmore": "for",
    "Sefton": "for",
    "Ellery": "abstained",
}


def _call_minute(minutes: Minutes) -> None:
    """The minute of the call's item: its recommendation, on a named vote."""
    item = minute(
        minutes,
        "A4",
        [
            "Councillor Pennyfeather introduced the call. Members heard from "
            "the local policing team and the district council's community "
            "safety manager; Councillor Dunmore asked for a recorded vote.",
        ],
        [
            services.ResolutionInput(
                text=CALL_RECOMMENDATION,
                kind="recommended",
                recommended_to="Kent Police; Folkestone and Hythe District Council",
            )
        ],
    )
    present = {p.surname: p for p in services.members_present(meeting=minutes.meeting)}
    services.resolution_vote_name(
        resolution=item.resolutions.get(),
        votes={present[name]: choice for name, choice in CALL_NAMED_VOTE.items()},
    )


def _call_for_action(log: Callable[[str], None]) -> None:
    """The call considered at item A4, with its outcome."""
    cdc = Body.objects.get(slug="crime-and-disorder-committee")
    item = AgendaItem.objects.filter(
        meeting__body=cdc, meeting__url_key="2026-09-24", title=CALL_ITEM
    ).first()
    if item is None or CallForAction.objects.filter(title=CALL_TITLE).exists():
        return
    call = services.call_record(
        body=cdc, member=titled(*CALL_MEMBER), received_on=dt.date(2026, 7, 20), **CALL
    )
    services.call_consider(call=call, item=item)
    services.call_decide(
        call=call,
        outcome=CallForAction.Outcome.RECOMMENDATIONS,
        text=CALL_OUTCOME,
        on=item.meeting.date,
    )
    log("Councillor Calls for Action: one considered, with its outcome.")


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    _kcsp(log)
    _crime_and_disorder(log)
    _knife_crime(log)
    _work(log)
    _recent(log)
    _call_for_action(log)
    _petitions(log)


# Invented petitions to the county partnership: one open that has passed
# the "debate at committee" threshold, one closed and responded to. The
# signers are invented too, their names made from a few parts.
DEMO_PETITIONS = [
    (
        "Better lighting on the Tonbridge riverside path",
        "We ask the Kent Community Safety Partnership to work with the "
        "borough council to light the riverside path between the Big Bridge "
        "and Cannon Lane.",
        "People walking home from the station after dark use the path. It is "
        "unlit, and several of us no longer feel safe using it in winter.",
        "Mrs A Medway-Clarke",
        54,
        None,
    ),
    (
        "Publish antisocial behaviour figures for each district every quarter",
        "We ask the partnership to publish the number of antisocial behaviour "
        "reports for each Kent district every three months.",
        "Residents cannot tell whether things are getting better where they "
        "live from county-wide figures published once a year.",
        "Mr T Oakenfold",
        37,
        "The partnership agreed at its meeting in October to publish "
        "district figures each quarter on its website, starting in January, "
        "with a note on how reports are counted.",
    ),
]
FIRST_NAMES = ["Alice", "Bilal", "Ceri", "Dawn", "Emeka", "Fen", "Gita", "Hal"]
LAST_NAMES = ["Ashby", "Brook", "Cobb", "Dunmore", "Elm", "Fairlight", "Gale"]
POSTCODES = ["ME14 1XQ", "TN9 1DP", "CT1 2EH", "DA1 1DX", "ME4 4TR", "TN23 1AA"]


def _petitions(log: Callable[[str], None]) -> None:
    """The demo's petitions: dates around today, so that one is open."""
    kcsp = Body.objects.get(slug="kent-community-safety-partnership")
    today = timezone.localdate()
    for number, (title, request, reasons, name, signed, response) in enumerate(
        DEMO_PETITIONS
    ):
        opened = today - dt.timedelta(days=20 if response is None else 150)
        closes = opened + dt.timedelta(days=kcsp.petition_days)
        petition, created = Petition.objects.get_or_create(
            body=kcsp,
            title=title,
            defaults={
                "request": request,
                "reasons": reasons,
                "name": name,
                "email": f"petitioner{number + 1}@example.org",
                "status": Petition.Status.OPEN,
                "confirmed_at": at(opened.isoformat()) - dt.timedelta(days=3),
                "opens_on": opened,
                "closes_on": closes,
            },
        )
        if not created:
            continue
        PetitionSignature.objects.bulk_create(
            PetitionSignature(
                petition=petition,
                name=f"{FIRST_NAMES[n % 8]} {LAST_NAMES[n % 7]}",
                postcode=POSTCODES[n % 6],
                email=f"signer{n}@example.org",
                confirmed_at=at(opened.isoformat()) + dt.timedelta(hours=n),
            )
            for n in range(signed)
        )
        if response is not None:
            petition.status = Petition.Status.CLOSED
            petition.save()
            services.petition_respond(
                petition=petition,
                response=response,
                on=closes + dt.timedelta(days=14),
            )
    log("Petitions: one open past its threshold, one responded to.")
