import logging

from django.db import DatabaseError, InterfaceError, OperationalError
from django.template.response import TemplateResponse
from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, answer 503 with a page that says so.

    Only connection-level errors (OperationalError, InterfaceError): a bug that raises
    another DatabaseError is still a 500 and gets logged as one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError) and _is_connection_error(
            exception
        ):
            response = TemplateResponse(request, "503.html", status=503)
            response["Retry-After"] = "10"
            return response.render()
        return None


class NulInQueryStringMiddleware:
    """400 with a page that says so for a query string holding a NUL byte (`?q=%00`).

    PostgreSQL refuses NUL in text, so a filter on such a value (an admin lookup like
    `?status__exact=%00`) failed as a 500. No page of the portal takes one. Forms need
    no such guard (Django's fields refuse NUL with a message under the field), and the
    API answers a JSON 400 that names the parameter itself (api.PublicAPIView.initial).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if isinstance(getattr(view_func, "cls", None), type) and issubclass(view_func.cls, APIView):
            return None
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            return TemplateResponse(request, "address_not_readable.html", status=400).render()
        return None


def _is_connection_error(exception: DatabaseError) -> bool:
    # A locked SQLite file or a failed constraint are OperationalErrors too, but not outages.
    text = str(exception).lower()
    return isinstance(exception, InterfaceError) or any(
        word in text for word in ("connect", "terminat", "closed", "shutdown", "server", "timeout")
    )
