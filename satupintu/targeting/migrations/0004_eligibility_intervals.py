"""Eligibility lines become validity intervals (`from_run` … `until_run`) instead of a full copy
per run; runs record which hash definition their `result_hash` follows.

Existing per-run rows are rebuilt into intervals (`build_intervals`): runs in id order, a line
(household, person, service) with the same keys, tier, members and reason in consecutive runs is
one row; "valid at run R" then gives back exactly each old run's lines. The recorded hashes of
the existing runs are kept as they were (definition 1, `hash_version` = 1, still recomputable from
the interval rows); their `line_sum` stays empty and the next run computes it once from the rows.
"""

from itertools import groupby

import django.db.models.deletion
from django.db import migrations, models

KEY = ("household_id", "person_id", "service")
VALUES = ("kk_number", "person_key", "tier", "members", "reason")


def build_intervals(runs):
    """`runs`: (run id, {key: values}) in run order, every run (an empty one closes everything).
    Yields (key, values, from run, until run or None)."""
    open_lines = {}
    for run_id, lines in runs:
        for key, (values, since) in list(open_lines.items()):
            if lines.get(key) != values:
                yield key, values, since, run_id
                del open_lines[key]
        for key, values in lines.items():
            if key not in open_lines:
                open_lines[key] = (values, run_id)
    for key, (values, since) in open_lines.items():
        yield key, values, since, None


def per_run_lines(run_ids, rows):
    """(run id, {key: values}) for each run id, from rows (run id, *KEY, *VALUES) sorted by run id."""
    groups = groupby(rows, key=lambda row: row[0])
    current = next(groups, None)
    for run_id in run_ids:
        lines = {}
        if current is not None and current[0] == run_id:
            lines = {tuple(row[1:4]): tuple(row[4:]) for row in current[1]}
            current = next(groups, None)
        yield run_id, lines


def to_intervals(apps, schema_editor):
    Run = apps.get_model("targeting", "TargetingRun")
    Eligibility = apps.get_model("targeting", "Eligibility")
    run_ids = list(Run.objects.order_by("id").values_list("id", flat=True))
    rows = Eligibility.objects.order_by("run_id").values_list("run_id", *KEY, *VALUES).iterator(chunk_size=20000)
    intervals = list(build_intervals(per_run_lines(run_ids, rows)))
    Eligibility.objects.all().delete()
    Eligibility.objects.bulk_create(
        (
            Eligibility(run_id=since, from_run_id=since, until_run_id=until, **dict(zip(KEY, key)),
                        **dict(zip(VALUES, values)))  # fmt: skip
            for key, values, since, until in intervals
        ),
        batch_size=5000,
    )


def to_runs(apps, schema_editor):
    """Back to a full copy per run (each interval once for every run it covers)."""
    Run = apps.get_model("targeting", "TargetingRun")
    Eligibility = apps.get_model("targeting", "Eligibility")
    run_ids = list(Run.objects.order_by("id").values_list("id", flat=True))
    intervals = list(Eligibility.objects.values_list("from_run_id", "until_run_id", *KEY, *VALUES))
    Eligibility.objects.all().delete()
    Eligibility.objects.bulk_create(
        (
            Eligibility(run_id=run_id, from_run_id=run_id, **dict(zip(KEY, row[2:5])), **dict(zip(VALUES, row[5:])))
            for row in intervals
            for run_id in run_ids
            if row[0] <= run_id and (row[1] is None or run_id < row[1])
        ),
        batch_size=5000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("targeting", "0003_eligibility_stable_keys"),
    ]

    operations = [
        migrations.AddField(
            model_name="targetingrun",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="definisi sidik"),
        ),
        migrations.AlterField(
            model_name="targetingrun",
            name="hash_version",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="definisi sidik"),
        ),
        migrations.AddField(
            model_name="targetingrun",
            name="line_sum",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddField(
            model_name="eligibility",
            name="from_run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="targeting.targetingrun",
                verbose_name="berlaku sejak penetapan",
            ),
        ),
        migrations.AddField(
            model_name="eligibility",
            name="until_run",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="targeting.targetingrun",
                verbose_name="tidak berlaku sejak penetapan",
            ),
        ),
        # Nullable while the rows are rebuilt, so that going back can add it again before refilling it.
        migrations.AlterField(
            model_name="eligibility",
            name="run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="targeting.targetingrun",
            ),
        ),
        migrations.RunPython(to_intervals, to_runs, elidable=False),
        migrations.RemoveIndex(
            model_name="eligibility",
            name="targeting_e_run_id_275e95_idx",
        ),
        migrations.RemoveField(
            model_name="eligibility",
            name="run",
        ),
        migrations.AlterField(
            model_name="eligibility",
            name="from_run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="targeting.targetingrun",
                verbose_name="berlaku sejak penetapan",
            ),
        ),
        migrations.AddIndex(
            model_name="eligibility",
            index=models.Index(fields=["household", "from_run"], name="targeting_e_househo_da3de7_idx"),
        ),
    ]
