"""The catalogue's cached views (the public charter, the services API): built once per catalogue
version, language and day. An admin's edit of a service, its requirements or standards, a partner
agency or a local holiday, and every reload of the reference data, sets a new version."""

from satupintu.lib import versioned_cache

NAMESPACE = "catalogue"


class ChangesCatalogue(versioned_cache.ChangesVersion):
    version_namespace = NAMESPACE


def cached(name: str, build, *parts):
    return versioned_cache.cached(NAMESPACE, name, build, *parts)


def version() -> str:
    """The catalogue's current version (a page built from it is keyed on it)."""
    return versioned_cache.version(NAMESPACE)


def changed() -> None:
    versioned_cache.changed(NAMESPACE)
