"""Pages of the organisation structure: ``terms`` (the overview, terms, appointments, posts,
the change of term, the public chart) and ``units`` (committees, branches, group members, the
consent to share figures). Who may do what: ``shanghui.org``."""
