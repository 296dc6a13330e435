"""Parts of every page that are the same for every visitor, rendered once per process.

The header's brand, the footer, and the navigation of a visitor who is not logged in
depend only on the language (their words and links) and the settings: through
`{% include %}` they were rendered again on every page, a tenth of a small page's CPU.
`{% once_per_language "includes/_footer.html" %}` renders the template as an include
would, the first time in each language, and keeps the result in this process.

Only for templates whose output is the same for everyone in a language: anything that
names the visitor, the page or a row of the database does not belong here.
"""

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils.translation import get_language

register = template.Library()

_kept = {}


@register.simple_tag(takes_context=True)
def once_per_language(context, template_name):
    render = context.template.engine.get_template(template_name).render
    if context.get("request") is None:
        # Without a request the context processors did not run (OFFICE_EMAIL is
        # missing): render it as it is, and keep only what a page's context gives.
        return render(context)
    key = (template_name, get_language(), get_script_prefix())
    html = _kept.get(key)
    if html is None:
        html = _kept[key] = render(context)
    return html


@receiver(setting_changed)
def _forget(**kwargs):
    """A test's override_settings may change what they show (OFFICE_EMAIL, languages)."""
    _kept.clear()
