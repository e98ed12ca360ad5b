"""A page's fixed words written in Python, translated once per language and kept in the worker.

    @per_language
    def _queue_text(language: str, prefix: str) -> dict: ...

`per_language` is `functools.lru_cache` whose kept texts are given up when the translations change
(the LANGUAGES, LANGUAGE_CODE or LOCALE_PATHS setting, as Django's own translation caches are: in a
running site they do not change; tests switch catalogues). `forget_with_translations(clear)` adds
another store of translated text to give up at the same time.
"""

from collections.abc import Callable
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver

TRANSLATION_SETTINGS = frozenset({"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"})
_clears: list[Callable[[], None]] = []


def per_language(function=None, *, maxsize: int = 64):
    def keep(function):
        kept = lru_cache(maxsize=maxsize)(function)
        _clears.append(kept.cache_clear)
        return kept

    return keep(function) if function is not None else keep


def forget_with_translations(clear: Callable[[], None]) -> None:
    _clears.append(clear)


@receiver(setting_changed)
def _translations_changed(setting, **kwargs):
    if setting in TRANSLATION_SETTINGS:
        for clear in _clears:
            clear()
