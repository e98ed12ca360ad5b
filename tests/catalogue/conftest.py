import pytest

from satupintu.accounts.models import Role, User


@pytest.fixture
def admin_user(db):
    """The demo's `admin`: a superuser with the admin role."""
    return User.objects.create_superuser(username="admin", password="Rahasia-123!", role=Role.ADMIN)
