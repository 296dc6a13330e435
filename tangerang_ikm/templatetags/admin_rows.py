"""{% quick_result_list cl %}: Django's {% result_list %}, with QuickRows' rows where given.

templates/admin/change_list.html uses it in place of {% result_list %}; admins without
QuickRows (tangerang_ikm/admin_lists.py) get Django's own rows.
"""

from django.contrib.admin.templatetags.admin_list import (
    result_headers,
    result_hidden_fields,
    result_list,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template import Library

register = Library()


def quick_result_list(cl):
    quick_rows = getattr(cl.model_admin, "quick_rows", None)
    rows = quick_rows(cl) if quick_rows else None
    if rows is None:
        return result_list(cl)
    # result_list's context, with the rows made by QuickRows.
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": rows,
    }


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        "quick_result_list",
        parser,
        token,
        func=quick_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
