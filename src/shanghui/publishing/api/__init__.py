"""The publishing API: ``base`` (the router and what endpoints share), ``schemas``,
``articles`` (reading and editing articles, their workflow, revisions, readers, pictures and
the WeChat import), ``categories`` (categories and the portal opt-in); ``router`` assembles
them as ``publishing_router``, mounted by ``site.api`` under /associations/{slug}."""
