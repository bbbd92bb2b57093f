"""Finding the people an import names in the partner directory.

Minutes name people briefly ("Mr Rivers"), formally ("Mr P M Hill, OBE") or
in full ("Councillor Basil Curley"). `PeopleFinder` matches such a name to
one existing Person by surname, initials (or forenames) and a title that
does not contradict, and creates a Person when there is none. It never
guesses silently: a match on the surname alone, and a name that fits more
than one person (a new Person is then created), are both reported.
"""

import datetime as dt
from dataclasses import dataclass

from imports.parsers.names import ParsedName
from imports.report import ImportReport
from kcsp.models import Person
from kcsp.provenance import Source, assign, fit, imported_save, stamp

__all__ = ["PeopleFinder", "written_letters"]

# Courtesy titles that say a person's sex; two that disagree cannot be the
# same person. Ranks and "Councillor" say nothing either way.
_MALE = frozenset({"mr", "sir", "lord"})
_FEMALE = frozenset({"mrs", "ms", "miss", "dame", "lady", "baroness"})

# How closely a name fits a person, from the weakest useful match.
_SURNAME_ONLY = 1
_SAME_LEADING_INITIALS = 2
_SAME_INITIALS = 3


def written_letters(initials: str, forenames: str) -> str:
    """The initials a name gives, as letters without spaces: "PM"."""
    if initials:
        return "".join(ch for ch in initials if ch.isalpha()).upper()
    return "".join(word[0] for word in forenames.split() if word[:1].isalpha()).upper()


def _title_words(title: str) -> set[str]:
    return {word.strip(".").lower() for word in title.split()}


def _titles_conflict(first: str, second: str) -> bool:
    a, b = _title_words(first), _title_words(second)
    return bool((a & _MALE and b & _FEMALE) or (a & _FEMALE and b & _MALE))


def _fit_score(name: ParsedName, person: Person) -> int | None:
    """How well `name` fits `person`, or None when it cannot be them."""
    if name.surname.casefold() != person.surname.casefold():
        return None
    if name.title and person.title and _titles_conflict(name.title, person.title):
        return None
    if (
        name.forenames
        and person.forenames
        and name.forenames.split()[0].casefold()
        != person.forenames.split()[0].casefold()
    ):
        return None
    ours = written_letters(name.initials, name.forenames)
    theirs = written_letters(person.initials, person.forenames)
    if ours == theirs:
        return _SAME_INITIALS
    if ours and theirs:
        if ours.startswith(theirs) or theirs.startswith(ours):
            return _SAME_LEADING_INITIALS
        return None
    return _SURNAME_ONLY


def _key(name: ParsedName) -> tuple[str, ...]:
    return (
        name.title.casefold(),
        written_letters(name.initials, name.forenames),
        name.forenames.casefold(),
        name.surname.casefold(),
    )


@dataclass
class PeopleFinder:
    """Matches or creates people for one import run.

    The same written name gives the same Person throughout a run, and each
    person is counted once in the report ("created", "matched" or
    "updated" when the import filled in parts of the name it lacked).
    """

    report: ImportReport
    system: str
    now: dt.datetime

    def __post_init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        """Drop what this run remembers (after its writes were rolled back)."""
        self._by_name: dict[tuple[str, ...], Person] = {}
        self._by_source: dict[str, Person] = {}
        self._counted: set[int] = set()

    def find(
        self,
        name: ParsedName,
        *,
        source_id: str,
        source_url: str = "",
        external_id: str = "",
        line: int = 0,
    ) -> Person | None:
        """The Person this name stands for; None when it holds no surname.

        `external_id` is the source system's own id for the person (a
        ModernGov member id): a person imported before under that id is
        found by it whatever the name now says.
        """
        if not name.surname:
            self.report.warn(
                "could not read a surname, so no person was recorded",
                line=line,
                source=name.raw,
            )
            return None
        if external_id:
            if external_id in self._by_source:
                return self._by_source[external_id]
            known = Person.objects.filter(
                source_system=self.system, source_id=external_id
            ).first()
            if known is not None:
                self._use(known, name)
                self._by_source[external_id] = known
                return known
        key = _key(name)
        # A name seen before in this run is the same person, unless the
        # source gives its own id: two members may share a name.
        if key in self._by_name and not external_id:
            return self._by_name[key]
        person = self._match(name, line=line, external_id=external_id)
        if person is None:
            person = self._create(
                name, source_id=external_id or source_id, source_url=source_url
            )
        else:
            self._use(person, name)
        self._by_name[key] = person
        if external_id:
            self._by_source[external_id] = person
        return person

    # -- matching ------------------------------------------------------------

    def _match(
        self, name: ParsedName, *, line: int, external_id: str = ""
    ) -> Person | None:
        candidates = Person.objects.filter(surname__iexact=name.surname)
        if external_id:
            # Someone this source knows under another id is someone else.
            candidates = candidates.exclude(source_system=self.system)
        scored = [
            (score, person)
            for person in candidates.order_by("pk")
            if (score := _fit_score(name, person)) is not None
        ]
        if not scored:
            return None
        best = max(score for score, _ in scored)
        chosen = [person for score, person in scored if score == best]
        if len(chosen) > 1:
            self.report.warn(
                f"{name.raw!s} could be any of "
                f"{', '.join(p.formal_name for p in chosen)}: a new person was "
                "recorded; merge it with the right one if it is the same person",
                line=line,
            )
            return None
        person = chosen[0]
        if best == _SURNAME_ONLY and person.pk not in self._counted:
            self.report.warn(
                f"{name.raw!s} taken to be {person.formal_name} (the only "
                f"{person.surname} who fits); check this is the same person",
                line=line,
            )
        return person

    def _use(self, person: Person, name: ParsedName) -> None:
        """Fill in parts of the name the directory lacks, and count the person.

        Nothing is overwritten. A person this import system recorded before
        is "unchanged" (and not saved); anyone else found in the directory
        is "matched".
        """
        if person.pk in self._counted:
            return
        self._counted.add(person.pk)
        values = {}
        for field in ("title", "forenames", "honours"):
            value = getattr(name, field)
            if value and not getattr(person, field):
                values[field] = fit(Person, field, value)
        if name.initials and not person.initials and not person.forenames:
            values["initials"] = fit(Person, "initials", name.initials)
        changed = assign(person, values)
        ours = person.source_system == self.system
        if changed:
            if ours:
                person.last_imported_at = self.now
            person.full_clean()
            person.save()
            self.report.count("person", "updated")
        elif ours:
            self.report.count("person", "unchanged")
        else:
            self.report.count("person", "matched")

    def _create(self, name: ParsedName, *, source_id: str, source_url: str) -> Person:
        person = Person(
            title=fit(Person, "title", name.title),
            forenames=fit(Person, "forenames", name.forenames),
            initials=fit(Person, "initials", name.initials),
            known_as=fit(Person, "known_as", name.known_as),
            surname=fit(Person, "surname", name.surname),
            honours=fit(Person, "honours", name.honours),
        )
        stamp(
            person,
            Source(system=self.system, id=source_id, url=source_url, at=self.now),
        )
        outcome = imported_save(person, created=True, changed=True, at=self.now)
        self.report.count("person", outcome)
        self._counted.add(person.pk)
        return person
