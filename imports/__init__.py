"""Bringing a partnership's history in from other systems.

An app of its own so that `meetings` holds the meetings domain and nothing
else: `imports` depends on `meetings` and `kcsp`, and neither imports it.

- `parsers/` read a source form (printed minutes as text, the ModernGov web
  service's XML) into plain data, touching no database;
- `minutes` and `moderngov` run an import of one source form and write what
  the parsers read into the portal;
- `report` says what an import did and what it could not place;
- `management/commands/` holds `import_minutes` and `import_moderngov`.
"""
