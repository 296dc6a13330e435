"""Proof-only views: upload and serve through the storage API, a rate limit, a queued mail."""

import os

from django.contrib.auth.decorators import login_required
from django.core.files.storage import storages
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from tangerang_ikm.mail import send_templated_mail
from tangerang_ikm.ratelimit import ratelimit
from tangerang_ikm.storage import serve_private
from tangerang_ikm.uploads import validate_document

SERVER = os.environ.get("PROOF_SERVER_NAME", "?")


class StoredFile:
    def __init__(self, storage, name):
        self.storage, self.name = storage, name

    def __bool__(self):
        return bool(self.name)


@require_GET
def whoami(request):
    user = request.user.email if request.user.is_authenticated else "anonymous"
    return JsonResponse({"server": SERVER, "user": user})


@login_required
@require_POST
def upload(request):
    photo = request.FILES.get("photo")
    if photo is None:
        return HttpResponseBadRequest("no photo")
    validate_document(photo)
    alias = "private" if request.POST.get("private") else "default"
    name = storages[alias].save(f"proof/{photo.name}", photo)
    return JsonResponse({"server": SERVER, "name": name, "storage": alias})


@require_GET
def public_file(request):
    name = request.GET.get("name", "")
    response = FileResponse(storages["default"].open(name, "rb"), content_type="image/png")
    response["X-Served-By"] = SERVER
    return response


@login_required
@require_GET
def private_file(request):
    return serve_private(request, StoredFile(storages["private"], request.GET.get("name", "")))


@ratelimit("proof", limit=5, window=300, methods=("GET",))
@require_GET
def limited(request):
    return HttpResponse(f"ok from {SERVER}")


@login_required
@require_POST
def queue_mail(request):
    result = send_templated_mail(
        to=[request.user.email],
        template="account/email/confirm",
        context={"user": request.user, "link": "https://ikm.example/proof/"},
        language=request.user.language,
    )
    return JsonResponse({"server": SERVER, "task": str(result.id), "status": result.status})
