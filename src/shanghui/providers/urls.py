from django.urls import URLPattern

app_name = "providers"

urlpatterns: list[URLPattern] = []
