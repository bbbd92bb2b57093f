"""Demo data: the agreement's priorities, and its refreshes to 2022/23.

The 2011-14 priorities, cross-cutting themes and leads (with the anti-social
behaviour lead "TBC") are those of the published agreement; each priority's
current context is its Appendix B text, read from the seed document
(demo/seeds/001). Its measures carry only the figures the
agreement quotes.

The refreshes follow what the partnership's minutes record: in 2015 Child
Sexual Exploitation became a stand-alone priority (seed 003, minute 96);
by 2018 "Preventing Extremism and Hate" was added; in 2022 Violence Against
Women and Girls was placed within the domestic abuse priority and the theme
"Response and Recovery from the COVID-19 pandemic" renamed "Response and
Recovery from Significant events" (seed 002, minute 52). The dates of the
2015, 2018 and 2021 refreshes, the action plans' actions and their progress
are illustrative, drawn from the minutes' discussions. A draft 2023/24
refresh shows clerks a version in preparation; the public never sees it.
"""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from agreement import services as agreement_services
from agreement.models import Agreement
from demo import SEEDS
from demo.agreement import fit_to_year
from demo.directory import organisation
from demo.records import progress
from kcsp.models import Action, Person, Post
from meetings.models import AgendaItem, Meeting
from priorities import services
from priorities.models import Measure, Priority

SEED = SEEDS / "001_1a709a66df1af549.txt"
KCSP = "kent-community-safety-partnership"

# (name, name in the leads table, slug)
PRIORITIES_2011 = [
    (
        "Anti-social behaviour including environmental",
        "Anti-social behaviour inc. environmental",
        "anti-social-behaviour",
    ),
    ("Domestic Abuse", "", "domestic-abuse"),
    ("Substance Misuse", "", "substance-misuse"),
    (
        "Acquisitive crime (i.e. thefts/shoplifting)",
        "",
        "acquisitive-crime",
    ),
    ("Violent Crime", "", "violent-crime"),
    ("Road Safety", "", "road-safety"),
]
THEMES_2011 = [
    "Early Intervention, Prevention & Education",
    "Priority Neighbourhoods / Geographic Focus",
    "Vulnerable Households & Individuals",
    "Safeguarding Children & Young People",
    "Reducing Re-Offending",
]

POLICE_FIGURES = "Kent Police, Business Information Unit"
# The figures the 2011 agreement quotes: (priority, measure, unit, direction,
# source, [(period, period end, value, note)]).
MEASURES_2011: list[tuple[str, str, str, str, str, list[tuple[str, str, int, str]]]] = [
    (
        "anti-social-behaviour",
        "Anti-social behaviour incidents recorded by Kent Police",
        "incidents",
        Measure.Direction.LOWER,
        POLICE_FIGURES,
        [
            (
                "2009/10",
                "2010-03-31",
                60000,
                "Over 60,000, almost 28,000 of the highest priority.",
            )
        ],
    ),
    (
        "domestic-abuse",
        "Domestic abuse incidents reported to the police in Kent and Medway",
        "incidents",
        Measure.Direction.NEITHER,
        POLICE_FIGURES,
        [
            (
                "2010",
                "2010-12-31",
                21545,
                "Incidents are generally accepted to be under-reported.",
            )
        ],
    ),
    (
        "acquisitive-crime",
        "Theft and handling stolen goods offences",
        "offences",
        Measure.Direction.LOWER,
        POLICE_FIGURES,
        [
            ("2009", "2009-12-31", 28011, ""),
            ("2010", "2010-12-31", 29811, "An increase of 1,800 offences on 2009."),
        ],
    ),
    (
        "acquisitive-crime",
        "Serious acquisitive crime (vehicle crime, domestic burglary and robbery)",
        "offences",
        Measure.Direction.LOWER,
        POLICE_FIGURES,
        [
            ("2009", "2009-12-31", 17234, ""),
            ("2010", "2010-12-31", 16583, "651 fewer offences than in 2009."),
        ],
    ),
]
# The 2011 action plan's first actions: (priority, title, owner, due, RAG).
ACTIONS_2011 = [
    (
        "anti-social-behaviour",
        "Confirm a lead officer for the anti-social behaviour priority",
        "KCC",
        "2011-09-30",
        Action.Rag.AMBER,
    ),
    (
        "acquisitive-crime",
        "Complete a geographic analytical product with Kent Police to focus scarce "
        "resources",
        "Kent Police",
        "2012-03-31",
        "",
    ),
    (
        "domestic-abuse",
        "Consolidate the Kent and Medway Domestic Abuse Strategy's action plan into "
        "the agreement's plan",
        "KCC",
        "2011-12-31",
        "",
    ),
    (
        "substance-misuse",
        "Communicate the high level action plans to all statutory partners and CSPs",
        "KCC",
        "2011-10-31",
        "",
    ),
    (
        "road-safety",
        "Deliver road safety education for young drivers and their passengers",
        "KFRS",
        "2012-03-31",
        "",
    ),
]

CSE_CONTEXT = """- Since the last refresh the main change has been the heightened focus on Child Sexual Exploitation (CSE) as a serious concern, which must now be considered throughout the core priorities.
- National guidance from the Prime Minister and government departments suggested that dedicated focus on the issue would help efforts to tackle it. Partner agencies' work that could otherwise be missed, such as licensing and taxi regulation, needs to be part of it, and all relevant actions recorded properly so that no victims or issues are lost in the gaps between organisations.
- The Police and Crime Commissioner's Police and Crime Plan, refreshed for 2015, recognises CSE as a serious concern requiring targeted work streams, and released £600,000 over three years to improve partnership working."""

PEH_CONTEXT = """- The 2011 agreement recognised a need to address preventing violent extremism because of Kent's strategic position between London and mainland Europe, though it was not then a priority.
- The Counter-Terrorism and Security Act 2015 placed the Prevent duty on partners: challenging extremist ideology, identifying vulnerable locations, preventing the stereotyping of groups, and effective referral of vulnerable individuals for support. The Kent and Medway Prevent Duty Delivery Board coordinates the work.
- Hate crime, identified as a gap at the stakeholder workshop of January 2011, is part of this priority."""

COVID_THEME = (
    "The response to and recovery from the COVID-19 pandemic, and its effect on "
    "community safety."
)
SIGNIFICANT_EVENTS = (
    "The response to and recovery from significant events, national and "
    "international, which could affect community safety."
)
VAWG = (
    "- Violence Against Women and Girls (VAWG) is an emerging concern and is "
    "included within this priority from 2022/23."
)


def appendix_b() -> list[str]:
    """Each 2011 priority's current context from the seed's Appendix B, in
    order, as light markup."""
    try:
        text = SEED.read_text(encoding="utf-8")
    except OSError:
        return [""] * len(PRIORITIES_2011)
    start = text.find("## Appendix B: Current Context")
    end = text.find("## Appendix B References")
    contexts: list[list[str]] = []
    for raw in text[start:end].splitlines()[1:]:
        line = re.sub(r"<sup>\d+</sup>", "", raw).strip()
        if line.startswith("#"):
            contexts.append([])
        elif line.startswith("- ") and contexts:
            contexts[-1].append(line)
        elif line and contexts and contexts[-1]:
            contexts[-1][-1] += " " + line
    texts = ["\n".join(bullets) for bullets in contexts]
    return (texts + [""] * len(PRIORITIES_2011))[: len(PRIORITIES_2011)]


def _post(title: str, org: str) -> Post:
    post, _ = Post.objects.get_or_create(title=title, organisation=organisation(org))
    return post


def _action(
    priority: Priority,
    title: str,
    owner: str,
    due: str,
    status: str = Action.Status.IN_PROGRESS,
    rag: str = "",
    is_public: bool = True,
) -> Action:
    entry = services.priority_action_add(
        priority=priority,
        title=title,
        owner_organisation=organisation(owner),
        due_date=dt.date.fromisoformat(due),
        is_public=is_public,
    )
    return progress(entry.action, status, rag)


def _close(agreement: Agreement, titles: list[str]) -> None:
    for action in Action.objects.filter(
        priority_links__priority__agreement=agreement, title__in=titles
    ).distinct():
        progress(action, Action.Status.CLOSED, Action.Rag.GREEN)


def _refresh(previous: Agreement, slug: str) -> Agreement:
    """The annual refresh for the year April to March that `slug` names
    ("2015-16"), in the words of its year."""
    first = int(slug[:4])
    draft = agreement_services.agreement_refresh(
        agreement=previous,
        slug=slug,
        period_start=dt.date(first, 4, 1),
        period_end=dt.date(first + 1, 3, 31),
        edition=f"Annual refresh {slug.replace('-', '/')}",
    )
    fit_to_year(draft)
    return draft


def _priority_across_themes(
    draft: Agreement, *, name: str, slug: str, description: str
) -> Priority:
    """A priority a refresh adds: every cross-cutting theme cuts across it."""
    priority = services.priority_add(
        agreement=draft, name=name, slug=slug, description=description
    )
    for theme in draft.themes.all():
        services.theme_update(theme=theme, add_priorities=[priority])
    return priority


def _approve(draft: Agreement, *, note: str, on: dt.date) -> Agreement:
    """Approve a refresh, recording first what it changed and why."""
    agreement_services.change_note_record(agreement=draft, text=note)
    return agreement_services.agreement_approve(agreement=draft, approved_on=on)


def _measure(
    priority: Priority,
    name: str,
    unit: str,
    direction: str,
    source: str,
    values: list[tuple[str, str, int, str]],
    baseline: Decimal | None = None,
    baseline_label: str = "",
) -> Measure:
    measure = services.measure_add(
        priority=priority,
        name=name,
        unit=unit,
        direction=direction,
        data_source=source,
        baseline=baseline,
        baseline_label=baseline_label,
    )
    for label, day, value, note in values:
        services.measure_value_record(
            measure=measure,
            period_end=dt.date.fromisoformat(day),
            period_label=label,
            value=Decimal(value),
            note=note,
        )
    return measure


def _first_version(agreement: Agreement) -> None:
    made = _first_priorities(agreement)
    for slug, name, unit, direction, source, values in MEASURES_2011:
        _measure(made[slug], name, unit, direction, source, values)
    _measure(
        made["road-safety"],
        "People killed or seriously injured on Kent's roads",
        "casualties",
        Measure.Direction.LOWER,
        "Kent County Council, Highways Service",
        [("2010", "2010-12-31", 545, "An all-time low.")],
        baseline=Decimal(1196),
        baseline_label="annual average ten years earlier",
    )
    for slug, title, owner, due, rag in ACTIONS_2011:
        _action(made[slug], title, owner, due, rag=rag)


def _first_priorities(agreement: Agreement) -> dict[str, Priority]:
    """The 2011 priorities with their leads, and the themes across them all."""
    contexts = appendix_b()
    made = {}
    for (name, short, slug), context in zip(PRIORITIES_2011, contexts, strict=True):
        made[slug] = services.priority_add(
            agreement=agreement,
            name=name,
            short_name=short,
            slug=slug,
            description=context,
        )
    services.lead_set(priority=made["anti-social-behaviour"], tbc=True)
    services.lead_set(
        priority=made["domestic-abuse"],
        label="Chair of Kent & Medway Domestic Abuse Strategy Group",
    )
    services.lead_set(
        priority=made["substance-misuse"],
        label="Head of Kent Drug and Alcohol Action Team (KDAAT)",
    )
    command = _post("Head of Partnership and Communities Command", "Kent Police")
    for slug in ("acquisitive-crime", "violent-crime"):
        services.lead_set(priority=made[slug], post=command)
    services.lead_set(
        priority=made["road-safety"],
        post=_post("Director Community Safety", "KFRS"),
        label="Director Community Safety, Kent Fire & Rescue Service",
    )
    for theme in THEMES_2011:
        services.theme_add(
            agreement=agreement, name=theme, priorities=list(made.values())
        )
    return made


def _refresh_2015(previous: Agreement) -> Agreement:
    _close(
        previous,
        [
            "Complete a geographic analytical product with Kent Police to focus "
            "scarce resources",
            "Consolidate the Kent and Medway Domestic Abuse Strategy's action plan "
            "into the agreement's plan",
            "Communicate the high level action plans to all statutory partners and CSPs",
            "Deliver road safety education for young drivers and their passengers",
        ],
    )
    draft = _refresh(previous, "2015-16")
    cse = _priority_across_themes(
        draft,
        name="Child Sexual Exploitation",
        slug="child-sexual-exploitation",
        description=CSE_CONTEXT,
    )
    # How CSE would be led was still to be agreed between the partners.
    services.lead_set(priority=cse, tbc=True)
    _action(
        cse,
        "Agree how Child Sexual Exploitation work streams will be progressed across "
        "the partnership",
        "KCC",
        "2015-09-30",
    )
    _action(
        draft.priorities.get(slug="domestic-abuse"),
        "Report to the partnership on the commissioning of the MARAC process",
        "Kent Police",
        "2015-10-08",
    )
    return _approve(
        draft,
        note="Child Sexual Exploitation becomes a stand-alone priority, as the "
        "partnership asked on 19 March 2015 (minute 96), rather than a feature of "
        "the other priorities.",
        on=dt.date(2015, 10, 8),
    )


def _refresh_2018(previous: Agreement) -> Agreement:
    _close(
        previous,
        [
            "Agree how Child Sexual Exploitation work streams will be progressed "
            "across the partnership",
            "Report to the partnership on the commissioning of the MARAC process",
        ],
    )
    draft = _refresh(previous, "2018-19")
    peh = _priority_across_themes(
        draft,
        name="Preventing Extremism and Hate",
        slug="preventing-extremism-and-hate",
        description=PEH_CONTEXT,
    )
    services.lead_set(
        priority=peh,
        person=Person.objects.filter(surname="Wilkinson", initials="N").first(),
        label="Chair of the Kent and Medway Prevent Duty Delivery Board",
    )
    _action(
        peh,
        "Develop improved links between the partnership and the Prevent Duty "
        "Delivery Board",
        "KCC",
        "2018-09-30",
    )
    return _approve(
        draft,
        note="Preventing Extremism and Hate is added as a priority: the Prevent duty "
        "of the Counter-Terrorism and Security Act 2015, and hate crime.",
        on=dt.date(2018, 3, 22),
    )


def _refresh_2021(previous: Agreement) -> Agreement:
    _close(
        previous,
        [
            "Develop improved links between the partnership and the Prevent Duty "
            "Delivery Board"
        ],
    )
    draft = _refresh(previous, "2021-22")
    services.theme_add(
        agreement=draft,
        name="Response and Recovery from the COVID-19 pandemic",
        description=COVID_THEME,
        priorities=list(draft.priorities.all()),
    )
    return _approve(
        draft,
        note="A cross-cutting theme is added for the response to and recovery from "
        "the COVID-19 pandemic.",
        on=dt.date(2021, 3, 25),
    )


def _kcsp_meeting(day: str) -> Meeting | None:
    return (
        Meeting.objects.filter(body__slug=KCSP, start__date=day)
        .order_by("start")
        .first()
    )


# The 2022 refresh's actions: (priority, title, owner, due, status, RAG,
# public).
ACTIONS_2022: list[tuple[str, str, str, str, str, str, bool]] = [
    (
        "domestic-abuse",
        "Set out the Violence Against Women and Girls work stream within the "
        "domestic abuse priority",
        "KCC",
        "2022-09-30",
        Action.Status.IN_PROGRESS,
        Action.Rag.AMBER,
        True,
    ),
    (
        "domestic-abuse",
        "Consider the funding arrangements for Domestic Homicide Reviews for 2022/23",
        "Probation",
        "2022-06-30",
        Action.Status.IN_PROGRESS,
        "",
        False,
    ),
    (
        "violent-crime",
        "Plan with the Violence Reduction Unit and the local partnerships for the "
        "Serious Violence Duty",
        "VRU",
        "2023-01-31",
        Action.Status.IN_PROGRESS,
        Action.Rag.RED,
        True,
    ),
    (
        "road-safety",
        "Report progress on the Vision Zero road safety strategy to the partnership",
        "KMSRP",
        "2023-03-31",
        Action.Status.NOT_STARTED,
        "",
        True,
    ),
    (
        "preventing-extremism-and-hate",
        "Update the partnership on the Prevent Duty Delivery Board's work",
        "KCC",
        "2022-07-14",
        Action.Status.COMPLETE,
        Action.Rag.GREEN,
        True,
    ),
]


def _refresh_2022(previous: Agreement) -> Agreement:
    draft = _refresh(previous, "2022-23")
    domestic = services.priority_update(
        priority=draft.priorities.get(slug="domestic-abuse"),
        name="Domestic Abuse, including Violence Against Women and Girls",
    )
    services.priority_update(
        priority=domestic, description=f"{domestic.description}\n{VAWG}"
    )
    services.theme_update(
        theme=draft.themes.get(slug="response-and-recovery-from-the-covid-19-pandemic"),
        name="Response and Recovery from Significant events",
        description=SIGNIFICANT_EVENTS,
    )
    for slug, title, owner, due, status, rag, is_public in ACTIONS_2022:
        _action(
            draft.priorities.get(slug=slug),
            title,
            owner,
            due,
            status=status,
            rag=rag,
            is_public=is_public,
        )
    for text in [
        "Violence Against Women and Girls, an emerging concern, is placed within the "
        "domestic abuse priority (minute 52, 24 March 2022). The partnership discussed "
        "whether the two should be separate.",
        "The cross-cutting theme 'Response and Recovery from the COVID-19 pandemic' is "
        "renamed 'Response and Recovery from Significant events', which could affect "
        "community safety.",
    ]:
        agreement_services.change_note_record(agreement=draft, text=text)
    meeting = _kcsp_meeting("2022-03-24")
    try:
        return agreement_services.agreement_approve(
            agreement=draft,
            approved_on=dt.date(2022, 3, 24),
            meeting=meeting,
            minute_number=52 if meeting else None,
        )
    except ValidationError:
        # The meeting's minutes are not loaded: link the meeting alone.
        return agreement_services.agreement_approve(
            agreement=draft, approved_on=dt.date(2022, 3, 24), meeting=meeting
        )


def _draft_2023(previous: Agreement) -> Agreement:
    draft = _refresh(previous, "2023-24")
    services.priority_update(
        priority=draft.priorities.get(slug="anti-social-behaviour"),
        name="Anti-social behaviour and neighbourhood crime",
        short_name="Anti-social behaviour and neighbourhood crime",
    )
    agreement_services.change_note_record(
        agreement=draft,
        text="Proposed: the anti-social behaviour priority reflects the prevention "
        "of neighbourhood crime, in line with the Police and Crime Plan, as "
        "suggested on 24 March 2022.",
    )
    return draft


REFRESHES: list[tuple[str, Callable[[Agreement], Agreement]]] = [
    ("2015-16", _refresh_2015),
    ("2018-19", _refresh_2018),
    ("2021-22", _refresh_2021),
    ("2022-23", _refresh_2022),
    ("2023-24", _draft_2023),
]

# The meetings that discussed the priorities, (body slug, meeting day), with
# the agenda items that did: (agenda item title, [(priority slug, version)]).
# A priority's discussions are listed in the order they are linked here.
DISCUSSIONS: list[tuple[str, str, list[tuple[str, list[tuple[str, str]]]]]] = [
    (
        "crime-and-disorder-committee",
        "2011-07-08",
        [
            (
                "Community Safety Agreement 2011-14",
                [(slug, "2011-14") for _, _, slug in PRIORITIES_2011],
            )
        ],
    ),
    (
        KCSP,
        "2015-03-19",
        [
            (
                "Child Sexual Exploitation update - Verbal Update",
                [("child-sexual-exploitation", "2015-16")],
            ),
            (
                "CSA Update Performance Report",
                [
                    ("domestic-abuse", "2011-14"),
                    ("road-safety", "2011-14"),
                    ("child-sexual-exploitation", "2015-16"),
                ],
            ),
            ("MARAC Consultation - Verbal Update", [("domestic-abuse", "2011-14")]),
            ("Prevent", [("preventing-extremism-and-hate", "2018-19")]),
        ],
    ),
    (
        KCSP,
        "2022-03-24",
        [
            (
                "Kent Community Safety Agreement Review and Refresh",
                [("domestic-abuse", "2022-23")],
            ),
            ("Domestic Homicide Review Update", [("domestic-abuse", "2022-23")]),
            (
                "Kent and Medway Violence Reduction Unit Update",
                [("violent-crime", "2022-23")],
            ),
            ("Zero Casualty Strategy Update", [("road-safety", "2022-23")]),
            (
                "Kent and Medway PREVENT Duty Delivery Update",
                [("preventing-extremism-and-hate", "2022-23")],
            ),
            (
                "Kent and Medway Joint Exploitation Group Update",
                [("child-sexual-exploitation", "2022-23")],
            ),
        ],
    ),
]


def _discussions() -> None:
    for body, day, items in DISCUSSIONS:
        for title, priorities in items:
            item = AgendaItem.objects.filter(
                meeting__body__slug=body, meeting__start__date=day, title=title
            ).first()
            for slug, version in priorities:
                priority = Priority.objects.filter(
                    slug=slug, agreement__slug=version
                ).first()
                if priority and item:
                    services.discussion_link(priority=priority, agenda_item=item)


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    first = Agreement.objects.filter(slug="2011-14").first()
    if first is None:
        log("Priorities: no agreement to add them to.")
        return
    if not first.priorities.exists():
        _first_version(first)
    latest = first
    for slug, step in REFRESHES:
        existing = Agreement.objects.filter(slug=slug).first()
        latest = existing or step(latest)
    _discussions()
    current = Agreement.objects.current().first()
    log(
        f"Priorities: {Agreement.objects.count()} versions; the current one, "
        f"{current}, has {current.priorities.count() if current else 0} priorities."
    )
