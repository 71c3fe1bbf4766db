from django.urls import path

from shanghui.associations import views

onboarding_urlpatterns = [
    path("", views.onboarding_apply, name="onboarding_apply"),
    path("done/", views.onboarding_done, name="onboarding_done"),
]

platform_urlpatterns = [
    path("", views.platform_dashboard, name="dashboard"),
    path("applications/", views.platform_applications, name="applications"),
    path("applications/<int:application_id>/", views.platform_application, name="application"),
    path(
        "applications/<int:application_id>/certificate/",
        views.platform_application_certificate,
        name="application_certificate",
    ),
    path("associations/", views.platform_associations, name="associations"),
    path(
        "associations/<int:association_id>/reinvite/",
        views.platform_association_reinvite,
        name="association_reinvite",
    ),
    path(
        "associations/<int:association_id>/status/",
        views.platform_association_status,
        name="association_status",
    ),
]

office_urlpatterns = [
    path("roles/", views.office_roles, name="roles"),
    path("roles/<int:role_id>/revoke/", views.office_role_revoke, name="role_revoke"),
    path("roles/<int:role_id>/change/", views.office_role_change, name="role_change"),
    path("roles/<int:role_id>/reinvite/", views.office_role_reinvite, name="role_reinvite"),
    path("audit/", views.office_audit, name="audit"),
    path("settings/", views.office_settings, name="settings"),
]
