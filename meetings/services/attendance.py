"""State changes of a meeting's attendance."""

from django.db import transaction

from kcsp.models import Person
from kcsp.provenance import Saved, assign, imported_save
from kcsp.services import validated_save
from meetings.models import AgendaItem, Attendance, Declaration, Meeting

__all__ = [
    "attendance_mark_present",
    "attendance_set",
    "declaration_record",
    "declaration_remove",
]


@transaction.atomic
def declaration_record(
    *,
    meeting: Meeting,
    person: Person,
    details: str,
    kind: str = Declaration.Kind.PERSONAL,
    item: AgendaItem | None = None,
) -> Declaration:
    """Record an interest declared at the meeting, on an item or generally.
    Only someone recorded as there can declare one (`Declaration.clean`)."""
    declaration = Declaration(
        meeting=meeting, person=person, details=details.strip(), kind=kind, item=item
    )
    return validated_save(declaration)


@transaction.atomic
def declaration_remove(*, declaration: Declaration) -> None:
    declaration.delete()


@transaction.atomic
def attendance_set(
    *,
    meeting: Meeting,
    person: Person,
    kind: str,
    order: int,
    capacity: str = "",
    in_the_chair: bool | None = None,
    substitute_for: Person | None = None,
) -> Saved[Attendance]:
    """Record how a person attended a meeting: their row added or brought up
    to date, and whether that created, changed or left it.

    One person chairs a meeting: putting someone in the chair takes it from
    whoever had it. `in_the_chair` None leaves the row's as it is. Only a
    substitute stands in for someone; a substitute given without saying for
    whom keeps whoever was recorded.
    """
    row = Attendance.objects.filter(meeting=meeting, person=person).first()
    created = row is None
    if row is None:
        row = Attendance(meeting=meeting, person=person)
    values: dict[str, object] = {"kind": kind, "capacity": capacity, "order": order}
    if in_the_chair is not None:
        values["in_the_chair"] = in_the_chair
    if in_the_chair:
        for other in meeting.attendance.filter(in_the_chair=True).exclude(
            person=person
        ):
            other.in_the_chair = False
            other.save(update_fields=["in_the_chair", "updated_at"])
    if kind != Attendance.Kind.SUBSTITUTE:
        values["substitute_for"] = None
    elif substitute_for is not None:
        values["substitute_for"] = substitute_for
    changed = assign(row, values)
    return Saved(row, imported_save(row, created=created, changed=changed))


@transaction.atomic
def attendance_mark_present(*, meeting: Meeting) -> int:
    """Record everyone listed but not yet recorded as present, when the clerk
    says all of them came; returns how many."""
    rows = list(meeting.attendance.filter(kind=Attendance.Kind.NOT_RECORDED))
    for row in rows:
        row.kind = Attendance.Kind.PRESENT
        row.save(update_fields=["kind", "updated_at"])
    return len(rows)
