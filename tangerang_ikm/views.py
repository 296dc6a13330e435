import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.utils import DatabaseError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.encoding import force_bytes, force_str
from django.utils.http import http_date, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import was_modified_since

from tangerang_ikm.accounts import account_mail_allowed
from tangerang_ikm.cache import cached, public_page
from tangerang_ikm.forms import LoginForm, PasswordResetForm, ResendConfirmationForm, SignUpForm
from tangerang_ikm.mail import send_templated_mail
from tangerang_ikm.tokens import email_confirmation_token

User = get_user_model()


# The registry's receivers bump this area on every save or delete of a business, product,
# photo, certificate, commodity or kecamatan (ikm_registry/signals.MODELS): all that the
# home page's featured cards show. Its name is the mission reports', its first user.
REGISTRY_AREA = "reports"


@public_page
def home(request):
    # The featured products are the same for every visitor until the registry changes:
    # rendered once per language and data version (a query and six cards a request else).
    featured = cached(
        REGISTRY_AREA,
        "home-featured",
        lambda: render_to_string("ikm_registry/catalog/_home_featured.html"),
    )
    return render(request, "home.html", {"featured": featured})


@never_cache
@require_GET
def healthz(request):
    """200 when the database answers, 503 when it does not: for the load balancer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out answer: our login page with a clear message, status 429."""
    form = LoginForm(request, data=request.POST or None)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form.add_error(
        None,
        ngettext(
            "Terlalu banyak percobaan masuk yang gagal. Untuk keamanan, akun ini dan "
            "alamat jaringan Anda dikunci selama %(minutes)d menit. Coba lagi nanti, atau "
            "hubungi Disperindag untuk membuka kunci lebih cepat.",
            "Terlalu banyak percobaan masuk yang gagal. Untuk keamanan, akun ini dan "
            "alamat jaringan Anda dikunci selama %(minutes)d menit. Coba lagi nanti, atau "
            "hubungi Disperindag untuk membuka kunci lebih cepat.",
            minutes,
        )
        % {"minutes": minutes},
    )
    response = render(
        request,
        "registration/login.html",
        {"form": form, "next": request.POST.get("next", ""), "locked_out": True},
        status=429,
    )
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


@require_GET
def media(request, path):
    """Public media (MEDIA_ROOT) when DEBUG is off and no proxy serves it (SERVE_MEDIA).

    Streams the file, or with MEDIA_ACCEL_REDIRECT only names it for nginx to send.
    Private documents live outside MEDIA_ROOT and can never be reached from here.
    """
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise Http404
    stat = target.stat()
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), stat.st_mtime):
        return HttpResponseNotModified()
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=mimetypes.guess_type(target.name)[0] or "")
        relative = target.relative_to(root).as_posix()
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + relative
    else:
        response = FileResponse(target.open("rb"))
    response["Last-Modified"] = http_date(stat.st_mtime)
    # Uploads get new names when they change: browsers and proxies may keep them a day.
    patch_cache_control(response, public=True, max_age=60 * 60 * 24)
    return response


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


def send_confirmation(request, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    link = request.build_absolute_uri(reverse("confirm_email", args=[uid, token]))
    send_templated_mail(
        to=[user.email],
        template="account/email/confirm",
        context={"user": user, "link": link},
        language=user.language,
    )


def send_account_exists(request, user):
    """Someone signed up with a registered address: tell its owner, not the visitor. An
    unconfirmed account gets a new confirmation link instead, which is what its owner
    most likely wanted."""
    if not user.email_confirmed:
        send_confirmation(request, user)
        return
    send_templated_mail(
        to=[user.email],
        template="account/email/account_exists",
        context={
            "user": user,
            "login_link": request.build_absolute_uri(reverse("login")),
            "reset_link": request.build_absolute_uri(reverse("password_reset")),
        },
        language=user.language,
    )


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = form.existing_user
        if user is None:
            user = form.save(commit=False)
            user.language = get_language() or "id"
            user.save()
            send_confirmation(request, user)
        else:
            # Hash the password anyway: answering faster would tell that the address has an
            # account. Its owner learns of the attempt by e-mail; the account is unchanged.
            make_password(form.cleaned_data["password1"])
            if account_mail_allowed(user.email):
                send_account_exists(request, user)
        return redirect("signup_done")
    return render(
        request, "account/signup.html", {"form": form}, status=429 if form.rate_limited else 200
    )


def signup_done(request):
    return render(request, "account/signup_done.html")


def confirm_email(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not email_confirmation_token.check_token(user, token):
        return render(request, "account/confirm_invalid.html", status=400)
    user.confirm_email()
    messages.success(
        request, _("Alamat e-mail Anda sudah dikonfirmasi. Sekarang Anda dapat masuk.")
    )
    return redirect("login")


def resend_confirmation(request):
    form = ResendConfirmationForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(
            email__iexact=form.cleaned_data["email"], email_confirmed_at__isnull=True
        ).first()
        if user is not None and account_mail_allowed(user.email):
            send_confirmation(request, user)
        # The same answer either way, so the form does not reveal who has an account.
        messages.info(
            request,
            _(
                "Jika alamat itu memiliki akun yang belum dikonfirmasi, "
                "kami telah mengirim tautan baru."
            ),
        )
        return redirect("login")
    return render(
        request,
        "account/resend_confirmation.html",
        {"form": form},
        status=429 if form.rate_limited else 200,
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's view with the guarded form (honeypot, fill time, limits) that queues the
    mail; 429 when a limit refused it."""

    form_class = PasswordResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.rate_limited:
            response.status_code = 429
        return response
