"""Tests of the parsers and the records they build: pure functions, no database.

The parsers are tested on the project's real source records, kept in the
repository: the published minutes in `demo/seeds/` (also the
demo data) and the ModernGov web service's responses in
`tests/fixtures/moderngov/`.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LOCATIONS = {
    "seeds/": ROOT / "demo" / "seeds",
    "fixtures/moderngov/": ROOT / "tests" / "fixtures" / "moderngov",
}


def source(relative: str) -> Path:
    """A source record by its name in the original records' layout."""
    for prefix, folder in LOCATIONS.items():
        if relative.startswith(prefix):
            return folder / relative.removeprefix(prefix)
    raise KeyError(relative)
