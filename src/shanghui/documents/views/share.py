"""A share link's public page, ``/a/<slug>/documents/s/<share_token>/``: the file's name and
size and a download button — behind a password form when the link has one. No account is
needed. An unknown token, or one of another association, is a 404; an expired or revoked
link, or a deleted file, a page saying so (410). Too many wrong passwords: 429."""

from django.core.exceptions import ValidationError
from django.http import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from shanghui.accounts.tenant_door import TenantRequest
from shanghui.core.forms import add_service_errors
from shanghui.core.middleware import client_ip
from shanghui.documents.forms import SharePasswordForm
from shanghui.documents.services import shares as share_services
from shanghui.documents.services.files import version_response
from shanghui.documents.services.shares import ShareState
from shanghui.documents.views.files import previewable
from shanghui.documents.views.member import in_wechat


@require_http_methods(["GET", "POST"])
def share(request: TenantRequest, association_slug: str, share_token: str) -> HttpResponseBase:
    association = request.association
    link = share_services.access_share_by_token(association=association, share_token=share_token)
    state = share_services.share_state(link)
    preview = previewable(link.file)
    context = {
        "link": link,
        "file": link.file,
        "state": state,
        "message": share_services.state_message(state),
        "wechat": in_wechat(request),
        "preview": preview,
    }
    if state is not ShareState.OPEN:
        return render(request, "documents/public/share.html", context, status=410)
    form = SharePasswordForm(request.POST if request.method == "POST" else None)
    context["form"] = form
    password = ""
    if link.password_hash:
        ready = request.method == "POST" and form.is_valid()
        if ready:
            password = form.cleaned_data["password"]
        inline = request.POST.get("inline") == "1"
    else:
        ready = request.GET.get("download") == "1"
        inline = request.GET.get("inline") == "1"
    if ready:
        try:
            version = share_services.share_download(
                association=association,
                share=link,
                password=password,
                client=client_ip(request) or "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return version_response(association, link.file, version, inline=inline)
    return render(request, "documents/public/share.html", context)
