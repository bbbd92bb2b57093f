"""Every e-mail the portal sends: a plain-text part and an HTML one, from a
pair of templates, with its links made absolute against PORTAL_BASE_URL."""

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def absolute(path: str) -> str:
    """A path of the portal as a whole address, for a link read away from
    the site (in an e-mail, say)."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def email_message(
    *,
    to: str,
    subject: str,
    template: str,
    context: dict[str, Any],
    unsubscribe_url: str | None = None,
) -> EmailMultiAlternatives:
    """An e-mail with a plain-text part and an HTML one, from the templates
    `<template>.txt` and `<template>.html`; with the RFC 8058 headers when it
    goes to a stored address."""
    return email_of_parts(
        to=to,
        subject=subject,
        parts=email_parts(template, context),
        unsubscribe_url=unsubscribe_url,
    )


def email_parts(template: str, context: dict[str, Any]) -> tuple[str, str]:
    """The plain-text and HTML bodies of an e-mail from its templates."""
    context = {"portal_name": settings.PORTAL_NAME, **context}
    return (
        render_to_string(f"{template}.txt", context),
        render_to_string(f"{template}.html", context),
    )


def email_of_parts(
    *, to: str, subject: str, parts: tuple[str, str], unsubscribe_url: str | None
) -> EmailMultiAlternatives:
    """An e-mail of bodies already rendered (`email_parts`)."""
    headers = {}
    if unsubscribe_url:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    text, html = parts
    message = EmailMultiAlternatives(
        subject=subject[:200], body=text, to=[to], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message
