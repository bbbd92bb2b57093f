"""Bringing a partnership's history in from other systems.

An app of its own so that `meetings` holds the meetings domain and nothing
else: `imports` depends on `meetings` and `kcsp`, and neither imports it.

- `parsers/` read each source form (printed minutes as text, the ModernGov
  web service's XML) without touching the database, and end in one plain
  structure, `record.MeetingRecord`: a meeting, its agenda, attendance and
  minutes with their paragraphs and resolutions;
- `writer` is the one writer: it writes a `MeetingRecord` into the portal
  through the meetings services, with provenance, in place on a second run;
- `minutes` and `moderngov` run the import of their source form (what the
  ModernGov import brings besides meetings: bodies, papers, memberships);
- `report` says what an import did and what it could not place;
- `management/commands/` holds `import_minutes` and `import_moderngov`.

A new source form (website pages, saved HTML, minutes PDFs) needs a parser
that produces a `MeetingRecord`, and a command that hands it to the writer.
"""
