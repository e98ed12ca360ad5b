"""Pagination with a count known beforehand (e.g. kept in the cache), so that a list page does not
count a whole regency on every view."""

from functools import cached_property

from django.core.paginator import Paginator


class KnownCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known
