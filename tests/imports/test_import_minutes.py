"""The `import_minutes` command on the published minutes kept as seeds."""

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.minutes import minutes_import_text
from imports.parsers.legacy_minutes import parse_minutes
from kcsp.models import Person
from kcsp.visibility import Visibility
from meetings import services
from meetings.models import (
    AgendaItem,
    AgendaSection,
    Attendance,
    Meeting,
    MinuteItem,
    MinuteItemRevision,
    MinuteParagraph,
    Minutes,
    Resolution,
    ResolutionPart,
)
from tests import factories
from tests.helpers import text

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "demo" / "seeds"
SEED_000 = SEEDS / "000_4c08dd36799a932d.txt"
SEED_001 = SEEDS / "001_1a709a66df1af549.txt"
SEED_002 = SEEDS / "002_f79a73190b6b78f0.txt"
SEED_003 = SEEDS / "003_27efcbc9c765a2a8.txt"
SEED_004 = SEEDS / "004_91af56b541b8bdc4.txt"

MODELS = (
    Meeting,
    Minutes,
    MinuteItem,
    MinuteParagraph,
    Resolution,
    ResolutionPart,
    AgendaSection,
    AgendaItem,
    Attendance,
    Person,
    MinuteItemRevision,
)


@pytest.fixture
def kcsp(db: None) -> Any:
    return factories.body("Kent Community Safety Partnership")


def run(path: Path, body: Any, *options: str) -> str:
    out = io.StringIO()
    call_command("import_minutes", str(path), "--body", body.slug, *options, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def minute(number: int) -> MinuteItem:
    return MinuteItem.objects.get(number=number)


# 24 March 2022 ------------------------------------------------------------------


def test_seed_002_meeting_minutes_and_provenance(kcsp) -> None:
    out = run(SEED_002, kcsp)

    meeting = Meeting.objects.get(body=kcsp)
    assert meeting.date == dt.date(2022, 3, 24)
    assert meeting.online is True
    assert meeting.venue == ""
    assert meeting.status == Meeting.Status.HELD
    assert (meeting.source_system, meeting.source_id) == (
        "minutes",
        "002_f79a73190b6b78f0.txt",
    )
    assert meeting.first_imported_at is not None
    assert meeting.last_imported_at == meeting.first_imported_at

    minutes = meeting.minutes
    assert minutes.status == Minutes.Status.DRAFT
    assert minutes.first_number == 51
    assert minutes.source_text == SEED_002.read_text(encoding="utf-8")
    assert (minutes.source_system, minutes.source_id) == (
        "minutes",
        "002_f79a73190b6b78f0.txt",
    )

    items = list(minutes.items.order_by("number"))
    assert [item.number for item in items] == list(range(51, 61))
    assert [item.agenda_reference for item in items] == [
        "A4",
        "B1",
        "B2",
        "B3",
        "B4",
        "B5",
        "C1",
        "D1",
        "D2",
        "D3",
    ]
    assert [item.order for item in items] == list(range(10))
    assert all(item.version == 1 for item in items)
    assert all(item.visibility == Visibility.PUBLIC for item in items)
    assert [item.source_id for item in items][:2] == [
        "002_f79a73190b6b78f0.txt#51",
        "002_f79a73190b6b78f0.txt#52",
    ]
    assert all(item.revisions.filter(version=1).exists() for item in items)
    assert "minute items: 10 created" in out
    assert "Minutes of Kent Community Safety Partnership, 24 March 2022" in out


def test_seed_002_minute_52_has_three_paragraphs_and_parts_a_b_c(kcsp) -> None:
    run(SEED_002, kcsp)

    item = minute(52)
    assert item.title == "Kent Community Safety Agreement Review and Refresh"
    assert item.agenda_reference == "B1"
    assert item.agenda_item is not None
    assert item.agenda_item.reference == "B1"
    assert item.agenda_item.number == 1
    assert item.agenda_item.section.letter == "B"
    assert item.agenda_item.section.title == "Items for consideration"
    assert item.agenda_item.title == item.title
    assert item.agenda_item.source_id == "002_f79a73190b6b78f0.txt#B1"

    paragraphs = list(item.paragraphs.all())
    assert len(paragraphs) == 3
    assert paragraphs[0].text.startswith(
        "Shafick Peerbux introduced the report of the Kent Community Safety"
    )
    assert paragraphs[2].text.endswith("in accordance with the Police and Crime Plan.")
    assert all(p.numbered for p in paragraphs)

    (resolution,) = item.resolutions.all()
    assert resolution.text == "RESOLVED that the Kent Community Safety Partnership"
    assert resolution.kind == Resolution.Kind.AGREED
    parts = list(resolution.parts.all())
    assert [part.letter for part in parts] == ["a", "b", "c"]
    assert parts[0].text == (
        "Consider and comment on the proposed changes to the refreshed Kent "
        "Community Safety Agreement."
    )
    assert parts[2].text == "Note the upcoming Scrutiny Committee arrangements."


def test_seed_002_other_items(kcsp) -> None:
    run(SEED_002, kcsp)

    first = minute(51)
    assert first.title == "Notes of meeting held on 18 November 2021"
    assert first.paragraphs.count() == 0
    (approval,) = first.resolutions.all()
    assert approval.kind == Resolution.Kind.APPROVED
    assert approval.text.startswith("RESOLVED that the minutes of the meeting held")

    dhr = minute(58)
    link = dhr.paragraphs.all()[0].text
    assert (
        link.endswith(
            "<https://www.kent.gov.uk/about-the-council/partnerships/"
            "kent-community-safety-partnership/domestic-homicide-reviews>"
        )
        or "https://www.kent.gov.uk/about-the-council/partnerships" in link
    )

    sections = AgendaSection.objects.filter(meeting__body=kcsp).order_by("order")
    assert [(s.letter, s.title) for s in sections] == [
        ("A", "Committee Business"),
        ("B", "Items for consideration"),
        ("C", "Section C"),
        ("D", "Section D"),
    ]
    assert AgendaItem.objects.filter(meeting__body=kcsp).count() == 10
    # The agenda the import made is for staff until a clerk publishes it.
    assert Meeting.objects.get(body=kcsp).agenda_published_at is None


def test_seed_002_attendance(kcsp) -> None:
    run(SEED_002, kcsp)
    meeting = Meeting.objects.get(body=kcsp)

    present = Attendance.objects.filter(meeting=meeting, kind=Attendance.Kind.PRESENT)
    assert present.count() == 24
    chair = Attendance.objects.get(meeting=meeting, in_the_chair=True)
    assert chair.person.surname == "Rivers"
    assert chair.person.title == "Mr"
    assert chair.person.initials == ""
    assert chair.capacity == "Vice-Chairman"
    assert chair.kind == Attendance.Kind.PRESENT
    assert chair.order == 0

    (officer,) = Attendance.objects.filter(
        meeting=meeting, kind=Attendance.Kind.IN_ATTENDANCE
    )
    assert officer.person.formal_name == "Mrs A Taylor"
    # Ms J Taylor, present, is someone else.
    assert set(
        Person.objects.filter(surname="Taylor").values_list("title", "initials")
    ) == {("Ms", "J"), ("Mrs", "A")}

    brinson = Person.objects.get(surname="Brinson")
    assert (brinson.title, brinson.initials) == ("Ms", "S")
    assert brinson.source_system == "minutes"
    assert brinson.source_id.startswith("002_f79a73190b6b78f0.txt line ")
    assert brinson.first_imported_at is not None


# 19 March 2015 ------------------------------------------------------------------


def test_seed_003_items_and_the_election_of_a_vice_chair(kcsp) -> None:
    out = run(SEED_003, kcsp)

    meeting = Meeting.objects.get(body=kcsp)
    assert meeting.date == dt.date(2015, 3, 19)
    assert meeting.venue == "Darent Room, Sessions House, County Hall, Maidstone"
    assert meeting.online is False
    minutes = meeting.minutes
    assert minutes.first_number == 92
    assert list(minutes.items.values_list("number", flat=True)) == list(range(92, 104))

    election = minute(93)
    assert election.title == "Election of Vice-Chairman"
    assert election.agenda_reference == "A4"
    (paragraph,) = election.paragraphs.all()
    assert paragraph.text.startswith("Mr Hill proposed John Rivers")
    assert paragraph.numbered is False
    (resolution,) = election.resolutions.all()
    assert resolution.text == "RESOLVED that John Rivers be elected as Vice-Chair."
    assert resolution.kind == Resolution.Kind.ELECTED

    wardens = minute(95)
    assert wardens.paragraphs.count() == 8
    assert wardens.paragraphs.all()[5].text == (
        "Mr Parris summarised the consultation responses as follows:\n"
        "- 960 individual community responses\n"
        "- 101 Parish Council responses\n"
        "- 123 responses from organisations\n"
        "- 4000+ signature petition from the community"
    )

    prevent = minute(103)
    assert prevent.resolutions.count() == 2
    assert "item 103 has more than one resolution (2)" in out
    assert "minute 103 has text after its first resolution" in out
    assert "line 55: page-break fragment joined" in out

    after = minute(101)
    assert after.resolutions.count() == 0
    assert after.paragraphs.count() == 2


def test_seed_003_people_titles_honours_and_capacities(kcsp) -> None:
    run(SEED_003, kcsp)
    meeting = Meeting.objects.get(body=kcsp)

    hill = Attendance.objects.get(meeting=meeting, person__surname="Hill")
    assert (hill.person.title, hill.person.initials, hill.person.honours) == (
        "Mr",
        "P M",
        "OBE",
    )
    assert hill.person.formal_name == "Mr P M Hill, OBE"
    assert hill.capacity == "Chairman"
    assert hill.in_the_chair is False
    rivers = Attendance.objects.get(meeting=meeting, person__surname="Rivers")
    assert rivers.capacity == "Vice-Chairman"
    assert Person.objects.get(surname="Russell").title == "Supt"

    assert (
        Attendance.objects.filter(meeting=meeting, kind=Attendance.Kind.PRESENT).count()
        == 12
    )
    officers = Attendance.objects.filter(
        meeting=meeting, kind=Attendance.Kind.IN_ATTENDANCE
    ).order_by("order")
    assert [(a.person.formal_name, a.capacity) for a in officers][:2] == [
        ("Ms A Gilmour", "Kent & Medway Domestic Violence Co-ordinator"),
        ("Mr S Beaumont", "Head of Community Safety and Emergency Planning"),
    ]
    assert not Attendance.objects.filter(in_the_chair=True).exists()


def test_both_seeds_share_people_and_report_the_series(kcsp) -> None:
    run(SEED_003, kcsp)
    out = run(SEED_002, kcsp)

    assert Person.objects.filter(surname="Rivers").count() == 1
    assert Meeting.objects.filter(body=kcsp).count() == 2
    assert "people: 24 created, 1 unchanged" in out
    assert "series of minute numbers would continue at 104" in out


# Every seed ---------------------------------------------------------------------


def test_seed_001_imports_only_the_minutes_in_the_agenda_pack(db) -> None:
    posc = factories.body("Communities POSC")
    out = run(SEED_001, posc)

    meeting = Meeting.objects.get(body=posc)
    assert meeting.date == dt.date(2010, 4, 6)
    items = list(meeting.minutes.items.order_by("number"))
    assert [(i.number, i.agenda_reference) for i in items] == [
        (1, "B1"),
        (2, "B2"),
        (3, "B3"),
        (4, "B4"),
        (5, "B5"),
    ]
    assert items[0].paragraphs.count() == 5
    assert "minute numbers start again 3 time(s)" in out
    assert "lines 84-88: 1. Introduction not imported" in out
    assert "line 6: text before the first minute item" in out
    assert "not 'Communities POSC'" in out
    assert Attendance.objects.filter(meeting=meeting).count() == 14


@pytest.mark.parametrize("seed", [SEED_000, SEED_004])
def test_minutes_without_a_date_are_refused_cleanly(kcsp, seed: Path) -> None:
    out = io.StringIO()
    with pytest.raises(CommandError, match="was not imported"):
        call_command("import_minutes", str(seed), "--body", kcsp.slug, stdout=out)
    assert "no meeting date was found" in out.getvalue()
    assert counts() == dict.fromkeys(counts(), 0)


def test_every_unplaced_line_and_warning_of_the_parser_is_reported(kcsp) -> None:
    parsed = parse_minutes(SEED_004.read_text(encoding="utf-8"))
    report = minutes_import_text(
        text=SEED_004.read_text(encoding="utf-8"), body=kcsp, source_name="004"
    )
    assert report.failed
    assert [(e.line, e.text) for e in report.unplaced] == [
        (e.line, e.reason) for e in parsed.unplaced
    ]
    assert [(e.line, e.text) for e in report.warnings] == [
        (e.line, e.reason) for e in parsed.warnings
    ]


def test_unknown_body_is_a_clear_error(kcsp) -> None:
    with pytest.raises(CommandError, match="no body with the slug 'nope'"):
        call_command("import_minutes", str(SEED_002), "--body", "nope")


# Running again --------------------------------------------------------------------


def test_importing_twice_changes_nothing_and_says_so(kcsp) -> None:
    run(SEED_002, kcsp)
    before = counts()
    first_import = Meeting.objects.get().first_imported_at

    out = run(SEED_002, kcsp)

    assert counts() == before
    assert "created" not in out
    assert "minute items: 10 unchanged" in out
    assert "attendance records: 25 unchanged" in out
    meeting = Meeting.objects.get()
    # Nothing changed, so nothing was saved: not even the import time.
    assert meeting.first_imported_at == meeting.last_imported_at == first_import
    assert set(MinuteItem.objects.values_list("version", flat=True)) == {1}


def test_a_corrected_source_updates_in_place(kcsp, tmp_path: Path) -> None:
    run(SEED_002, kcsp)
    changed = tmp_path / SEED_002.name
    changed.write_text(
        SEED_002.read_text(encoding="utf-8").replace(
            "Members received an update", "Members received a full update"
        ),
        encoding="utf-8",
    )

    out = run(changed, kcsp)

    assert "minute items: 1 updated, 9 unchanged" in out
    assert minute(60).paragraphs.get().text.startswith("Members received a full")
    assert MinuteItem.objects.count() == 10


def test_dry_run_writes_nothing(kcsp) -> None:
    out = run(SEED_002, kcsp, "--dry-run")

    assert "Dry run: nothing was saved" in out
    assert "minute items: 10 created" in out
    assert counts() == dict.fromkeys(counts(), 0)


def _clerk_edits_minute_52() -> None:
    item = minute(52)
    services.minute_item_save(
        item=item,
        version=item.version,
        title=item.title,
        paragraphs=["The clerk's own words."],
        resolutions=[],
    )


def test_minutes_a_clerk_has_edited_are_not_overwritten(kcsp) -> None:
    run(SEED_002, kcsp)
    _clerk_edits_minute_52()

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_minutes", str(SEED_002), "--body", kcsp.slug, stdout=out)

    assert "a clerk has edited (minute 52 first)" in out.getvalue()
    assert "--replace" in out.getvalue()
    assert minute(52).paragraphs.get().text == "The clerk's own words."


def test_replace_overwrites_edited_minutes_and_keeps_the_clerks_version(
    kcsp,
) -> None:
    run(SEED_002, kcsp)
    _clerk_edits_minute_52()

    out = run(SEED_002, kcsp, "--replace")

    item = minute(52)
    assert item.paragraphs.count() == 3
    assert item.version == 3
    assert item.revisions.get(version=2).content["paragraphs"] == [
        "The clerk's own words."
    ]
    assert "replaced minutes that a clerk has edited" in out
    assert MinuteItem.objects.count() == 10


def test_published_minutes_need_replace(kcsp) -> None:
    run(SEED_002, kcsp)
    services.minutes_publish_draft(minutes=Minutes.objects.get())

    with pytest.raises(CommandError):
        run(SEED_002, kcsp)
    assert Minutes.objects.get().status == Minutes.Status.PUBLISHED_DRAFT


def test_approved_minutes_are_never_replaced(kcsp) -> None:
    run(SEED_003, kcsp)
    run(SEED_002, kcsp)
    earlier = Minutes.objects.get(meeting__start__year=2015)
    services.minutes_approve(minutes=earlier, resolution=minute(51).resolutions.get())

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_minutes",
            str(SEED_003),
            "--body",
            kcsp.slug,
            "--replace",
            stdout=out,
        )
    assert "have been approved, so they are never replaced" in out.getvalue()


def test_minutes_of_a_meeting_with_its_own_agenda_link_to_it(kcsp) -> None:
    meeting = factories.meeting(kcsp, start="2022-03-24T10:00")
    agreement = factories.item(
        factories.section(meeting, "B"), "Kent Community Safety Agreement"
    )

    out = run(SEED_002, kcsp)

    assert Meeting.objects.get() == meeting
    assert "meeting: 1 matched" in out
    assert minute(52).agenda_item == agreement
    assert AgendaItem.objects.count() == 1
    assert "the agenda has no item A4: minute 51 is not linked to one" in out
    # The clerk's meeting keeps its own details.
    meeting.refresh_from_db()
    assert meeting.venue == "Darent Room, Sessions House, County Hall, Maidstone"
    assert meeting.source_system == ""


# People ---------------------------------------------------------------------------


def test_people_in_the_directory_are_matched_not_duplicated(kcsp) -> None:
    peerbux = factories.person("Peerbux", initials="S", forenames="")
    rivers = factories.person("Rivers", initials="J")

    out = run(SEED_002, kcsp)

    assert Person.objects.filter(surname="Peerbux").get() == peerbux
    assert Person.objects.filter(surname="Rivers").get() == rivers
    assert "Mr Rivers taken to be Mr J Rivers" in out
    assert "people: 23 created, 2 matched" in out


def test_an_ambiguous_name_gives_a_new_person_and_a_warning(kcsp) -> None:
    factories.person("Rivers", initials="J")
    factories.person("Rivers", initials="K")

    out = run(SEED_002, kcsp)

    assert Person.objects.filter(surname="Rivers").count() == 3
    assert "Mr Rivers could be any of Mr J Rivers, Mr K Rivers" in out


def test_a_contradicting_title_is_not_a_match(kcsp) -> None:
    factories.person("Brinson", title="Mr", initials="S")

    run(SEED_002, kcsp)

    assert Person.objects.filter(surname="Brinson").count() == 2


# The admin shows where records came from -----------------------------------------


def test_admin_shows_provenance_read_only(client: Client, clerk, kcsp) -> None:
    run(SEED_002, kcsp)
    client.force_login(clerk)
    meeting = Meeting.objects.get()
    minutes = Minutes.objects.get()
    person = Person.objects.get(surname="Brinson")

    for url in (
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_minutes_change", args=[minutes.pk]),
        reverse("admin:meetings_agendaitem_change", args=[minute(52).agenda_item.pk]),
        reverse("admin:kcsp_person_change", args=[person.pk]),
    ):
        page = text(client.get(url))
        assert "Where this record came from" in page or "Source system" in page, url
        assert "002_f79a73190b6b78f0.txt" in page, url
        assert 'name="source_id"' not in page, url
    minutes_page = text(
        client.get(reverse("admin:meetings_minutes_change", args=[minutes.pk]))
    )
    assert "Ms S Brinson" in minutes_page  # the source text, kept alongside
    assert "002_f79a73190b6b78f0.txt#52" in minutes_page


# Any text -------------------------------------------------------------------------


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(kcsp, text_in: str) -> None:
    report = minutes_import_text(text=text_in, body=kcsp, dry_run=True)

    assert report.dry_run
    if parse_minutes(text_in).date is None:
        assert report.failed
        assert report.failure.startswith("no meeting date was found")
    assert Meeting.objects.count() == 0


HEADING = (
    "NOTES of a meeting of the Kent Community Safety Partnership held online "
    "on Thursday, 24 March 2022."
)
LINES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            "PRESENT: Mr Rivers (Vice-Chairman in the Chair), Ms S Brinson and Mr X",
            "IN ATTENDANCE: Mrs A Taylor (Clerk)",
            "APOLOGIES: Mr P M Hill, OBE",
            "SUBSTITUTES: Mr A for Mr B",
            "UNRESTRICTED ITEMS",
            "EXEMPT ITEMS",
            "(Item B1)",
            "RESOLVED that the report be noted.",
            "RESOLVED that the Partnership",
            "a) agree",
            "b) note",
            "- a bullet",
            "1. A paragraph.",
            "(2) Another paragraph",
        ]
    ),
    st.builds(
        lambda n, ref, title: f"{n}. {title} (Item {ref})",
        st.integers(min_value=0, max_value=9999),
        st.from_regex(r"[A-D]{1,2}[0-9]{1,3}[a-z]?", fullmatch=True),
        st.text(min_size=1, max_size=600),
    ),
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(LINES, max_size=25))
def test_minutes_with_a_heading_and_any_body_never_raise(kcsp, lines) -> None:
    source = "\n".join([HEADING, *lines])

    report = minutes_import_text(
        text=source, body=kcsp, dry_run=True, allow_unplaced=True
    )

    assert report.failure in {"", "no minute items were found in the text"}
    # The import drops NUL characters (no database stores them) and says so.
    cleaned = source.replace("\x00", "")
    assert len(report.unplaced) >= len(parse_minutes(cleaned).unplaced)
    assert Meeting.objects.count() == 0
