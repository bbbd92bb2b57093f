"""Optimistic locking for records edited in forms: no change is lost unseen.

A record with a `version` field is edited in a form that remembers which
version the editor started from. If someone else saved in the meantime, the
save is refused with a message that shows what is saved now beside what the
editor typed (which stays in the form), so they can combine the two and save
again. Every accepted save moves the version on by one.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from kcsp.formatting import clock, long_date

SEEN = "seen_version"


class VersionCheckedForm(forms.ModelForm):
    """A ModelForm for a model with a `version` field (see the module)."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[SEEN].initial = self.instance.version

    def edited_fields(self) -> list[str]:
        return [name for name in self.changed_data if name != SEEN]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.instance.pk is None or not self.edited_fields():
            return cleaned
        saved = self._saved_now()
        if saved is None:
            raise ValidationError(
                "Someone else has deleted this record while you were editing it. "
                "Copy anything you want to keep from the form below."
            )
        seen = cleaned.get(SEEN)
        if seen != saved.version:
            raise ValidationError(self._conflict_message(saved))
        return cleaned

    def _saved_now(self) -> Any:
        rows = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            # Held to the end of the save, so two saves cannot both pass.
            rows = rows.select_for_update()
        return rows.first()

    def _conflict_message(self, saved: Any) -> str:
        who = ""
        history = getattr(saved, "history", None)
        latest = history.first() if history is not None else None
        if latest is not None:
            name = latest.history_user or "someone else"
            when = latest.history_date
            who = f" by {name} on {long_date(when)} at {clock(when)}"
        differences = []
        for name in self.edited_fields():
            field = self.fields.get(name)
            if field is None or not hasattr(saved, name):
                continue
            differences.append(f"{field.label or name}: “{_shown(saved, name)}”")
        now = "; ".join(differences) or "see the record's history"
        return (
            f"This record was changed{who} after you opened it, so your changes "
            "have not been saved yet. They are still in the form below. What is "
            f"saved now: {now}. Combine the two and save again."
        )

    def save(self, commit: bool = True) -> Any:
        if self.instance.pk is not None and self.edited_fields():
            self.instance.version = (self.cleaned_data.get(SEEN) or 0) + 1
        return super().save(commit=commit)


def _shown(record: Any, name: str) -> str:
    display = getattr(record, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(record, name)
    return "" if value is None else str(value)
