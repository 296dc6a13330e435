"""The buyer inquiry form, with anti-spam that needs no third-party service.

- A honeypot field that people never see (hidden by CSS, skipped by keyboard).
- A minimum fill time: the form carries a signed timestamp of when it was shown,
  used once.
- Rate limits per IP address and per e-mail address, counted in the shared "limits"
  cache (Redis, or the database), so they hold across processes and servers.

All of it is `tangerang_ikm.forms.GuardedFormMixin`, which sign-up, resend-confirmation
and password reset use as well.

Every refusal is a non-field error with a clear message; the form keeps what was typed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from ikm_registry.fields import QuickSelect
from ikm_registry.models import Inquiry
from tangerang_ikm.forms import GuardedFormMixin


class InquiryForm(GuardedFormMixin, forms.ModelForm):
    guard_scope = "inquiry"
    limit_email_field = "email"

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quantity"].required = True
        self.fields["message"].widget.attrs["maxlength"] = 5000
