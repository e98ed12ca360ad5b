"""Where queued texts go. The log gateway (default) writes them to the log or a file; the HTTP
gateway posts JSON to an SMS/WhatsApp provider configured in settings."""

import json
import logging
import urllib.request

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("satupintu.notifications")


class DeliveryError(Exception):
    pass


class LogGateway:
    def send(self, notification) -> None:
        to = notification.phone or f"user:{notification.user_id}"
        line = f"[{notification.channel}] {to}: {notification.body}"
        if settings.SATUPINTU_NOTIFY_FILE:
            with open(settings.SATUPINTU_NOTIFY_FILE, "a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        else:
            logger.info(line)


class HttpGateway:
    timeout = 10

    def send(self, notification) -> None:
        url = settings.SATUPINTU_NOTIFY_HTTP_URL
        if not url.startswith("https://") and not url.startswith("http://"):
            raise DeliveryError("SATUPINTU_NOTIFY_HTTP_URL is not an http(s) URL")
        payload = {"id": notification.pk, "channel": notification.channel, "to": notification.phone,
                   "text": notification.body}  # fmt: skip
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
            url,
            data=json.dumps(payload).encode(),
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SATUPINTU_NOTIFY_HTTP_TOKEN}",
                "Idempotency-Key": notification.idempotency_key,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if response.status >= 300:
                    raise DeliveryError(f"HTTP {response.status}")
        except OSError as exc:
            raise DeliveryError(str(exc)) from exc


def gateway():
    return import_string(settings.SATUPINTU_NOTIFY_GATEWAY)()
