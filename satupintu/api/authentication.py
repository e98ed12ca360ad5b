from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions


class ApiTokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with a key made by `satupintu create-api-token` or the admin.

    Unknown, expired and revoked keys get the same 401: the answer does not tell which."""

    keyword = "Token"

    def authenticate_credentials(self, key):
        from . import tokens  # models are not ready when DRF's settings import this class

        token = tokens.authenticate(key)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Token tidak sah, sudah kedaluwarsa atau sudah dicabut."))
        return token.user, token
