from django.urls import path

from shanghui.core.urls import OFFICE, SPACE
from shanghui.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # Inside an association's space: /a/<association_slug>/jobs/…
    path(f"{SPACE}jobs/<str:job_id>/", views.job_progress, name="job_progress"),
    path(f"{SPACE}jobs/<str:job_id>/download/", views.job_download, name="job_download"),
    path(f"{SPACE}jobs/<str:job_id>/restart/", views.job_restart_view, name="job_restart"),
    # The back office: /a/<association_slug>/office/
    path(OFFICE, views.office_dashboard, name="office_dashboard"),
]
