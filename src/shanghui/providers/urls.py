from django.urls import URLPattern

app_name = "providers"

# One list, in parts.
urlpatterns: list[URLPattern] = []

# -- Applying, vetting, the provider back office: offers, leads, users (part P1) -------------

# -- Associations choose offers; members apply, withdraw and rate; usage (part P2) -----------
