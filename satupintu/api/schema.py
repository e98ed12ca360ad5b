"""The OpenAPI document says what the API does: every error it answers, the text it refuses.

`AutoSchema` adds to each operation the errors every operation of its kind can answer (400 and the
web server's 414, 401/403 behind a login, 404 with a path parameter or a page, 429 where a request
limit applies: settings.API_THROTTLE_RATES); a view declares the others (409, its own 429) itself.
`refuse_control_characters_hook` writes down what ControlCharacterMiddleware refuses: request strings
and member names carry no C0 control character but tab, CR and LF.
"""

from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

# ECMAScript and Python read these alike; satupintu.middleware.CONTROL_CHARACTERS is the same set.
TEXT = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$"
# DRF trims a required text and refuses it when nothing is left.
NOT_BLANK = r"^(?!\s*$)[^\u0000-\u0008\u000b\u000c\u000e-\u001f]*$"
JSON_VALUE = "JsonValue"


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid input: each field's messages, or `detail` (e.g. a control character in the request).",
)
NOT_LOGGED_IN = error("No valid token or session.")
FORBIDDEN = error("The caller's role may not do this.")
NOT_FOUND = error("Not found, outside the caller's area, or a page past the last one.")
TOO_MANY = error("Over the request limit of the caller (or of its address); the Retry-After header says when to retry.")
# Answered by the web server (gunicorn's limit_request_line, 4094 bytes) before the application.
URI_TOO_LONG = OpenApiResponse(description="The address is longer than the server takes; the body is not JSON.")


class AutoSchema(openapi.AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._common_errors().items():
            responses.setdefault(code, self._get_response_for_code(response, code, direction=direction))
        return responses

    def _common_errors(self) -> dict[str, OpenApiResponse]:
        errors = {"400": INVALID, "414": URI_TOO_LONG}
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            errors |= {"401": NOT_LOGGED_IN, "403": FORBIDDEN}
        if "{" in self.path or any(parameter["name"] == "page" for parameter in self._get_pagination_parameters()):
            errors["404"] = NOT_FOUND
        if self.view.get_throttles():
            errors["429"] = TOO_MANY
        return errors


def _clean_json_value() -> dict:
    ref = {"$ref": f"#/components/schemas/{JSON_VALUE}"}
    return {
        "description": "Any JSON value without control characters in its strings and member names.",
        "anyOf": [
            {"type": "string", "pattern": TEXT},
            {"type": ["number", "boolean", "null"]},
            {"type": "array", "items": ref},
            {"type": "object", "propertyNames": {"pattern": TEXT}, "additionalProperties": ref},
        ],
    }


def _types(schema: dict) -> set[str]:
    kind = schema.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


class _RequestTexts:
    """Walks the request side of the document (parameters, bodies, the components they use)."""

    def __init__(self, components: dict):
        self.components = components
        self.seen: set[str] = set()

    def visit(self, schema: dict) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[1]
            if name not in self.seen:
                self.seen.add(name)
                self.visit(self.components[name])
            return
        kinds = _types(schema)
        if "string" in kinds and not {"enum", "format", "pattern"} & set(schema):
            schema["pattern"] = NOT_BLANK if schema.get("minLength", 0) >= 1 else TEXT
        if "object" in kinds:
            self._object(schema)
        if "array" in kinds and "items" in schema:
            self.visit(schema["items"])
        for key in ("allOf", "anyOf", "oneOf"):
            for part in schema.get(key, []):
                self.visit(part)

    def _object(self, schema: dict) -> None:
        # Members the serializer does not know are ignored, but the middleware reads them too.
        schema["propertyNames"] = {"pattern": TEXT}
        extra = schema.get("additionalProperties", {})
        if extra in ({}, True):
            schema["additionalProperties"] = {"$ref": f"#/components/schemas/{JSON_VALUE}"}
        elif isinstance(extra, dict):
            self.visit(extra)
        for member in schema.get("properties", {}).values():
            self.visit(member)


def refuse_control_characters_hook(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components[JSON_VALUE] = _clean_json_value()
    walker = _RequestTexts(components)
    walker.seen.add(JSON_VALUE)
    for operations in result["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                walker.visit(parameter["schema"])
            for media in operation.get("requestBody", {}).get("content", {}).values():
                walker.visit(media["schema"])
    return result
