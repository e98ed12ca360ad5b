"""Texts translated once per language are given up when the translations change."""

from satupintu.lib.texts import forget_with_translations, per_language


def test_kept_texts_are_made_again_after_the_translations_change(settings):
    made = []

    @per_language
    def words(language: str) -> str:
        made.append(language)
        return f"words in {language}"

    kept_rows = {"row": "old"}
    forget_with_translations(kept_rows.clear)
    assert words("en") == words("en") and made == ["en"]
    settings.DEBUG = not settings.DEBUG  # another setting: nothing given up
    assert words("en") and made == ["en"] and kept_rows
    settings.LOCALE_PATHS = ["/elsewhere"]
    assert words("en") and made == ["en", "en"] and not kept_rows
