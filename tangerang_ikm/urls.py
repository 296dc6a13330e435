import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from gerai.sitemaps import SITEMAPS as GERAI_SITEMAPS
from ikm_registry.sitemaps import SITEMAPS as CATALOG_SITEMAPS
from missions.sitemaps import SITEMAPS as MISSION_SITEMAPS
from tangerang_ikm import views
from tangerang_ikm.forms import LoginForm
from tangerang_ikm.login import LoginView
from tangerang_ikm.sitemaps import SITEMAPS as API_SITEMAPS

admin.site.site_header = "Portal IKM Kabupaten Tangerang — Disperindag"
admin.site.site_title = "Portal IKM Kabupaten Tangerang — Disperindag"
admin.site.index_title = _("Administrasi")

account_patterns = [
    path("daftar/", views.signup, name="signup"),
    path("daftar/selesai/", views.signup_done, name="signup_done"),
    path("konfirmasi/<uidb64>/<token>/", views.confirm_email, name="confirm_email"),
    path("konfirmasi/kirim-ulang/", views.resend_confirmation, name="resend_confirmation"),
    path(
        "masuk/",
        LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "sandi/lupa/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("sandi/ubah/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "sandi/ubah/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Every public page (#4, #22): both languages with their alternates, and robots.txt.
    path(
        "sitemap.xml",
        sitemap,
        {
            "sitemaps": {
                **CATALOG_SITEMAPS,
                **GERAI_SITEMAPS,
                **MISSION_SITEMAPS,
                **API_SITEMAPS,
            }
        },
        name="sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
]

# Public and owner pages: Indonesian at /, English under /en/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    # Inside the language prefix on purpose: set_language must resolve the page it
    # came from in that page's language (/en/... runs under "en").
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include(account_patterns)),
    path("", include("ikm_registry.urls")),
    path("misi-dagang/", include("missions.urls")),
    path("gerai/", include("gerai.urls")),
    prefix_default_language=False,
)

# The public API (/api/v1/), its schema and page (/api/) and open-data downloads (#23).
urlpatterns += [path("", include("tangerang_ikm.api_urls"))]

if settings.BENCHMARK_FLOOR:
    # The framework's floor for bench/run.py: no database, no template.
    urlpatterns.append(path("bench/floor", views.floor))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
elif settings.SERVE_MEDIA and settings.STORAGE_BACKEND == "filesystem":
    # Production without a proxy rule for /media/: the app serves public media itself.
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$",
            views.media,
            name="media",
        )
    )
