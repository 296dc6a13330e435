"""Indonesian identifiers: NIB, NIK, NPWP and phone numbers (see shared/DOMAIN.md (b), (g))."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

NON_DIGITS = re.compile(r"\D")

nik_validator = RegexValidator(r"^\d{16}$", _("NIK terdiri dari tepat 16 digit."))
npwp15_validator = RegexValidator(r"^\d{15}$", _("NPWP lama terdiri dari 15 digit."))
npwp16_validator = RegexValidator(r"^\d{16}$", _("NPWP baru terdiri dari 16 digit."))
e164_validator = RegexValidator(
    r"^\+62\d{8,13}$", _("Nomor telepon disimpan dalam format +62 diikuti 8 sampai 13 digit.")
)


def digits(value):
    """'09.254.294.3-407.000' → '092542943407000'."""
    return NON_DIGITS.sub("", value or "")


def clean_nib(value):
    nib = digits(value)
    if len(nib) != 13:
        raise ValidationError(_("NIB terdiri dari tepat 13 digit."), code="nib")
    return nib


def clean_nik(value):
    """A 16-digit NIK, or '' when empty."""
    nik = digits(value)
    if not nik:
        return ""
    if len(nik) != 16:
        raise ValidationError(_("NIK terdiri dari tepat 16 digit."), code="nik")
    if nik[:2] == "00" or nik[2:4] == "00":
        raise ValidationError(_("Kode provinsi/kabupaten di awal NIK tidak valid."), code="nik")
    return nik


def split_npwp(value):
    """An NPWP of 15 or 16 digits → (npwp15, npwp16), digits only.

    A 16-digit company NPWP is '0' + the old 15 digits, so both are known then.
    An individual's 16-digit NPWP is their NIK and has no 15-digit form.
    """
    npwp = digits(value)
    if not npwp:
        return "", ""
    if len(npwp) == 15:
        return npwp, "0" + npwp
    if len(npwp) == 16:
        return (npwp[1:] if npwp.startswith("0") else ""), npwp
    raise ValidationError(_("NPWP terdiri dari 15 atau 16 digit."), code="npwp")


def normalize_phone(value):
    """Indonesian phone → E.164: '0812-3456-7890', '62812…', '+62 812…' → '+6281234567890'.

    Mobiles are 08[1-35-9] + 7-10 digits; landlines start with an area code (021 …).
    """
    raw = (value or "").strip()
    if not raw:
        return ""
    number = digits(raw)
    if raw.startswith("+"):
        if not number.startswith("62"):
            raise ValidationError(_("Hanya nomor Indonesia (+62) yang diterima."), code="phone")
        national = number[2:]
    elif number.startswith("62"):
        national = number[2:]
    elif number.startswith("0"):
        national = number[1:]
    else:
        raise ValidationError(
            _("Tulis nomor dengan awalan 0 atau +62, mis. 0812-3456-7890."), code="phone"
        )
    if national.startswith("8"):
        if not re.fullmatch(r"8[1-35-9]\d{7,10}", national):
            raise ValidationError(_("Nomor ponsel tidak valid."), code="phone")
    elif not re.fullmatch(r"[2-79]\d{7,10}", national):
        raise ValidationError(_("Nomor telepon tidak valid."), code="phone")
    return "+62" + national
