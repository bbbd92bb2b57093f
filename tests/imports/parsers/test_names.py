import pytest
from hypothesis import given
from hypothesis import strategies as st

from imports.parsers.names import ParsedName, parse_name, split_capacity

# (text, title, initials, forenames, surname, honours)
NAMES = [
    ("Mr P M Hill, OBE", "Mr", "P M", "", "Hill", "OBE"),
    ("Mr Rivers", "Mr", "", "", "Rivers", ""),
    ("Supt L Russell", "Supt", "L", "", "Russell", ""),
    ("T/Supt Russell", "T/Supt", "", "", "Russell", ""),
    ("Chief Inspector R Nyman", "Chief Inspector", "R", "", "Nyman", ""),
    ("Ms S Brinson", "Ms", "S", "", "Brinson", ""),
    ("Mrs E M Tweed", "Mrs", "E M", "", "Tweed", ""),
    ("Mr A R Chell", "Mr", "A R", "", "Chell", ""),
    ("DS Burns", "DS", "", "", "Burns", ""),
    ("Councillor X", "Councillor", "", "", "X", ""),
    ("Cllr Jane Smith", "Cllr", "", "Jane", "Smith", ""),
    ("Shafick Peerbux", "", "", "Shafick", "Peerbux", ""),
    ("Alison Gilmour", "", "", "Alison", "Gilmour", ""),
    ("John Rivers", "", "", "John", "Rivers", ""),
    ("Mr Michael Hill, OBE", "Mr", "", "Michael", "Hill", "OBE"),
    ("Mike Hill OBE", "", "", "Mike", "Hill", "OBE"),
    ("Mr P.M. Hill", "Mr", "P M", "", "Hill", ""),
    ("Paul Barrington-King", "", "", "Paul", "Barrington-King", ""),
    ("Mr D O'Brien", "Mr", "D", "", "O'Brien", ""),
    ("Mr A de Souza", "Mr", "A", "", "de Souza", ""),
    ("Cllr Mrs J Law", "Cllr Mrs", "J", "", "Law", ""),
    (
        "Chief Superintendent Tom Richards",
        "Chief Superintendent",
        "",
        "Tom",
        "Richards",
        "",
    ),
    ("Dr Jane Smith, OBE, JP", "Dr", "", "Jane", "Smith", "OBE JP"),
    ("Councillor Basil Curley", "Councillor", "", "Basil", "Curley", ""),
]


@pytest.mark.parametrize(
    ("text", "title", "initials", "forenames", "surname", "honours"), NAMES
)
def test_names_as_minutes_write_them(
    text: str, title: str, initials: str, forenames: str, surname: str, honours: str
) -> None:
    name = parse_name(text)
    assert (name.title, name.initials, name.forenames, name.surname, name.honours) == (
        title,
        initials,
        forenames,
        surname,
        honours,
    )
    assert name.raw == text
    assert name.warnings == ()


def test_formal_name_is_written_back_as_minutes_write_it() -> None:
    assert parse_name("Mr P M Hill, OBE").formal == "Mr P M Hill, OBE"
    assert parse_name("Dr Jane Smith, OBE, JP").formal == "Dr Jane Smith, OBE, JP"


def test_everyday_first_name_in_quotes_is_known_as() -> None:
    name = parse_name('Michael "Mike" Hill')
    assert (name.forenames, name.known_as, name.surname) == ("Michael", "Mike", "Hill")


def test_police_abbreviations_are_titles_only_in_capitals() -> None:
    assert parse_name("DI Smith").title == "DI"
    name = parse_name("Di Smith")
    assert (name.title, name.forenames, name.surname) == ("", "Di", "Smith")


def test_a_surname_that_is_also_a_title_stays_the_surname() -> None:
    name = parse_name("Mr Sergeant")
    assert (name.title, name.surname) == ("Mr", "Sergeant")


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("", "empty name"),
        ("Mr", "no surname"),
        ("Rivers", "a single word with no title: taken as the surname"),
        ("Mr S Beaumont, KCC", "text after a comma is not a known honour: 'KCC'"),
        ("Mr R2 Smith", "unexpected characters in name: 'R2'"),
        ("mr rivers", "surname does not start with a capital: 'rivers'"),
    ],
)
def test_what_cannot_be_read_is_reported(text: str, warning: str) -> None:
    assert warning in parse_name(text).warnings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr Rivers (Vice-Chairman in the Chair)",
            ("Mr Rivers", "Vice-Chairman in the Chair"),
        ),
        (
            "Ms A Gilmour (Kent & Medway Domestic Violence Co-ordinator)",
            ("Ms A Gilmour", "Kent & Medway Domestic Violence Co-ordinator"),
        ),
        (
            "Ms D Fitch (Assistant Democratic Services Manager (Policy Overview))",
            ("Ms D Fitch", "Assistant Democratic Services Manager (Policy Overview)"),
        ),
        ("Mr P M Hill, OBE (Chairman)", ("Mr P M Hill, OBE", "Chairman")),
        ("Mr Rivers", ("Mr Rivers", "")),
        ("(Chairman)", ("(Chairman)", "")),
        ("Mr Rivers (Chairman", ("Mr Rivers (Chairman", "")),
        ("Mr Rivers Chairman)", ("Mr Rivers Chairman)", "")),
    ],
)
def test_split_capacity(text: str, expected: tuple[str, str]) -> None:
    assert split_capacity(text) == expected


@given(st.text())
def test_parse_name_never_raises_and_keeps_the_raw_text(text: str) -> None:
    name = parse_name(text)
    assert isinstance(name, ParsedName)
    assert name.raw == text
    if not name.surname:
        assert name.warnings


@given(st.text())
def test_split_capacity_never_raises_and_loses_nothing(text: str) -> None:
    name, capacity = split_capacity(text)
    stripped = text.strip()
    if capacity:
        assert stripped.startswith(name)
        assert stripped.endswith(")")
        assert capacity in stripped[len(name) :]
    else:
        assert name == stripped


_letters = st.sampled_from("ABCDEFGHJKLMNPRSTW")
_surnames = st.sampled_from(["Hill", "Rivers", "Barrington-King", "O'Brien", "Nyman"])
_titles = st.sampled_from(["Mr", "Mrs", "Ms", "Dr", "Supt", "Chief Inspector", "Cllr"])
_honours = st.lists(
    st.sampled_from(["OBE", "MBE", "QPM", "JP"]), max_size=2, unique=True
)


@given(_titles, st.lists(_letters, max_size=3), _surnames, _honours)
def test_formal_names_round_trip(
    title: str, initials: list[str], surname: str, honours: list[str]
) -> None:
    written = " ".join([title, *initials, surname])
    if honours:
        written += ", " + ", ".join(honours)
    name = parse_name(written)
    assert name.title == title
    assert name.initials == " ".join(initials)
    assert name.surname == surname
    assert name.honours == " ".join(honours)
    assert name.formal == written
    assert name.warnings == ()
