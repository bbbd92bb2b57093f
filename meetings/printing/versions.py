"""Versions of a meeting's printable documents, found without rendering them.

A version is a digest of everything a document shows: the meeting and its
body, and for every kind of row the document reads (agenda items, papers,
minute paragraphs, attendance, the people and organisations they name ...)
how many of them its audience may see and when the latest of them last
changed. Every save of these models stamps `updated_at`, so an edit, an
addition or a deletion anywhere in the document gives a new version, and so
a new cache key: once the latest change is later than any row that went, a
(count, latest change) pair cannot come back with different rows. A paper
whose publication time arrives joins the audience's rows and changes the
version too. The layout (templates, stylesheets, WeasyPrint's version,
branding settings) is part of the digest, so a new release renders
everything again.

One query finds it all: the meeting (as the document's audience may see it),
every count and latest change as a scalar subquery, and the stored copy of
the document, if any. The query is compiled once per process
(`PreparedQuery`), so a cached PDF costs the same however many items the
meeting has; on PostgreSQL, which plans every query it is sent, the answer is
also kept while nothing is written to the database (`WhileUnchanged`).
"""

import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db.models import (
    CharField,
    DateTimeField,
    F,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Concat, Now
from django.template.loader import get_template
from django.utils.dateparse import parse_datetime

from kcsp.models import RenderedDocument
from kcsp.visibility import Audience
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Attendance,
    Declaration,
    Document,
    Meeting,
    Membership,
    MinuteItem,
    MinuteParagraph,
    Minutes,
    MinutesCorrection,
    Resolution,
    ResolutionAction,
    ResolutionPart,
)
from meetings.printing.prepared import PreparedQuery
from meetings.printing.store import Stored
from meetings.printing.unchanged import WhileUnchanged

# The kinds of document, as stored in kcsp.RenderedDocument.
AGENDA = "meetings.agenda"
MINUTES = "meetings.minutes"
PACK = "meetings.pack"
STAFF_PACK = "meetings.pack.staff"

AUDIENCES = {
    AGENDA: Audience.PUBLIC,
    MINUTES: Audience.PUBLIC,
    PACK: Audience.PUBLIC,
    STAFF_PACK: Audience.CLERK,
}

# Raise when code (not templates) changes what a document looks like, so
# every stored copy is rendered again.
FORMAT = "1"

# Everything whose text decides how a document looks.
LAYOUT_TEMPLATES = (
    "pdf/base.html",
    "meetings/pdf/base.html",
    "meetings/pdf/agenda.html",
    "meetings/pdf/minutes.html",
    "meetings/pdf/pack_contents.html",
    "meetings/pdf/page_numbers.html",
    "meetings/includes/front_sheet.html",
    "meetings/includes/members.html",
    "meetings/includes/agenda.html",
    "meetings/includes/document_link.html",
    "meetings/includes/minutes.html",
)
LAYOUT_STYLESHEETS = (
    "css/pdf.css",
    "css/meetings-pdf.css",
    "css/meetings-pack.css",
    "css/meetings-page-numbers.css",
)

_KEPT = WhileUnchanged()

# Prefix of the query's columns that make the version.
_STAMP = "s_"
MINUTES_STAMP = f"{_STAMP}minutes"


def subject_of(meeting_pk: int) -> str:
    """How a meeting is named in kcsp.RenderedDocument and kcsp.RenderJob."""
    return f"meeting:{meeting_pk}"


def meeting_pk_of(subject: str) -> int | None:
    prefix, _, pk = subject.partition(":")
    return int(pk) if prefix == "meeting" and pk.isdigit() else None


@dataclass(frozen=True)
class Lookup:
    """A meeting's document as its audience may see it, and its stored copy."""

    kind: str
    meeting_pk: int
    agenda_published: bool
    # None when the audience may not see the document (unpublished minutes).
    version: str | None
    # The latest stored copy, of this version or an older one.
    stored: Stored | None

    @property
    def subject(self) -> str:
        return subject_of(self.meeting_pk)

    @property
    def current(self) -> Stored | None:
        """The stored copy if it is of the current version."""
        if self.stored is not None and self.stored.version == self.version:
            return self.stored
        return None


def lookup(kind: str, *, body_slug: str, key: str) -> Lookup | None:
    """Find the meeting at `body_slug`/`key` as the document's audience sees
    it, the document's current version and its stored copy, in one query.

    None when the audience cannot see the meeting. On PostgreSQL the answer
    is kept while nothing is written to the database (see `unchanged`).
    """
    branding = (settings.PORTAL_NAME, settings.PORTAL_LOGO, settings.PORTAL_BASE_URL)
    return _KEPT.get(
        (kind, body_slug, key, branding), lambda: _lookup(kind, body_slug, key)
    )


def _lookup(
    kind: str, body_slug: str, key: str
) -> tuple[Lookup | None, dt.datetime | None]:
    row = _QUERIES[kind].fetch(slug=body_slug, key=key)
    if row is None:
        return None, None
    visible = kind != MINUTES or row[MINUTES_STAMP] is not None
    stamps = {name: value for name, value in row.items() if name.startswith(_STAMP)}
    found = Lookup(
        kind=kind,
        meeting_pk=row["meeting_pk"],
        agenda_published=row["agenda_published"] is not None,
        version=_digest(kind, stamps) if visible else None,
        stored=_stored(row["stored"]),
    )
    next_publication = row.get("next_publication")
    return found, _as_datetime(next_publication) if next_publication else None


def _stored(value: str | None) -> Stored | None:
    if not value:
        return None
    pk, version, created, size, file_name = value.split("|", 4)
    return Stored(
        pk=int(pk),
        version=version,
        file_name=file_name,
        size_bytes=int(size),
        created_at=_as_datetime(created),
    )


def lookup_meeting(kind: str, meeting: Meeting) -> Lookup | None:
    return lookup(kind, body_slug=meeting.body.slug, key=meeting.url_key)


# The queries -------------------------------------------------------------------
#
# Rows are counted whether or not the audience may see them: a change to a
# row it cannot see then makes a new version too, which costs a render but
# can never leave a stale PDF, and the query stays small (PostgreSQL plans it
# on every run). What makes a row visible lives in rows that are counted too
# (the meeting's publication, the body, an item's exemption, the minutes'
# status), except a paper's publication time, which passes without any row
# changing: papers are therefore counted as the audience sees them, through
# their visibility rule.


def _text(expression: Any) -> Cast:
    return Cast(expression, CharField())


def _rows(name: str, queryset: QuerySet[Any], *related: str) -> dict[str, Subquery]:
    """Count and latest change of `queryset`, and of the rows it names, as
    one text column: a single scalar subquery per kind of row."""
    parts: list[Any] = [_text(Func(F("pk"), function="COUNT"))]
    for path in ("updated_at", *related):
        parts += [Value("|"), _text(Func(F(path), function="MAX"))]
    # A Func rather than an aggregate: the subquery then has no GROUP BY and
    # yields one value over all the rows, as Django's documentation shows for
    # aggregates inside a Subquery.
    stamp = Concat(*parts, output_field=CharField())
    subquery = queryset.order_by().annotate(_stamp=stamp).values("_stamp")[:1]
    return {f"{_STAMP}{name}": Subquery(subquery)}


def _base(kind: str, slug: str, key: str) -> QuerySet[Meeting]:
    audience = AUDIENCES[kind]
    subject = Concat(Value("meeting:"), _text(OuterRef("pk")), output_field=CharField())
    stored = (
        RenderedDocument.objects.filter(kind=kind, subject=subject)
        .order_by("-created_at", "-pk")
        .annotate(
            _stored=Concat(
                _text(F("pk")),
                Value("|"),
                F("version"),
                Value("|"),
                _text(F("created_at")),
                Value("|"),
                _text(F("size_bytes")),
                Value("|"),
                F("file"),
                output_field=CharField(),
            )
        )
        .values("_stored")[:1]
    )
    return (
        Meeting.objects.for_audience(audience)
        .filter(body__slug=slug, url_key=key)
        .order_by()
        .annotate(
            meeting_pk=F("pk"),
            agenda_published=F("agenda_published_at"),
            stored=Subquery(stored),
            **{
                f"{_STAMP}meeting": F("updated_at"),
                f"{_STAMP}body": F("body__updated_at"),
            },
        )
    )


def _agenda_query(kind: str) -> PreparedQuery:
    audience = AUDIENCES[kind]

    def build(slug: str, key: str) -> QuerySet[Any]:
        meeting = OuterRef("pk")
        stamps = {
            **_rows("sections", AgendaSection.objects.filter(meeting=meeting)),
            **_rows("items", AgendaItem.objects.filter(meeting=meeting)),
            # A paper's file cannot change without its row (sha256, size, page
            # count, publication) being saved, so the rows stand for the files.
            **_rows(
                "documents",
                Document.objects.for_audience(audience).filter(meeting=meeting),
            ),
            # Every membership of the body, not only those in force on the
            # meeting's day: the day would cost a date conversion per row.
            **_rows(
                "members",
                Membership.objects.filter(body=OuterRef("body_id")),
                "person__updated_at",
                "representing__updated_at",
            ),
        }
        # A paper published "from" a later time joins the public's papers
        # when that time comes, with no row changing.
        later = Document.objects.filter(meeting=meeting, published_at__gt=Now())
        upcoming = Func(F("published_at"), function="MIN", output_field=DateTimeField())
        next_publication = Subquery(
            later.order_by().annotate(_next=upcoming).values("_next")[:1]
        )
        return _values(
            _base(kind, slug, key).annotate(**stamps, next_publication=next_publication)
        )

    build.__qualname__ = f"agenda query ({kind})"
    return PreparedQuery(build, slug="stand-in-body", key="stand-in-key")


def _minutes_query() -> PreparedQuery:
    audience = AUDIENCES[MINUTES]

    def build(slug: str, key: str) -> QuerySet[Any]:
        meeting = OuterRef("pk")
        minutes = (
            Minutes.objects.for_audience(audience)
            .filter(meeting=meeting)
            .annotate(
                _stamp=Concat(
                    F("status"),
                    Value("|"),
                    _text(F("updated_at")),
                    # "Approved at the meeting on ... (minute N)" names a
                    # later meeting.
                    Value("|"),
                    _text(F("approved_by__minute_item__updated_at")),
                    Value("|"),
                    _text(F("approved_by__minute_item__minutes__meeting__updated_at")),
                    output_field=CharField(),
                )
            )
            .values("_stamp")[:1]
        )
        of_minutes = {"minute_item__minutes__meeting": meeting}
        stamps = {
            # None when the audience may not read these minutes.
            MINUTES_STAMP: Subquery(minutes),
            **_rows("items", MinuteItem.objects.filter(minutes__meeting=meeting)),
            **_rows("paragraphs", MinuteParagraph.objects.filter(**of_minutes)),
            **_rows("resolutions", Resolution.objects.filter(**of_minutes)),
            **_rows(
                "parts",
                ResolutionPart.objects.filter(
                    resolution__minute_item__minutes__meeting=meeting
                ),
            ),
            **_rows(
                "actions",
                ResolutionAction.objects.filter(
                    resolution__minute_item__minutes__meeting=meeting
                ),
                "action__updated_at",
                "action__owner_organisation__updated_at",
            ),
            **_rows(
                "attendance",
                Attendance.objects.filter(meeting=meeting),
                "person__updated_at",
                "substitute_for__updated_at",
            ),
            **_rows(
                "declarations",
                Declaration.objects.filter(meeting=meeting),
                "person__updated_at",
                "item__updated_at",
            ),
            # Attendance names the chair and vice-chair by their membership.
            **_rows(
                "members",
                Membership.objects.filter(body=OuterRef("body_id")),
                "person__updated_at",
            ),
            **_rows(
                "corrections",
                MinutesCorrection.objects.filter(minutes__meeting=meeting),
                "minute_item__updated_at",
            ),
        }
        return _values(_base(MINUTES, slug, key).annotate(**stamps))

    build.__qualname__ = "minutes query"
    return PreparedQuery(build, slug="stand-in-body", key="stand-in-key")


def _values(queryset: QuerySet[Any]) -> QuerySet[Any]:
    names = list(queryset.query.annotations)
    return queryset.values(*names)[:1]


_QUERIES = {
    AGENDA: _agenda_query(AGENDA),
    PACK: _agenda_query(PACK),
    STAFF_PACK: _agenda_query(STAFF_PACK),
    MINUTES: _minutes_query(),
}


# The digest ----------------------------------------------------------------------


def _digest(kind: str, stamps: dict[str, Any]) -> str:
    parts = {
        "format": FORMAT,
        "kind": kind,
        "layout": layout_digest(),
        "settings": [
            settings.PORTAL_NAME,
            settings.PORTAL_LOGO,
            # Links in the PDFs are made absolute against it.
            settings.PORTAL_BASE_URL,
        ],
        "rows": stamps,
    }
    encoded = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


@functools.cache
def layout_digest() -> str:
    """A digest of the templates, stylesheets and renderer behind the PDFs.

    Read once per process: templates and stylesheets change with a release,
    and a release restarts the processes.
    """
    digest = hashlib.sha256()
    for name in LAYOUT_TEMPLATES:
        digest.update(get_template(name).template.source.encode())  # type: ignore[attr-defined]
    for name in LAYOUT_STYLESHEETS:
        found = finders.find(name)
        if isinstance(found, str):
            digest.update(Path(found).read_bytes())
    digest.update(importlib.metadata.version("weasyprint").encode())
    return digest.hexdigest()


def _as_datetime(value: Any) -> dt.datetime:
    # PostgreSQL gives an aware datetime; SQLite a datetime or an ISO string,
    # in UTC either way.
    if isinstance(value, str):
        value = parse_datetime(value)
    if not isinstance(value, dt.datetime):
        return dt.datetime.now(tz=dt.UTC)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
