"""Small factories for test data, named after the partnership's own people."""

import datetime as dt
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from kcsp.models import Organisation, Partnership, Person
from kcsp.roles import Role, assign_role
from kcsp.services import clerk_partnerships_set

_seq = itertools.count(1)


def partnership(name: str = "", **kw: Any) -> Partnership:
    """The host (county) partnership when no name is given; else a district
    one: partnership("Dover") is Dover Community Safety Partnership."""
    if not name:
        return Partnership.objects.host()
    kw.setdefault("kind", Partnership.Kind.DISTRICT)
    kw.setdefault("short_name", f"{name} CSP")
    found, _ = Partnership.objects.get_or_create(
        slug=kw.pop("slug", slugify(name)),
        defaults={"name": f"{name} Community Safety Partnership", **kw},
    )
    return found


def organisation(name: str = "Kent Fire and Rescue Service", **kw: Any) -> Organisation:
    defaults = {
        "short_name": kw.pop("short_name", ""),
        "kind": kw.pop("kind", Organisation.Kind.STATUTORY_PARTNER),
        **kw,
    }
    org, _ = Organisation.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, **defaults}
    )
    return org


def person(surname: str = "Peerbux", **kw: Any) -> Person:
    kw.setdefault("title", "Mr")
    return Person.objects.create(surname=surname, **kw)


def user(
    username: str | None = None,
    role: Role | None = None,
    organisation_obj: Organisation | None = None,
    clerk_of: list[Partnership] | None = None,
    **kw: Any,
) -> Any:
    """A user holding `role`; a clerk works for the county partnership
    unless `clerk_of` names others."""
    User = get_user_model()
    username = username or f"user{next(_seq)}"
    u = User.objects.create_user(
        username=username, password="a-long-test-password", **kw
    )
    if role == Role.CLERK:
        clerk_partnerships_set(
            user=u, partnerships=clerk_of if clerk_of is not None else [partnership()]
        )
    elif role is not None:
        assign_role(user=u, role=role)
    if organisation_obj is not None:
        Person.objects.create(
            surname=username.title(), title="Ms", organisation=organisation_obj, user=u
        )
    return u


# Meetings -------------------------------------------------------------------


def png_bytes() -> bytes:
    """A real PNG image, 40 by 20 pixels (a logo)."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 80, 160)).save(out, format="PNG")
    return out.getvalue()


def pdf_bytes(pages: int = 1, text: str = "") -> bytes:
    """A real PDF of `pages` pages, written by pypdf."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if text:
        writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


MB = 1024 * 1024
ODT = "application/vnd.oasis.opendocument.text"


def zip_bomb(parts: dict[str, int], *, mimetype: str | None = ODT) -> bytes:
    """A ZIP file (an OpenDocument one unless `mimetype` is None) whose parts
    unpack to the given number of megabytes of zeros each: a few hundred
    kilobytes that unpack to hundreds of megabytes. Written a megabyte at a
    time, never held whole."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if mimetype is not None:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)
        for name, megabytes in parts.items():
            with archive.open(name, "w") as part:
                for _ in range(megabytes):
                    part.write(bytes(MB))
    return buffer.getvalue()


def zip_of_many_parts(count: int) -> bytes:
    """A Word document's outline made of `count` empty parts."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "x")
        for n in range(count):
            archive.writestr(f"word/{n}", b"")
    return buffer.getvalue()


def body(name: str = "Kent Community Safety Partnership", **kw: Any) -> Any:
    from meetings.models import Body

    kw.setdefault("clerk_name", "Denise Fitch")
    kw.setdefault("clerk_phone", "01622 694269")
    kw.setdefault("partnership", partnership())
    obj, _ = Body.objects.get_or_create(
        slug=slugify(name), defaults={"name": name, **kw}
    )
    return obj


def meeting(body_obj: Any = None, start: str = "2022-03-24T10:00", **kw: Any) -> Any:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from meetings.services import meeting_schedule

    when = dt.datetime.fromisoformat(start).replace(tzinfo=ZoneInfo("Europe/London"))
    kw.setdefault("venue", "Darent Room, Sessions House, County Hall, Maidstone")
    return meeting_schedule(body=body_obj or body(), start=when, **kw)


def coming_meeting(days: int, body_obj: Any = None) -> Any:
    """A meeting at 10.00 am `days` from today."""
    import datetime as dt

    from django.utils import timezone

    day = timezone.localdate() + dt.timedelta(days=days)
    return meeting(body_obj, start=f"{day.isoformat()}T10:00")


def section(
    meeting_obj: Any, letter: str = "B", title: str = "Items for consideration"
) -> Any:
    from meetings.models import AgendaSection

    obj, _ = AgendaSection.objects.get_or_create(
        meeting=meeting_obj,
        letter=letter,
        defaults={"title": title, "order": ord(letter)},
    )
    return obj


def item(
    section_obj: Any, title: str = "Kent Community Safety Agreement", **kw: Any
) -> Any:
    from meetings.services import agenda_item_add

    return agenda_item_add(section=section_obj, title=title, **kw)


def document(
    meeting_obj: Any, item_obj: Any = None, title: str = "Report", **kw: Any
) -> Any:
    import io

    from meetings.services import document_add

    return document_add(
        meeting=meeting_obj,
        item=item_obj,
        upload=io.BytesIO(pdf_bytes(kw.pop("pages", 2))),
        name=kw.pop("name", "report.pdf"),
        title=title,
        **kw,
    )


def resolution_action(
    owner: Any,
    title: str = "Update on the commissioning process",
    *,
    published: bool = True,
    body_name: str = "Kent Community Safety Partnership",
    **kw: Any,
) -> Any:
    """A tracked action made from a resolution of a meeting's minutes of
    `body_name`, public once those minutes are published (as its source says,
    not a flag)."""
    from meetings import services
    from tests.meetings.minutes_factories import agenda, write

    day = dt.date(2015, 1, 5) + dt.timedelta(days=7 * next(_seq))
    the_meeting = meeting(body(body_name), start=f"{day.isoformat()}T10:00")
    agenda(the_meeting, [f"Item for {title}"])
    services.agenda_publish(meeting=the_meeting)
    minutes = services.minutes_start_from_agenda(meeting=the_meeting)
    resolution = write(
        minutes.items.get(), [], f"RESOLVED that {title.lower()}"
    ).resolutions.get()
    kw.setdefault("due_date", dt.date(2026, 12, 10))
    link = services.resolution_action_create(
        resolution=resolution, owner_organisation=owner, title=title, **kw
    )
    if published:
        services.minutes_publish_draft(minutes=minutes)
    return link.action
