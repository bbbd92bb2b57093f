"""Demo data: the Kent Community Safety Agreement, April 2011 to March 2014.

The document as published with the Crime and Disorder Committee's papers of
8 July 2011 (see demo/seeds/001): foreword, sections, links to
strategies and plans, signatories, contact and Appendix A, the strategic
assessment matrix (computed from the district partnerships' 2010
assessments, loaded here as sample records) and the stakeholder workshop's
additions. It was approved by the Kent Community Safety Partnership on
20 May 2011. Its priorities, themes, leads and later refreshes are loaded by
demo/priorities.py.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from agreement import services as agreement_services
from agreement.models import (
    Agreement,
    AgreementSection,
    AssessmentIssue,
    AssessmentRound,
    LinkedStrategy,
    Signatory,
)
from agreement.services import strategic_assessment_record
from kcsp.models import Organisation, Partnership
from meetings.models import Body

SLUG = "2011-14"

FOREWORD = """As Chair of the Kent Community Safety Partnership I am pleased to present the Kent Community Safety Agreement for 2011/14.

The Community Safety Agreement sets out how partners in Kent will work together to address the key community safety priorities for the County, identifying the shared objectives and outcomes required to improve the lives of the people of Kent. Whilst enforcement of the law will always play a major part in community safety, much can be done to prevent problems before they arise and a great deal of effort is devoted to supporting vulnerable people and their families, tackling issues of substance misuse, improving road safety and improving security of people's homes. A major part of crime and disorder reduction can be achieved through considering and addressing the causes. The root causes include social issues of poverty, poor education attainment and training opportunities, unemployment and drug and alcohol misuse. Striving towards stronger communities, helping people become active citizens and improving personal responsibility in the community, as part of the Big Society, also contributes to improving community safety.

Whilst the agreement aims to address the needs of local communities it will also help to meet the objectives set out in the recent Home Office paper entitled 'A New Approach to Fighting Crime' which gives a clear direction to the public and partners about the changing focus of community safety.

All agencies and services are aware of the current challenging economic landscape that we are all working within and the opportunities this presents in applying new methods of service delivery and resourcing such as community budgets. This agreement outlines an opportunity for partners to focus their limited resources towards jointly delivering against the partnership priorities.

The success of this agreement can only be achieved through delivery of the action plans, which will not be possible without the considerable support of partner agencies at both district/borough and county level, as well as non-statutory organisations and the voluntary sector which are vital in providing the services required to deliver the identified priorities and I would like to thank them for their continued support."""

INTRODUCTION = """1.1. The Crime and Disorder Act 1998 gave statutory responsibility to local authorities, the police, and key partners to reduce crime and disorder in their communities. Under this legislation district/borough level Community Safety Partnerships (CSPs) were required to carry out 3 yearly audits and to implement crime reduction strategies.

1.2. A formal review of the 1998 Act took place in 2006, which resulted in a revision to these requirements. Most notably at a district/borough level, the 3 yearly audits were replaced by annual Strategic Assessments and public consultation; whilst the crime reduction strategies were replaced by a 3 year rolling Partnership Plan refreshed annually. For two tier authorities, such as Kent, a statutory Community Safety Agreement was introduced.

1.3. Medway Unitary Authority undertakes a similar process, suitable for single tier authorities, which will include an annual strategic assessment of their community safety issues and production of a Community Safety Plan. Where appropriate, partners in Kent and Medway will work collaboratively to tackle common priorities."""

PURPOSE = """2.1. To deliver the statutory duty under Section 17 of the Crime and Disorder Act 1998 (as amended by the Police and Justice Act 2006), two tier authorities are required to prepare a community safety agreement for the county. Section 17 recognises that there are key stakeholders that have responsibility for a wide range of services to the community that can deliver community safety solutions.

2.2. To develop a more joined-up approach to public service delivery, enable more effective and co-ordinated strategic planning across partner agencies and to ensure sustainable and lasting improvements in delivering outcomes. This agreement recognises that community safety issues do not always respect district boundaries, and that coordination of effort can lead to economies of scale, joined up working, and more effective outcomes.

2.3. To contribute to the delivery of the three countywide ambitions as set out in the new Vision for Kent 2011-21; to grow the economy; to tackle disadvantage; and to put citizens in control. These ambitions cannot be achieved without the commitment and contribution of all partners through their own delivery plans and strategies as well as multi-agency agreements such as the Kent Community Safety Agreement."""

GOVERNANCE = """3.1. The Kent Community Safety Partnership (KCSP) is responsible for the delivery of the Kent Community Safety Agreement priorities, with membership taken from senior officers across statutory partners (see below), local Community Safety Partnership (CSP) Chairs and the County Council portfolio holder.

The Statutory Partners are: Kent Police, Kent Police Authority, District & Borough Councils, Kent County Council, Primary Care Trusts, Kent Fire & Rescue Service and Kent Probation.

3.2. The Kent Community Safety Partnership will be supported by a virtual Community Safety team consisting of senior representatives from all the countywide statutory partners and will in turn be supported by an operational sub-group drawing on expertise from local CSPs and Community Safety Units.

3.3. The statutory partners aim to deliver effectively and efficiently the priorities outlined in this agreement and to comply with statutory responsibilities.

3.4. The Customer and Communities Policy and Overview Scrutiny Committee (POSC) will also serve as the Crime and Disorder Committee and therefore will have a statutory responsibility to review and scrutinise delivery of the Community Safety Agreement."""

PRIORITIES = """4.1. The Community Safety Agreement is an amalgamation of the strategic assessments undertaken annually by the eleven local Community Safety Partnerships (CSPs) across Kent. The common issues and priorities from these assessments have been identified and relevant key stakeholders consulted to identify any potential gaps and cross-cutting themes for inclusion in the agreement.

4.2. The following priorities have been identified for 2011/12 as those with the potential to benefit from being supported at a county level, with the cross-cutting themes to be addressed within each priority. The source and context for the choice of priorities are detailed in Appendices A and B; the priorities will be reviewed annually and refreshed as required.

4.3. Several of the identified priorities already have existing multi-agency partnership arrangements in place that are ensuring a coordinated approach across organisations at a strategic level. These arrangements can be further enhanced with linkages to the Kent Community Safety Agreement and where necessary suitable co-operative arrangements and joint interventions can be established to deliver shared priorities or issues. These plans will be developed in due course.

4.4. Although Preventing Violent Extremism has not been identified as a priority within the Community Safety Agreement, it is recognised that there is a need to address this issue due to the strategic position of Kent between London and mainland Europe. In addition to the location, Kent has a number of key sites as well as links to major upcoming events based in London and the South East such as the 2012 Olympics. In order to deliver the preventive strand of the government's counter-terrorism strategy, Kent has a very proactive Steering Board in place which works collaboratively with all statutory partners.

4.5. In conjunction with all of the priorities and cross-cutting themes identified through this process is the importance of building stronger communities through community engagement and the principles of the Big Society - helping people to come together to improve their own lives and ensure their communities are safe and supportive places in which to live."""

LEADS = """Lead officers for each of the priorities have been identified below and have the responsibility for developing, with partners, the action plans to address the countywide priorities. The leads will also act as a champion for the designated priority and provide regular progress updates for the Kent Community Safety Partnership (KCSP) and Overview and Scrutiny Committee (POSC) as required. They will be supported by secondary lead officers who will be responsible for individual actions within each plan."""

STRATEGIES_TEXT = """The priorities set out in this Community Safety Agreement link to, and assist in the achievement of a number of national and local partnership plans and strategies including:"""

SIGNATORIES_TEXT = """This agreement has been drawn up on behalf of the Partners of the Kent Community Safety Partnership:"""

CONTEXT_TEXT = """The current context of each priority, as the strategic assessments and partners' data described it in 2011."""

MATRIX_METHOD = """All statutory partners including Police, Fire and Rescue, Primary Care Trusts (PCTs), Probation, County Council services, Local Authority services etc. provided community safety related data sets and contextual information to each Community Safety Partnership (CSP). These data sets were used by the CSPs during the strategic assessment process to identify their key community safety priorities using an evidence based scoring system."""

MATRIX_FOOTNOTE = """There are 12 district/boroughs in Kent, but only 11 Community Safety Partnerships (CSPs) as Dartford and Gravesham have a joint CSP."""

WORKSHOP = """Relevant key stakeholders were consulted about the above common priorities, as well as having an opportunity to identify any perceived gaps, during a multi-agency workshop in January 2011. The following additional priorities/themes resulted from the workshop discussion:"""

K = AgreementSection.Kind
SECTIONS: list[tuple[str, str, str, bool, str]] = [
    (
        K.FOREWORD,
        "Foreword",
        FOREWORD,
        False,
        "Mike Hill OBE\nChair Kent Community Safety Partnership\n"
        "Cabinet Member Customer and Communities",
    ),
    (K.TEXT, "Introduction", INTRODUCTION, False, ""),
    (K.TEXT, "Purpose of the Agreement", PURPOSE, False, ""),
    (K.TEXT, "Governance", GOVERNANCE, False, ""),
    (K.PRIORITIES, "County Priorities", PRIORITIES, False, ""),
    (K.LEADS, "Priority Leads", LEADS, False, ""),
    (K.STRATEGIES, "Links to Strategies and Plans", STRATEGIES_TEXT, False, ""),
    (K.SIGNATORIES, "Signatories", SIGNATORIES_TEXT, False, ""),
    (K.MATRIX, "Key Priorities and Cross-Cutting Themes (2011-12)", "", True, ""),
    (K.CONTEXT, "Current Context", CONTEXT_TEXT, True, ""),
]

# (title, owner short name or words, period), in the document's order.
STRATEGIES: list[tuple[str, str, str]] = [
    ("A New Approach to Fighting Crime", "Home Office", ""),
    ("More Effective Responses to Anti-Social Behaviour", "Home Office", ""),
    ("Vision for Kent", "KCC", "2011-2021"),
    ("Local Community Safety Partnership (CSP) Community Safety Plans", "", ""),
    ("Policing Kent", "Kent Police", "2011-2014"),
    ("Kent Police Violent Crime Strategy", "Kent Police", ""),
    ("Kent Police Business Crime Strategy", "Kent Police", ""),
    ("Kent Police Drug and Alcohol Strategy", "Kent Police", ""),
    ("Kent Police Anti-Social Behaviour Strategy", "Kent Police", ""),
    (
        "Kent Fire and Rescue Service Towards 2020: Integrated Risk Management Plan",
        "KFRS",
        "2011-2020",
    ),
    ("Kent Fire and Rescue Service Performance Plan", "KFRS", "2011-2012"),
    ("Kent Fire and Rescue Road Safety Action Plan", "KFRS", "2009-2012"),
    ("Bold Steps for Kent", "KCC", "2011-2015"),
    ("Kent Probation Business Plan", "Kent Probation", "2011-2014"),
    ("Integrated Offender Management (IOM) Business Plan", "", "2011-2012"),
    ("Prolific and Priority Offenders Strategy", "", ""),
    (
        "Kent Criminal Justice Board Business Plan",
        "Kent Criminal Justice Board",
        "2011-12",
    ),
    ("Kent Youth Justice Strategic Plan", "KCC", "2011-12"),
    ("Joint Strategic Needs Assessment for Health and Social Care", "", ""),
    (
        "NHS Strategic Commissioning Plans (will include QUIPP Commissioning Plans)",
        "NHS",
        "",
    ),
    ("Health and Wellbeing Action Plans", "", ""),
    (
        "Kent and Medway Domestic Abuse Strategy",
        "Kent and Medway Domestic Abuse Strategy Group",
        "2010-2013",
    ),
    ("Kent Children and Young Peoples Plan", "KCC", "2011-2014"),
    (
        "Safeguarding and Looked After Childrens Services Improvement and Development Plan",
        "KCC",
        "",
    ),
    ("Kent Alcohol Strategy", "", "2010-2013"),
    ("Kent Hidden Harm Strategy", "", "2010-2013"),
    ("KDAAT Adult Needs Assessment", "Kent Drug and Alcohol Action Team", "2010-2011"),
    (
        "KDAAT Young Person's Substance Misuse Needs Assessment",
        "Kent Drug and Alcohol Action Team",
        "2010-2011",
    ),
    ("KDAAT Adult Treatment Plan", "Kent Drug and Alcohol Action Team", "2010-2011"),
    (
        "KDAAT Young People's Specialist Substance Misuse Treatment Plan",
        "Kent Drug and Alcohol Action Team",
        "2010-2011",
    ),
    ("Kent Supporting People Strategy", "KCC", "2010-2015"),
    ("CaRe Road Safety Strategic Assessment", "Kent CaRe Group", ""),
    ("Active Lives Now: The Future of Social Care in Kent", "KCC", "2010-2013"),
    ("Policy Framework for Later Life", "", ""),
    ("Clean Kent Delivery Plan", "KCC", ""),
    ("Kent and Medway Housing Strategy (in development)", "", ""),
]

# (directory short name, or the document's words when it names no one body)
SIGNATORIES: list[tuple[str, str]] = [
    ("Kent Police", ""),
    ("KPA", ""),
    ("KFRS", ""),
    ("Kent Probation", ""),
    ("", "Primary Care Trusts"),
    ("KCC", ""),
    ("", "Local District/Borough Community Safety Partnerships"),
]

# Appendix A's rows: (issue, common issue, note). The numbers of
# partnerships naming each are not typed here: they are computed from the
# district assessments below.
MATRIX: list[tuple[str, bool, str]] = [
    ("ASB/Environmental", True, ""),
    ("Domestic Abuse", True, ""),
    ("Substance Misuse", True, ""),
    ("Theft", True, "Includes shoplifting, theft and handling etc."),
    ("Violence (other than DA)", True, ""),
    ("Burglary", False, ""),
    ("Criminal Damage", False, ""),
    ("Young People", False, ""),
    ("Offenders/Re-offending", False, ""),
    (
        "Vehicle Related",
        False,
        "Includes road traffic collisions (RTCs), speeding, theft from motor "
        "vehicle (TFMV)",
    ),
    ("Public Perceptions", False, ""),
    ("Vulnerable Adults", False, ""),
]
ASSESSMENT_YEAR = 2010
# Each district partnership's 2010 strategic assessment, priorities highest
# first. Sample data: the agreement publishes only how many partnerships
# named each issue (all eleven named ASB and domestic abuse), not which
# ones or in what order; these lists are made up so that the counts come
# out as Appendix A has them.
DISTRICT_ASSESSMENTS: dict[str, list[str]] = {
    "Ashford": ["Substance Misuse", "Offenders/Re-offending", "ASB/Environmental", "Burglary", "Theft", "Domestic Abuse"],
    "Canterbury": ["Offenders/Re-offending", "Burglary", "ASB/Environmental", "Domestic Abuse", "Substance Misuse", "Theft"],
    "Dartford and Gravesham": ["Offenders/Re-offending", "ASB/Environmental", "Domestic Abuse", "Theft", "Criminal Damage", "Substance Misuse"],
    "Dover": ["Domestic Abuse", "Vehicle Related", "ASB/Environmental", "Substance Misuse", "Violence (other than DA)", "Criminal Damage"],
    "Folkestone and Hythe": ["Vehicle Related", "Domestic Abuse", "Violence (other than DA)", "Substance Misuse", "ASB/Environmental", "Criminal Damage"],
    "Maidstone": ["Substance Misuse", "Violence (other than DA)", "ASB/Environmental", "Vehicle Related", "Criminal Damage", "Domestic Abuse"],
    "Sevenoaks": ["Domestic Abuse", "Young People", "Public Perceptions", "ASB/Environmental", "Substance Misuse", "Violence (other than DA)"],
    "Swale": ["Domestic Abuse", "Substance Misuse", "Young People", "Public Perceptions", "Violence (other than DA)", "ASB/Environmental"],
    "Thanet": ["ASB/Environmental", "Vulnerable Adults", "Violence (other than DA)", "Domestic Abuse", "Theft", "Young People"],
    "Tonbridge and Malling": ["ASB/Environmental", "Burglary", "Domestic Abuse", "Theft", "Young People"],
    "Tunbridge Wells": ["Domestic Abuse", "Theft", "Burglary", "Offenders/Re-offending", "ASB/Environmental"],
}  # fmt: skip
ASSESSMENT_SUMMARY = (
    "Sample summary for the demonstration: the partnership's 2010 strategic "
    "assessment scored the community safety data its partners provided and "
    "chose these priorities for 2011/12."
)
WORKSHOP_ISSUES = [
    "Reducing re-offending",
    "Road Safety",
    "Burglary (domestic, other, distraction)",
    "Vulnerable Adults",
    "Hate Crime",
]


def _org(short: str) -> Organisation | None:
    return Organisation.objects.filter(short_name=short).first() if short else None


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    if Agreement.objects.filter(slug=SLUG).exists():
        log("Agreement: the 2011-14 agreement is already loaded.")
        return
    agreement = Agreement(
        title="Kent Community Safety Agreement",
        slug=SLUG,
        period_start=dt.date(2011, 4, 1),
        period_end=dt.date(2014, 3, 31),
        status=Agreement.Status.APPROVED,
        approved_on=dt.date(2011, 5, 20),
        responsible_body=Body.objects.filter(
            slug="kent-community-safety-partnership"
        ).first(),
        contact_name="KCC Community Safety Unit",
        contact_address="1st Floor\nInvicta House\nMaidstone\nKent\nME14 1XX",
        contact_email="communitysafetyunit@kent.gov.uk",
        contact_phone="01622 696187",
        source_system="seed",
        source_id="001_1a709a66df1af549",
    )
    agreement.full_clean()
    agreement.save()
    for order, (kind, heading, body, appendix, signature) in enumerate(SECTIONS):
        section = AgreementSection(
            agreement=agreement,
            kind=kind,
            heading=heading,
            body=body,
            is_appendix=appendix,
            signature=signature,
            order=order,
        )
        section.full_clean()
        section.save()
    for order, (title, owner, period) in enumerate(STRATEGIES):
        org = _org(owner)
        LinkedStrategy.objects.create(
            agreement=agreement,
            title=title,
            owner=org,
            owner_name="" if org else owner,
            period=period,
            order=order,
        )
    for order, (short, name) in enumerate(SIGNATORIES):
        Signatory.objects.create(
            agreement=agreement, organisation=_org(short), name=name, order=order
        )
    round_ = AssessmentRound.objects.create(
        agreement=agreement,
        label="2010/11",
        conducted="late 2010 - early 2011",
        year=ASSESSMENT_YEAR,
        method=MATRIX_METHOD,
        footnote=MATRIX_FOOTNOTE,
        workshop_held=dt.date(2011, 1, 1),
        workshop_text=WORKSHOP,
    )
    for order, (name, common, note) in enumerate(MATRIX):
        AssessmentIssue.objects.create(
            round=round_, name=name, highlighted=common, note=note, order=order
        )
    for district, priorities in DISTRICT_ASSESSMENTS.items():
        strategic_assessment_record(
            partnership=Partnership.objects.get(slug=slugify(district)),
            year=ASSESSMENT_YEAR,
            priorities=priorities,
            summary=ASSESSMENT_SUMMARY,
        )
    for order, name in enumerate(WORKSHOP_ISSUES):
        AssessmentIssue.objects.create(
            round=round_,
            name=name,
            source=AssessmentIssue.Source.WORKSHOP,
            order=order,
        )
    log(f"Agreement: {agreement}.")


# Later versions ----------------------------------------------------------------
# A refresh starts from the words of the version before it; each demo refresh
# is then given text that fits its own year, written for the demonstration
# from what the partnership's minutes record of the time (the bodies that
# existed, the duties in force, what each refresh changed). Sections not named
# here (the introduction's history of the 1998 Act) still hold.

LATER_SIGNATURE = "Chairman\nKent Community Safety Partnership"
DISTRICT_CSPS = "Local District/Borough Community Safety Partnerships"


@dataclass(frozen=True)
class YearText:
    """A version's own words: section bodies by the 2011-14 heading they
    replace (a new heading after a "|"), and who signs it."""

    sections: dict[str, str]
    signatories: list[str]


def _text(*paragraphs: str) -> str:
    return "\n\n".join(paragraphs)


SECTION_17 = (
    "2.1. The agreement meets the county's duty under section 17 of the Crime "
    "and Disorder Act 1998, as amended, to set out how the responsible "
    "authorities will work together on community safety."
)
MEMBERS = (
    "3.1. The Kent Community Safety Partnership is responsible for the "
    "agreement; its members are senior officers of the statutory partners, the "
    "chairs of the local Community Safety Partnerships, the County Council's "
    "portfolio holder and the Office of the Police and Crime Commissioner."
)
OVERSIGHT = (
    "3.3. The working group and the Kent Community Safety Team oversee the "
    "action plans and report by exception; the Crime and Disorder Committee "
    "scrutinises the partnership each year."
)


# The signing partners after the police authority, the primary care trusts
# and Kent Probation were replaced (2012-14), and after probation was
# brought together again and the county's health commissioners merged
# (2020-21).
PARTNERS_2015 = [
    "Kent Police",
    "OPCC",
    "KFRS",
    "National Probation Service",
    "KSS CRC",
    "KCC",
    "Clinical Commissioning Groups in Kent",
    DISTRICT_CSPS,
]
PARTNERS_2021 = [
    "Kent Police",
    "OPCC",
    "KFRS",
    "Probation",
    "KCC",
    "Kent and Medway Clinical Commissioning Group",
    DISTRICT_CSPS,
]


def _yearly(year: str) -> dict[str, str]:
    """The sections every later version words the same way but for its year."""
    return {
        "Key Priorities and Cross-Cutting Themes (2011-12)"
        "|Key Priorities and Cross-Cutting Themes": "",
        "Current Context": "The context of each priority as it stood when the "
        f"priority was agreed or last revised, for {year}. (Sample text: in this "
        "demonstration, the context of a priority carried from the 2011-14 "
        "agreement is that agreement's, not revised for the year.)",
        "Links to Strategies and Plans": "The priorities in this agreement link "
        "to, and help to achieve, national and local partnership plans and "
        "strategies. (Sample text: in this demonstration the list below is the "
        f"2011-14 agreement's, not revised for {year}.)",
        "Signatories": "This version has been agreed on behalf of the partners of "
        f"the Kent Community Safety Partnership for {year}:",
    }


YEAR_TEXTS: dict[str, YearText] = {
    "2015-16": YearText(
        sections={
            **_yearly("2015/16"),
            "Foreword": _text(
                "As Chairman of the Kent Community Safety Partnership I present the "
                "2015/16 refresh of the Kent Community Safety Agreement.",
                "Much has changed since the agreement was first written for 2011-14. "
                "The Police and Crime Commissioner now sets the county's policing "
                "priorities in the Police and Crime Plan; public health has joined "
                "the County Council; health services are commissioned by the "
                "Clinical Commissioning Groups; and probation is delivered by the "
                "National Probation Service and the Kent, Surrey and Sussex "
                "Community Rehabilitation Company. The partnership's officers now "
                "work side by side in the Kent Community Safety Team.",
                "The main change this year is that Child Sexual Exploitation becomes "
                "a priority in its own right rather than a concern within the "
                "others, as the partnership agreed in March 2015. I thank every "
                "partner, and the local Community Safety Partnerships, for the work "
                "behind this refresh.",
            ),
            "Purpose of the Agreement": _text(
                SECTION_17,
                "2.2. It draws the local partnerships' priorities together with "
                "those of the county's partners, so that work which crosses district "
                "boundaries is planned once and resourced jointly, and it supports "
                "the Police and Crime Commissioner's Police and Crime Plan, refreshed "
                "for 2015.",
            ),
            "Governance": _text(
                "3.1. The Kent Community Safety Partnership is responsible for the "
                "agreement. Its members are senior officers of the statutory "
                "partners, the chairs of the local Community Safety Partnerships, "
                "the County Council's portfolio holder and the Office of the Police "
                "and Crime Commissioner.",
                "3.2. The statutory partners are: Kent Police, the district and "
                "borough councils, Kent County Council (including Public Health), "
                "Kent Fire and Rescue Service, the National Probation Service, the "
                "Kent, Surrey and Sussex Community Rehabilitation Company and the "
                "Clinical Commissioning Groups.",
                "3.3. The partnership's working group, supported by the Kent "
                "Community Safety Team, oversees the action plans and reports by "
                "exception. The County Council's Crime and Disorder Committee "
                "scrutinises the partnership, and the Police and Crime Panel the "
                "Commissioner.",
            ),
            "County Priorities": _text(
                "4.1. The refresh considered the local partnerships' strategic "
                "assessments completed over the winter of 2014/15, the partners' "
                "own plans and the Police and Crime Plan.",
                "4.2. The six priorities of the 2011-14 agreement continue for "
                "2015/16, each with its cross-cutting themes. Child Sexual "
                "Exploitation is added as a seventh priority, with every "
                "cross-cutting theme applying to it.",
            ),
            "Priority Leads": "Each priority has a lead officer who develops its "
            "action plan with partners for 2015/16. Where the partners have not yet "
            "agreed a lead, the priority shows TBC until they do.",
        },
        signatories=PARTNERS_2015,
    ),
    "2018-19": YearText(
        sections={
            **_yearly("2018/19"),
            "Foreword": _text(
                "As Chairman of the Kent Community Safety Partnership I present the "
                "2018/19 refresh of the Kent Community Safety Agreement.",
                "This refresh adds Preventing Extremism and Hate as a priority. "
                "Since 2015 the partners have carried the Prevent duty of the "
                "Counter-Terrorism and Security Act 2015, and reports of hate crime "
                "have risen; both call for work co-ordinated across the county "
                "with the Kent and Medway Prevent Duty Delivery Board.",
                "Serious and organised crime, and the exploitation of vulnerable "
                "young people through county lines, run through several of our "
                "priorities, and the local partnerships now each have groups "
                "working on them. I thank partners for their commitment to this "
                "agreement.",
            ),
            "Purpose of the Agreement": _text(
                SECTION_17,
                "2.2. It brings the local partnerships' priorities together with "
                "those of the county's partners, and has due regard to the Police "
                "and Crime Commissioner's Safer in Kent plan.",
            ),
            "Governance": _text(
                MEMBERS,
                "3.2. The statutory partners are: Kent Police, the district and "
                "borough councils, Kent County Council, Kent Fire and Rescue "
                "Service, the National Probation Service, the Kent, Surrey and "
                "Sussex Community Rehabilitation Company and the Clinical "
                "Commissioning Groups.",
                "3.3. The working group and the Kent Community Safety Team oversee "
                "the action plans; the Prevent Duty Delivery Board reports to the "
                "partnership on the new priority. The Crime and Disorder Committee "
                "scrutinises the partnership each year.",
            ),
            "County Priorities": _text(
                "4.1. The refresh considered the local partnerships' strategic "
                "assessments completed in late 2017, a county-level analysis using "
                "police methodology, and the partners' plans.",
                "4.2. The priorities of 2015/16 continue for 2018/19, and "
                "Preventing Extremism and Hate is added, with every cross-cutting "
                "theme applying to it.",
            ),
            "Priority Leads": "Each priority has a lead officer who develops its "
            "action plan with partners for 2018/19; the Chair of the Prevent Duty "
            "Delivery Board leads the new priority.",
        },
        signatories=PARTNERS_2015,
    ),
    "2021-22": YearText(
        sections={
            **_yearly("2021/22"),
            "Foreword": _text(
                "As Chairman of the Kent Community Safety Partnership I present the "
                "2021/22 refresh of the Kent Community Safety Agreement, written "
                "during the COVID-19 pandemic.",
                "The pandemic changed where and how harm happens: more abuse behind "
                "closed doors, more fraud and exploitation online, and services "
                "working in new ways. This refresh adds a cross-cutting theme, "
                "Response and Recovery from the COVID-19 pandemic, to every "
                "priority.",
                "The year also brings the unified Probation Service, the Domestic "
                "Abuse Bill now before Parliament, and the Kent and Medway Violence "
                "Reduction Unit's work on serious violence. I thank partners for "
                "keeping services running through a very difficult year.",
            ),
            "Purpose of the Agreement": _text(
                SECTION_17,
                "2.2. It brings the local partnerships' priorities together with "
                "those of the county's partners and the Police and Crime Plan, and "
                "sets out how the partners will recover from the pandemic together.",
            ),
            "Governance": _text(
                "3.1. The Kent Community Safety Partnership is responsible for the "
                "agreement and has met online since the spring of 2020.",
                "3.2. The statutory partners are: Kent Police, the district and "
                "borough councils, Kent County Council, Kent Fire and Rescue "
                "Service, the Probation Service (brought together from June 2021) "
                "and the Kent and Medway Clinical Commissioning Group.",
                OVERSIGHT,
            ),
            "County Priorities": _text(
                "4.1. The refresh considered the local partnerships' strategic "
                "assessments of 2020, the partners' recovery plans and the Police "
                "and Crime Plan.",
                "4.2. The priorities of 2018/19 continue for 2021/22. Response and "
                "Recovery from the COVID-19 pandemic is added as a cross-cutting "
                "theme across all of them.",
            ),
            "Priority Leads": "Each priority has a lead officer who develops its "
            "action plan with partners for 2021/22.",
        },
        signatories=PARTNERS_2021,
    ),
    "2022-23": YearText(
        sections={
            **_yearly("2022/23"),
            "Foreword": _text(
                "As Chairman of the Kent Community Safety Partnership I present the "
                "2022/23 refresh of the Kent Community Safety Agreement.",
                "Violence Against Women and Girls has become one of the most "
                "pressing concerns of the past year, and this refresh places it "
                "within the domestic abuse priority, where the Domestic Abuse Act "
                "2021 has already given partners new duties. The cross-cutting "
                "theme for the pandemic is widened to Response and Recovery from "
                "Significant events, so that the partnership is ready for whatever "
                "next affects community safety.",
                "The coming Serious Violence Duty will ask partners to plan "
                "together to prevent serious violence, working with the Violence "
                "Reduction Unit, and health partners will become NHS Kent and "
                "Medway's Integrated Care Board during the year. I thank every "
                "partner for their work.",
            ),
            "Purpose of the Agreement": _text(
                SECTION_17,
                "2.2. It brings the local partnerships' priorities together with "
                "those of the county's partners, the Police and Crime Commissioner's "
                "new Police and Crime Plan and the Kent and Medway Safer Roads "
                "Partnership's Vision Zero strategy.",
            ),
            "Governance": _text(
                MEMBERS,
                "3.2. The statutory partners are: Kent Police, the district and "
                "borough councils, Kent County Council, Kent Fire and Rescue "
                "Service, the Probation Service and the Kent and Medway Clinical "
                "Commissioning Group (NHS Kent and Medway Integrated Care Board "
                "from July 2022).",
                OVERSIGHT,
            ),
            "County Priorities": _text(
                "4.1. The refresh considered the local partnerships' strategic "
                "assessments of 2021, partners' plans and emerging issues and "
                "legislation, as reported to the partnership on 24 March 2022.",
                "4.2. The priorities continue for 2022/23, with Violence Against "
                "Women and Girls placed within the domestic abuse priority, and "
                "the pandemic theme renamed Response and Recovery from Significant "
                "events.",
            ),
            "Priority Leads": "Each priority has a lead officer who develops its "
            "action plan with partners for 2022/23.",
        },
        signatories=PARTNERS_2021,
    ),
    "2023-24": YearText(
        sections={
            **_yearly("2023/24"),
            "Foreword": _text(
                "Draft for the partnership's consideration: the 2023/24 refresh of "
                "the Kent Community Safety Agreement.",
                "The refresh proposes that the anti-social behaviour priority also "
                "covers neighbourhood crime, in line with the Police and Crime "
                "Plan, and takes account of the Serious Violence Duty, in force "
                "from January 2023, under which partners publish a joint strategy "
                "for preventing serious violence.",
            ),
            "Governance": _text(
                MEMBERS,
                "3.2. The statutory partners are: Kent Police, the district and "
                "borough councils, Kent County Council, Kent Fire and Rescue "
                "Service, the Probation Service and NHS Kent and Medway Integrated "
                "Care Board.",
            ),
            "County Priorities": _text(
                "4.1. The refresh considers the local partnerships' strategic "
                "assessments of 2022 and the serious violence needs assessment.",
                "4.2. Proposed: the priorities continue for 2023/24, the "
                "anti-social behaviour priority becoming Anti-social behaviour and "
                "neighbourhood crime.",
            ),
            "Priority Leads": "Each priority has a lead officer who develops its "
            "action plan with partners for 2023/24.",
        },
        signatories=[
            "Kent Police",
            "OPCC",
            "KFRS",
            "Probation",
            "KCC",
            "ICB",
            DISTRICT_CSPS,
        ],
    ),
}


def fit_to_year(draft: Agreement) -> None:
    """Give a refreshed draft the words of its own year, and its partners as
    they were then."""
    text = YEAR_TEXTS.get(draft.slug)
    if text is None:
        return
    sections = {s.heading: s for s in draft.sections.all()}
    for key, body in text.sections.items():
        heading, _, new_heading = key.partition("|")
        section = sections.get(heading)
        if section is None:
            continue
        agreement_services.section_rewrite(
            section=section,
            body=body,
            heading=new_heading or None,
            signature=LATER_SIGNATURE if section.kind == K.FOREWORD else None,
        )
    agreement_services.signatories_replace(
        agreement=draft,
        signatories=[_org(name) or name for name in text.signatories],
    )
