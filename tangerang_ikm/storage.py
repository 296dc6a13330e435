"""Where uploaded files live, and how private ones leave the portal.

Two storage aliases (see STORAGES in settings.py):

- ``default``: public media (product photos, posters). The filesystem under MEDIA_ROOT, or
  an S3-compatible bucket under the ``media/`` prefix when STORAGE_BACKEND=s3.
- ``private``: documents that only their owner and staff may read (certificates, deal
  documents). On the filesystem it lives under PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT, so
  no web server rule can ever serve it, and it has no URL at all. On S3 it is a private
  bucket or prefix whose objects are reachable only by presigned links that expire within
  five minutes.

Use in a model::

    from tangerang_ikm.storage import private_storage
    from tangerang_ikm.uploads import validate_document

    document = models.FileField(
        _("dokumen"), upload_to="certificates/%Y/%m/", storage=private_storage,
        validators=[validate_document],
    )

and in a view that has already checked permission (an owner's object through
``owned_by(request.user)`` + get_object_or_404, or staff with the right permission)::

    return serve_private(request, certificate.document)

Never put ``{{ certificate.document.url }}`` in a template: the private storage refuses.
"""

import mimetypes
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.encoding import iri_to_uri

# How long a presigned link for a private document lives on S3 (the settings cap it at 300 s).
PRIVATE_LINK_SECONDS_MAX = 300


class PrivateURLRefused(ValueError):
    """A private file was asked for a public URL."""


class PrivateFileSystemStorage(FileSystemStorage):
    """Files outside MEDIA_ROOT that have no URL: only serve_private() hands them out."""

    def __init__(self, location=None, **kwargs):
        kwargs.pop("base_url", None)
        # Never fall back to MEDIA_ROOT, which the web server may publish.
        location = location or settings.PRIVATE_MEDIA_ROOT
        super().__init__(location=location, base_url="/private-files-have-no-url/", **kwargs)

    def url(self, name):
        raise PrivateURLRefused(
            "Private files have no URL; serve them with tangerang_ikm.storage.serve_private() "
            "from a view that checks permission."
        )


# Usable as `storage=private_storage` on a FileField: Django calls it, and the migration
# records the callable's import path, not a directory of this machine.
def private_storage():
    """The storage for private documents (the ``private`` alias of STORAGES)."""
    return storages["private"]


def _is_s3(storage):
    return storage.__class__.__module__.startswith("storages.backends.s3")


def _safe_headers(response):
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store, max-age=0"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Referrer-Policy"] = "no-referrer"
    return response


def serve_private(request, fieldfile, *, filename=None):
    """Hand out a private file to a request that the calling view has already authorised.

    Filesystem: streams the file as an attachment. S3: redirects to a presigned link that
    lives at most five minutes and makes S3 answer with the same safe headers. The caller
    is responsible for the permission check; this function only makes the delivery safe.
    """
    if not fieldfile:
        raise Http404("no file")
    storage = fieldfile.storage
    name = fieldfile.name
    filename = filename or PurePosixPath(name).name
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    disposition = f"attachment; filename*=UTF-8''{iri_to_uri(filename)}"

    if _is_s3(storage):
        expire = min(getattr(storage, "querystring_expire", PRIVATE_LINK_SECONDS_MAX), 300)
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store, max-age=0",
            },
            expire=expire,
        )
        response = HttpResponseRedirect(url)
        response["Cache-Control"] = "private, no-store, max-age=0"
        response["Referrer-Policy"] = "no-referrer"
        return response

    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404("file is gone") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    return _safe_headers(response)
