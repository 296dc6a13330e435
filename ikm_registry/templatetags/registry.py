from django import template

from tangerang_ikm.templatetags.portal import phone_local

register = template.Library()


def phone_input(e164):
    """The value an owner sees in the phone field: local form, 0812-3456-7890."""
    return phone_local(e164) if e164 else ""


@register.filter
def status_badge(status):
    return {
        "draft": "badge-muted",
        "submitted": "badge-warning",
        "returned": "badge-danger",
        "verified": "badge",
    }.get(status, "badge-muted")
