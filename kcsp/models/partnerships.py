"""Partnerships: the county partnership, each district or borough partnership
and any other partnership the host runs. A partnership owns bodies (and so
their meetings), actions and plans, and its clerks work on its content only.
"""

import os
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify

from kcsp.models.base import AuditedModel
from kcsp.models.directory import Organisation
from kcsp.visibility import Audience, VisibilityQuerySet

# What a partnership's slug may be: its field's letters, digits, hyphens and
# underscores, at most its length.
_SLUG = re.compile(r"[-\w]{1,100}")


def logo_upload_to(instance: "Partnership", filename: str) -> str:
    return f"partnerships/{instance.slug}/logo{os.path.splitext(filename)[1]}"


class PartnershipQuerySet(VisibilityQuerySet["Partnership"]):
    # A partnership, its name and logo, are public; the rule scopes clerks'
    # choices in the back office to their own partnerships.
    partnership_path = "pk"

    def published_q(self, audience: Audience) -> Q:
        return Q()

    def named(self, slug: str) -> "Partnership | None":
        """The partnership an address names by its slug (`?partnership=...`);
        None when none has that slug, or when it could be no partnership's
        (a NUL or a space, which the database would refuse to compare)."""
        if not _SLUG.fullmatch(slug):
            return None
        return self.filter(slug=slug).first()

    def host(self) -> "Partnership":
        """The partnership that runs the portal: the first county
        partnership, made from the portal's name if there is none yet.
        Records that come without a partnership (an import of a committee
        system) are the host's."""
        found = self.filter(kind=Partnership.Kind.COUNTY).order_by("pk").first()
        if found is not None:
            return found
        found, _ = self.get_or_create(
            slug=slugify(settings.PORTAL_SHORT_NAME) or "partnership",
            defaults={
                "name": settings.PORTAL_NAME,
                "short_name": settings.PORTAL_SHORT_NAME,
                "kind": Partnership.Kind.COUNTY,
            },
        )
        return found


class Partnership(AuditedModel):
    """A partnership whose bodies meet on the portal."""

    class Kind(models.TextChoices):
        COUNTY = "county", "County partnership"
        DISTRICT = "district", "District or borough partnership"
        OTHER = "other", "Other partnership"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="For example 'KCSP' or 'Dover CSP'."
    )
    slug = models.SlugField(
        max_length=100, unique=True, help_text="Its address: /partnerships/<slug>/."
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.DISTRICT)
    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partnership",
        limit_choices_to={"kind": Organisation.Kind.LOCAL_CSP},
        help_text="The partnership's entry in the partner directory, if it has one.",
    )
    logo = models.FileField(
        upload_to=logo_upload_to,
        blank=True,
        max_length=300,
        help_text="A PNG or JPEG image, at most 2 MB.",
    )
    logo_text = models.CharField(
        "logo's text alternative",
        max_length=200,
        blank=True,
        help_text="What the logo says, for those who cannot see it; the "
        "partnership's name when left blank.",
    )
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="clerk_of_partnerships",
        help_text="Clerks who work on this partnership's meetings, agreement "
        "and actions. A clerk sees and changes no other partnership's.",
    )

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        # Every list of partnerships: the county's first, then by name (the
        # kinds' stored words sort county, district, other).
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kcsp:partnership", args=[self.slug])

    @property
    def label(self) -> str:
        return self.short_name or self.name

    @property
    def logo_url(self) -> str:
        if not self.logo:
            return ""
        return reverse("kcsp:partnership_logo", args=[self.slug])

    @property
    def logo_alt(self) -> str:
        return self.logo_text or self.name

    @property
    def logo_mime(self) -> str:
        ext = os.path.splitext(self.logo.name or "")[1].lower()
        return "image/png" if ext == ".png" else "image/jpeg"


def host_partnership_id() -> int:
    """The host partnership's id: what a body or agreement made without
    naming its partnership belongs to."""
    return Partnership.objects.host().pk
