from django.urls import path

from shanghui.site import views

urlpatterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("i18n/setlang/", views.set_language, name="set_language"),
]

# Inside an association's space: /a/<association_slug>/jobs/…
space_urlpatterns = [
    path("jobs/<str:job_id>/", views.job_progress, name="job_progress"),
    path("jobs/<str:job_id>/download/", views.job_download, name="job_download"),
    path("jobs/<str:job_id>/restart/", views.job_restart_view, name="job_restart"),
]

# The back office: /a/<association_slug>/office/
office_urlpatterns = [
    path("", views.office_dashboard, name="dashboard"),
]
