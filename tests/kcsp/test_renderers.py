"""Drop-down lists, inputs and labels written by the portal's form renderer
are the same markup Django's templates write, for every kind the forms use."""

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


class Inputs(forms.Form):
    words = forms.CharField(
        label='Words "in" <the> decision', max_length=200, required=False
    )
    year = forms.IntegerField(min_value=1990, max_value=2100, required=False)
    day = forms.DateField(
        widget=forms.DateInput(attrs={"aria-describedby": "day_hint"}),
        label_suffix=" -",
    )
    email = forms.EmailField(help_text="We write to it once.")
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    agree = forms.BooleanField(required=False)
    search = forms.CharField(
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True}),
        label=mark_safe("Search <em>all</em>"),
    )
    upload = forms.FileField(required=False)
    spaced = forms.CharField(label=" Spaced label ", label_suffix=": ")
    when = forms.TimeField(widget=forms.TimeInput(attrs={"disabled": False}))


@pytest.mark.parametrize("auto_id", ["id_%s", False])
@pytest.mark.parametrize(
    "data",
    [
        {},
        {
            "words": 'a "b" & <c>',
            "year": "2022",
            "day": "24/03/2022",
            "email": "clerk@example.org",
            "secret": "x<y",
            "hidden": "'quoted'",
            "agree": "on",
            "search": "domestic abuse",
            "when": "10:00",
        },
        {"year": "nonsense", "day": "", "email": "not an address"},
    ],
)
def test_inputs_and_labels_are_written_as_djangos_templates_write_them(
    data: dict[str, Any], auto_id: Any
) -> None:
    ours = Inputs(data or None, auto_id=auto_id, renderer=FormRenderer())
    theirs = Inputs(data or None, auto_id=auto_id, renderer=DjangoTemplates())
    for name in ours.fields:
        assert str(ours[name]) == str(theirs[name]), name
        assert ours[name].label_tag() == theirs[name].label_tag(), name
        assert ours[name].legend_tag() == theirs[name].legend_tag(), name
    assert str(ours) == str(theirs)


def test_no_template_is_read_for_an_input_or_a_label(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from kcsp.renderers import INPUTS, LABEL

    read = DjangoTemplates.get_template

    def get_template(self: Any, template_name: str) -> Any:
        assert template_name not in INPUTS | {LABEL}, template_name
        return read(self, template_name)

    monkeypatch.setattr(DjangoTemplates, "get_template", get_template)
    form = Inputs({"words": "abuse"}, renderer=FormRenderer())
    assert 'value="abuse"' in str(form["words"])
    assert form["year"].label_tag() == '<label for="id_year">Year:</label>'


def test_the_inputs_written_in_python_are_djangos_input_template_alone() -> None:
    """A widget template Django changes to write more than input.html is
    no longer written in Python."""
    from pathlib import Path

    import django

    from kcsp.renderers import INPUTS

    templates = Path(django.__file__).parent / "forms" / "templates"
    engine = FormRenderer().engine
    for name in INPUTS:
        # No app overrides it: the one read is Django's.
        template: Any = engine.get_template(name)
        assert template.origin.name == str(templates / name)
        source = (templates / name).read_text().strip()
        assert source == '{% include "django/forms/widgets/input.html" %}', name
