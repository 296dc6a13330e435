import re
import time

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tangerang_ikm.ratelimit import client_ip, is_limited, use_once

User = get_user_model()

# --- Single-line fields: no control characters -----------------------------

# C0 controls (CR, LF, tab, NUL…), DEL and C1 controls, and the Unicode line and paragraph
# separators: in a one-line field they can only be an attack (a "Bcc:" line in an e-mail
# built from it, a split CSV row) or a paste accident.
CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def validate_single_line(value):
    if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("Kolom ini hanya boleh berisi satu baris, tanpa karakter kontrol (mis. baris baru)."),
            code="control_characters",
        )


class SingleLineFieldsMixin:
    """Every CharField that is not a textarea refuses control characters.

    Add it first among a form's bases: ``class BusinessForm(SingleLineFieldsMixin,
    forms.ModelForm)``. It looks at the widgets, so new fields are covered without a list.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, (forms.Textarea, forms.PasswordInput, forms.HiddenInput)
            ):
                field.validators.append(validate_single_line)


# --- Public forms against bots: one guard for inquiries and accounts --------

START_SALT = "tangerang_ikm.forms.started"
# A form shown more than a day ago must be sent again (with what was typed kept).
START_MAX_AGE = 60 * 60 * 24
# Per client address, per hour, when settings.<SCOPE>_RATE_LIMIT_IP does not say otherwise:
# the 11th attempt within the hour is refused.
DEFAULT_IP_LIMIT = (10, 60 * 60)
DEFAULT_EMAIL_LIMIT = (5, 60 * 60)
RATE_LIMIT_CODES = {"rate_ip", "rate_email"}


def new_start():
    """A signed "shown at" time for a form's hidden `started` field."""
    return signing.dumps(time.time(), salt=START_SALT)


class GuardedFormMixin(SingleLineFieldsMixin):
    """What keeps bots off a public form that sends mail or creates an account:

    - a honeypot field (`website`, named by `honeypot_field`) that people never see
      (includes/_form.html hides it) and bots fill;
    - a minimum fill time: the form carries a signed time of when it was shown, which is
      used once (a second valid post with the same value is refused, on every worker);
    - limits per client address (and per e-mail address where `limit_email_field`
      names a field), counted for every attempt in the shared "limits" cache.

    Every refusal is a non-field error with a clear message; the form keeps what was
    typed. Add it first among the bases and pass ``request=``. Limits are read from
    settings ``<SCOPE>_RATE_LIMIT_IP`` / ``_EMAIL`` as (count, seconds).
    """

    guard_scope = "form"
    limit_email_field = None
    honeypot_field = "website"  # includes/_form.html hides the field of this name

    messages = {
        "honeypot": _(
            "Pesan ditolak: kolom tersembunyi yang tidak boleh diisi ternyata terisi. "
            "Jika Anda manusia, kosongkan kolom itu lalu kirim lagi."
        ),
        "expired": _("Formulir ini sudah kedaluwarsa. Periksa isinya lalu kirim lagi."),
        "reused": _(
            "Formulir ini sudah pernah dikirim. Periksa isinya, lalu kirim lagi bila perlu."
        ),
        "too_fast": _("Formulir dikirim terlalu cepat. Periksa isinya sebentar, lalu kirim lagi."),
        "rate_ip": _(
            "Terlalu banyak permintaan dari jaringan Anda dalam satu jam terakhir. "
            "Coba lagi nanti, atau hubungi Disperindag melalui e-mail."
        ),
        "rate_email": _(
            "Alamat e-mail ini sudah mengirim terlalu banyak permintaan dalam satu "
            "jam terakhir. Coba lagi nanti."
        ),
    }

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)
        # The honeypot: named like a field bots love to fill.
        self.fields[self.honeypot_field] = forms.CharField(
            label=_("Jangan isi kolom ini"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        self.fields["started"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial["started"] = new_start()
        self._start_used = False

    @property
    def ip(self):
        return client_ip(self.request) if self.request is not None else ""

    def _limit(self, kind, default):
        return getattr(settings, f"{self.guard_scope.upper()}_RATE_LIMIT_{kind}", default)

    def _renew_start(self):
        """A fresh start time in the re-shown form, so the next try can pass."""
        self.data = self.data.copy()
        self.data[self.add_prefix("started")] = new_start()

    def _refuse(self, code, *, renew=False):
        if renew:
            self._renew_start()
        raise ValidationError(self.messages[code], code=code)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self._refuse("honeypot")
        try:
            started = float(
                signing.loads(cleaned.get("started") or "", salt=START_SALT, max_age=START_MAX_AGE)
            )
            if time.time() - started > START_MAX_AGE:
                raise signing.SignatureExpired
        except (signing.BadSignature, TypeError, ValueError):
            self._refuse("expired", renew=True)
        if time.time() - started < settings.FORM_MIN_FILL_SECONDS:
            self._refuse("too_fast")
        count, seconds = self._limit("IP", DEFAULT_IP_LIMIT)
        if is_limited(f"{self.guard_scope}-ip", self.ip, limit=count, window=seconds):
            self._refuse("rate_ip")
        email = cleaned.get(self.limit_email_field) if self.limit_email_field else None
        count, seconds = self._limit("EMAIL", DEFAULT_EMAIL_LIMIT)
        if email and is_limited(f"{self.guard_scope}-email", email, limit=count, window=seconds):
            self._refuse("rate_email")
        return cleaned

    def is_valid(self):
        """Valid, and its start time not used before: the time is spent here, at once."""
        if not super().is_valid():
            return False
        if self._start_used:
            return True
        if not use_once("form-start", self.cleaned_data["started"], timeout=START_MAX_AGE):
            self._renew_start()
            self.add_error(None, ValidationError(self.messages["reused"], code="reused"))
            return False
        self._start_used = True
        return True

    @property
    def rate_limited(self):
        """Refused by a limit (the view answers 429)."""
        if not self.is_bound or not self.errors:
            return False
        return bool({e.code for e in self.non_field_errors().as_data()} & RATE_LIMIT_CODES)


class SignUpForm(GuardedFormMixin, BaseUserCreationForm):
    guard_scope = "signup"

    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    privacy_consent = forms.BooleanField(
        label=_("Saya telah membaca pemberitahuan data pribadi dan menyetujuinya."),
        help_text=_(
            "Disperindag Kabupaten Tangerang menyimpan nama, e-mail, telepon, dan data usaha "
            "Anda untuk menjalankan program IKM, sesuai UU 27/2022 tentang Pelindungan Data "
            "Pribadi. NIK dan telepon pribadi Anda tidak pernah dipublikasikan. Anda dapat "
            "mengunduh data Anda atau meminta penghapusannya kapan saja."
        ),
        error_messages={
            "required": _("Anda harus menyetujui pemberitahuan data pribadi untuk mendaftar.")
        },
    )

    class Meta:
        model = User
        fields = ("full_name", "email")
        labels = {"email": _("Alamat e-mail")}

    # The user already registered under the e-mail typed, if any. The form does not say
    # so (that would tell anyone which addresses have an account); the view e-mails the
    # address's owner instead, and every visitor sees the same "check your e-mail" page.
    existing_user = None

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.existing_user = User.objects.filter(email__iexact=email).first()
        return email

    def validate_unique(self):
        # The e-mail is the only unique field; a taken one is handled above, not an error.
        if self.existing_user is None:
            super().validate_unique()

    def save(self, commit=True):
        user = super().save(commit=False)
        user.privacy_consent_at = timezone.now()
        if commit:
            user.save()
        return user


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("Alamat e-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Alamat e-mail atau kata sandi salah."),
        "unconfirmed": _(
            "Konfirmasi alamat e-mail Anda terlebih dahulu. Kami telah mengirim tautan "
            "konfirmasi ke %(email)s; Anda dapat meminta tautan baru di bawah."
        ),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.email_confirmed:
            raise forms.ValidationError(
                self.error_messages["unconfirmed"], code="unconfirmed", params={"email": user.email}
            )


class ResendConfirmationForm(GuardedFormMixin, forms.Form):
    guard_scope = "resend"

    email = forms.EmailField(label=_("Alamat e-mail"))


class PasswordResetForm(GuardedFormMixin, auth_forms.PasswordResetForm):
    """Django's reset form, guarded like every public form, sending through the task queue.

    The request only checks the form and queues `accounts.send_password_reset` with the
    address: registered and unknown addresses do the same work here, and the worker
    looks the address up and sends the link (in the account's language).
    """

    guard_scope = "password_reset"

    def save(self, **kwargs):
        from tangerang_ikm.accounts import send_password_reset

        send_password_reset.enqueue(email=self.cleaned_data["email"])

    def send_mail(self, *args, **kwargs):  # pragma: no cover - save() never calls it
        raise NotImplementedError("Password reset mail goes through accounts.send_password_reset.")
