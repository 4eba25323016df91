from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class UserLanguageMiddleware:
    """zh-Hans unless the user chose otherwise: their saved language, else the language cookie.

    Unlike Django's LocaleMiddleware we ignore the browser's Accept-Language, so a county office
    with an English-language browser still gets the Chinese UI by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        user = getattr(request, "user", None)
        lang = None
        if user is not None and user.is_authenticated and user.language in self.languages:
            lang = user.language
        if lang is None:
            cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            lang = cookie if cookie in self.languages else settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = lang
        with translation.override(lang):  # restored afterwards: no leak into the next request
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", lang)
        return response
