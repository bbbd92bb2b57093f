"""The partner directory: organisations, people and the posts they hold.

Every app points at these: a member of a body is a Person, an action is owned
by an Organisation, a priority lead may be a Post ("Head of Community Safety,
KCC") whoever holds it this year.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from kcsp.models.base import (
    AuditedModel,
    InForceQuerySet,
    ProvenanceModel,
    optional_link,
    unique_within,
)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> "OrganisationQuerySet":
        return self.filter(active=True)

    def local_csps(self) -> "OrganisationQuerySet":
        return self.filter(kind=Organisation.Kind.LOCAL_CSP)


class Organisation(AuditedModel):
    class Kind(models.TextChoices):
        STATUTORY_PARTNER = "statutory", "Statutory partner"
        LOCAL_CSP = "local_csp", "Local community safety partnership"
        COUNCIL = "council", "Council"
        HEALTH = "health", "Health"
        VOLUNTARY = "voluntary", "Voluntary and community sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="For example 'KCC' or 'KFRS'."
    )
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    parent = optional_link(
        "self",
        related_name="children",
        help_text="For example a service within a council.",
    )
    website = models.URLField(blank=True)
    active = models.BooleanField(
        default=True, help_text="Untick for bodies that no longer exist."
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The short name where there is one: 'KCC', else the full name."""
        return self.short_name or self.name


# How people are listed everywhere: by surname, then forenames and initials;
# the row's id settles the rest, so two lists of the same people agree. A
# query ordered by a link to a person ("person") follows it too.
ALPHABETICAL = ("surname", "forenames", "initials", "pk")


class PersonQuerySet(models.QuerySet["Person"]):
    def with_organisation(self) -> "PersonQuerySet":
        return self.select_related("organisation")

    def alphabetical(self) -> "PersonQuerySet":
        return self.order_by(*ALPHABETICAL)


class Person(AuditedModel, ProvenanceModel):
    """Someone who sits on a body, attends a meeting or owns an action.

    Names are kept in their parts so that each document can write them as it
    should: minutes use the formal name ("Mr P M Hill, OBE"), narrative uses
    the everyday name ("Mike Hill").
    """

    title = models.CharField(
        max_length=40,
        blank=True,
        help_text="Mr, Mrs, Ms, Dr, Supt, Chief Inspector, Councillor ...",
    )
    forenames = models.CharField(max_length=100, blank=True)
    initials = models.CharField(
        max_length=20,
        blank=True,
        help_text="As the minutes write them, for example 'P M'. Leave blank to "
        "derive them from the forenames.",
    )
    known_as = models.CharField(
        max_length=60, blank=True, help_text="Everyday first name, for example 'Mike'."
    )
    surname = models.CharField(max_length=100)
    honours = models.CharField(
        max_length=60, blank=True, help_text="Post-nominals, for example 'OBE'."
    )
    organisation = optional_link(Organisation, related_name="people")
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        help_text="The sign-in account of this person, if they have one.",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ALPHABETICAL
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["surname", "initials"])]

    def __str__(self) -> str:
        return self.formal_name

    @property
    def derived_initials(self) -> str:
        if self.initials:
            return " ".join(self.initials.replace(".", " ").split())
        return " ".join(part[0].upper() for part in self.forenames.split() if part)

    @property
    def formal_name(self) -> str:
        """'Mr P M Hill, OBE' as minutes and front sheets write it."""
        parts = [self.title, self.derived_initials, self.surname]
        name = " ".join(p for p in parts if p)
        if self.honours:
            name = f"{name}, {self.honours}"
        return name

    @property
    def full_name(self) -> str:
        """'Mike Hill': the everyday name, falling back to the formal name."""
        first = self.known_as or self.forenames
        if not first:
            return self.formal_name
        name = f"{first} {self.surname}"
        return f"{name}, {self.honours}" if self.honours else name

    @property
    def short_name(self) -> str:
        """'Mr Hill' as later paragraphs of minutes write it."""
        return " ".join(p for p in (self.title, self.surname) if p)


class Post(AuditedModel):
    """A role that outlives its holder: 'Head of Community Safety, KCC'."""

    title = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="posts"
    )
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name", "title"]
        constraints = [
            unique_within("organisation", "title", name="post_unique_title_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.organisation.label}"

    def holder_on(self, day: dt.date) -> "Person | None":
        holding = (
            PostHolding.objects.filter(post=self)
            .on(day)
            .select_related("person")
            .order_by("-start")
            .first()
        )
        return holding.person if holding else None


class PostHoldingQuerySet(InForceQuerySet["PostHolding"]):
    """Who held a post when."""


class PostHolding(AuditedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holdings")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="post_holdings"
    )
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    objects = PostHoldingQuerySet.as_manager()

    class Meta:
        ordering = ["post", "-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="postholding_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.formal_name} as {self.post}"
