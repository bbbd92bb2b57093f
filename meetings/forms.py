"""Forms of the clerk's minutes and agenda screens.

Attendance at a meeting, the minute item editor, an action from a minute
and a new forward plan item.

The minute item editor's form is what the clerk typed, read and checked.
A resolution is typed as one block: its opening words, then one line per
lettered part ("a) Agree the priorities ..."). Lines that do not start a
part continue the one before. Paragraphs are a list of text boxes that can be
added, removed and moved; without JavaScript those buttons re-show the form
with every typed word kept, and only "Save" writes.
"""

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import Model
from django.http import QueryDict

from kcsp.formatting import MONTH_CHOICES as MONTHS
from kcsp.formatting import file_size
from kcsp.models import Organisation, Person
from kcsp.workdays import local_datetime
from meetings.models import (
    AgendaItem,
    Attendance,
    Body,
    CallForAction,
    Declaration,
    Document,
    Meeting,
    Membership,
    MinuteItem,
    NamedVote,
    Resolution,
)
from meetings.services import ResolutionInput

# Attendance -------------------------------------------------------------------------


RECORDED_KINDS = [
    (value, label)
    for value, label in Attendance.Kind.choices
    if value != Attendance.Kind.NOT_RECORDED
]


class AttendanceForm(forms.ModelForm):
    """One person's attendance; "Not recorded yet" is offered only while it
    is still so, so a recorded row cannot go back to it."""

    class Meta:
        model = Attendance
        fields = ["kind", "in_the_chair", "substitute_for", "capacity"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kind != Attendance.Kind.NOT_RECORDED:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)  # noqa: S101 - declared so
            kind.choices = RECORDED_KINDS


class BaseAttendanceFormSet(forms.BaseModelFormSet):
    """Lists the people once for every row's "substitute for" menu."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "---------")] + [
            (p.pk, p.formal_name) for p in Person.objects.alphabetical()
        ]
        for form in self.forms:
            field = form.fields["substitute_for"]
            assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared so
            field.choices = choices


AttendanceFormSet = forms.modelformset_factory(
    Attendance,
    form=AttendanceForm,
    formset=BaseAttendanceFormSet,
    extra=0,
    can_delete=True,
)


class AddAttendeeForm(forms.Form):
    person: forms.ModelChoiceField[Person] = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label="Add a person",
    )
    kind = forms.ChoiceField(choices=RECORDED_KINDS, label="As")

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.exclude(  # type: ignore[attr-defined]
            attendance__meeting=meeting
        ).alphabetical()


# The minute item editor -------------------------------------------------------------

# "a) text", "(a) text", "a. text", with an optional bullet before it.
_PART = re.compile(r"^\s*(?:[-\u2022]\s*)?\(?([a-z])[).]\s+(.*)$")


def split_resolution(text: str) -> tuple[str, list[str]]:
    """Opening words and lettered parts of a typed resolution."""
    lead: list[str] = []
    parts: list[list[str]] = []
    for line in (text or "").replace("\r", "").split("\n"):
        match = _PART.match(line)
        if match and (parts or lead):
            parts.append([match.group(2).strip()])
        elif parts:
            parts[-1].append(line.strip())
        else:
            lead.append(line.strip())
    return (
        "\n".join(lead).strip(),
        ["\n".join(p).strip() for p in parts if "\n".join(p).strip()],
    )


def join_resolution(text: str, parts: list[str]) -> str:
    from meetings.models.minutes import _letters

    lines = [text] + [f"{_letters(i)}) {p}" for i, p in enumerate(parts)]
    return "\n".join(line for line in lines if line)


def content_lines(content: dict[str, Any]) -> list[str]:
    """A minute item's saved text (`item_content`) as the lines a reader sees:
    the title, the numbered paragraphs, then each resolution and its lettered
    parts; what two versions are compared by."""
    lines = [f"Title: {content['title']}"]
    lines += [f"{n}. {text}" for n, text in enumerate(content["paragraphs"], start=1)]
    for resolution in content["resolutions"]:
        lines += join_resolution(resolution["text"], resolution["parts"]).split("\n")
    return lines


@dataclass
class ResolutionBlock:
    text: str = ""
    kind: str = Resolution.Kind.NOTED
    recommended_to: str = ""
    # The stored resolution this block was loaded from (None: a new one).
    pk: int | None = None


@dataclass
class EditorData:
    """The editor's state, from the database or from a submitted form."""

    version: int
    title: str
    paragraphs: list[str]
    resolutions: list[ResolutionBlock]
    errors: dict[str, list[str]] = field(default_factory=dict)
    # The field a button's change leaves the keyboard on: ("resolution", 2).
    focus: tuple[str, int] | None = None

    @classmethod
    def from_item(cls, item: MinuteItem) -> "EditorData":
        data = cls.from_content(item.version, _content_of(item))
        for block, resolution in zip(
            data.resolutions, item.resolutions.all(), strict=False
        ):
            block.pk = resolution.pk
        return data

    @classmethod
    def from_content(cls, version: int, content: dict[str, Any]) -> "EditorData":
        return cls(
            version=version,
            title=content["title"],
            paragraphs=list(content["paragraphs"]),
            resolutions=[
                ResolutionBlock(
                    text=join_resolution(r["text"], r["parts"]),
                    kind=r["kind"],
                    recommended_to=r.get("recommended_to", ""),
                    pk=r.get("pk"),
                )
                for r in content["resolutions"]
            ],
        )

    @classmethod
    def from_post(cls, data: QueryDict | dict[str, Any]) -> "EditorData":
        def many(name: str) -> list[str]:
            if isinstance(data, QueryDict):
                return data.getlist(name)
            value: Any = data.get(name, [])
            return list(value) if isinstance(value, list | tuple) else [value]

        texts = many("resolution")
        kinds = many("resolution_kind")
        tos = many("resolution_to")
        ids = many("resolution_id")
        errors: dict[str, list[str]] = {}
        try:
            version = int(str(data.get("version", "")))
        except ValueError:
            version, errors["version"] = (
                0,
                ["The form was incomplete; reload the page."],
            )
        valid_kinds = set(Resolution.Kind.values)
        return cls(
            version=version,
            title=str(data.get("title", "")).strip(),
            paragraphs=[p.replace("\r", "") for p in many("paragraph")],
            resolutions=[
                ResolutionBlock(
                    text=text.replace("\r", ""),
                    kind=kinds[i]
                    if i < len(kinds) and kinds[i] in valid_kinds
                    else "noted",
                    recommended_to=tos[i] if i < len(tos) else "",
                    pk=int(ids[i]) if i < len(ids) and str(ids[i]).isdigit() else None,
                )
                for i, text in enumerate(texts)
            ],
            errors=errors,
        )

    def as_post(self) -> dict[str, Any]:
        """A plain dict that `from_post` reads back (kept in the session)."""
        return {
            "version": str(self.version),
            "title": self.title,
            "paragraph": list(self.paragraphs),
            "resolution": [r.text for r in self.resolutions],
            "resolution_kind": [r.kind for r in self.resolutions],
            "resolution_to": [r.recommended_to for r in self.resolutions],
            "resolution_id": [str(r.pk or "") for r in self.resolutions],
        }

    def apply(self, action: str) -> bool:
        """Add, remove or move a paragraph or resolution; True if understood."""
        verb, _, index_text = action.partition(":")
        index = int(index_text) if index_text.isdigit() else -1
        if verb == "add-paragraph":
            self.paragraphs.append("")
            self.focus = ("paragraph", len(self.paragraphs) - 1)
        elif verb == "add-resolution":
            self.resolutions.append(ResolutionBlock(text="RESOLVED that "))
            self.focus = ("resolution", len(self.resolutions) - 1)
        elif verb == "remove-paragraph" and 0 <= index < len(self.paragraphs):
            self.paragraphs.pop(index)
            self.focus = ("paragraph", min(index, len(self.paragraphs) - 1))
        elif verb == "remove-resolution" and 0 <= index < len(self.resolutions):
            self.resolutions.pop(index)
            self.focus = ("resolution", min(index, len(self.resolutions) - 1))
        elif verb == "up-paragraph" and 0 < index < len(self.paragraphs):
            p = self.paragraphs
            p[index - 1], p[index] = p[index], p[index - 1]
            self.focus = ("paragraph", index - 1)
        elif verb == "down-paragraph" and 0 <= index < len(self.paragraphs) - 1:
            p = self.paragraphs
            p[index + 1], p[index] = p[index], p[index + 1]
            self.focus = ("paragraph", index + 1)
        else:
            return False
        return True

    def validate(self) -> bool:
        if not self.title:
            self.errors.setdefault("title", []).append("Give the minute item a title.")
        for i, block in enumerate(self.resolutions):
            lead, parts = split_resolution(block.text)
            if parts and not lead:
                self.errors.setdefault(f"resolution-{i}", []).append(
                    "Start the resolution with its opening words, for example "
                    "'RESOLVED that the Partnership', before the lettered parts."
                )
        return not self.errors

    def resolution_inputs(self) -> list[ResolutionInput]:
        inputs = []
        for block in self.resolutions:
            lead, parts = split_resolution(block.text)
            if lead or parts:
                inputs.append(
                    ResolutionInput(
                        text=lead,
                        parts=parts,
                        kind=block.kind,
                        recommended_to=block.recommended_to,
                        pk=block.pk,
                    )
                )
        return inputs

    def content(self) -> dict[str, Any]:
        """The same shape as `item_content`, for previews and comparisons."""
        return {
            "title": self.title,
            "paragraphs": [p.strip() for p in self.paragraphs if p.strip()],
            "resolutions": [
                {
                    "text": r.text,
                    "parts": r.parts,
                    "kind": r.kind,
                    "recommended_to": r.recommended_to,
                }
                for r in self.resolution_inputs()
            ],
        }


def _content_of(item: MinuteItem) -> dict[str, Any]:
    from meetings.services import item_content

    return item_content(item)


# Actions from a minute and the forward plan -----------------------------------------


class ResolutionActionForm(forms.Form):
    source = forms.ChoiceField(label="From")
    owner: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        label="Owner",
        empty_label=None,
    )
    due = forms.ChoiceField(
        label="Due",
        choices=[("next", "At the next meeting"), ("date", "By a date")],
        widget=forms.RadioSelect,
        initial="next",
    )
    due_date = forms.DateField(
        label="Due date (dd/mm/yyyy)",
        required=False,
        error_messages={"invalid": "Enter a date like 24/03/2023."},
    )
    title = forms.CharField(
        label="Action (leave blank to use the resolution's words)",
        required=False,
        max_length=500,
    )

    def __init__(self, *args: Any, item: MinuteItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.active()  # type: ignore[attr-defined]
        choices = []
        for resolution in item.resolutions.prefetch_related("parts"):
            choices.append((f"r{resolution.pk}", resolution.text[:90]))
            choices += [
                (f"p{part.pk}", f"{part.letter}) {part.text[:86]}")
                for part in resolution.parts.all()
            ]
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)  # noqa: S101 - declared so
        source.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("due") == "date" and not cleaned.get("due_date"):
            self.add_error("due_date", "Give the date the action is due.")
        return cleaned


class ForwardPlanForm(forms.Form):
    # Shares the agenda screen with the item form: its own ids and names.
    prefix = "plan"
    title = forms.CharField(label="Item", max_length=300)
    partner_to_attend: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        label="Partner required to attend or provide information (optional)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner_to_attend"].queryset = Organisation.objects.active()  # type: ignore[attr-defined]


# The clerk's workspace -------------------------------------------------------------


def public_reason_field(label: str, example: str, missing: str) -> forms.CharField:
    """A reason the meeting's public page gives, with an example of one."""
    return forms.CharField(
        label=label,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Shown on the meeting's public page, for example '{example}'.",
        error_messages={"required": missing},
    )


def choice_field(
    label: str, choices: list[tuple[str, str]], missing: str
) -> forms.ChoiceField:
    """A question the clerk answers by choosing one of a few options, which
    decides what else the form needs (see `require_fields`)."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": missing},
    )


def require_fields(
    form: forms.Form, cleaned: dict[str, Any], missing: dict[str, str]
) -> None:
    """Refuse each field of `missing` left empty, with its message: fields
    the answer to a `choice_field` makes necessary. A field already refused
    for what was typed in it keeps that reason alone."""
    for name, message in missing.items():
        if cleaned.get(name) is None and name not in form.errors:
            form.add_error(name, message)


class WithdrawAgendaForm(forms.Form):
    reason = public_reason_field(
        "Why the agenda is withdrawn",
        "Published before the papers were final; it will be published again by 3 March",
        "Say why the agenda is withdrawn.",
    )


WEEKS = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth"), (5, "Last")]
WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
]


class MeetingPlaceForm(forms.Form):
    """When a meeting starts and where it is held: a venue, online, or both."""

    time = forms.TimeField(
        label="Start time",
        help_text="For example 10:00 or 14:30.",
        error_messages={"invalid": "Enter a time like 10:00 or 14:30."},
    )
    venue = forms.CharField(label="Venue", max_length=300, required=False)
    online = forms.BooleanField(label="Held online (or also online)", required=False)
    webcast_url = forms.URLField(
        label="Online meeting or webcast link", required=False, assume_scheme="https"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("venue") and not cleaned.get("online"):
            self.add_error("venue", "Give a venue, or tick that it is held online.")
        return cleaned


def meeting_date_field(**kwargs: Any) -> forms.DateField:
    """A meeting's date as clerks type it: 14/07/2027 or 14 July 2027."""
    options = {"label": "Date", "help_text": "For example 14/07/2027.", **kwargs}
    return forms.DateField(
        input_formats=["%d/%m/%Y", "%Y-%m-%d", "%d %B %Y", "%d %b %Y"],
        error_messages={"invalid": "Enter a date like 14/07/2027."},
        **options,
    )


class MeetingChangeForm(forms.Form):
    """Move a meeting to a new date and time, postpone it until one is fixed,
    or cancel it; the reason is shown on the meeting's public page."""

    MOVE, POSTPONE, CANCEL = "move", "postpone", "cancel"

    change = choice_field(
        "What is happening to the meeting",
        [
            (MOVE, "It moves to another date or time"),
            (POSTPONE, "It is postponed until a new date is fixed"),
            (CANCEL, "It is cancelled"),
        ],
        "Choose what is happening to the meeting.",
    )
    date = meeting_date_field(
        required=False, help_text="When it moves. For example 14/07/2027."
    )
    time = forms.TimeField(
        label="Start time",
        required=False,
        help_text="When it moves. For example 10:00 or 14:30.",
        error_messages={"invalid": "Enter a time like 10:00 or 14:30."},
    )
    reason = public_reason_field(
        "Why",
        "Moved to avoid the pre-election period",
        "Say why, for the meeting's public page.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("change") == self.MOVE:
            require_fields(
                self,
                cleaned,
                {"date": "Give the new date.", "time": "Give the new start time."},
            )
        return cleaned

    @property
    def new_start(self) -> dt.datetime | None:
        data = self.cleaned_data
        if data.get("change") != self.MOVE:
            return None
        return local_datetime(data["date"], data["time"])


def offer[R: Model](
    form: forms.BaseForm,
    name: str,
    rows: Iterable[R],
    label: Callable[[R], str],
    empty: str | None = None,
) -> dict[Any, R]:
    """Offer `rows` as the choices of the form's field `name` (each shown by
    `label`, after an `empty` choice when given); returns them by key, to
    read the chosen row back from the cleaned data."""
    offered = {row.pk: row for row in rows}
    field = cast(forms.TypedChoiceField, form.fields[name])
    choices = [(pk, label(row)) for pk, row in offered.items()]
    field.choices = [("", empty), *choices] if empty is not None else choices
    return offered


class MemberJoinForm(forms.Form):
    """Someone joins a body, in a role, from a date."""

    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Who joins",
        error_messages={"required": "Choose who joins."},
    )
    role = forms.ChoiceField(label="Role", choices=Membership.Role.choices)
    representing = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(active=True).order_by("name"),
        label="Representing (optional)",
        required=False,
    )
    start = meeting_date_field(label="From", help_text="For example 14/07/2027.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)  # noqa: S101 - declared so
        person.queryset = Person.objects.alphabetical()


class MemberChangeForm(forms.Form):
    """A member leaves, or takes another role, from a date."""

    LEAVE, ROLE = "leave", "role"

    change = choice_field(
        "What changes",
        [(LEAVE, "They leave the body"), (ROLE, "Their role changes")],
        "Choose what changes.",
    )
    role = forms.ChoiceField(
        label="New role", choices=Membership.Role.choices, required=False
    )
    date = meeting_date_field(
        label="On",
        help_text="The first day in the new role, or the last day on the body. "
        "For example 14/07/2027.",
    )


class ElectionForm(forms.Form):
    """The annual meeting's election of the chair and vice-chair."""

    chair = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        error_messages={"required": "Choose who was elected."},
    )
    vice_chair = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = meeting.body
        members = (
            Person.objects.filter(memberships__in=body.memberships.on(meeting.date))
            .distinct()
            .alphabetical()
        )
        for name, role in (
            ("chair", Membership.Role.CHAIR),
            ("vice_chair", Membership.Role.VICE_CHAIR),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - declared so
            field.queryset = members
            field.label = f"Elected {body.role_label(role)}" + (
                " (optional)" if not field.required else ""
            )


class YearOfMeetingsForm(MeetingPlaceForm):
    """A year's meetings as a pattern: which weekday of which months."""

    field_order = ["year", "months", "week", "weekday"]

    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    months = forms.TypedMultipleChoiceField(
        label="Months with a meeting",
        choices=MONTHS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one month."},
    )
    week = forms.TypedChoiceField(label="Which week", choices=WEEKS, coerce=int)
    weekday = forms.TypedChoiceField(label="Day", choices=WEEKDAYS, coerce=int)


class DeclarationForm(forms.ModelForm):
    """An interest declared at a meeting: by someone recorded there, on one
    of its items or on the meeting as a whole."""

    class Meta:
        model = Declaration
        fields = ["person", "item", "kind", "details"]
        labels = {
            "person": "Who declared it",
            "item": "On which item (leave empty for the meeting as a whole)",
            "kind": "Kind of interest",
            "details": "The nature of the interest",
        }
        widgets = {"details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        person = self.fields["person"]
        item = self.fields["item"]
        assert isinstance(person, forms.ModelChoiceField)  # noqa: S101 - a foreign key
        assert isinstance(item, forms.ModelChoiceField)  # noqa: S101 - a foreign key
        person.queryset = (
            Person.objects.filter(attendance__meeting=meeting)
            .exclude(attendance__kind__in=Attendance.NOT_THERE)
            .alphabetical()
        )
        item.queryset = AgendaItem.objects.filter(meeting=meeting).order_by(
            "section__order", "section__letter", "number"
        )


class VoteForm(forms.Form):
    """How a resolution was voted on: not recorded, counted, or named (each
    member present and how they voted)."""

    NONE, COUNTED, NAMED = "none", Resolution.Vote.COUNTED, Resolution.Vote.NAMED

    vote = choice_field(
        "How was the vote recorded?",
        [
            (NONE, "No vote recorded"),
            (COUNTED, "Counted: the numbers for, against and abstaining"),
            (NAMED, "Named: how each member present voted"),
        ],
        "Choose how the vote was recorded.",
    )
    votes_for = forms.IntegerField(label="For", min_value=0, required=False)
    votes_against = forms.IntegerField(label="Against", min_value=0, required=False)
    votes_abstained = forms.IntegerField(label="Abstained", min_value=0, required=False)

    def __init__(
        self, *args: Any, resolution: Resolution, present: list[Person], **kwargs: Any
    ) -> None:
        named = {v.person_id: v.choice for v in resolution.named_votes.all()}
        initial = {
            "vote": resolution.vote or self.NONE,
            "votes_for": resolution.votes_for,
            "votes_against": resolution.votes_against,
            "votes_abstained": resolution.votes_abstained,
            **{f"member_{pk}": choice for pk, choice in named.items()},
        }
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.present = present
        for person in present:
            self.fields[f"member_{person.pk}"] = forms.ChoiceField(
                label=person.formal_name,
                choices=[("", "Did not vote"), *NamedVote.Choice.choices],
                required=False,
                help_text="For a named vote.",
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("vote") == self.COUNTED:
            counts = ("votes_for", "votes_against", "votes_abstained")
            require_fields(
                self,
                cleaned,
                {
                    name: "Give the number of votes "
                    f"{str(self.fields[name].label).lower()} (0 if none)."
                    for name in counts
                },
            )
        if cleaned.get("vote") == self.NAMED and not self.named_votes():
            self.add_error(
                None, "Choose how at least one member voted, for a named vote."
            )
        return cleaned

    def counts(self) -> dict[str, int]:
        data = self.cleaned_data
        return {
            "votes_for": data["votes_for"],
            "votes_against": data["votes_against"],
            "abstained": data["votes_abstained"],
        }

    def named_votes(self) -> dict[Person, str]:
        data = self.cleaned_data
        return {
            person: data[f"member_{person.pk}"]
            for person in self.present
            if data.get(f"member_{person.pk}")
        }


def paper_hint() -> str:
    return (
        "A PDF, Word, Excel, PowerPoint or OpenDocument file of up to "
        f"{file_size(settings.DOCUMENT_MAX_UPLOAD_BYTES)}."
    )


class MeetingForm(MeetingPlaceForm):
    """A new meeting of a body, and the agenda it starts with."""

    field_order = ["date"]

    date = meeting_date_field()
    standard_items = forms.BooleanField(
        label="Start the agenda with the body's standard items",
        required=False,
        initial=True,
        help_text="Such as substitutes, declarations of interest and the minutes "
        "of the previous meeting.",
    )
    items = forms.CharField(
        label="Further items (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One title a line. They go under 'Items for consideration'; "
        "presenters, papers and exemptions are added on the agenda's page.",
    )

    def item_titles(self) -> list[str]:
        return [
            line.strip()[:500]
            for line in self.cleaned_data.get("items", "").splitlines()
            if line.strip()
        ]


class AgendaItemForm(forms.ModelForm):
    """An agenda item as the clerk adds or edits it, with an optional paper
    when it is added."""

    paper = forms.FileField(label="Paper (optional)", required=False)

    class Meta:
        model = AgendaItem
        fields = [
            "section",
            "title",
            "purpose",
            "presenter",
            "visibility",
            "exempt_paragraph",
            "public_interest_statement",
            "urgency_reason",
        ]
        labels = {
            "section": "Section",
            "title": "Title",
            "purpose": "Purpose (optional)",
            "presenter": "Presented by (optional)",
            "visibility": "Open to the public or exempt",
            "exempt_paragraph": "Paragraph of Schedule 12A (for an exempt item)",
            "public_interest_statement": "Public interest test (for an exempt item)",
            "urgency_reason": "Why this item is urgent",
        }
        help_texts = {
            "presenter": "For example 'Shafick Peerbux, Head of Community Safety'.",
            "public_interest_statement": "Why keeping it private outweighs the "
            "public interest in disclosure.",
            "urgency_reason": "The agenda is already published, so an item added "
            "now is urgent business and needs a reason.",
        }
        widgets = {
            "title": forms.TextInput(),
            "public_interest_statement": forms.Textarea(attrs={"rows": 2}),
            "urgency_reason": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "title": {"required": "Give the item a title."},
            "visibility": {
                "required": "Choose whether the item is open to the public or exempt."
            },
        }

    def __init__(
        self, *args: Any, meeting: Meeting, with_paper: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.meeting = meeting
        section = self.fields["section"]
        assert isinstance(section, forms.ModelChoiceField)  # noqa: S101 - a foreign key
        section.queryset = meeting.sections.order_by("order", "letter")
        section.empty_label = None
        if with_paper:
            self.fields["paper"].help_text = paper_hint()
        else:
            del self.fields["paper"]
        if meeting.agenda_published_at is None or self.instance.pk:
            del self.fields["urgency_reason"]


class AgendaSectionForm(forms.Form):
    # Shares the agenda screen with the item form: its own ids and names.
    prefix = "section"
    letter = forms.CharField(
        label="Letter",
        max_length=1,
        help_text="A single letter, such as C.",
        widget=forms.TextInput(attrs={"size": 2, "class": "input--short"}),
    )
    title = forms.CharField(
        label="Section title",
        max_length=200,
        help_text="For example 'Exempt items' or 'Items for information'.",
    )

    def clean_letter(self) -> str:
        letter = str(self.cleaned_data["letter"]).strip().upper()
        if not ("A" <= letter <= "Z"):
            raise forms.ValidationError("Use a single letter from A to Z.")
        return letter


class PaperForm(forms.Form):
    """A paper uploaded from its agenda item."""

    # Shares the item's page with the item's own form: its own ids and names.
    prefix = "paper"

    file = forms.FileField(
        label="File", error_messages={"required": "Choose a file to upload."}
    )
    title = forms.CharField(
        label="Title (optional)",
        max_length=500,
        required=False,
        help_text="Leave empty to use the item's title.",
    )
    kind = forms.ChoiceField(
        label="Kind of paper",
        choices=[
            (Document.Kind.REPORT.value, Document.Kind.REPORT.label),
            (Document.Kind.APPENDIX.value, Document.Kind.APPENDIX.label),
            (Document.Kind.PRESENTATION.value, Document.Kind.PRESENTATION.label),
            (Document.Kind.BACKGROUND.value, Document.Kind.BACKGROUND.label),
        ],
        initial=Document.Kind.REPORT.value,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = paper_hint()


class QuestionForm(forms.Form):
    """A question from the public for one of a body's meetings."""

    name = forms.CharField(label="Your name", max_length=200)
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="We send a link to confirm your question. It is never published.",
    )
    meeting = forms.TypedChoiceField(
        label="The meeting", coerce=int, help_text="Meetings still taking questions."
    )
    question = forms.CharField(label="Your question", widget=forms.Textarea)
    name_published = forms.BooleanField(
        label="Publish my name with my question",
        required=False,
        help_text='Otherwise it is shown as "A member of the public".',
    )

    def __init__(self, *args: Any, meetings: list[Any], word_limit: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.meetings = offer(self, "meeting", meetings, lambda m: m.when)
        self.word_limit = word_limit
        self.fields["question"].help_text = f"At most {word_limit} words."

    def clean_question(self) -> str:
        text = self.cleaned_data["question"]
        words = len(text.split())
        if words > self.word_limit:
            raise forms.ValidationError(
                f"Your question has {words} words; it can have at most "
                f"{self.word_limit}."
            )
        return text


class QuestionRejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the asker)", widget=forms.Textarea(attrs={"rows": 3})
    )


class QuestionAnswerForm(forms.Form):
    answer = forms.CharField(
        label="Answer", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


# Councillor Calls for Action ---------------------------------------------------


class CallForm(forms.Form):
    """A call for action as the committee's clerk received it."""

    body = forms.ModelChoiceField(
        queryset=Body.objects.none(),
        label="Committee",
        empty_label=None,
        help_text="The crime and disorder committee the call is made to.",
    )
    member = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Member making the call",
        error_messages={"required": "Choose the member who makes the call."},
    )
    area = forms.CharField(
        label="Ward, division or area",
        max_length=200,
        help_text="For example Ashford South division.",
    )
    title = forms.CharField(
        label="Short name of the matter",
        max_length=300,
        help_text="As lists of calls will show it.",
    )
    matter = forms.CharField(
        label="The crime and disorder matter", widget=forms.Textarea(attrs={"rows": 5})
    )
    tried = forms.CharField(
        label="What the member has tried already",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Whom they raised it with, and what came of it.",
    )
    received_on = meeting_date_field(
        label="Date received", help_text="For example 14/07/2027."
    )

    def __init__(self, *args: Any, bodies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        body = cast(forms.ModelChoiceField, self.fields["body"])
        body.queryset = bodies
        scrutiny = bodies.filter(kind=Body.Kind.SCRUTINY_COMMITTEE).first()
        if scrutiny is not None:
            body.initial = scrutiny.pk
        member = cast(forms.ModelChoiceField, self.fields["member"])
        member.queryset = Person.objects.alphabetical()


class CallConsiderForm(forms.Form):
    """Where the committee considers the call: an item already on one of its
    meetings' agendas, or a new item on an agenda not yet published."""

    item = forms.TypedChoiceField(
        label="An item already on the agenda", coerce=int, required=False
    )
    meeting = forms.TypedChoiceField(
        label="Or add an item to the agenda of", coerce=int, required=False
    )

    def __init__(
        self,
        *args: Any,
        items: list[AgendaItem],
        meetings: list[Meeting],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = offer(
            self,
            "item",
            items,
            lambda i: f"{i.meeting.when}: {i.reference} {i.title}",
            empty="None",
        )
        self.meetings = offer(self, "meeting", meetings, lambda m: m.when, empty="None")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if bool(cleaned.get("item")) == bool(cleaned.get("meeting")):
            raise forms.ValidationError(
                "Choose either an item already on an agenda, or a meeting to "
                "add an item to."
            )
        return cleaned

    def chosen(self) -> dict[str, Any]:
        """The item or meeting chosen, as the service takes them."""
        item = self.cleaned_data.get("item")
        if item:
            return {"item": self.items[item]}
        return {"meeting": self.meetings[self.cleaned_data["meeting"]]}


class CallOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=CallForAction.Outcome.choices,
        widget=forms.RadioSelect,
    )
    outcome_text = forms.CharField(
        label="What the committee decided",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The recommendations, why no further action, or to whom it was "
        "referred. Shown to the public.",
    )
    outcome_on = meeting_date_field(label="Date of the decision")


class CallCloseForm(forms.Form):
    status = forms.ChoiceField(
        label="The call was",
        choices=[
            (CallForAction.Status.WITHDRAWN.value, "Withdrawn by the member"),
            (CallForAction.Status.REFUSED.value, "Refused"),
        ],
        widget=forms.RadioSelect,
    )
    closed_reason = forms.CharField(
        label="Reason", widget=forms.Textarea(attrs={"rows": 3})
    )
    closed_on = meeting_date_field(label="Date")


class PetitionForm(forms.Form):
    """A new petition from the public to one of the bodies taking them."""

    body = forms.TypedChoiceField(label="Who the petition is to", coerce=int)
    title = forms.CharField(label="Title of your petition", max_length=200)
    request = forms.CharField(
        label="What do you want the committee or board to do?",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    reasons = forms.CharField(
        label="Why?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
    )
    name = forms.CharField(
        label="Your name",
        max_length=200,
        help_text="Published with the petition as the person who started it.",
    )
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="We send a link to confirm your petition. It is never published.",
    )

    def __init__(self, *args: Any, bodies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bodies = offer(
            self, "body", bodies, lambda b: b.name, empty="Choose a committee or board"
        )


class SignatureForm(forms.Form):
    name = forms.CharField(
        label="Your name", max_length=200, help_text="It is never published."
    )
    postcode = forms.CharField(
        label="Your postcode",
        max_length=10,
        help_text="A UK postcode, for example ME14 1XQ. It is never published.",
    )
    email = forms.EmailField(
        label="Your e-mail address",
        help_text="We send a link to confirm your signature. It is never published.",
    )

    def clean_postcode(self) -> str:
        from meetings.models.petitions import normalise_postcode

        return normalise_postcode(self.cleaned_data["postcode"])


class PetitionPublishForm(forms.Form):
    closes_on = meeting_date_field(
        label="Closing date",
        required=False,
        help_text="For example 14/07/2027. Leave empty for the body's usual period.",
    )


class PetitionRejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason for rejecting (sent to the petitioner)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class PetitionAgendaForm(forms.Form):
    meeting = forms.TypedChoiceField(label="Meeting", coerce=int)
    urgency_reason = forms.CharField(
        label="Reason for urgency (only if that agenda is already published)",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        required=False,
    )

    def __init__(self, *args: Any, meetings: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = offer(self, "meeting", meetings, lambda m: m.when)


class PetitionResponseForm(forms.Form):
    response = forms.CharField(
        label="Response (published with the petition)",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
    )


# Redaction --------------------------------------------------------------------------


class RedactionForm(forms.Form):
    """Which published minute or paper, the passage and why: what the
    redaction screen asks before it shows what will change."""

    what = forms.ChoiceField(
        label="Redact from",
        help_text="A minute of the published minutes, or a published paper "
        "with a text layer (a scanned paper has none: replace its file instead).",
        error_messages={
            "required": "Choose the minute or paper to redact from.",
            "invalid_choice": "Choose one of the minutes or papers listed.",
        },
    )
    passage = forms.CharField(
        label="The passage to redact",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Copy the words from the published text. Every place they "
        "occur is redacted; capitals and line breaks do not matter.",
        error_messages={"required": "Enter the passage to redact."},
    )
    reason = forms.CharField(
        label="Why it is redacted",
        max_length=200,
        help_text="Shown where the passage was, as '[redacted: personal information]'.",
        error_messages={"required": "Say why the passage is redacted."},
    )

    def __init__(
        self,
        *args: Any,
        minute_items: list[MinuteItem],
        documents: list[Document],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.targets: dict[str, MinuteItem | Document] = {
            **{f"minute-{m.pk}": m for m in minute_items},
            **{f"paper-{d.pk}": d for d in documents},
        }
        groups: list[tuple[str, Any]] = [("", "Choose a minute or paper")]
        if minute_items:
            groups.append(
                ("Minutes", [(f"minute-{m.pk}", str(m)) for m in minute_items])
            )
        if documents:
            groups.append(("Papers", [(f"paper-{d.pk}", d.title) for d in documents]))
        field = cast(forms.ChoiceField, self.fields["what"])
        field.choices = groups

    @property
    def target(self) -> MinuteItem | Document:
        return self.targets[self.cleaned_data["what"]]
