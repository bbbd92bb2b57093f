"""The one visibility rule for every public surface.

Content is public, restricted (signed-in partners and staff) or exempt
(Schedule 12A: staff only; the public sees a title and the paragraph). Every
page, PDF, feed, calendar, API list, search result and sitemap asks this
module who is looking and filters through a `VisibilityQuerySet`, so a new
surface cannot forget a filter without also bypassing the queryset.
"""

import enum
from typing import Any, Self

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


def exempt_reason(paragraph: int | None) -> str:
    """The public wording for an exempt item or document."""
    if not paragraph:
        return "Exempt: not for publication"
    return (
        f"Exempt: paragraph {paragraph} of Part 1 of Schedule 12A to the "
        "Local Government Act 1972"
    )


class Audience(enum.IntEnum):
    """Who is looking, from least to most trusted."""

    PUBLIC = 0
    PARTNER = 1
    STAFF = 2


def audience_of(user: Any) -> Audience:
    if roles.is_staff_member(user):
        return Audience.STAFF
    if roles.has_role(user, roles.Role.PARTNER_OFFICER):
        return Audience.PARTNER
    return Audience.PUBLIC


def levels_for(audience: Audience) -> list[str]:
    """Visibility levels whose content this audience may read."""
    if audience >= Audience.STAFF:
        return [v.value for v in Visibility]
    if audience == Audience.PARTNER:
        return [Visibility.PUBLIC.value, Visibility.RESTRICTED.value]
    return [Visibility.PUBLIC.value]


def shows_content(visibility: str, audience: Audience) -> bool:
    return visibility in levels_for(audience)


class VisibilityQuerySet(models.QuerySet):
    """Base for every queryset a public surface reads.

    Subclasses say what "published" means for them by overriding
    `audience_q`; the default checks only the visibility level.
    """

    visibility_field = "visibility"

    def audience_q(self, audience: Audience) -> Q:
        if audience >= Audience.STAFF:
            return Q()
        return Q(**{f"{self.visibility_field}__in": levels_for(audience)})

    def for_audience(self, audience: Audience) -> Self:
        return self.filter(self.audience_q(audience))

    def visible_to(self, user: Any) -> Self:
        return self.for_audience(audience_of(user))

    def public(self) -> Self:
        return self.for_audience(Audience.PUBLIC)
