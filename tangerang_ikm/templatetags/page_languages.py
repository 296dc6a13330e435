"""This page in each language, worked out once per request from the request's own match.

`django.urls.translate_url` resolves the path again on every call: the URL resolver
walks every pattern of the site, and a page asked for it four to six times (canonical
and hreflang links, the language switcher, Open Graph). The request already carries its
match (`request.resolver_match`), so each language's path here is one `reverse()`, and
it is kept on the request for the other tags of the same page.

The results are translate_url's: the same view reversed with the language switched,
the path itself when it cannot be (a 404 page has no match; a pattern without a name).

Every page's language switcher and its canonical and hreflang links are written here
too (`{% language_switcher %}`, `{% language_alternates %}`): through their includes
they were a twentieth of a product page's CPU. includes/_language_switcher.html and
includes/_alternates.html stay as the reference markup, compared byte for byte by
tests/portal/test_pages_chrome_tags.py.
"""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, override
from django.utils.translation import gettext as _

register = template.Library()


def language_path(request, language):
    """This request's path (without its query) in `language`; None when it has none
    (no match, or a match that does not reverse), where translate_url keeps the URL."""
    paths = request.__dict__.setdefault("_language_paths", {})
    if language not in paths:
        paths[language] = _reverse_in(request, language)
    return paths[language]


def _reverse_in(request, language):
    match = request.resolver_match
    if match is None or match.url_name is None:
        return None
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with override(language):
        try:
            return reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return None


@register.simple_tag(takes_context=True)
def page_url_in(context, language):
    """This page's absolute URL in `language`, without the query (hreflang, og:url)."""
    request = context["request"]
    path = language_path(request, language)
    if path is None:
        return translate_url(request.build_absolute_uri(request.path), language)
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def page_path_in(context, language):
    """This page's path with its query in `language` (the language switcher's links)."""
    request = context.get("request")
    if request is None:
        return "/" if language == "id" else f"/{language}/"
    path = language_path(request, language)
    if path is None:
        return translate_url(request.get_full_path(), language)
    if not request.META.get("QUERY_STRING"):
        return path
    # The query as get_full_path() writes it: translate_url keeps it as given.
    return f"{path}?{request.get_full_path().partition('?')[2]}"


_SWITCHER = (
    '\n\n\n\n\n<nav class="language-switcher" aria-label="{}">\n  <ul>\n    {}\n  </ul>\n</nav>\n'
)
_SWITCHER_ITEM = '\n      <li><a href="{}" hreflang="{}" lang="{}"{}>{}</a></li>\n    '


@register.simple_tag(takes_context=True)
def language_switcher(context):
    """Links to this page in each language, as includes/_language_switcher.html writes
    them (get_available_languages and get_language_info_list, then a loop)."""
    current = get_language()
    items = "".join(
        _SWITCHER_ITEM.format(
            escape(page_path_in(context, code)),
            escape(code),
            escape(code),
            ' aria-current="page"' if code == current else "",
            escape(get_language_info(code)["name_local"]),
        )
        for code, _name in settings.LANGUAGES
    )
    return mark_safe(_SWITCHER.format(escape(_("Bahasa")), items))  # noqa: S308 - escaped


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """The canonical and hreflang links, as includes/_alternates.html writes them."""
    if not context.get("request"):
        return mark_safe("\n\n")
    url_id = page_url_in(context, "id")
    url_en = page_url_in(context, "en")
    canonical = url_en if get_language() == "en" else url_id
    html = f'\n\n<link rel="canonical" href="{escape(canonical)}">\n'
    if url_en != url_id:
        html += (
            f'<link rel="alternate" hreflang="id" href="{escape(url_id)}">\n'
            f'<link rel="alternate" hreflang="en" href="{escape(url_en)}">\n'
            f'<link rel="alternate" hreflang="x-default" href="{escape(url_id)}">'
        )
    return mark_safe(html + "\n")  # noqa: S308 - each URL escaped
