"""The buyer inquiry form, with anti-spam that needs no third-party service.

- A honeypot field that people never see (hidden by CSS, skipped by keyboard).
- A minimum fill time: the form carries a signed timestamp of when it was shown.
- Rate limits per IP address and per e-mail address, counted in the Django cache
  (a shared cache such as Redis counts across processes and servers).

Every refusal is a non-field error with a clear message; the form keeps what was typed.
"""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ikm_registry import inquiries
from ikm_registry.fields import QuickSelect
from ikm_registry.models import Inquiry

SIGNING_SALT = "ikm_registry.inquiry.started"
# A form shown more than a day ago must be sent again (with what was typed kept).
MAX_AGE = 60 * 60 * 24


def new_timestamp():
    return signing.dumps(time.time(), salt=SIGNING_SALT)


class InquiryForm(forms.ModelForm):
    # The honeypot: named like a field bots love to fill.
    website = forms.CharField(
        label=_("Jangan isi kolom ini"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Inquiry
        fields = ["name", "company", "country", "email", "phone", "quantity", "message"]
        labels = {
            "name": _("Nama Anda"),
            "company": _("Perusahaan"),
            "country": _("Negara"),
            "email": _("E-mail"),
            "phone": _("Telepon (opsional)"),
            "quantity": _("Jumlah yang diminati"),
            "message": _("Pesan"),
        }
        help_texts = {
            "quantity": _("mis. 500 pcs per bulan, 1 kontainer 20 kaki"),
            "email": _("Pemilik IKM membalas ke alamat ini."),
        }
        widgets = {
            "country": QuickSelect,
            "message": forms.Textarea(attrs={"rows": 5}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "company": forms.TextInput(attrs={"autocomplete": "organization"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        }

    def __init__(self, *args, ip=None, **kwargs):
        self.ip = ip
        super().__init__(*args, **kwargs)
        self.fields["quantity"].required = True
        self.fields["message"].widget.attrs["maxlength"] = 5000
        if not self.is_bound:
            self.initial["started"] = new_timestamp()

    def _renew_timestamp(self):
        """A fresh timestamp in the re-shown form, so the next try can pass."""
        self.data = self.data.copy()
        self.data[self.add_prefix("started")] = new_timestamp()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(
                _(
                    "Pesan ditolak: kolom tersembunyi yang tidak boleh diisi ternyata terisi. "
                    "Jika Anda manusia, kosongkan kolom itu lalu kirim lagi."
                ),
                code="honeypot",
            )
        min_seconds = getattr(settings, "INQUIRY_MIN_FILL_SECONDS", 3)
        try:
            started = float(
                signing.loads(cleaned.get("started") or "", salt=SIGNING_SALT, max_age=MAX_AGE)
            )
            if time.time() - started > MAX_AGE:
                raise signing.SignatureExpired
        except (signing.BadSignature, TypeError, ValueError):
            self._renew_timestamp()
            raise forms.ValidationError(
                _("Formulir ini sudah kedaluwarsa. Periksa isinya lalu kirim lagi."),
                code="expired",
            ) from None
        if time.time() - started < min_seconds:
            raise forms.ValidationError(
                _("Formulir dikirim terlalu cepat. Periksa isinya sebentar, lalu kirim lagi."),
                code="too_fast",
            )
        if inquiries.over_ip_limit(self.ip):
            raise forms.ValidationError(
                _(
                    "Terlalu banyak permintaan dari jaringan Anda dalam satu jam terakhir. "
                    "Coba lagi nanti, atau hubungi Disperindag melalui e-mail."
                ),
                code="rate_ip",
            )
        if cleaned.get("email") and inquiries.over_email_limit(cleaned["email"]):
            raise forms.ValidationError(
                _(
                    "Alamat e-mail ini sudah mengirim terlalu banyak permintaan dalam satu "
                    "jam terakhir. Coba lagi nanti."
                ),
                code="rate_email",
            )
        return cleaned
