"""Forms of the coordinator's pages. Each keeps what was typed when it fails.

The fields of a form that records something are named as the arguments of
the service it feeds, so its page hands the cleaned data to the service whole.
"""

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from dhr.models import LearningTheme, PublishedDocument, Recommendation
from kcsp.formatting import long_date
from kcsp.models import Organisation, Person
from kcsp.uploads import ACCEPTED_DESCRIPTION, form_upload_checked
from meetings.models import MinuteItem

NO_NAMES = "Agency leads see this: no names or details of the case."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        where = f" ({obj.organisation.label})" if obj.organisation else ""
        return f"{obj.full_name}{where}"


class MinuteChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        meeting = obj.minutes.meeting
        return f"Minute {obj.number}, {long_date(meeting.date)}: {obj.title}"


def _organisations() -> Any:
    return Organisation.objects.active().order_by("name")


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField:
    return cast(forms.ModelChoiceField, form.fields[name])


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label="Recommendation",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="As the overview report words it. It is published with the "
        "action plan: no names.",
    )
    level = forms.ChoiceField(
        label="Level",
        choices=Recommendation.Level.choices,
        widget=forms.RadioSelect,
        initial=Recommendation.Level.SINGLE_AGENCY,
    )
    addressed_to = OrganisationChoiceField(
        label="Addressed to",
        queryset=_organisations(),
        required=False,
        empty_label="Not one agency",
    )
    addressed_to_other = forms.CharField(
        label="Or addressed to (another body)",
        required=False,
        max_length=200,
        help_text="For example 'Home Office' or 'All panel agencies'.",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Learning themes",
        queryset=LearningTheme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "addressed_to").queryset = _organisations()
        _choices(self, "themes").queryset = LearningTheme.objects.order_by("name")


class AgencyActionForm(forms.Form):
    owner_organisation = OrganisationChoiceField(
        label="Agency", queryset=_organisations(), empty_label="Choose the agency"
    )
    owner_person = PersonChoiceField(
        label="Lead officer (optional)",
        queryset=Person.objects.none(),
        required=False,
        empty_label="No lead officer yet",
    )
    title = forms.CharField(
        label="Action", max_length=500, help_text=f"What the agency will do. {NO_NAMES}"
    )
    description = forms.CharField(
        label="Key milestones (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=NO_NAMES,
    )
    due_date = forms.DateField(label="Target date", widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner_organisation").queryset = _organisations()
        _choices(self, "owner_person").queryset = (
            Person.objects.with_organisation()
            .filter(organisation__isnull=False)
            .order_by("organisation__name", "surname", "forenames")
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        person = cleaned.get("owner_person")
        organisation = cleaned.get("owner_organisation")
        if person and organisation and person.organisation_id != organisation.pk:
            self.add_error(
                "owner_person", "Choose a lead officer of that agency, or none."
            )
        return cleaned


class SignOffForm(forms.Form):
    signed_off_on = forms.DateField(
        label="Date the board signed it off", widget=DateInput()
    )
    minute_item = MinuteChoiceField(
        label="The board's minute (optional)",
        queryset=MinuteItem.objects.none(),
        required=False,
        empty_label="Not minuted in the portal",
    )
    minute_reference = forms.CharField(
        label="Or the minute reference (optional)",
        required=False,
        max_length=120,
        help_text="For minutes kept elsewhere, for example 'Minute 12, 5 June 2026'.",
    )
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=150, help_text=NO_NAMES
    )

    def __init__(self, *args: Any, minutes: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["signed_off_on"].initial = timezone.localdate()
        minute_item = _choices(self, "minute_item")
        if minutes is not None:
            minute_item.queryset = minutes
        if minute_item.queryset is None or not minute_item.queryset.exists():
            del self.fields["minute_item"]

    def clean_signed_off_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["signed_off_on"]
        if day > timezone.localdate():
            raise ValidationError("The date of the sign-off cannot be in the future.")
        return day


class PublishForm(forms.Form):
    pseudonym = forms.CharField(
        label="Pseudonym",
        max_length=60,
        help_text="As agreed with the family, for example 'Sylvie'. Never a real name.",
    )
    year = forms.IntegerField(
        label="Year", min_value=2011, max_value=2100, help_text="For example 2018."
    )
    published_on = forms.DateField(label="Publication date", widget=DateInput())
    action_plan_public = forms.BooleanField(
        label="Publish the action plan with the review",
        required=False,
        help_text="Its recommendations, actions, lead agencies, target dates and "
        "progress will be public.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["published_on"].initial = timezone.localdate()


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="Document", choices=PublishedDocument.Kind.choices)
    file = forms.FileField(
        label="File",
        help_text=f"Usually a PDF; it must be {ACCEPTED_DESCRIPTION}. It replaces "
        "any earlier file of the same kind.",
    )

    def clean_file(self) -> Any:
        return form_upload_checked(self, "file")
