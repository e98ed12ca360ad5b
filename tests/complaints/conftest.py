"""Complaint personas: an integrity-group member, complaints about an officer, sensitive ones."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import Group

from satupintu.accounts.models import Role
from satupintu.complaints.actions import complaint_submit
from satupintu.complaints.models import Category, Channel, FeedbackType
from satupintu.regions.models import Region
from tests.conftest import KALIJAMBE, make_user

JAKARTA = ZoneInfo("Asia/Jakarta")


def on(y, m, d, hour=10):
    return time_machine.travel(dt.datetime(y, m, d, hour, 0, tzinfo=JAKARTA), tick=False)


@pytest.fixture
def integrity(regions):
    user = make_user("integritas", Role.KASI)
    user.groups.add(Group.objects.get_or_create(name=settings.SATUPINTU_INTEGRITY_GROUP)[0])
    return user


def submit(actor=None, *, category=Category.PENUNDAAN, kind=FeedbackType.PENGADUAN, **kwargs):
    kwargs.setdefault("kecamatan", Region.objects.get(code=KALIJAMBE))
    kwargs.setdefault("description", "Berkas saya belum diproses.")
    kwargs.setdefault("reporter_name", "" if kwargs.get("anonymous") else "Sutini")
    return complaint_submit(
        actor=actor,
        channel=Channel.WEB if actor is None else Channel.DESK,
        feedback_type=kind,
        category=category,
        **kwargs,
    )
