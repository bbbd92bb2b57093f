"""The portal's form renderer: Django's own, but drop-down lists, inputs and
labels are written in Python rather than through templates.

Django renders each <option> by including a template, which for a list of
committees or years cost more than the rest of a filter form, and each
input and label through two templates more (the tag and its attributes),
about half of what is left of a filter form's rendering. The markup written
here is the same, character for character, as Django's templates write
(tests/kcsp/test_renderers.py compares the two).
"""

from typing import Any

from django.forms.renderers import DjangoTemplates
from django.http import HttpRequest
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
LABEL = "django/forms/label.html"
# Django's widget templates that are its input.html and nothing else.
INPUTS = frozenset(
    f"django/forms/widgets/{kind}.html"
    for kind in [
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "file",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    ]
)


def _attrs(attrs: dict[str, Any]) -> str:
    """As Django's attrs.html: a True value gives the bare name, False none."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict[str, Any]) -> SafeString:
    """A <select> from its widget context, as Django's select.html writes it."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"']
    parts.append(_attrs(widget["attrs"]) + ">")
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in group_choices:
            parts.append(
                "\n  "
                + f'<option value="{conditional_escape(str(option["value"]))}"'
                + _attrs(option["attrs"])
                + f">{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


def input_html(widget: dict[str, Any]) -> SafeString:
    """An <input> from its widget context, as Django's input.html writes it."""
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    html = (
        f'<input type="{conditional_escape(widget.get("type", ""))}"'
        f' name="{conditional_escape(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )
    return mark_safe(html)  # noqa: S308 - every value is escaped above


def label_html(context: dict[str, Any]) -> SafeString:
    """A field's label, as Django's label.html writes it."""
    label = conditional_escape(context["label"])
    if not context["use_tag"]:
        # Django's renderer strips what every template writes.
        return mark_safe(label.strip())  # noqa: S308 - escaped above
    tag = conditional_escape(context["tag"])
    html = f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>"
    return mark_safe(html)  # noqa: S308 - every value is escaped above


class FormRenderer(DjangoTemplates):
    def render(
        self,
        template_name: str,
        context: dict[str, Any],
        request: HttpRequest | None = None,
    ) -> str:
        widget = context.get("widget")
        if template_name == SELECT and widget is not None:
            options = [o for _g, choices, _i in widget["optgroups"] for o in choices]
            if all(o.get("template_name") == OPTION for o in options):
                return select_html(widget)
        if template_name in INPUTS and widget is not None:
            return input_html(widget)
        if template_name == LABEL:
            return label_html(context)
        return super().render(template_name, context, request)
