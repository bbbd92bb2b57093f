"""The meetings app's pages, by who they are for.

- `public`: committees, meetings, decisions and papers, each reader seeing
  what they may;
- `clerk`: the clerk's screens for drafting minutes and building agendas;
- `pdf`: a meeting's agenda, minutes and reports packs as PDFs;
- `feeds`: Atom and RSS feeds and iCalendar calendars.

`meetings/urls.py` gives each page its address. The open data API's
collections are in `meetings/api.py`, where the core finds every app's.
"""
