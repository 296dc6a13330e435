"""The project's URLs with the owner-aware login view in front (until urls.py uses it)."""

from django.urls import path

from tangerang_ikm.forms import LoginForm
from tangerang_ikm.login import LoginView
from tangerang_ikm.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path(
        "akun/masuk/",
        LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    *project_urlpatterns,
]
