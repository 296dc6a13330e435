"""Encryption at rest for personal data (NIK), UU 27/2022.

The key comes from the NIK_ENCRYPTION_KEY setting/env (a Fernet key); without it,
one is derived from SECRET_KEY so development works. Rotating SECRET_KEY without
setting NIK_ENCRYPTION_KEY makes stored NIKs unreadable: production sets its own.
"""

import base64
import hashlib
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

PREFIX = "fernet:"


def _fernet():
    key = getattr(settings, "NIK_ENCRYPTION_KEY", "") or os.environ.get("NIK_ENCRYPTION_KEY", "")
    if not key:
        digest = hashlib.sha256(b"ikm-nik:" + settings.SECRET_KEY.encode()).digest()
        key = base64.urlsafe_b64encode(digest)
    return Fernet(key)


def encrypt(value):
    if not value:
        return ""
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(value):
    if not value or not value.startswith(PREFIX):
        return value or ""
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        return ""


class EncryptedCharField(models.CharField):
    """A CharField stored encrypted; Python code sees the plain value."""

    def from_db_value(self, value, expression, connection):
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value and not value.startswith(PREFIX):
            return encrypt(value)
        return value
