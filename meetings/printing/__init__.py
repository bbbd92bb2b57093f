"""A meeting's printable documents: the agenda, the minutes and the reports pack.

- `versions`: the version (cache key) of each document, from one query;
- `documents`: the agenda and minutes PDFs, from the meeting page's data;
- `packs`: the reports pack and its background builds;
- `store`: keeping each version once in storage and serving it.

The views are in `meetings.pdf_views`, the task in `meetings.tasks`.
"""
