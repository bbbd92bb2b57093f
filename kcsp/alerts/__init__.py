"""E-mail alerts: anyone may follow a body, an action or a keyword by e-mail.

- `events`: what was published, from the sources the apps register
  (`kcsp.registry.AlertSource`), as the public sees it, and which alerts
  each event matches.
- `subscribing`: the double opt-in, the signed links of every e-mail
  (confirm, manage, unsubscribe) and the changes a subscriber makes.
- `sending`: the sender, run as a task on the database worker: it finds what
  was published, queues one e-mail per address and event (or a digest) and
  sends what is due, retrying failures with back-off.
"""
