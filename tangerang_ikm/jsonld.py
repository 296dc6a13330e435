"""schema.org JSON-LD: built as Python dicts, written as one escaped <script> block.

Pages never type JSON by hand: a builder returns a dict (gerai.feeds.event_json_ld,
ikm_registry.structured_data) and `script()` writes it, with <, > and & escaped as
\\u003C etc. (as Django's json_script does) so no text inside can close the script.
"""

import json

from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The same three escapes as django.utils.html.json_script (not imported: private there).
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def dumps(data):
    """The JSON text of `data`, safe inside a <script> element."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str).translate(_ESCAPES)


def script(data):
    """`<script type="application/ld+json">…</script>`, or "" when there is no data."""
    if not data:
        return ""
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(dumps(data)),  # noqa: S308 - <, > and & escaped above
    )
