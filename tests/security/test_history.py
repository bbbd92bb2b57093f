"""Every editable record keeps its history: who changed what, and when."""

from django.apps import apps

APPS = {"kcsp", "meetings", "agreement", "priorities", "dhr"}

# Records that are written once and never edited, so there is no change to
# keep: each is immutable by design (and says so in its own docstring).
WRITE_ONCE = {
    "kcsp.ActionUpdate",
    "kcsp.ContentChange",
    "kcsp.RetentionDeletion",
    "meetings.MinuteItemRevision",
}
# A member of the public's address and what it follows, asks, petitions or
# signs: deleted on unsubscribe or by the retention job, so no history may
# keep a copy.
PERSONAL = {
    "kcsp.Subscriber",
    "kcsp.Subscription",
    "kcsp.Delivery",
    "meetings.PublicQuestion",
    "meetings.Petition",
    "meetings.PetitionSignature",
}
# Records that are derived from others and rebuilt at will.
DERIVED_PREFIXES = ("kcsp.Rendered", "kcsp.RenderJob", "kcsp.Search")
# Logs are the audit themselves.
LOG_SUFFIXES = ("AccessLog", "AccessLogEntry")


def _needs_history(label: str, model: type) -> bool:
    name = model.__name__
    return not (
        name.startswith("Historical")
        or label in WRITE_ONCE
        or label in PERSONAL
        or label.startswith(DERIVED_PREFIXES)
        or name.endswith(LOG_SUFFIXES)
    )


def test_every_editable_model_has_history() -> None:
    missing = [
        model._meta.label
        for model in apps.get_models()
        if model._meta.app_label in APPS
        and _needs_history(model._meta.label, model)
        and not hasattr(model, "history")
    ]
    assert missing == [], f"Models without history: {missing}"


def test_write_once_records_refuse_edits() -> None:
    import pytest

    from kcsp.models import ActionUpdate

    update = ActionUpdate(pk=1, text="x")
    update._state.adding = False
    with pytest.raises(ValueError, match="cannot be changed"):
        update.save()
