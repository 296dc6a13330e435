"""A paginator that finds a page's keys first, for long lists with joins.

PostgreSQL computes a row's whole select list (joins, subqueries) for every row an
OFFSET skips: page 40 of the catalog computed the cards of 960 rows it then threw
away, and page 200 of the bookings admin joined 19,900 rows to their space and event.
Here the page's keys are ordered and skipped in a subquery of the same query, and only
the page's rows are read whole.

`rows`, when given, is the same list without its filters (the same ordering): the
page's rows are then read from it by key, and the filters' subqueries and joins run
once, in the key subquery, instead of again over the page's rows. The IKM directory
filtered by commodity tested every verified business against two subqueries twice.
"""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class KeysFirstPaginator(Paginator):
    def __init__(self, object_list, per_page, *args, rows=None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        self.rows = rows

    def page(self, number):
        if not isinstance(self.object_list, QuerySet):
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values("pk")[bottom:top]
        rows = self.object_list if self.rows is None else self.rows
        return Page(rows.filter(pk__in=keys), number, self)
