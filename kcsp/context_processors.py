from typing import Any

from django.conf import settings
from django.http import HttpRequest

from kcsp import roles


def portal(request: HttpRequest) -> dict[str, Any]:
    """Branding from configuration, and what the navigation should offer."""
    user = getattr(request, "user", None)
    return {
        "portal_name": settings.PORTAL_NAME,
        "portal_short_name": settings.PORTAL_SHORT_NAME,
        "portal_logo": settings.PORTAL_LOGO,
        "portal_organisation": settings.PORTAL_ORGANISATION,
        "portal_contact_email": settings.PORTAL_CONTACT_EMAIL,
        "dhr_label": settings.DHR_LABEL,
        "is_staff_member": roles.is_staff_member(user),
        "is_administrator": roles.has_role(user, roles.Role.ADMINISTRATOR),
    }
