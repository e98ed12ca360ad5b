"""Every list of household and person fields is derived from `registry.fields`: a field declared
there appears in the web form, the API, the audit snapshot, the import layout, its validation, the
loader's column lists and the demo; one removed disappears from all of them."""

import pytest

from satupintu.api.serializers import HouseholdSerializer, PersonSerializer
from satupintu.demo import registry as demo
from satupintu.demo.sample import HEADER, sample_rows
from satupintu.imports import loader, validate, vectorised
from satupintu.imports.columns import BY_KEY, COLUMNS, ENUMERATIONS, normalise
from satupintu.imports.models import StagedRow
from satupintu.registry import actions
from satupintu.registry.fields import (
    EXCLUDED,
    HOUSEHOLD_FIELDS,
    HOUSING,
    LOCATION,
    PERSON_FIELDS,
    api_fields,
    api_read_only,
    columns,
    copy_columns,
    form_fields,
    imported,
)
from satupintu.registry.forms import HouseholdForm, PersonForm
from satupintu.registry.models import Household, Person

DECLARED = {Household: HOUSEHOLD_FIELDS, Person: PERSON_FIELDS}
IMPORTED = imported((*HOUSEHOLD_FIELDS, *PERSON_FIELDS))


@pytest.mark.parametrize("model", [Household, Person], ids=lambda m: m.__name__)
def test_every_model_field_is_declared_or_excluded_with_a_reason(model):
    concrete = [f.name for f in model._meta.concrete_fields]
    declared = [f.name for f in DECLARED[model]]
    assert len(declared) == len(set(declared))
    assert not set(declared) & set(EXCLUDED[model])
    assert sorted(concrete) == sorted([*declared, *EXCLUDED[model]])
    assert all(reason.strip() for reason in EXCLUDED[model].values())
    assert all(f.model is model for f in DECLARED[model])


def test_the_web_forms_edit_exactly_the_declared_editable_fields():
    assert list(PersonForm.base_fields) == form_fields(PERSON_FIELDS)
    assert list(HouseholdForm.base_fields) == form_fields(HOUSEHOLD_FIELDS)
    assert "household" not in PersonForm.base_fields  # the page it is on gives the household


def test_the_api_exposes_every_declared_field_and_writes_only_the_writable_ones():
    person = PersonSerializer().fields
    assert [name for name in person if name != "id"] == api_fields(PERSON_FIELDS)
    assert [name for name, f in person.items() if f.read_only and name != "id"] == api_read_only(PERSON_FIELDS)
    household = HouseholdSerializer().fields
    declared = {f.name for f in Household._meta.concrete_fields} - set(EXCLUDED[Household])
    assert [name for name in household if name in declared] == api_fields(HOUSEHOLD_FIELDS)
    assert not [name for name in api_read_only(HOUSEHOLD_FIELDS) if not household[name].read_only]


def test_audit_snapshots_and_subject_exports_list_every_declared_field_by_column():
    assert actions.HOUSEHOLD_FIELDS == columns(HOUSEHOLD_FIELDS)
    assert actions.PERSON_FIELDS == columns(PERSON_FIELDS)
    assert "desa_id" in actions.HOUSEHOLD_FIELDS and "household_id" in actions.PERSON_FIELDS


def test_the_import_layout_has_one_column_per_imported_field_and_the_desil():
    keys = [column.key for column in COLUMNS]
    location, housing = [f.import_key for f in LOCATION], [f.import_key for f in HOUSING]
    person = [f.import_key for f in imported(PERSON_FIELDS)]
    assert keys == [*location, *person, "desil", *housing]  # the template's order
    assert HEADER == keys
    for declared in IMPORTED:
        column = BY_KEY[declared.import_key]
        assert (column.label, column.aliases, column.required) == (declared.label, declared.aliases, declared.required)
        assert column.choices == declared.choices and column.extra == declared.spellings
        for spelling, code in declared.spellings.items():
            assert ENUMERATIONS[declared.import_key][normalise(spelling)] == code


def test_required_import_columns_are_the_fields_the_model_requires():
    required = {f.import_key for f in IMPORTED if f.required}
    assert required == {
        "no_kk", "kode_desa", "alamat", "rt", "rw", "nama", "jenis_kelamin", "tempat_lahir", "tanggal_lahir",
        "hubungan", "status_perkawinan", "pendidikan",
    }  # fmt: skip
    assert {column.key for column in COLUMNS if column.required} == required


def test_validation_reads_every_imported_cell_into_its_staging_column():
    staged = {f.column for f in StagedRow._meta.concrete_fields}
    assert set(copy_columns((*HOUSEHOLD_FIELDS, *PERSON_FIELDS))) <= staged
    assert validate.STAGED_COLUMNS[5:] == [*copy_columns(HOUSEHOLD_FIELDS), "desil", *copy_columns(PERSON_FIELDS)]
    assert validate.HOUSEHOLD_KEYS == [*(f.import_key for f in HOUSEHOLD_FIELDS if f.name != "kk_number"), "desil"]
    assert validate.PERSON_KEYS == [f.import_key for f in imported(PERSON_FIELDS)]
    assert vectorised.PERSON_KEYS == ["no_kk", *validate.PERSON_KEYS]
    free_text = {f.import_key: f.max_length for f in IMPORTED if f.is_free_text}
    assert validate.MAX_LENGTHS == free_text == {"alamat": 250, "nama": 150, "tempat_lahir": 100, "pekerjaan": 100}


def test_the_loader_writes_every_imported_field_and_keeps_optional_ones_when_blank():
    assert ["kk_number", *loader.HOUSEHOLD_FIELDS] == copy_columns(HOUSEHOLD_FIELDS)
    assert loader.PERSON_FIELDS == copy_columns(PERSON_FIELDS)
    assert loader.KEEP_IF_BLANK == {f.column for f in IMPORTED if not f.required}
    defaults = {"disability": "tidak_ada", "school_status": "tidak_berlaku", "health_insurance": "tidak_ada"}
    assert loader.DEFAULTS == defaults


def test_the_demo_generator_writes_every_declared_field():
    assert demo.HOUSEHOLD_COLUMNS == ["id", "head_id", *columns(HOUSEHOLD_FIELDS), "created_at", "updated_at"]
    assert demo.PERSON_COLUMNS == ["id", *columns(PERSON_FIELDS), "created_at", "updated_at"]


def test_a_sample_import_row_fills_every_column_of_the_layout(regions):
    row = next(sample_rows(1))
    assert list(row) == [
        *(f.import_key for f in LOCATION),
        "desil",
        *(f.import_key for f in HOUSING),
        *(f.import_key for f in imported(PERSON_FIELDS)),
    ]
    assert all(row[f.import_key] for f in IMPORTED if f.required)
