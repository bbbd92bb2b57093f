"""Every GET parameter of every public list, given hostile values.

The lists are found, not listed by hand: each public page of the URL walk
that offers query parameters for its own address (the fields of its GET
forms and the keys of its links back to itself) is a list, and so is every
collection of the open data API, with the query parameters its OpenAPI
description names (`page` and `page_size` among them). Each page also gets
`page`, whether it shows page links at the time or not.

Every parameter is given every value of HOSTILE (numbers past any database
column, dates that do not exist, NUL bytes, very long and non-Latin text,
bytes that are not UTF-8, a parameter given twice) and the values the page
itself offers; then Hypothesis tries random mixtures. No answer may be a
server error: a bad value gets the form's message, the first or last page,
a 400 or a 404.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import text
from tests.security.test_url_walk import PUBLIC
from tests.security.world import World, site_patterns, url_for

pytestmark = pytest.mark.django_db

HOSTILE = [
    # Numbers: zero, signs, decimals, other scripts' digits, past 64 bits.
    "0",
    "-1",
    "1.5",
    "1e309",
    "\u0663",
    "9223372036854775808",
    "9" * 5000,
    # Dates and times that do not exist or sit at the ends of the calendar.
    "2022-02-30",
    "0001-01-01",
    "31/12/9999",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-12:00",
    # Text.
    "",
    "\x00",
    "x" * 10_000,
    "é𝔘\u202e😀",
    "' OR 1=1 --",
    "%_",
]
# Query strings no form would send: bytes that are not UTF-8, an encoded NUL
# among them, and the parameter given twice.
RAW = ["{name}=%FF%FE%00", "{name}=1&{name}=x"]

# Parameters a list needs before it lists anything.
BASE = {"kcsp:search": {"q": "domestic"}}


@dataclass
class Target:
    name: str
    url: str
    client: Client
    params: dict[str, set[str]] = field(default_factory=dict)


class _OwnParameters(HTMLParser):
    """The query parameters a page offers for its own address, with the
    values it offers for them: the fields of GET forms submitting to it,
    and the keys of links back to it."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        self.in_form = False
        self.select = ""
        self.found: dict[str, set[str]] = {}

    def _own(self, address: str) -> bool:
        return urlsplit(address).path in ("", self.path)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {key: value or "" for key, value in attrs}
        name = given.get("name", "")
        if tag == "form":
            self.in_form = given.get("method", "get").lower() == "get" and self._own(
                given.get("action", "")
            )
        elif self.in_form and tag in ("input", "select", "textarea") and name:
            self.found.setdefault(name, set()).add(given.get("value", ""))
            self.select = name if tag == "select" else ""
        elif self.in_form and tag == "option" and self.select:
            self.found[self.select].add(given.get("value", ""))
        elif tag == "a" and "?" in given.get("href", "") and self._own(given["href"]):
            for key, value in parse_qsl(urlsplit(given["href"]).query):
                self.found.setdefault(key, set()).add(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "select":
            self.select = ""


def _html_lists(world: World, anonymous: Client, partner: Client) -> Iterator[Target]:
    pages = [
        (name, url_for(world, name, route), anonymous)
        for route, name in site_patterns()
        if name in PUBLIC
    ]
    pages.append(("kcsp:actions", reverse("kcsp:actions"), partner))
    for name, url, client in pages:
        response = client.get(url, BASE.get(name, {}))
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _OwnParameters(url)
        parser.feed(text(response))
        if parser.found:
            yield Target(name, url, client, {**parser.found, "page": {"2", "last"}})


def _api_lists(client: Client) -> Iterator[Target]:
    described = client.get(reverse("api:schema")).json()
    for path, operations in described["paths"].items():
        if "{" in path or "get" not in operations:
            continue
        params = {
            p["name"]: {str(p["schema"].get("default", ""))}
            for p in operations["get"].get("parameters", [])
            if p["in"] == "query"
        }
        yield Target(path, path, client, params)


class Fuzz:
    """Sends requests, counting them and keeping those answered with a
    server error, with the exception that caused it."""

    def __init__(self) -> None:
        self.sent = 0
        self.errors: list[str] = []

    def get(self, target: Target, query: str) -> None:
        self.sent += 1
        try:
            # A savepoint each, so that on PostgreSQL one failed query does
            # not fail every later request of the test's transaction.
            with transaction.atomic():
                status = target.client.get(f"{target.url}?{query}").status_code
        except Exception as error:  # what made the server error, to report
            status = 500
            query = f"{query[:120]} ({type(error).__name__}: {error})"
        if status >= 500:
            self.errors.append(f"{target.name} ?{query[:300]}: {status}")


def _query(target: Target, **params: str) -> str:
    return urlencode({**BASE.get(target.name, {}), **params})


@pytest.fixture
def targets(world: World) -> list[Target]:
    """Every public list, and "My actions" as a partner officer sees it."""
    anonymous = Client()
    partner = Client()
    partner.force_login(get_user_model().objects.get(username="partner"))
    return [*_html_lists(world, anonymous, partner), *_api_lists(anonymous)]


def _assert_every_list_is_found(targets: list[Target]) -> None:
    """The lists and parameters known today are among those found, so that
    a change to how pages offer their parameters cannot empty the fuzz."""
    found = {t.name: set(t.params) for t in targets}
    expected = {
        "kcsp:search": {"q", "kind", "partnership", "body", "date_from", "date_to"},
        "kcsp:actions": {"q", "partnership", "status", "reports_to", "due"},
        "meetings:list": {"body", "year", "status"},
        "meetings:decisions": {"q", "body", "date_from", "date_to", "kind"},
        "meetings:body": {"year"},
        "priorities:detail": {"version"},
        "priorities:list": {"partnership"},
        "dhr:list": {"q", "year"},
        "meetings:body_attendance": {"year", "from", "to", "format"},
        "meetings:organisation_attendance": {"year", "from", "to", "format"},
        "kcsp:alerts": {"body", "keyword", "partnership"},
        "meetings:petitions": {"body", "state"},
        "meetings:calls": {"body", "partnership"},
    }
    for name, params in expected.items():
        assert params | {"page"} <= found.pop(name), name
    api = {name for name in found if name.startswith("/api/")}
    assert len(api) == 13 and set(found) == api, {n: found[n] for n in set(found) - api}
    for name in api:
        assert {"updated_since", "page", "page_size"} <= found[name], name


def test_no_value_of_any_list_parameter_is_a_server_error(
    targets: list[Target], record_property: Any
) -> None:
    _assert_every_list_is_found(targets)
    fuzz = Fuzz()
    for target in targets:
        for name, offered in target.params.items():
            for value in [*HOSTILE, *sorted(offered - {""})[:2]]:
                fuzz.get(target, _query(target, **{name: value}))
            for raw in RAW:
                base = _query(target)
                fuzz.get(target, f"{base}&{raw.format(name=quote(name))}")

    everything = sorted({name for t in targets for name in t.params})

    @given(
        target=st.sampled_from(targets),
        params=st.dictionaries(
            st.sampled_from(everything),
            st.one_of(
                st.text(max_size=40),
                st.integers(min_value=-(2**70), max_value=2**70).map(str),
                st.dates().map(lambda day: day.strftime("%d/%m/%Y")),
                st.datetimes().map(lambda moment: moment.isoformat()),
            ),
            max_size=4,
        ),
    )
    @settings(
        max_examples=100,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def any_mixture(target: Target, params: dict[str, str]) -> None:
        fuzz.get(target, _query(target, **params))

    any_mixture()
    record_property("requests", fuzz.sent)
    print(f"{fuzz.sent} requests to {len(targets)} lists")
    assert fuzz.errors == [], "\n".join(fuzz.errors)


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("/meetings/?year=9223372036854775808", "Enter a year before 2100."),
        ("/meetings/?year=%00", "Enter a year as four digits"),
        ("/decisions/?date_from=2022-02-30", "Enter a date like 24/03/2022."),
        ("/decisions/?q=a%00b", "Null characters are not allowed."),
        ("/search/?q=domestic&date_to=31/12/99999", "Enter a date like 24/03/2022."),
        ("/search/?q=" + "x" * 300, "Use 200 characters or fewer (you used 300)."),
        ("/dhr/?year=1e309", "Select a valid choice."),
    ],
)
def test_bad_filter_input_gets_the_forms_message(address: str, message: str) -> None:
    response = Client().get(address)
    assert response.status_code == 200
    assert message in text(response)


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("/api/v1/meetings/?date_from=2022-02-30", "YYYY-MM-DD"),
        ("/api/v1/meetings/?updated_since=9999-99-99", "ISO 8601"),
        ("/api/v1/meetings/?body=no-such-body", "No public body has that slug"),
        ("/api/v1/meetings/?body=a%00b", "Null characters are not allowed."),
    ],
)
def test_bad_api_filter_input_gets_a_clear_400(address: str, message: str) -> None:
    response = Client().get(address)
    assert response.status_code == 400
    assert message in response.json()["detail"]
