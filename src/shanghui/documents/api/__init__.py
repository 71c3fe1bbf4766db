"""The library's API under /api/v1/associations/{slug}/documents: ``folders``, ``files``
(with versions and zips), ``shares``, ``schemas``; ``router`` assembles ``documents_router``
(mounted by ``site.api``); ``base`` what they share."""
