"""The one way a page runs a service behind a form or a button: the view accesses the object
(``access_*``), binds its form, then lets these run the service — a service's
``ValidationError`` shows on the form (``core.forms.add_service_errors``) or, behind a button,
as an error message; success queues the message the view names. The view then redirects or
renders as it did.

    form = PostForm(request.POST or None, initial=...)
    if submit(request, form, lambda: services.post_update(...), _("已保存")):
        return go("posts", request)
    return render(...)
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from shanghui.core.forms import add_service_errors


def saved(form: forms.Form, save: Callable[[], object]) -> bool:
    """Runs a service with the form's data; its ValidationError lands on the form."""
    try:
        save()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def submit(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[], object],
    done: str | Callable[[], str],
) -> bool:
    """True once a posted, valid form's service ran and ``done`` (text, or a function of the
    cleaned data giving it) is queued as a success message; False on a GET, an invalid form
    or the service's refusal, shown on the form."""
    if request.method != "POST" or not form.is_valid() or not saved(form, save):
        return False
    messages.success(request, done if isinstance(done, str) else done())
    return True


def act(request: HttpRequest, action: Callable[[], object], done: str) -> bool:
    """Runs a service behind a button (delete, restore, remove …); its outcome becomes a
    message: ``done`` on success, the service's refusal as an error."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return False
    messages.success(request, done)
    return True
