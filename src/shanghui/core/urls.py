from django.urls import path

from shanghui.core import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("regions/<str:code>/", views.region_children, name="region_children"),
]
