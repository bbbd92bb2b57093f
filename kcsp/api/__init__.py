"""The open data API under /api/v1/: read-only, public content only.

The core provides the machinery (`base`: viewsets with conditional requests,
filters, pagination, the rate limit; `schema`; `urls`; the human page in
`views`). Each app offers its collections from its own `api.py` through
`kcsp.registry.register_api_endpoint`, so the core imports no app. The
core's own collections (public actions, partnerships) are registered by
`actions` and `partnerships`.
"""

# Register the core's collections.
from kcsp.api import actions, partnerships  # noqa: F401
