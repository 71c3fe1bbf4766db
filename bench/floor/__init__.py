"""Floor views for ``bench/serve.py``: the least the same stack (Django, the same server, the
same middleware, the same sign-in) can do to answer each measured page — one count and one page
of rows with the app's filter and order, rendered as plain JSON or a minimal template. Mounted
beside the app's URLs under ``/floor/…`` by ``floor.settings``; never part of the product."""
