"""The demo partnership and the scale data.

Everything here depends on the apps and nothing in them depends on it: the
demo's records are written through each app's models and services, so no
app carries sample data in its own code. `manage.py load_demo` loads the
demo partnership from the public records kept in `seeds/`; `manage.py
seed_scale` adds decades of generated records to a benchmark database.
"""

from pathlib import Path

# The published records the demo is rebuilt from (see seeds/README.md).
SEEDS = Path(__file__).resolve().parent / "seeds"
