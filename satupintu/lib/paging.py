"""Pagination with a count known beforehand (e.g. kept in the cache), so that a list page does not
count a whole regency on every view."""

from collections.abc import Callable
from functools import cached_property
from html import escape

from django.core.paginator import Paginator
from django.utils.translation import gettext as _


class KnownCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known


class LookaheadPage:
    """A page of a list whose total is a kept count (possibly a minute old): the rows are read with one
    row more than the page holds, so whether a next page exists is known exactly without a count. The
    number of pages shown is the kept count's, corrected by what the rows say: exact on the last page,
    at least one more than this page when a row follows. A page past the end (the list shrank since
    it was counted) is answered with the list's last page, counted then (`recount()`). `rows(start,
    stop)` reads the list's rows in that range. Duck-types the parts of Django's `Page` that the
    templates use (`page.paginator.num_pages` included)."""

    def __init__(self, rows: Callable[[int, int], list], per_page: int, number, *, count: int, recount):
        try:
            number = max(1, int(number))
        except (TypeError, ValueError):
            number = 1
        read = rows((number - 1) * per_page, number * per_page + 1)
        if not read and number > 1:
            count = recount()
            number = max(1, -(-count // per_page))
            read = rows((number - 1) * per_page, number * per_page + 1)
        self.number = number
        self.object_list = read[:per_page]
        following = len(read) > per_page
        self.num_pages = max(-(-count // per_page), number + 1) if following else number

    @property
    def paginator(self):
        return self

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def pager_html(page, query: str, words: dict) -> str:
    """A list page's pager as the pages written in Python show it ("" for a single page): `query` is
    what comes before `page=` in its links, escaped ("antrean=berkas&amp;", or ""), `words` the
    escaped "previous", "next" and "pages" of the page's language."""
    if page.paginator.num_pages <= 1:
        return ""
    previous = following = ""
    if page.has_previous():
        previous = f'<a href="?{query}page={page.previous_page_number()}">‹ {words["previous"]}</a>'
    if page.has_next():
        following = f'<a href="?{query}page={page.next_page_number()}">{words["next"]} ›</a>'
    where = _("Halaman %(n)s dari %(total)s") % {"n": page.number, "total": page.paginator.num_pages}
    return (
        f'\n<nav class="pager" aria-label="{words["pages"]}">\n  {previous}\n'
        f"  <span>{escape(where)}</span>\n  {following}\n</nav>\n"
    )
