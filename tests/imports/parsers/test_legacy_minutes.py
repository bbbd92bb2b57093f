import datetime as dt
import functools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imports.parsers.legacy_minutes import (
    AttendanceKind,
    ParsedMinutes,
    parse_minutes,
)
from tests.imports.parsers import source

SEED_000 = "seeds/000_4c08dd36799a932d.txt"
SEED_001 = "seeds/001_1a709a66df1af549.txt"
SEED_002 = "seeds/002_f79a73190b6b78f0.txt"
SEED_003 = "seeds/003_27efcbc9c765a2a8.txt"
SEED_004 = "seeds/004_91af56b541b8bdc4.txt"

# The minutes of 6 April 2010 inside the agenda pack of seed 001: from their
# banner to the filler page that follows their last item.
MINUTES_2010_START = "**COMMUNITIES POSC (MEETING AS THE CRIME AND"
MINUTES_2010_END = "This page is intentionally left blank"


@functools.cache
def _text(name: str) -> str:
    return source(name).read_text(encoding="utf-8")


def _minutes_2010() -> str:
    pack = _text(SEED_001)
    start = pack.index(MINUTES_2010_START)
    end = pack.index(MINUTES_2010_END, start)
    return pack[start:end]


def assert_every_line_accounted_for(text: str, parsed: ParsedMinutes) -> None:
    """Each non-blank line is placed or unplaced: exactly one, never neither."""
    non_blank = {n for n, line in enumerate(text.splitlines(), 1) if line.strip()}
    placed = [entry.line for entry in parsed.placed]
    unplaced = [entry.line for entry in parsed.unplaced]
    assert len(placed) == len(set(placed))
    assert len(unplaced) == len(set(unplaced))
    assert set(placed).isdisjoint(unplaced)
    assert set(placed) | set(unplaced) == non_blank
    assert not [u for u in parsed.unplaced if "parser gap" in u.reason]
    lines = text.splitlines()
    for report in parsed.unplaced:
        assert report.text == lines[report.line - 1].strip()
    for warning in parsed.warnings:
        assert warning.line == 0 or warning.line in non_blank


# --------------------------------------------------------------------------
# Seed 002: notes of 24 March 2022, held online.


@pytest.fixture
def notes_2022() -> ParsedMinutes:
    return parse_minutes(_text(SEED_002))


def test_2022_heading(notes_2022: ParsedMinutes) -> None:
    assert notes_2022.council_name == "KENT COUNTY COUNCIL"
    assert notes_2022.banner == "KENT COMMUNITY SAFETY PARTNERSHIP"
    assert notes_2022.kind == "NOTES"
    assert notes_2022.body_name == "Kent Community Safety Partnership"
    assert notes_2022.date == dt.date(2022, 3, 24)
    assert notes_2022.time is None
    assert notes_2022.online is True
    assert notes_2022.venue == ""


def test_2022_attendance(notes_2022: ParsedMinutes) -> None:
    present = notes_2022.attendance_of(AttendanceKind.PRESENT)
    assert len(present) == 24
    chair = present[0]
    assert chair.name.title == "Mr"
    assert chair.name.surname == "Rivers"
    assert chair.capacity == "Vice-Chairman in the Chair"
    assert chair.chair_role == "Vice-Chairman"
    assert chair.in_the_chair is True
    assert notes_2022.presiding == chair
    assert [entry.in_the_chair for entry in present[1:]] == [False] * 23
    assert present[-1].name.formal == "Mr N Wilkinson"
    assert [e.name.formal for e in present[9:12]] == [
        "Ms B King",
        "Ms L McMahon",
        "Mr R McMullan",
    ]
    officers = notes_2022.attendance_of(AttendanceKind.IN_ATTENDANCE)
    assert [entry.name.formal for entry in officers] == ["Mrs A Taylor"]
    assert notes_2022.attendance_of(AttendanceKind.ALSO_PRESENT) == ()


def test_2022_items_in_order_with_references(notes_2022: ParsedMinutes) -> None:
    assert [item.number for item in notes_2022.items] == list(range(51, 61))
    assert [item.reference for item in notes_2022.items] == [
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
    assert all(item.exempt is False for item in notes_2022.items)
    assert notes_2022.item(51).title == "Notes of meeting held on 18 November 2021"
    assert notes_2022.item(51).paragraphs == ()
    assert notes_2022.item(51).resolution is not None
    assert notes_2022.item(51).resolution.text == (
        "RESOLVED that the minutes of the meeting held on 18 November 2021 were "
        "correctly recorded and be signed by the Chairman."
    )


def test_2022_minute_52_lettered_resolution(notes_2022: ParsedMinutes) -> None:
    item = notes_2022.item(52)
    assert item.title == "Kent Community Safety Agreement Review and Refresh"
    assert item.reference == "B1"
    assert [p.number for p in item.paragraphs] == [1, 2, 3]
    assert item.paragraphs[0].text.startswith("Shafick Peerbux introduced the report")
    assert item.paragraphs[2].text.endswith(
        "in accordance with the Police and Crime Plan."
    )
    assert len(item.resolutions) == 1
    resolution = item.resolutions[0]
    assert resolution.lead_in == "RESOLVED that the Kent Community Safety Partnership"
    assert [part.label for part in resolution.parts] == ["a", "b", "c"]
    assert resolution.parts[0].text == (
        "Consider and comment on the proposed changes to the refreshed Kent "
        "Community Safety Agreement."
    )
    assert (
        resolution.parts[2].text == "Note the upcoming Scrutiny Committee arrangements."
    )
    assert resolution.text.splitlines() == [
        "RESOLVED that the Kent Community Safety Partnership",
        f"a) {resolution.parts[0].text}",
        f"b) {resolution.parts[1].text}",
        f"c) {resolution.parts[2].text}",
    ]


def test_2022_minute_57_has_only_a_resolution(notes_2022: ParsedMinutes) -> None:
    item = notes_2022.item(57)
    assert (item.title, item.reference) == ("Date of meetings in 2022", "C1")
    assert item.paragraphs == ()
    assert [r.text for r in item.resolutions] == [
        "RESOLVED that the dates of the meeting in 2022 were noted."
    ]


def test_2022_minute_58_keeps_the_link_in_its_paragraph(
    notes_2022: ParsedMinutes,
) -> None:
    item = notes_2022.item(58)
    assert item.reference == "D1"
    assert [p.number for p in item.paragraphs] == [1, 2]
    first = item.paragraphs[0].text.splitlines()
    assert first[-1] == (
        "https://www.kent.gov.uk/about-the-council/partnerships/"
        "kent-community-safety-partnership/domestic-homicide-reviews"
    )


def test_2022_reads_cleanly(notes_2022: ParsedMinutes) -> None:
    assert notes_2022.unplaced == ()
    assert notes_2022.warnings == ()
    assert_every_line_accounted_for(_text(SEED_002), notes_2022)


# --------------------------------------------------------------------------
# Seed 003: notes of 19 March 2015 in the Darent Room.


@pytest.fixture
def notes_2015() -> ParsedMinutes:
    return parse_minutes(_text(SEED_003))


def test_2015_heading(notes_2015: ParsedMinutes) -> None:
    assert notes_2015.body_name == "Kent Community Safety Partnership"
    assert notes_2015.date == dt.date(2015, 3, 19)
    assert notes_2015.venue == "Darent Room, Sessions House, County Hall, Maidstone"
    assert notes_2015.online is False


def test_2015_attendance(notes_2015: ParsedMinutes) -> None:
    present = notes_2015.attendance_of(AttendanceKind.PRESENT)
    assert len(present) == 12
    hill, rivers = present[0], present[1]
    assert (hill.name.title, hill.name.initials, hill.name.surname) == (
        "Mr",
        "P M",
        "Hill",
    )
    assert hill.name.honours == "OBE"
    assert (hill.capacity, hill.chair_role, hill.in_the_chair) == (
        "Chairman",
        "Chairman",
        False,
    )
    assert (rivers.name.surname, rivers.chair_role) == ("Rivers", "Vice-Chairman")
    assert notes_2015.presiding == hill
    assert present[5].name.title == "Supt"
    assert present[-1].name.formal == "Ms C Allen"
    assert notes_2015.attendance_of(AttendanceKind.ALSO_PRESENT) == ()
    officers = notes_2015.attendance_of(AttendanceKind.IN_ATTENDANCE)
    assert [(o.name.formal, o.capacity) for o in officers] == [
        ("Ms A Gilmour", "Kent & Medway Domestic Violence Co-ordinator"),
        ("Mr S Beaumont", "Head of Community Safety and Emergency Planning"),
        ("Mr J Parris", "Community Safety Manager"),
        ("Ms D Exall", "Strategic Relationship Adviser"),
        ("Mr J Cook", "Scrutiny Research Officer"),
    ]


def test_2015_items(notes_2015: ParsedMinutes) -> None:
    assert [item.number for item in notes_2015.items] == list(range(92, 104))
    assert [item.reference for item in notes_2015.items] == [
        "A3",
        "A4",
        *(f"B{n}" for n in range(1, 8)),
        "C1",
        "D1",
        "D2",
    ]
    # References in italics on the heading line.
    assert notes_2015.item(95).title == "Final Community Warden Model"
    assert notes_2015.item(103).title == "Prevent"


def test_2015_election_of_vice_chairman(notes_2015: ParsedMinutes) -> None:
    item = notes_2015.item(93)
    assert (item.title, item.reference) == ("Election of Vice-Chairman", "A4")
    assert [p.number for p in item.paragraphs] == [None]
    assert item.paragraphs[0].unnumbered
    assert item.paragraphs[0].text.startswith("Mr Hill proposed John Rivers")
    assert item.resolution is not None
    assert item.resolution.text == "RESOLVED that John Rivers be elected as Vice-Chair."


def test_2015_bullets_stay_in_their_paragraph(notes_2015: ParsedMinutes) -> None:
    item = notes_2015.item(95)
    assert [p.number for p in item.paragraphs] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert item.paragraphs[5].text.splitlines() == [
        "Mr Parris summarised the consultation responses as follows:",
        "- 960 individual community responses",
        "- 101 Parish Council responses",
        "- 123 responses from organisations",
        "- 4000+ signature petition from the community",
    ]


def test_2015_page_breaks_are_joined_and_reported(notes_2015: ParsedMinutes) -> None:
    assert "Practical changes were required" in notes_2015.item(95).paragraphs[2].text
    assert "the Commissioner's Policing Plan" in notes_2015.item(96).paragraphs[0].text
    assert "all involved agencies providing" in notes_2015.item(102).paragraphs[0].text
    joins = [w for w in notes_2015.warnings if w.reason.startswith("page-break")]
    assert [w.text.split()[:2] for w in joins] == [
        ["changes", "were"],
        ["Policing", "Plan"],
        ["agencies", "providing"],
    ]


def test_2015_item_103_has_two_resolutions(notes_2015: ParsedMinutes) -> None:
    item = notes_2015.item(103)
    assert [p.number for p in item.paragraphs] == [1, 2, 3, None]
    assert item.paragraphs[3].text.startswith("The Chairman advised the Committee")
    assert len(item.resolutions) == 2
    assert item.resolutions[0].text.startswith("RESOLVED that the Committee request")
    assert item.resolutions[1].text.startswith(
        "RESOLVED that the Committee formally record their thanks"
    )
    # The thanks come after the unnumbered paragraph, as written.
    assert item.paragraphs[3].line < item.resolutions[1].line
    more = [w for w in notes_2015.warnings if "more than one resolution" in w.reason]
    assert [w.line for w in more] == [item.resolutions[1].line]


def test_2015_unnumbered_items_text(notes_2015: ParsedMinutes) -> None:
    item = notes_2015.item(101)
    assert [p.text for p in item.paragraphs] == [
        "The following date was noted as the next meeting of the KCSP in 2015.",
        "8th October 2015 \u2013 10:00",
    ]
    assert item.resolutions == ()


def test_2015_reports(notes_2015: ParsedMinutes) -> None:
    assert notes_2015.unplaced == ()
    assert len(notes_2015.warnings) == 4
    assert_every_line_accounted_for(_text(SEED_003), notes_2015)


# --------------------------------------------------------------------------
# Seed 001: the minutes of 6 April 2010 inside an agenda pack.


@pytest.fixture
def minutes_2010() -> ParsedMinutes:
    return parse_minutes(_minutes_2010())


def test_2010_slice_ends_after_the_last_item() -> None:
    text = _minutes_2010()
    assert text.rstrip().endswith("*(Item B5)*")
    assert "To: KCC Crime & Disorder Scrutiny Committee" not in text


def test_2010_heading(minutes_2010: ParsedMinutes) -> None:
    assert minutes_2010.kind == "MINUTES"
    assert minutes_2010.banner == (
        "COMMUNITIES POSC (MEETING AS THE CRIME AND DISORDER COMMITTEE)"
    )
    assert minutes_2010.body_name == (
        "Communities POSC (meeting as the Crime and Disorder Committee)"
    )
    assert minutes_2010.date == dt.date(2010, 4, 6)
    assert minutes_2010.venue == "Darent Room, Sessions House, County Hall, Maidstone"


def test_2010_attendance(minutes_2010: ParsedMinutes) -> None:
    present = minutes_2010.attendance_of(AttendanceKind.PRESENT)
    assert [e.name.formal for e in present] == [
        "Mrs E M Tweed",
        "Mr A R Chell",
        "Mr I S Chittenden",
        "Mr H J Craske",
        "Mr J Ozog",
        "Mr R Tolputt",
        "Mr A Willicombe",
    ]
    assert [e.chair_role for e in present[:3]] == ["Chairman", "Vice-Chairman", ""]
    also = minutes_2010.attendance_of(AttendanceKind.ALSO_PRESENT)
    assert [e.name.formal for e in also] == [
        "Mr M Gilmartin",
        "Mr P M Hill, OBE",
        "Chief Inspector R Nyman",
    ]
    officers = minutes_2010.attendance_of(AttendanceKind.IN_ATTENDANCE)
    assert [(e.name.surname, e.capacity) for e in officers] == [
        ("Beaumont", "County Manager, Community Safety"),
        ("Parris", "Assistant Manager, Community Safety"),
        ("Fitch", "Assistant Democratic Services Manager (Policy Overview)"),
        ("Wickenden", "Overview, Scrutiny and Localism Manager"),
    ]


def test_2010_items_and_numbered_resolutions(minutes_2010: ParsedMinutes) -> None:
    items = minutes_2010.items
    assert [i.number for i in items] == [1, 2, 3, 4, 5]
    assert [i.reference for i in items] == ["B1", "B2", "B3", "B4", "B5"]
    assert items[0].title == (
        "Brief induction - setting out the framework for the operation of this "
        "Committee"
    )
    assert items[2].title == "CCTV Monitoring"
    assert items[3].title == (
        "Countywide arrangements in place for overview and scrutiny of CDRP's."
    )
    assert [[p.number for p in i.paragraphs] for i in items] == [
        [1, 2, 3, 4, 5],
        [1, 2, 3, 4, 5],
        [1, 2, 3, 4],
        [1],
        [],
    ]
    assert [[r.number for r in i.resolutions] for i in items] == [
        [6],
        [6],
        [5],
        [None],
        [],
    ]
    assert (
        items[0]
        .resolutions[0]
        .text.startswith("RESOLVED that the presentation be noted")
    )


def test_2010_reports(minutes_2010: ParsedMinutes) -> None:
    assert minutes_2010.unplaced == ()
    assert [w.reason for w in minutes_2010.warnings] == [
        "page-break fragment joined to the previous paragraph, which did not end "
        "a sentence"
    ]
    assert minutes_2010.warnings[0].text.startswith("a Group was being established")
    assert "He stated that a Group was being established" in (
        minutes_2010.item(3).paragraphs[0].text
    )
    assert_every_line_accounted_for(_minutes_2010(), minutes_2010)


def test_whole_agenda_pack_parses_and_accounts_for_every_line() -> None:
    text = _text(SEED_001)
    parsed = parse_minutes(text)
    assert_every_line_accounted_for(text, parsed)
    assert parsed.date == dt.date(2010, 4, 6)


# --------------------------------------------------------------------------
# Seeds 000 and 004: single item pages with no minutes heading.


def test_single_item_page_000() -> None:
    text = _text(SEED_000)
    parsed = parse_minutes(text)
    assert (parsed.body_name, parsed.date, parsed.venue, parsed.kind) == (
        "",
        None,
        "",
        "",
    )
    assert parsed.attendance == ()
    (item,) = parsed.items
    assert (item.number, item.title, item.reference) == (
        None,
        "Kent Community Safety Agreement",
        "",
    )
    assert [p.number for p in item.paragraphs] == list(range(1, 17))
    assert item.paragraphs[1].text.splitlines()[1:] == [
        "- Chief Superintendent Tom Richards, Kent Police,",
        "- Chief Inspector Tim Cook, Kent Police,",
        "- Ian Thomson, Assistant Director, Kent Fire and Rescue Service",
        "- Jess Mookherjee, Consultant in Public Health, Kent Public Health.",
    ]
    assert item.resolution is not None
    assert item.resolution.text.startswith("RESOLVED that Committee thank speakers")
    assert parsed.unplaced == ()
    assert [(w.line, w.reason) for w in parsed.warnings] == [
        (0, "no minutes heading: body, date and venue are unknown"),
        (3, "item page without a minute number"),
    ]
    assert_every_line_accounted_for(text, parsed)


def test_single_item_page_004_reports_the_broken_banner() -> None:
    text = _text(SEED_004)
    parsed = parse_minutes(text)
    assert parsed.body_name == ""
    assert parsed.date is None
    (item,) = parsed.items
    assert item.title.startswith("Mr Michael Hill, OBE (Cabinet Member")
    assert item.paragraphs[0].unnumbered
    assert item.paragraphs[0].text.endswith("were in attendance for this item.")
    assert [p.number for p in item.paragraphs[1:]] == list(range(1, 45))
    assert item.paragraphs[1].text.startswith("Paul Barrington-King: Welcomed")
    assert item.resolutions == ()
    assert [(u.line, u.reason) for u in parsed.unplaced] == [
        (1, "website banner: the site's branding failed to load"),
        (2, "website banner: the site's branding failed to load"),
        (4, "website error message"),
    ]
    assert parsed.warnings[0].reason.startswith("no minutes heading")
    assert_every_line_accounted_for(text, parsed)


# --------------------------------------------------------------------------
# Shapes the seeds do not show.

SYNTHETIC = """\
MEDWAY COUNCIL

MINUTES of a meeting of the Safer Communities Committee held in the Council
Chamber, Gun Wharf and online on Wednesday, 5 June 2024 at 6.30 pm.

PRESENT: Councillor A Smith (Chairman), Councillor B Jones,
Councillor C Brown and Cllr Jane Green

SUBSTITUTES: Councillor D White for Councillor E Black

APOLOGIES: Councillor F Grey

UNRESTRICTED ITEMS

7. Minutes
(Item 1)

1) The minutes were agreed.

RESOLVED:

that the minutes be signed.

8. Performance

(1) Officers presented the report:

(a) crime fell;
(b) confidence rose.

(2) Members asked questions.

9. Next steps

1. Officers will report back.

EXEMPT ITEMS

10. Contract award
(Item 9)

RESOLVED that the contract be awarded.

(Item 12)
"""


def test_synthetic_minutes() -> None:
    parsed = parse_minutes(SYNTHETIC)
    assert parsed.council_name == "MEDWAY COUNCIL"
    assert parsed.body_name == "Safer Communities Committee"
    assert parsed.venue == "Council Chamber, Gun Wharf"
    assert parsed.online is True
    assert parsed.date == dt.date(2024, 6, 5)
    assert parsed.time == dt.time(18, 30)
    present = parsed.attendance_of(AttendanceKind.PRESENT)
    assert [e.name.formal for e in present] == [
        "Councillor A Smith",
        "Councillor B Jones",
        "Councillor C Brown",
        "Cllr Jane Green",
    ]
    (substitute,) = parsed.attendance_of(AttendanceKind.SUBSTITUTE)
    assert substitute.kind == AttendanceKind.SUBSTITUTE
    assert substitute.name.formal == "Councillor D White"
    assert substitute.substitute_for is not None
    assert substitute.substitute_for.formal == "Councillor E Black"
    (apology,) = parsed.attendance_of(AttendanceKind.APOLOGIES)
    assert apology.name.surname == "Grey"

    assert [i.number for i in parsed.items] == [7, 8, 9, 10]
    assert [i.exempt for i in parsed.items] == [False, False, False, True]
    minutes = parsed.item(7)
    assert minutes.reference == "1"
    assert minutes.paragraphs[0].number == 1
    assert minutes.resolution is not None
    assert minutes.resolution.text == "RESOLVED: that the minutes be signed."
    performance = parsed.item(8)
    assert performance.reference == ""
    assert performance.paragraphs[0].text.splitlines() == [
        "Officers presented the report:",
        "a) crime fell;",
        "b) confidence rose.",
    ]
    assert parsed.item(9).title == "Next steps"
    assert parsed.item(10).resolution is not None

    stray = SYNTHETIC.splitlines().index("(Item 12)") + 1
    assert [(u.line, u.reason) for u in parsed.unplaced] == [
        (stray, "an agenda reference that does not follow a heading")
    ]
    reasons = [w.reason for w in parsed.warnings]
    assert reasons == [
        "taken as a minute heading with no agenda reference: "
        "follows the previous minute number",
        "taken as a minute heading with no agenda reference: "
        "follows the previous minute number",
    ]
    assert_every_line_accounted_for(SYNTHETIC, parsed)


def test_heading_date_problems_are_reported() -> None:
    parsed = parse_minutes(
        "MINUTES of a meeting of the Board held at County Hall on Monday, "
        "24 March 2022.\n"
    )
    assert parsed.date == dt.date(2022, 3, 24)
    assert parsed.venue == "County Hall"
    assert [w.reason for w in parsed.warnings] == ["Monday does not match 2022-03-24"]
    parsed = parse_minutes(
        "NOTES of a meeting of the Board held online on 31 February 2022."
    )
    assert parsed.date is None
    assert parsed.online is True
    assert [w.reason for w in parsed.warnings] == [
        "the date in the heading is not a real date"
    ]


def test_text_before_any_heading_is_reported() -> None:
    parsed = parse_minutes("Some stray words\n\n1. A paragraph.\n")
    assert parsed.unplaced[0].reason == "text before the first minute item"
    assert parsed.items[0].number is None
    assert "minutes text before any minute heading: untitled item" in [
        w.reason for w in parsed.warnings
    ]


def test_ten_copies_of_a_long_set_of_minutes_parse_whole() -> None:
    text = _text(SEED_003) * 10
    parsed = parse_minutes(text)
    assert len(parsed.items) == 120
    assert_every_line_accounted_for(text, parsed)


# --------------------------------------------------------------------------
# Properties.


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_any_text_parses_and_every_line_is_accounted_for(text: str) -> None:
    assert_every_line_accounted_for(text, parse_minutes(text))


_REALISTIC_LINES = [
    "",
    "",
    "KENT COUNTY COUNCIL",
    "KENT COMMUNITY SAFETY PARTNERSHIP",
    "NOTES of a meeting of the Kent Community Safety Partnership held online on "
    "Thursday, 24 March 2022.",
    "MINUTES of a meeting of the Board held in the Darent Room, Sessions House",
    "PRESENT: Mr Rivers (Vice-Chairman in the Chair), Ms S Brinson,",
    "ALSO PRESENT:",
    "IN ATTENDANCE: Ms A Gilmour (Kent & Medway Domestic Violence Co-ordinator)",
    "SUBSTITUTES: Mr X for Mr Y",
    "UNRESTRICTED ITEMS",
    "EXEMPT ITEMS",
    "51. Notes of meeting held on 18 November 2021",
    "95. Final Community Warden Model *(Item B2)*",
    "## **2. The differing use of powers**",
    "(Item B1)",
    "*(Item B2)*",
    "1. Shafick Peerbux introduced the report.",
    "(6) RESOLVED that the report be noted.",
    "10)    Targeting the issue was multi-faceted.",
    "3. Mr Beaumont provided background. Practical",
    "changes were required to achieve a sustainable model.",
    "RESOLVED that the Kent Community Safety Partnership",
    "- a) Consider and comment on the proposed changes.",
    "b) Agree the priorities.",
    "(c) Note the arrangements.",
    "- 960 individual community responses",
    "·         Chief Inspector Tim Cook, Kent Police,",
    "<https://www.kent.gov.uk/about-the-council>",
    "The Chairman advised the Committee.",
    "Agenda item",
    "Minutes:",
    "Supporting documents:",
    "This page is intentionally left blank",
    "**",
    "---",
    "\u00a0",
    "(",
    ")",
    "RESOLVED",
]


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_REALISTIC_LINES),
            st.text(max_size=40),
            st.builds(
                "{}. {}".format,
                st.integers(min_value=0, max_value=200),
                st.text(min_size=1, max_size=20),
            ),
        ),
        max_size=50,
    )
)
def test_mixtures_of_realistic_lines_are_accounted_for(lines: list[str]) -> None:
    text = "\n".join(lines)
    parsed = parse_minutes(text)
    assert_every_line_accounted_for(text, parsed)
    numbers = [item.number for item in parsed.items]
    assert len(numbers) == len(parsed.items)
    for item in parsed.items:
        for resolution in item.resolutions:
            assert resolution.text.startswith(resolution.lead_in)


def test_a_second_copy_is_read_as_text_and_reported() -> None:
    text = _text(SEED_002) + "\n" + _text(SEED_002)
    parsed = parse_minutes(text)
    assert parsed.date == dt.date(2022, 3, 24)
    assert [item.number for item in parsed.items] == [*range(51, 61), *range(51, 61)]
    reasons = [w.reason for w in parsed.warnings]
    assert reasons.count("banner repeated after the items began (a page header)") == 2
    assert reasons.count("a second minutes heading, read as text of this item") == 1
    assert "minute 51 does not follow minute 60" in reasons
    assert_every_line_accounted_for(text, parsed)


def _shape(text: str) -> tuple[object, ...]:
    """What a set of printed notes holds, counted: attendance by kind, and
    each item's number, paragraphs, resolutions and their lettered parts."""
    parsed = parse_minutes(text)
    return (
        parsed.date,
        sorted(entry.kind for entry in parsed.attendance),
        [
            (
                item.number,
                len(item.paragraphs),
                [len(resolution.parts) for resolution in item.resolutions],
            )
            for item in parsed.items
        ],
    )


@st.composite
def _relaid_notes(draw: st.DrawFn, text: str) -> str:
    """The same notes as another copy or conversion lays them out: other line
    endings, spaces widened or turned into no-break spaces, trailing white
    space, and blank lines doubled or written as a no-break space."""
    lines = []
    for line in text.splitlines():
        if line.strip():
            words = line.split(" ")
            line = (
                "".join(
                    word + draw(st.sampled_from([" ", " ", "  ", "\u00a0"]))
                    for word in words[:-1]
                )
                + words[-1]
            )
            line += draw(st.sampled_from(["", " ", "\t", "\u00a0"]))
        else:
            line = draw(st.sampled_from(["", "\u00a0", " ", "\u00a0\n\u00a0", "\n"]))
        lines.append(line)
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    return ("\n".join(lines) + "\n").replace("\n", ending)


@pytest.mark.parametrize("name", [SEED_002, SEED_003])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_relaid_notes_read_the_same(name: str, data: st.DataObject) -> None:
    text = _text(name)
    assert _shape(data.draw(_relaid_notes(text))) == _shape(text)


def test_a_list_of_people_widened_by_a_copy_is_not_read_as_a_table() -> None:
    text = _text(SEED_002)
    widened = text.replace("Ms V Widden, Mr N", "Ms V  Widden,   Mr N", 1)
    assert widened != text
    assert len(parse_minutes(widened).attendance) == 25
