"""Demo data for the partner directory, from the facts in the public records.

Organisations are the county's statutory partners and its eleven district
community safety partnerships. People are the members and officers named in
the published minutes, written as the minutes write them; where the records
do not say which organisation someone worked for, none is given.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from kcsp.models import Organisation, Partnership, Person, Post, PostHolding
from kcsp.roles import Role, assign_role
from kcsp.services import clerk_partnerships_set

K = Organisation.Kind

ORGANISATIONS: list[tuple[str, str, str, str, bool]] = [
    # name, short name, kind, parent short name, active
    ("Kent County Council", "KCC", K.COUNCIL, "", True),
    ("Kent Police", "Kent Police", K.STATUTORY_PARTNER, "", True),
    ("Kent Fire and Rescue Service", "KFRS", K.STATUTORY_PARTNER, "", True),
    (
        "Probation Service (Kent, Surrey and Sussex)",
        "Probation",
        K.STATUTORY_PARTNER,
        "",
        True,
    ),
    ("NHS Kent and Medway Integrated Care Board", "ICB", K.HEALTH, "", True),
    (
        "Office of the Kent Police and Crime Commissioner",
        "OPCC",
        K.STATUTORY_PARTNER,
        "",
        True,
    ),
    ("Kent Police Authority", "KPA", K.STATUTORY_PARTNER, "", False),
    (
        "Kent, Surrey and Sussex Community Rehabilitation Company",
        "KSS CRC",
        K.STATUTORY_PARTNER,
        "",
        False,
    ),
    ("Kent Probation Service", "Kent Probation", K.STATUTORY_PARTNER, "", False),
    ("Kent and Medway Violence Reduction Unit", "VRU", K.OTHER, "", True),
    ("Kent and Medway Safer Roads Partnership", "KMSRP", K.OTHER, "", True),
    ("Kent Association of Local Councils", "KALC", K.VOLUNTARY, "", True),
    ("Kent Public Health", "Public Health", K.HEALTH, "KCC", True),
    ("Kent Community Safety Team", "KCST", K.OTHER, "KCC", True),
    ("Medway Council", "Medway", K.COUNCIL, "", True),
    ("Ashford Borough Council", "Ashford BC", K.COUNCIL, "", True),
    ("Canterbury City Council", "Canterbury CC", K.COUNCIL, "", True),
    ("Dartford Borough Council", "Dartford BC", K.COUNCIL, "", True),
    ("Dover District Council", "Dover DC", K.COUNCIL, "", True),
    ("Folkestone and Hythe District Council", "F&H DC", K.COUNCIL, "", True),
    ("Gravesham Borough Council", "Gravesham BC", K.COUNCIL, "", True),
    ("Maidstone Borough Council", "Maidstone BC", K.COUNCIL, "", True),
    ("Sevenoaks District Council", "Sevenoaks DC", K.COUNCIL, "", True),
    ("Swale Borough Council", "Swale BC", K.COUNCIL, "", True),
    ("Thanet District Council", "Thanet DC", K.COUNCIL, "", True),
    ("Tonbridge and Malling Borough Council", "T&M BC", K.COUNCIL, "", True),
    ("Tunbridge Wells Borough Council", "TWBC", K.COUNCIL, "", True),
]

# The eleven district community safety partnerships (Dartford and Gravesham
# share one).
LOCAL_CSPS = [
    "Ashford",
    "Canterbury",
    "Dartford and Gravesham",
    "Dover",
    "Folkestone and Hythe",
    "Maidstone",
    "Sevenoaks",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
]


COUNTY_PARTNERSHIP = {
    "name": "Kent Community Safety Partnership",
    "short_name": "KCSP",
    "kind": Partnership.Kind.COUNTY,
}


@dataclass(frozen=True)
class P:
    title: str
    initials: str
    surname: str
    forenames: str = ""
    known_as: str = ""
    honours: str = ""
    org: str = ""
    job_title: str = ""


PEOPLE: list[P] = [
    # Kent Community Safety Partnership, 2015 and 2022.
    P(
        "Mr",
        "P M",
        "Hill",
        "Peter Michael",
        "Mike",
        "OBE",
        "KCC",
        "Cabinet Member for Community and Regulatory Services",
    ),
    P("Mr", "J", "Rivers", "John", org="KALC"),
    P("Mr", "S", "Peerbux", "Shafick", org="KCC", job_title="Head of Community Safety"),
    P("Ms", "S", "Brinson", org="KCC"),
    P("Mr", "M", "Burbeck"),
    P("Ms", "C", "Collins"),
    P("Ms", "T", "Creaton"),
    P("Mr", "A", "Harper", org="OPCC"),
    P("Mr", "J", "Hinds"),
    P("Ms", "C", "Julian"),
    P("Mr", "D", "Keers"),
    P("Ms", "B", "King"),
    P("Ms", "L", "McMahon"),
    P("Mr", "R", "McMullan"),
    P("Ms", "V", "Mital"),
    P(
        "Ms",
        "J",
        "Mookherjee",
        "Jess",
        org="Public Health",
        job_title="Consultant in Public Health",
    ),
    P("Ms", "A", "Oates"),
    P("Mr", "B", "Platt"),
    P("Mr", "M", "Powell", org="VRU"),
    P("Ms", "S", "Robson"),
    P("Mr", "D", "Satchell"),
    P("Mr", "P", "Steenhuis"),
    P("Ms", "J", "Taylor"),
    P("Ms", "V", "Widden"),
    P("Mr", "N", "Wilkinson", "Nick", org="KCC"),
    P("Mrs", "A", "Taylor"),
    P("Ms", "E", "Martin"),
    P("Ms", "Z", "Cooke", "Zena"),
    P("Mrs", "V", "Coffey"),
    P("Supt", "L", "Russell", org="Kent Police"),
    P("Ms", "J", "Leney"),
    P("Ms", "S", "Davison"),
    P("Mr", "J", "Carmichael"),
    P("Mr", "M", "Stepney", "Mike", org="OPCC"),
    P("Mr", "M", "Adams", "Martin", org="KFRS", job_title="Deputy Operations Manager"),
    P("Ms", "C", "Allen", "Cynthia", org="KSS CRC"),
    P(
        "Ms",
        "A",
        "Gilmour",
        "Alison",
        org="KCC",
        job_title="Kent & Medway Domestic Violence Co-ordinator",
    ),
    P(
        "Mr",
        "S",
        "Beaumont",
        "Stuart",
        org="KCC",
        job_title="Head of Community Safety and Emergency Planning",
    ),
    P("Mr", "J", "Parris", "Jim", org="KCC", job_title="Community Safety Manager"),
    P("Ms", "D", "Exall", org="KCC", job_title="Strategic Relationship Adviser"),
    P("Mr", "J", "Cook", org="KCC", job_title="Scrutiny Research Officer"),
    # Crime and Disorder Committee, 2010 and 2011.
    P("Mrs", "E M", "Tweed", org="KCC"),
    P("Mr", "R B", "Burgess", org="KCC"),
    P("Mr", "A R", "Chell", org="KCC"),
    P("Mr", "H J", "Craske", org="KCC"),
    P("Ms", "A", "Hohler", org="KCC"),
    P("Mrs", "J P", "Law", org="KCC"),
    P("Mr", "J M", "Ozog", org="KCC"),
    P("Mr", "R", "Tolputt", org="KCC"),
    P("Mrs", "C J", "Waters", org="KCC"),
    P("Mr", "A T", "Willicombe", org="KCC"),
    P("Mr", "I S", "Chittenden", org="KCC"),
    P("Mrs", "E", "Green", org="KCC"),
    P("Mr", "M", "Gilmartin", org="KPA", job_title="Chief Executive"),
    P("Chief Inspector", "R", "Nyman", org="Kent Police"),
    P(
        "Mr",
        "P D",
        "Wickenden",
        org="KCC",
        job_title="Overview, Scrutiny and Localism Manager",
    ),
    P("Mr", "", "Snelling", org="Gravesham BC", job_title="Leader"),
    P(
        "Ms",
        "D",
        "Fitch",
        "Denise",
        org="KCC",
        job_title="Assistant Democratic Services Manager (Policy Overview)",
    ),
    P(
        "Mr",
        "P",
        "Sass",
        "Peter",
        org="KCC",
        job_title="Head of Democratic Services and Local Leadership",
    ),
]

# Posts that outlive their holders, with who held them when.
POSTS: list[tuple[str, str, list[tuple[str, str, str | None]]]] = [
    (
        "Head of Community Safety",
        "KCC",
        [("Beaumont", "2010-01-01", "2015-05-31"), ("Peerbux", "2016-01-01", None)],
    ),
    ("Community Safety Manager", "KCC", [("Parris", "2010-01-01", "2015-05-31")]),
    (
        "Cabinet Member for Community and Regulatory Services",
        "KCC",
        [("Hill", "2011-01-01", None)],
    ),
]

# Demo sign-in accounts, one per role. Fictional people.
DEMO_ACCOUNTS: list[tuple[str, Role, P]] = [
    (
        "clerk",
        Role.CLERK,
        P(
            "Ms",
            "A",
            "Morgan",
            "Alex",
            org="KCC",
            job_title="Democratic Services Officer",
        ),
    ),
    (
        "clerk-dover",
        Role.CLERK,
        P(
            "Mr",
            "D",
            "Okafor",
            "Dan",
            org="Dover DC",
            job_title="Community Safety Officer",
        ),
    ),
    (
        "partner",
        Role.PARTNER_OFFICER,
        P(
            "Mr",
            "S",
            "Patel",
            "Sam",
            org="KFRS",
            job_title="Community Safety Partner Officer",
        ),
    ),
    (
        "dhr",
        Role.DHR_COORDINATOR,
        P("Ms", "J", "Clarke", "Jo", org="KCC", job_title="DHR Coordinator"),
    ),
    (
        "admin",
        Role.ADMINISTRATOR,
        P("Mr", "R", "Hale", "Robin", org="KCC", job_title="Portal Administrator"),
    ),
]


# The partnership each demo clerk works for.
CLERK_OF = {"clerk": "kent", "clerk-dover": "dover"}


def demo_password(username: str) -> str:
    return f"{username}-demo-pass"


def organisation(short_name: str) -> Organisation:
    return Organisation.objects.get(short_name=short_name)


def organisations_by_short_name() -> dict[str, Organisation]:
    """The directory's organisations by the short names the demo data uses."""
    return {o.short_name: o for o in Organisation.objects.all()}


def upsert_person(p: P, orgs: dict[str, Organisation]) -> Person:
    person, _ = Person.objects.update_or_create(
        surname=p.surname,
        initials=p.initials,
        title=p.title,
        defaults={
            "forenames": p.forenames,
            "known_as": p.known_as,
            "honours": p.honours,
            "organisation": orgs.get(p.org) if p.org else None,
            "job_title": p.job_title,
        },
    )
    return person


@transaction.atomic
def load(log: Callable[[str], None]) -> None:
    from django.utils.text import slugify

    parents: dict[str, str] = {}
    for name, short, kind, parent, active in ORGANISATIONS:
        Organisation.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "active": active,
            },
        )
        if parent:
            parents[short] = parent
    Partnership.objects.update_or_create(slug="kent", defaults=COUNTY_PARTNERSHIP)
    for name in LOCAL_CSPS:
        full = f"{name} Community Safety Partnership"
        organisation, _ = Organisation.objects.update_or_create(
            slug=slugify(full),
            defaults={"name": full, "short_name": f"{name} CSP", "kind": K.LOCAL_CSP},
        )
        Partnership.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": full,
                "short_name": f"{name} CSP",
                "kind": Partnership.Kind.DISTRICT,
                "organisation": organisation,
            },
        )
    orgs = organisations_by_short_name()
    for child, parent in parents.items():
        org = orgs[child]
        if org.parent_id != orgs[parent].pk:
            org.parent = orgs[parent]
            org.save(update_fields=["parent"])

    people = {p.surname: upsert_person(p, orgs) for p in PEOPLE}
    for title, org_short, holders in POSTS:
        post, _ = Post.objects.get_or_create(title=title, organisation=orgs[org_short])
        for surname, start, end in holders:
            PostHolding.objects.update_or_create(
                post=post, person=people[surname], start=start, defaults={"end": end}
            )
    log(
        f"Directory: {Organisation.objects.count()} organisations, "
        f"{Person.objects.count()} people."
    )


def create_demo_accounts(log: Callable[[str], None]) -> list[tuple[str, str, str]]:
    """One sign-in account per role, printed so a visitor can try each."""
    User = get_user_model()
    orgs = organisations_by_short_name()
    created = []
    for username, role, p in DEMO_ACCOUNTS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = p.known_as or p.forenames
        user.last_name = p.surname
        user.email = f"{username}@example.org"
        user.set_password(demo_password(username))
        user.save()
        if role == Role.CLERK:
            clerk_partnerships_set(
                user=user,
                partnerships=[Partnership.objects.get(slug=CLERK_OF[username])],
            )
        else:
            assign_role(user=user, role=role)
        person = upsert_person(p, orgs)
        if person.user_id != user.pk:
            person.user = user
            person.save(update_fields=["user"])
        created.append((username, demo_password(username), role.label))
    if not settings.DEBUG:
        log("Warning: demo accounts with published passwords exist on this site.")
    return created
