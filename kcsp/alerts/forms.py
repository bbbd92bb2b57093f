from typing import Any

from django import forms

from kcsp.alerts.events import kind_choices
from kcsp.models import Frequency


class AlertChoiceForm(forms.Form):
    """What to be told of, and how often: asked when subscribing and on the
    page where a subscriber manages an alert."""

    kinds = forms.MultipleChoiceField(
        label="Tell me about",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one thing to be told about."},
    )
    frequency = forms.ChoiceField(
        label="How often",
        widget=forms.RadioSelect,
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        error_messages={"required": "Choose how often to get e-mails."},
    )

    def __init__(self, *args: Any, target: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = kind_choices(target)
        field = self.fields["kinds"]
        field.choices = choices  # type: ignore[attr-defined]
        field.initial = [kind for kind, _ in choices]


class AlertForm(AlertChoiceForm):
    email = forms.EmailField(
        label="Your e-mail address",
        max_length=254,
        help_text=(
            "We e-mail you a link to confirm. Nothing is kept until you follow it."
        ),
        error_messages={
            "required": "Enter your e-mail address.",
            "invalid": "Enter an e-mail address like name@example.org.",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["email", "kinds", "frequency"]
