"""The hostile-input corpus: values a form field or an API property must refuse or store as cleaned.

Each entry is (label, value). `value` is text, or bytes for what only a raw form body can carry (a
lone surrogate is not valid UTF-8: the browser would send its three bytes as they are).
"""

CORPUS = [
    ("empty", ""),
    ("spaces", "   "),
    ("nul", "Sutrisno\x00Wibowo"),
    ("control", "Sutri\x01\x02\x07\x08\x0b\x0c\x1b[31mno\x7f"),
    ("newlines", "baris satu\r\nbaris dua\rbaris tiga\n"),
    ("long-10000", "A" * 10_000),
    ("long-multibyte", "ꦱꦿꦒꦺꦤ꧀" * 1_700),
    ("rtl-override", "Sutrisno\u202egnp.exe\u202c"),
    ("zero-width", "Su\u200btris\u200cno\u200d\ufeff"),
    ("combining", "S\u0301\u0302\u0303utrisno" + "\u0300" * 200),
    ("emoji", "Sutrisno 👨‍👩‍👧‍👦🇮🇩"),
    ("django-template", "{{ settings.SECRET_KEY }}{% debug %}{# x #}"),
    ("jinja", "{{ ''.__class__.__mro__[1].__subclasses__() }}"),
    ("formula-equals", "=CMD|' /C calc'!A0"),
    ("formula-plus", "+1+1"),
    ("formula-minus", "-2+3"),
    ("formula-at", "@SUM(1,1)"),
    ("formula-hyperlink", '=HYPERLINK("http://example.invalid","klik")'),
    ("sql-quote", "O'Brien'; DROP TABLE registry_household; --"),
    ("sql-double", '" OR "1"="1'),
    ("html", '<script>alert(1)</script><img src=x onerror="alert(2)">'),
    ("url-javascript", "javascript:alert(1)"),
    ("path", "../../../../etc/passwd"),
    ("percent", "%00%0d%0a%s%n%x"),
    ("date-feb-30", "2026-02-30"),
    ("date-zero", "0000-00-00"),
    ("date-year-99999", "99999-01-01"),
    ("date-indonesian", "31/13/2026"),
    ("date-words", "kemarin"),
    ("int-huge", "9" * 40),
    ("int-negative", "-1"),
    ("int-negative-huge", "-" + "9" * 30),
    ("float", "1e308"),
    ("nan", "NaN"),
    ("infinity", "Infinity"),
    ("decimal-comma", "1.234,56"),
    ("unicode-digits", "٣٣١٤٠١"),
    ("fullwidth-digits", "３３１４０１１２０５７５０００１"),
    ("nik-like", "3314011205750001"),
    ("lone-surrogate", b"Sutri\xed\xa0\x80no"),
    ("invalid-utf8", b"\xff\xfe\xc3\x28"),
]

# The values that fit in JSON as well (the API): text entries plus a few JSON-only types.
JSON_EXTRA = [
    ("json-null", None),
    ("json-true", True),
    ("json-int-huge", 10**40),
    ("json-negative", -1),
    ("json-float", 1e308),
    ("json-list", ["a", {"b": 1}]),
    ("json-object", {"$gt": ""}),
]


def sample(items: list, full: bool, start: int = 0, size: int = 3) -> list:
    """All items for the full run; otherwise `size` of them, a different slice for each `start`."""
    if full:
        return list(items)
    return [items[(start * size + i) % len(items)] for i in range(size)]
