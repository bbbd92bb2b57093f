"""Drop-down lists written by the portal's form renderer are the same markup
Django's widget templates write, for every kind of select the forms use."""

from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from kcsp.renderers import FormRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "All"), ("a", "A & B"), ("b", "<b>")])
    grouped = forms.ChoiceField(
        choices=[
            ("", "Any"),
            ("Kent", [("k1", "Kent board"), ("k2", 'Kent "panel"')]),
            ("Medway", [("m1", "Medway board")]),
        ],
        required=False,
    )
    many = forms.MultipleChoiceField(
        choices=[(1, "One"), (2, "Two"), (3, mark_safe("<em>Three</em>"))],
        required=False,
    )
    described = forms.ChoiceField(
        choices=[("x", "X")],
        widget=forms.Select(
            attrs={"aria-describedby": "hint", "data-x": 'a"b', "disabled": True}
        ),
        help_text="A hint.",
    )
    yes_no = forms.NullBooleanField()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"plain": "a", "grouped": "k2", "many": ["1", "3"], "described": "x"},
        {"plain": "nonsense", "many": ["9"], "yes_no": "true"},
    ],
)
def test_selects_are_written_as_djangos_templates_write_them(
    data: dict[str, Any],
) -> None:
    ours = Everything(data or None, renderer=FormRenderer())
    theirs = Everything(data or None, renderer=DjangoTemplates())
    for name in ours.fields:
        assert str(ours[name]) == str(theirs[name]), name


def test_the_portal_uses_it() -> None:
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)


def test_no_template_is_read_for_a_select_or_its_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kcsp.renderers import OPTION, SELECT

    read = DjangoTemplates.get_template

    def get_template(self: Any, template_name: str) -> Any:
        assert template_name not in (SELECT, OPTION), template_name
        return read(self, template_name)

    monkeypatch.setattr(DjangoTemplates, "get_template", get_template)
    form = Everything({"grouped": "m1"}, renderer=FormRenderer())
    assert '<option value="m1" selected>Medway board</option>' in str(form["grouped"])
