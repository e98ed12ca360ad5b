from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import check_for_language


class LanguageMiddleware:
    """Bahasa Indonesia unless the user chose another language in the top bar.

    Django's LocaleMiddleware follows the browser's Accept-Language; office PCs often run an
    English browser, and the staff work in Indonesian. Only the explicit choice (the language
    cookie set by the switcher) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        translation.deactivate()
        return response
