"""The admin's change lists on large tables: estimated totals and short filter lists.

At regency scale (200,000 deals, 50,000 bookings) counting every row and listing
every mission or event as a filter link cost more than the page of rows itself.
"""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property

# Below this many rows an exact COUNT(*) is cheap enough (a few milliseconds).
ESTIMATE_ABOVE = 100_000


def estimated_rows(model):
    """PostgreSQL's planner estimate of the table's rows (kept fresh by autovacuum), or None."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [connection.ops.quote_name(model._meta.db_table)],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


class LargeTablePaginator(Paginator):
    """Counts a filtered list exactly; an unfiltered huge table from the planner's estimate.

    Counting 200,000 deals takes longer than showing a page of them. The admin shows an
    estimated total as "sekitar …" (templates/admin/pagination.html).
    """

    estimated = False

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where:
            estimate = estimated_rows(self.object_list.model)
            if estimate is not None and estimate > ESTIMATE_ABOVE:
                self.estimated = True
                return estimate
        return super().count


RECENT_CHOICES = 30


def recent_filter(*ordering, limit=RECENT_CHOICES):
    """A related-object filter listing the newest `limit` objects (and the chosen one).

    Use as `list_filter = [("mission", recent_filter("-start_date"))]`: the URL
    parameter stays `mission__id__exact`, so links from other pages keep working.
    """

    class RecentRelatedFilter(admin.RelatedFieldListFilter):
        def field_choices(self, field, request, model_admin):
            related = field.remote_field.model._default_manager
            objects = list(related.order_by(*ordering)[:limit])
            chosen = [v for v in (self.lookup_val or []) if v]
            shown = {str(obj.pk) for obj in objects}
            missing = [pk for pk in chosen if pk not in shown and str(pk).isdigit()]
            if missing:
                objects += list(related.filter(pk__in=missing))
            return [(obj.pk, str(obj)) for obj in objects]

    return RecentRelatedFilter
