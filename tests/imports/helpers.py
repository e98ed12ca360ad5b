"""Small import files built in the tests: a valid Keden household, then one cell changed."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from satupintu.demo.sample import HEADER
from satupintu.imports import services, workflow
from satupintu.imports.loader import import_batch
from satupintu.imports.models import RowError
from satupintu.imports.pipeline import validate_batch
from tests.conftest import KEDEN

HEAD = {
    "no_kk": "3314010403190001",
    "kode_desa": KEDEN,
    "alamat": "Dukuh Krajan",
    "rt": "2",
    "rw": "1",
    "nik": "3314011205750001",
    "nama": "Sutrisno",
    "jenis_kelamin": "L",
    "tempat_lahir": "Sragen",
    "tanggal_lahir": "12-05-1975",
    "hubungan": "kepala",
    "status_perkawinan": "kawin",
    "pendidikan": "sd",
    "desil": "3",
}
SPOUSE = {
    "no_kk": "3314010403190001",
    "nik": "3314016108790001",
    "nama": "Sumiyati",
    "jenis_kelamin": "P",
    "tempat_lahir": "Sragen",
    "tanggal_lahir": "21-08-1979",
    "hubungan": "istri",
    "status_perkawinan": "kawin",
    "pendidikan": "smp",
}


def csv_bytes(rows, header=HEADER, delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in header])
    return out.getvalue().encode()


def upload(content: bytes, name="data.csv", actor=None, source="desa"):
    return services.batch_create(actor=actor, upload=SimpleUploadedFile(name, content), name=name, source=source)


def validated(rows, actor=None, name="data.csv", content=None, fuzzy=True):
    batch = upload(content if content is not None else csv_bytes(rows), name=name, actor=actor)
    return validate_batch(workflow.move(batch, "validate"), fuzzy=fuzzy)


def imported(rows, actor=None, fast_path=True, first_load=True, **kwargs):
    batch = validated(rows, actor=actor, **kwargs)
    assert batch.state == "validated", batch.reason
    batch = workflow.move(batch, "approve", command_line=True)
    return import_batch(batch, actor=actor, fast_path=fast_path, first_load=first_load)


def messages(batch, column=None) -> list[str]:
    errors = RowError.objects.filter(batch=batch)
    if column is not None:
        errors = errors.filter(column=column)
    return list(errors.values_list("message", flat=True))
