"""Every URL the portal serves, walked as each kind of visitor.

The walk enumerates the URL configuration itself, so a new page cannot be
added without being classified here: a pattern with no sample arguments, or
one missing from the allow-lists below, fails the test by name. Samples are
real records from the demo partnership, plus the few kinds of record the demo
does not hold (a DHR review's published document, a progress update with
evidence).

Reachable means the page answers (2xx, or a redirect that is not to sign-in;
405 for a form-only address counts, since the form is there to post to).
Refused means a redirect to sign-in, 403 or 404.
"""

import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import get_resolver, reverse

from tests.security.world import World, patterns, site_patterns, url_for

pytestmark = pytest.mark.django_db

# Pages anyone may read.
PUBLIC = {
    "kcsp:home",
    "kcsp:accessibility",
    "kcsp:privacy",
    "kcsp:search",
    "kcsp:partnerships",
    "kcsp:partnership",
    "kcsp:partnership_logo",
    "kcsp:partnership_sitemap",
    "kcsp:alerts",
    "healthz",
    "login",
    "sitemap",
    "robots",
    "meetings:body_list",
    "meetings:body",
    "meetings:forward_plan",
    "meetings:body_attendance",
    "meetings:organisation_attendance",
    "meetings:list",
    "meetings:detail",
    "meetings:document",
    "meetings:decisions",
    "meetings:questions",
    "meetings:calls",
    "meetings:call",
    "meetings:petitions",
    "meetings:petition_new",
    "meetings:petition",
    "meetings:petition_sign",
    "meetings:agenda_pdf",
    "meetings:minutes_pdf",
    "meetings:pack_pdf",
    "meetings:pack",
    "feeds:calendar",
    "feeds:body_calendar",
    "feeds:agendas_rss",
    "feeds:agendas_atom",
    "feeds:body_agendas_rss",
    "feeds:body_agendas_atom",
    "feeds:minutes_rss",
    "feeds:minutes_atom",
    "feeds:body_minutes_rss",
    "feeds:body_minutes_atom",
    "feeds:decisions_rss",
    "feeds:decisions_atom",
    "feeds:body_decisions_rss",
    "feeds:body_decisions_atom",
    "agreement:current",
    "agreement:detail",
    "agreement:changes",
    "agreement:pdf",
    "agreement:assessment",
    "agreement:assessment_document",
    "priorities:list",
    "priorities:detail",
    "dhr:list",
    "dhr:review",
    "dhr:review_pdf",
    "dhr:document",
    "api:guide",
    "api:schema",
    "api:api-root",
    *(
        f"api:{collection}-{kind}"
        for collection in (
            "body",
            "membership",
            "person",
            "meeting",
            "agenda-item",
            "document",
            "minute-item",
            "resolution",
            "agreement",
            "priority",
            "action",
            "partnership",
            "strategic-assessment",
        )
        for kind in ("list", "detail")
    ),
}

# What a signed-in user reaches beyond the public pages.
ACCOUNT = {
    "kcsp:start",
    "logout",
    "password_change",
    "password_change_done",
    "two_factor",
    "two_factor_setup",
}
# A staff account adds its first authenticator app only with an
# administrator's permission, which the walk's accounts have not been given
# (tests/security/test_two_factor.py walks that).
STAFF_ACCOUNT = ACCOUNT - {"two_factor_setup"}
# Opens only with a link an administrator made for that account; the walk's
# made-up one is refused to everyone.
# Pages reached from a signed link in an e-mail; without one, "not found".
LINK_ONLY = {
    "two_factor_link",
    "kcsp:alert_confirm",
    "kcsp:alert_manage",
    "kcsp:alert_unsubscribe",
    "meetings:question_confirm",
    "meetings:petition_confirm",
    "meetings:signature_confirm",
}
# Administrators' screens (tests/security/test_unlock.py signs in as one).
ADMINISTRATOR = {"locked_sign_ins"}
CLERK_DRAFTING = {
    "manage:dashboard",
    "manage:year",
    "manage:declarations",
    "manage:redact",
    "manage:questions",
    "manage:question",
    "manage:calls",
    "manage:call_new",
    "manage:call",
    "manage:petitions",
    "manage:petition",
    "manage:vote",
    "manage:meeting",
    "manage:publish",
    "manage:withdraw",
    "manage:meeting_change",
    "manage:supplement",
    "manage:election",
    "manage:members",
    "manage:membership",
    "manage:meeting_new",
    "manage:agenda",
    "manage:agenda_start",
    "manage:section_add",
    "manage:agenda_offer",
    "manage:item",
    "manage:item_move",
    "manage:item_remove",
    "meetings:minutes_draft",
    "meetings:minutes_start",
    "meetings:minutes_attendance",
    "meetings:minutes_publish",
    "meetings:minutes_publish_staged",
    "meetings:minutes_approve",
    "meetings:minutes_preview",
    "meetings:minutes_item_add",
    "meetings:minutes_item",
    "meetings:minutes_item_move",
    "meetings:minutes_item_delete",
    "meetings:minutes_item_action",
    "meetings:minutes_item_compare",
    "meetings:staff_pack_pdf",
    "meetings:staff_pack",
}
STAFF_REPORTS = {"priorities:exception_report"}
ACTIONS = {
    "kcsp:actions",
    "kcsp:action_overview",
    "kcsp:action",
    "kcsp:action_evidence",
}
DHR_STAFF = {
    "dhr:dashboard",
    "dhr:learning",
    "dhr:funding",
    "dhr:case",
    "dhr:case_pdf",
    "dhr:publish",
    "dhr:document_add",
    "dhr:case_document",
    "dhr:recommendation_add",
    "dhr:action_add",
    "dhr:sign_off",
}

ROLE_REACHES = {
    "clerk": PUBLIC | STAFF_ACCOUNT | CLERK_DRAFTING | ACTIONS | STAFF_REPORTS,
    # A partner officer sees the actions of their own organisation (the
    # sample action and evidence belong to it) and signs in with a password
    # alone: two-factor sign-in is for staff.
    "partner": PUBLIC
    | {"kcsp:start", "logout", "password_change", "password_change_done"}
    | {"kcsp:actions", "kcsp:action", "kcsp:action_evidence"},
    # The coordinator oversees DHR actions. The sample action is a partner's
    # public one: its page is there for anyone signed in, its evidence only
    # for those who work on it. The agreement's exception report is a clerk's.
    "dhr": PUBLIC | STAFF_ACCOUNT | DHR_STAFF | (ACTIONS - {"kcsp:action_evidence"}),
    # A clerk of a district partnership has a workspace of their own, but
    # every sample is the county partnership's: none of its meetings, bodies,
    # minutes or evidence opens for them.
    "clerk-dover": PUBLIC
    | STAFF_ACCOUNT
    | {"manage:dashboard", "manage:calls", "manage:call_new", "manage:petitions"}
    | STAFF_REPORTS
    | (ACTIONS - {"kcsp:action_evidence"}),
}


# Signing in and out of the admin is open to anyone; unnamed patterns are the
# admin's catch-all, which the named ones already cover.
ADMIN_OPEN = {"admin:login", "admin:logout", "admin:None"}


def _admin_urls() -> list[str]:
    urls = []
    for _, name, pattern in patterns(get_resolver().url_patterns):
        if not name.startswith("admin:") or name in ADMIN_OPEN:
            continue
        converters = pattern.pattern.converters
        kwargs = {
            key: "1" if converter.regex.startswith("[0-9]") else "x"
            for key, converter in converters.items()
        } or dict.fromkeys(pattern.pattern.regex.groupindex, "1")
        if "app_label" in kwargs:
            kwargs["app_label"] = "meetings"
        groups = pattern.pattern.regex.groups
        if kwargs or not groups:
            urls.append(reverse(name, kwargs=kwargs))
        else:
            urls.append(reverse(name, args=["1"] * groups))
    return urls


def _reachable(response: Any) -> bool:
    if response.status_code in (301, 302, 303, 307, 308):
        return "/login/" not in response["Location"]
    return response.status_code < 400 or response.status_code == 405


def _refused(response: Any) -> bool:
    if response.status_code in (302, 303):
        return "/login/" in response["Location"]
    return response.status_code in (403, 404, 405)


# The Content Security Policy allows no inline style, and inline scripts only
# with the response's nonce; a page breaking that would be broken in browsers.
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)


def _inline_code(response: Any) -> str:
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    page = response.content.decode()
    if INLINE_STYLE.search(page):
        return "inline style"
    for tag in SCRIPT_TAG.findall(page):
        if "src=" not in tag and "nonce=" not in tag:
            return "inline script without the nonce"
    return ""


def _walk(client: Client, world: World, reaches: set[str]) -> list[str]:
    wrong = []
    for route, name in site_patterns():
        url = url_for(world, name, route)
        response = client.get(url)
        ok = _reachable(response) if name in reaches else _refused(response)
        if not ok:
            expected = "reachable" if name in reaches else "refused"
            wrong.append(f"{name} {url}: {response.status_code}, expected {expected}")
        elif problem := _inline_code(response):
            wrong.append(f"{name} {url}: {problem}, which the CSP blocks")
    return wrong


def test_every_page_is_classified() -> None:
    names = {name for _, name in site_patterns()}
    classified = (
        PUBLIC
        | ACCOUNT
        | LINK_ONLY
        | ADMINISTRATOR
        | CLERK_DRAFTING
        | ACTIONS
        | DHR_STAFF
        | STAFF_REPORTS
    )
    assert sorted(names - classified) == [], "Classify these pages in the walk"
    assert sorted(classified - names) == [], "These pages no longer exist"


def test_anonymous_visitors_reach_only_public_pages(world: World) -> None:
    wrong = _walk(Client(), world, PUBLIC)
    assert wrong == [], "\n".join(wrong)


def test_anonymous_visitors_are_sent_to_sign_in_for_every_admin_page(
    world: World,
) -> None:
    client = Client()
    urls = _admin_urls()
    assert len(urls) > 100
    wrong = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 302 or "/login/" not in response["Location"]:
            wrong.append(f"{url}: {response.status_code}")
    assert wrong == [], "\n".join(wrong)


@pytest.mark.parametrize("username", sorted(ROLE_REACHES))
def test_each_role_reaches_only_its_own_pages(world: World, username: str) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    wrong = _walk(client, world, ROLE_REACHES[username])
    assert wrong == [], "\n".join(wrong)


def test_non_public_records_are_not_found_by_anyone_without_the_right(
    world: World,
) -> None:
    """Object-level checks: the page exists, but this record is not theirs."""
    anonymous = Client()
    partner = Client()
    partner.force_login(get_user_model().objects.get(username="partner"))
    clerk = Client()
    clerk.force_login(get_user_model().objects.get(username="clerk"))
    restricted = world.restricted_document
    exempt = world.exempt_document
    refused = {
        "another organisation's action": (
            partner,
            world.other_action.get_absolute_url(),
        ),
        "a restricted paper": (
            anonymous,
            reverse("meetings:document", args=[restricted.pk, restricted.filename]),
        ),
        "an exempt paper, to a partner": (
            partner,
            reverse("meetings:document", args=[exempt.pk, exempt.filename]),
        ),
        "a draft agreement": (
            anonymous,
            reverse("agreement:detail", args=[world.draft_agreement.slug]),
        ),
        "a draft agreement's PDF": (
            anonymous,
            reverse("agreement:pdf", args=[world.draft_agreement.slug]),
        ),
        "an unpublished review": (
            anonymous,
            reverse(
                "dhr:review", args=[world.unpublished_case.public_slug() or "x-2025"]
            ),
        ),
        "an unpublished review's action plan": (
            anonymous,
            reverse(
                "dhr:review_pdf",
                args=[world.unpublished_case.public_slug() or "x-2025"],
            ),
        ),
        "a DHR case, to a clerk": (
            clerk,
            reverse("dhr:case", args=[world.unpublished_case.pk]),
        ),
        "a DHR case, to a partner": (
            partner,
            reverse("dhr:case", args=[world.unpublished_case.pk]),
        ),
        "the staff pack, to a partner": (
            partner,
            reverse(
                "meetings:staff_pack_pdf",
                args=[world.meeting.body.slug, world.meeting.url_key],
            ),
        ),
    }
    wrong = []
    for what, (client, url) in refused.items():
        response = client.get(url)
        if response.status_code not in (403, 404) and not _refused(response):
            wrong.append(f"{what} ({url}): {response.status_code}")
    assert wrong == [], "\n".join(wrong)
