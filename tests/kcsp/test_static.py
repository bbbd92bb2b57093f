"""Every static file a template names exists.

In production the static files are served from a manifest of hashed names,
and a name missing from it turns every page that uses it into an error."""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders

STATIC_TAG = re.compile(r"""{%\s*static\s+["']([^"']+)["']""")


def _templates() -> list[Path]:
    roots = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])]
    roots += [
        Path(app.path) / "templates"
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(settings.BASE_DIR)
    ]
    return [p for root in roots if root.exists() for p in root.rglob("*.html")]


def test_every_static_file_named_in_a_template_exists() -> None:
    named = {
        (path.name, name)
        for path in _templates()
        for name in STATIC_TAG.findall(path.read_text())
    }
    assert len(named) > 5
    missing = sorted(
        f"{template}: {name}" for template, name in named if not finders.find(name)
    )
    assert missing == []
