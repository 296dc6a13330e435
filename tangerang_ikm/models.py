from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in: an IKM owner, or Disperindag staff.

    The e-mail address is the login. Owners confirm it before their first login;
    staff accounts are made by an administrator and confirmed at creation.
    """

    username = None
    email = models.EmailField(_("alamat e-mail"), unique=True)
    full_name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    email_confirmed_at = models.DateTimeField(_("e-mail dikonfirmasi pada"), null=True, blank=True)
    language = models.CharField(
        _("bahasa"),
        max_length=8,
        default="id",
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
        help_text=_("Bahasa e-mail yang diterima orang ini."),
    )
    privacy_consent_at = models.DateTimeField(
        _("persetujuan privasi diberikan pada"),
        null=True,
        blank=True,
        help_text=_("Waktu orang ini menyetujui pemberitahuan data pribadi (UU 27/2022)."),
    )

    whatsapp_link = models.BooleanField(
        _("tautan WhatsApp di e-mail"),
        default=False,
        help_text=_(
            "Sertakan tautan WhatsApp (wa.me) di setiap e-mail pemberitahuan, untuk membuka "
            "pemberitahuan itu di WhatsApp."
        ),
    )

    # Who changed an account and its roles (groups) and when. No password hash and no
    # login time: a hash is a secret, and a row per login would bury the real changes.
    history = HistoricalRecords(
        excluded_fields=["password", "last_login"], m2m_fields=["groups", "user_permissions"]
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def email_confirmed(self):
        return self.email_confirmed_at is not None

    def confirm_email(self):
        if self.email_confirmed_at is None:
            self.email_confirmed_at = timezone.now()
            self.save(update_fields=["email_confirmed_at"])
