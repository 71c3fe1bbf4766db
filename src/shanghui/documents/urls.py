from django.urls import path

from shanghui.documents import uploads

app_name = "documents"

urlpatterns = [
    # The chunks of resumable uploads, outside any association's door (documents.uploads).
    path("uploads/<uuid:upload_id>/", uploads.upload_resource, name="upload"),
]
