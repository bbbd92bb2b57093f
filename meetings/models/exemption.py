"""Business that may be taken in private: agenda items and their minutes.

Such an item is public unless marked exempt, and an exempt item names the
paragraph of Schedule 12A that makes it so. Exempt items are still listed
with their number and title; only their content is withheld.
"""

from django.db import models
from django.db.models import Q

from kcsp.visibility import ExemptParagraph, Visibility


class ExemptableItem(models.Model):
    visibility = models.CharField(
        max_length=20,
        choices=[
            (Visibility.PUBLIC.value, Visibility.PUBLIC.label),
            (Visibility.EXEMPT.value, Visibility.EXEMPT.label),
        ],
        default=Visibility.PUBLIC,
    )
    exempt_paragraph = models.PositiveSmallIntegerField(
        choices=ExemptParagraph, null=True, blank=True
    )

    class Meta:
        abstract = True

    @property
    def is_exempt(self) -> bool:
        return self.visibility == Visibility.EXEMPT


def exempt_needs_paragraph(name: str) -> models.CheckConstraint:
    """An exempt item must name its paragraph of Schedule 12A."""
    return models.CheckConstraint(
        condition=~Q(visibility=Visibility.EXEMPT) | Q(exempt_paragraph__isnull=False),
        name=name,
    )
