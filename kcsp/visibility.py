"""The one visibility rule for every surface: the role table.

Who may read what is a table of reaches per role and per kind of content
(`ROLE_TABLE`), not an order of audiences: a clerk reads every meeting paper
but no unpublished Domestic Homicide Review, and a DHR coordinator the
reverse. Meeting content is public, restricted (partners) or exempt
(Schedule 12A: the public sees a title and the paragraph). Every page, PDF,
download, feed, calendar, API list, search result, sitemap and back-office
view asks `audience_of(user)` who is looking and filters through a
`VisibilityQuerySet`, so a new surface cannot forget a filter without also
bypassing the queryset.

A clerk's reach holds in the partnerships they are clerk of, and nowhere
else: elsewhere they read as their other roles let them (the public, if they
have none). A queryset says how its rows reach their partnership
(`partnership_path`); a page about one record asks
`audience.within(partnership_id)`; asked without a partnership, a clerk's
audience answers with the lesser reach, so a surface that forgets the
partnership shows too little, never too much.
"""

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Self

from django.db import models
from django.db.models import Q

from kcsp import roles


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    RESTRICTED = "restricted", "Restricted to partners"
    EXEMPT = "exempt", "Exempt (not for publication)"


class ExemptParagraph(models.IntegerChoices):
    """Local Government Act 1972, Schedule 12A, Part 1."""

    INDIVIDUAL = 1, "1. Information relating to any individual"
    IDENTITY = 2, "2. Information likely to reveal the identity of an individual"
    FINANCIAL = 3, "3. Financial or business affairs of any particular person"
    LABOUR_RELATIONS = 4, "4. Labour relations consultations or negotiations"
    LEGAL_PRIVILEGE = 5, "5. Legal professional privilege"
    NOTICE_ORDER = 6, "6. A proposed notice, order or direction"
    CRIME = 7, "7. Prevention, investigation or prosecution of crime"


def exempt_grounds(paragraph: int | None) -> str:
    """Why an exempt item or document is not published, after "Exempt:"."""
    if not paragraph:
        return "not for publication"
    return (
        f"paragraph {paragraph} of Part 1 of Schedule 12A to the "
        "Local Government Act 1972"
    )


def exempt_reason(paragraph: int | None) -> str:
    """The public wording for an exempt item or document."""
    return f"Exempt: {exempt_grounds(paragraph)}"


class Reach(enum.IntEnum):
    """How far into one kind of content a reader sees."""

    # What is published for everyone.
    PUBLIC = 0
    # Also papers restricted to partners and, for actions, the reader's own
    # organisation's.
    PARTNERS = 1
    # Everything: drafts, exempt items, unpublished versions and cases.
    ALL = 2


class Content(enum.StrEnum):
    """The kinds of content the role table speaks of."""

    # Bodies, meetings, agendas, papers, attendance, minutes and decisions.
    MEETINGS = "meetings"
    # Community Safety Agreement versions, their priorities, plans, measures.
    AGREEMENT = "agreement"
    # Tracked actions other than Domestic Homicide Review ones, with their
    # private notes, progress updates and evidence.
    ACTIONS = "actions"
    # Domestic Homicide Review cases, their documents, their agency actions
    # and those actions' evidence.
    DHR = "dhr"
    # Who read and changed what: sign-ins, the review access log.
    ACCESS_LOGS = "access_logs"
    # The original wording of passages redacted from published papers and
    # minutes (and a redacted paper's original file). Everyone else, clerks
    # included, reads only the redacted version.
    REDACTED = "redacted"


_P, _A = Reach.PARTNERS, Reach.ALL

# The role table: what each role may read of each kind of content, beyond
# what is public. A reader holding several roles gets the most of each.
ROLE_TABLE: dict[str, dict[Content, Reach]] = {
    roles.Role.PARTNER_OFFICER: {
        Content.MEETINGS: _P,
        Content.AGREEMENT: _P,
        Content.ACTIONS: _P,
        Content.DHR: _P,
    },
    roles.Role.CLERK: {
        Content.MEETINGS: _A,
        Content.AGREEMENT: _A,
        Content.ACTIONS: _A,
    },
    # Meetings and the agreement only as a partner officer sees them.
    roles.Role.DHR_COORDINATOR: {
        Content.MEETINGS: _P,
        Content.AGREEMENT: _P,
        Content.ACTIONS: _P,
        Content.DHR: _A,
    },
    roles.Role.ADMINISTRATOR: dict.fromkeys(Content, _A),
}


@dataclass(frozen=True)
class Audience:
    """What one reader may read: a reach for each kind of content, and the
    organisation whose actions are theirs (for a reach of PARTNERS)."""

    meetings: Reach = Reach.PUBLIC
    agreement: Reach = Reach.PUBLIC
    actions: Reach = Reach.PUBLIC
    dhr: Reach = Reach.PUBLIC
    access_logs: Reach = Reach.PUBLIC
    redacted: Reach = Reach.PUBLIC
    organisation_id: int | None = None
    # A clerk of some partnerships reads those partnerships' content as
    # `inside` does, and everything else at the reaches above.
    clerk_of: frozenset[int] = frozenset()
    inside: "Audience | None" = None

    PUBLIC: ClassVar["Audience"]
    CLERK: ClassVar["Audience"]

    @classmethod
    def of_roles(
        cls,
        held: Iterable[str],
        organisation_id: int | None = None,
        clerk_of: Iterable[int] | None = None,
    ) -> "Audience":
        """The audience of someone holding these roles. `clerk_of` names the
        partnerships a clerk works for; None for every partnership. An
        administrator reads every partnership's content whatever it says. A
        clerk of no partnership (one whose partnerships were all taken away)
        is a clerk nowhere: they read as their other roles allow and run no
        partnership's business."""
        held = frozenset(held)
        full = cls._of_reaches(held, organisation_id)
        scoped = roles.Role.CLERK in held and roles.Role.ADMINISTRATOR not in held
        if clerk_of is None or not scoped:
            return full
        elsewhere = cls._of_reaches(held - {roles.Role.CLERK}, organisation_id)
        ids = frozenset(clerk_of)
        return replace(elsewhere, clerk_of=ids, inside=full if ids else elsewhere)

    @classmethod
    def _of_reaches(
        cls, held: Iterable[str], organisation_id: int | None
    ) -> "Audience":
        reach = dict.fromkeys(Content, Reach.PUBLIC)
        for role in held:
            for content, level in ROLE_TABLE.get(role, {}).items():
                reach[content] = max(reach[content], level)
        # The organisation matters only where actions are seen as a partner.
        owns_actions = _P in (reach[Content.ACTIONS], reach[Content.DHR])
        fields: dict[str, Any] = {c.value: level for c, level in reach.items()}
        return cls(**fields, organisation_id=organisation_id if owns_actions else None)

    def reach(self, content: Content) -> Reach:
        return Reach(getattr(self, content.value))

    def within(self, partnership_id: int | None) -> "Audience":
        """The audience as it reads the content of one partnership."""
        if self.inside is not None and partnership_id in self.clerk_of:
            return self.inside
        return self

    def manages(self, content: Content) -> bool:
        """Whether the reader sees all of this content in some partnership:
        a clerk of any partnership, an administrator."""
        inside = self.inside or self
        return self.sees_all(content) or inside.sees_all(content)

    def sees_all(self, content: Content) -> bool:
        return self.reach(content) is Reach.ALL

    def shows(self, visibility: str, content: Content = Content.MEETINGS) -> bool:
        """Whether content at this visibility level is shown in full."""
        return visibility in levels_for(self.reach(content))

    @property
    def key(self) -> str:
        """A short stable name, for cache keys and ETags."""
        reaches = "".join(str(int(self.reach(c))) for c in Content)
        org = f"-{self.organisation_id}" if self.organisation_id else ""
        scope = ""
        if self.inside is not None:
            scope = f"-p{'.'.join(map(str, sorted(self.clerk_of)))}-{self.inside.key}"
        return f"a{reaches}{org}{scope}"


Audience.PUBLIC = Audience()
Audience.CLERK = Audience.of_roles([roles.Role.CLERK])


def audience_of(user: Any) -> Audience:
    """The reader's audience, from the roles they hold (kept on the user for
    the rest of the request)."""
    held = roles.roles_of(user)
    if not held:
        return Audience.PUBLIC
    cached = getattr(user, "_kcsp_audience", None)
    if cached is None:
        cached = Audience.of_roles(
            held,
            roles.organisation_id_of(user),
            clerk_of=roles.partnerships_clerked_by(user),
        )
        user._kcsp_audience = cached
    return cached


def levels_for(reach: Reach) -> list[str]:
    """Visibility levels of the content a reader of this reach may read."""
    if reach is Reach.ALL:
        return [v.value for v in Visibility]
    if reach is Reach.PARTNERS:
        return [Visibility.PUBLIC.value, Visibility.RESTRICTED.value]
    return [Visibility.PUBLIC.value]


class VisibilityQuerySet[M: models.Model](models.QuerySet[M, M]):
    """Base for every queryset a surface reads.

    A subclass names the `content` it holds (a row of the role table) and
    says in `published_q` what a reader who does not see all of that content
    may read; one who does sees every row.
    """

    content: ClassVar[Content] = Content.MEETINGS
    visibility_field = "visibility"
    # The path from a row to the partnership it belongs to (a meeting's is
    # "body__partnership"); None for content of no partnership, which a
    # clerk reads only at the reaches they have everywhere.
    partnership_path: ClassVar[str | None] = None

    def published_q(self, audience: Audience) -> Q:
        """Rows a reader who does not see everything may read: by default,
        those whose visibility level the reader's reach allows."""
        levels = levels_for(audience.reach(self.content))
        return Q(**{f"{self.visibility_field}__in": levels})

    def reach_q(self, audience: Audience) -> Q:
        """The rows this audience reads, wherever they belong."""
        if audience.sees_all(self.content):
            return Q()
        return self.published_q(audience)

    def scoped_q(self, audience: Audience, rows: Callable[[Audience], Q]) -> Q:
        """`rows(audience)`, and for a clerk also `rows` as they read the
        partnerships they are clerk of, within those partnerships."""
        shown = rows(audience)
        if not shown or audience.inside is None or self.partnership_path is None:
            return shown
        return shown | (self.within_q(audience) & rows(audience.inside))

    def within_q(self, audience: Audience) -> Q:
        """Rows of the partnerships this reader is clerk of."""
        return Q(**{f"{self.partnership_path}__in": sorted(audience.clerk_of)})

    def audience_q(self, audience: Audience) -> Q:
        return self.scoped_q(audience, self.reach_q)

    def for_audience(self, audience: Audience) -> Self:
        return self.filter(self.audience_q(audience))

    def visible_to(self, user: Any) -> Self:
        return self.for_audience(audience_of(user))

    def public(self) -> Self:
        return self.for_audience(Audience.PUBLIC)

    def in_back_office(self, user: Any) -> Self:
        """The rows the back office lists and opens for this user: those
        they may read, and for a clerk only their partnerships' (the back
        office changes what it opens)."""
        return clerks_partnerships(self.visible_to(user), user)

    def content_of_row(self, row: Any) -> Content:
        """The row of the role table one record belongs to."""
        return self.content


def clerks_partnerships[Q_: models.QuerySet[Any]](queryset: Q_, user: Any) -> Q_:
    """For a clerk, the rows of `queryset` in the partnerships they are clerk
    of (by the queryset's `partnership_path`); for anyone else, all of them.
    What a back office lists and opens: it changes what it opens."""
    path = getattr(queryset, "partnership_path", None)
    audience = audience_of(user)
    if path is None or audience.inside is None:
        return queryset
    return queryset.filter(**{f"{path}__in": sorted(audience.clerk_of)})
