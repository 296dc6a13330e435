"""The login view: owners land on their dashboard, staff where they always did."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import resolve_url

OWNER_LANDING = "ikm_registry:dashboard"


class LoginView(auth_views.LoginView):
    """Django's LoginView; a `next` link still wins, as in Django.

    An owner (not staff) without a `next` lands on the dashboard, whose first line says
    what to do next. Staff keep LOGIN_REDIRECT_URL.
    """

    def get_default_redirect_url(self):
        user = self.request.user
        if not self.next_page and user.is_authenticated and not user.is_staff:
            return resolve_url(OWNER_LANDING)
        return resolve_url(self.next_page or settings.LOGIN_REDIRECT_URL)
