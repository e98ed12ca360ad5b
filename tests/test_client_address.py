"""Behind nginx the client's address is read from X-Forwarded-For, but only from a trusted proxy."""

from django.test import override_settings

from satupintu.middleware import ClientAddressMiddleware


def seen(meta: dict, trusted: list[str]) -> str:
    from django.test import RequestFactory

    request = RequestFactory().get("/", **meta)
    with override_settings(TRUSTED_PROXIES=trusted):
        ClientAddressMiddleware(lambda r: None)(request)
    return request.META["REMOTE_ADDR"]


def test_a_trusted_proxy_names_the_client():
    assert seen({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, ["127.0.0.1"]) == "203.0.113.7"


def test_the_right_most_untrusted_hop_counts_not_what_the_client_wrote_first():
    meta = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.9.9.9, 198.51.100.4"}
    assert seen(meta, ["127.0.0.1"]) == "198.51.100.4"


def test_the_header_from_an_untrusted_address_is_ignored():
    meta = {"REMOTE_ADDR": "198.51.100.4", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert seen(meta, ["127.0.0.1"]) == "198.51.100.4"
    assert seen({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}, []) == "127.0.0.1"


def test_clients_behind_nginx_get_their_own_pin_attempt_budgets(client, settings, db):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.SATUPINTU_TRACK_LIMIT = 2

    def track(address):
        return client.post(
            "/lacak/", {"number": "UPK-X", "pin": "000000"}, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address
        ).status_code

    assert [track("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert track("203.0.113.8") == 200  # another citizen behind the same proxy
