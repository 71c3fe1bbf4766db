"""The events API under /api/v1/associations/{slug}/events/…."""

from ninja import Router

events_router = Router(tags=["会务"])
