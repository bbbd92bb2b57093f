"""A meeting's printable documents: the agenda, the minutes and the reports pack.

- `documents`: the agenda and minutes PDFs, from the meeting page's data;
- `packs`: the reports pack and its background builds.

They are kept and served by the core's documents service (`kcsp.documents`).
The views are in `meetings.views.pdf`, the task in `meetings.tasks`.
"""
