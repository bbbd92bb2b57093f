from typing import Any

from django import forms

from kcsp.models import Action
from kcsp.uploads import form_upload_checked


class ActionUpdateForm(forms.Form):
    text = forms.CharField(
        label="Progress update",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What has been done since the last update.",
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[
            ("", "No change"),
            (Action.Status.IN_PROGRESS, Action.Status.IN_PROGRESS.label),
            (Action.Status.COMPLETE, Action.Status.COMPLETE.label),
        ],
        required=False,
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=[("", "No change"), *[c for c in Action.Rag.choices if c[0]]],
        required=False,
    )
    evidence = forms.FileField(
        label="Evidence (optional)",
        required=False,
        help_text="A PDF, Word, Excel, PowerPoint, OpenDocument, image or CSV file.",
    )

    def clean_evidence(self) -> Any:
        return form_upload_checked(self, "evidence")


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why the action is cancelled",
        max_length=300,
        help_text="For example 'Superseded by the refreshed agreement's action plan'.",
        error_messages={"required": "Say why the action is cancelled."},
    )


class SignOffForm(forms.Form):
    note = forms.CharField(
        label="Sign-off note",
        required=False,
        max_length=300,
        help_text="For example 'Noted as complete at minute 58, 24 March 2022'.",
    )
