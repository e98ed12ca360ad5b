"""Test settings: the production settings with a throwaway key, plain HTTP and fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-key-5d1f0c7a9b3e42f6a8d1c0b7e9f2a4d6")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATICFILES_STORAGE", "django.contrib.staticfiles.storage.StaticFilesStorage")

from satupintu.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_VERBOSE = False
# A test's signing key file is generated on first use (production refuses a missing key).
DOCUMENT_SIGNING_KEY_CREATE = True
# A queued task runs at once, in the test's own process and database.
Q_CLUSTER = {**Q_CLUSTER, "sync": True}  # noqa: F405
# Sessions made by `client.force_login` count as verified; the two-factor tests turn it on.
TWO_FACTOR_REQUIRED = False
# No API request limits (query counts, the conformance run); the throttling tests set their own.
API_THROTTLE_RATES = {"user": None, "anon": None}
# Each home page counts its work afresh (tests/test_home_pages.py turns the reuse on where it is tested).
HOME_WORK_SECONDS = 0
