import re

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

PAGE = re.compile(r"[1-9][0-9]*")


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` is a whole number from 1, as the schema says: anything else is a 400, a page past the
    last one a 404. (DRF's own class answered 404 to both and also took `page=last`.)"""

    last_page_strings = ()

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param, "1")
        if not PAGE.fullmatch(raw):
            raise ValidationError({self.page_query_param: [_("Nomor halaman harus bilangan bulat 1 atau lebih.")]})
        return int(raw)

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):  # OpenAPI 3.1 says null in the type, not with `nullable`
            member = paginated["properties"][link]
            del member["nullable"]
            member["type"] = ["string", "null"]
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
                parameter["description"] = "A page number from 1; a page past the last one is a 404."
        return parameters
