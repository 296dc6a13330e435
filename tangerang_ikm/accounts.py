"""Account e-mail: confirmation links, "you already have an account", password reset.

All of it goes through `tangerang_ikm.mail.send_templated_mail` (the task queue), in the
account's language, and at most five such e-mails an hour reach one address.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.tasks import task
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tangerang_ikm.mail import send_templated_mail
from tangerang_ikm.ratelimit import is_limited

User = get_user_model()

ACCOUNT_MAIL_LIMIT = (5, 60 * 60)


def account_mail_allowed(email):
    """At most five account e-mails (confirmations, "you have an account", reset links) an
    hour to one address, however they are asked for: the forms answer the same either
    way, so a stranger cannot flood an inbox. Counted per address, not per client, because
    a whole workshop registering from one venue's network shares an address."""
    count, seconds = ACCOUNT_MAIL_LIMIT
    return not is_limited("account-mail", email.lower(), limit=count, window=seconds)


def _link(name, *args, language):
    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=args)


@task()
def send_password_reset(*, email):
    """Send a reset link to each active account of `email` (none for an unknown address).

    Run by the task worker, so the request that asked for it does the same work whether
    the address has an account or not.
    """
    for user in PasswordResetForm().get_users(email):
        if not account_mail_allowed(user.email):
            continue
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        send_templated_mail(
            to=[user.email],
            template="account/email/password_reset",
            context={
                "user": user,
                "link": _link("password_reset_confirm", uid, token, language=user.language),
            },
            language=user.language,
        )
