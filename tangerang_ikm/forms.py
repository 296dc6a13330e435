from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = get_user_model()


class SignUpForm(BaseUserCreationForm):
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


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(label=_("Alamat e-mail"))
