"""Duplicate detection benchmark: seeded people with duplicates of known kinds.

    python -m bench.dedup_bench --size 1000000

Runs the Satu Pintu matcher (blocking + rapidfuzz scoring), a naive exact baseline (same NIK, or
same normalised name + birth date + sex), and splink 5 on DuckDB with the same blocking keys and
comparable comparisons, on the same records; prints seconds, peak memory, precision, recall and
F1 for each. No database is used. splink is optional (`pip install -e ".[bench]"`).
"""

import argparse
import time
from collections import defaultdict

from bench.common import line, measured
from bench.dedup_data import KINDS, generate, score


def ours(people):
    from satupintu.lib.matcher import CERTAIN, find_matches

    matches = find_matches(people)
    return {(m.a, m.b) for m in matches}, {(m.a, m.b) for m in matches if m.level == CERTAIN}


def naive(people):
    from satupintu.lib.matcher import normalise_name

    groups = defaultdict(list)
    for p in people:
        if p.nik:
            groups[("nik", p.nik)].append(p.key)
        groups[("name", normalise_name(p.name), p.birth_date, p.sex)].append(p.key)
    pairs = set()
    for keys in groups.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                pairs.add((a, b))
    return pairs


SPLINK_THRESHOLDS = (0.5, 0.9, 0.99, 0.999)


def splink_pairs(people):
    """{match probability threshold: predicted pairs}."""
    import logging

    import pandas as pd
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    from satupintu.lib.matcher import normalise_name

    rows = []
    for p in people:
        name = normalise_name(p.name)
        d = p.birth_date
        rows.append({"unique_id": p.key, "nik": p.nik, "name": name, "first_letter": name[:1], "sex": p.sex,
                     "birth_date": d.isoformat(), "birth_year": d.year,
                     "dm_key": f"{min(d.day, d.month):02d}{max(d.day, d.month):02d}", "desa": p.desa,
                     "kecamatan": p.desa[:8], "birth_place": p.birth_place})  # fmt: skip
    frame = pd.DataFrame(rows)
    db_api = DuckDBAPI()
    table = db_api.register(frame)
    date = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            {"sql_condition": '"birth_date_l" IS NULL OR "birth_date_r" IS NULL', "label_for_charts": "null",
             "is_null_level": True},
            {"sql_condition": '"birth_date_l" = "birth_date_r"', "label_for_charts": "exact"},
            {"sql_condition": '"birth_year_l" = "birth_year_r" AND "dm_key_l" = "dm_key_r"',
             "label_for_charts": "day/month swapped"},
            {"sql_condition": "ELSE", "label_for_charts": "else"},
        ],
    )  # fmt: skip
    place = cl.CustomComparison(
        output_column_name="desa",
        comparison_levels=[
            {"sql_condition": '"desa_l" = "desa_r"', "label_for_charts": "same desa"},
            {"sql_condition": '"kecamatan_l" = "kecamatan_r"', "label_for_charts": "same kecamatan"},
            {"sql_condition": "ELSE", "label_for_charts": "else"},
        ],
    )  # fmt: skip
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("nik"),
            block_on("birth_year", "dm_key", "first_letter"),
            block_on("birth_date", "desa"),
        ],
        comparisons=[
            cl.LevenshteinAtThresholds("nik", [1]),
            cl.JaroWinklerAtThresholds("name", [0.95, 0.88]),
            date,
            cl.ExactMatch("sex"),
            place,
            cl.ExactMatch("birth_place"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match([block_on("nik")], recall=0.95)
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik"))
    p = linker.inference.predict(threshold_match_probability=min(SPLINK_THRESHOLDS)).as_pandas_dataframe()
    return {
        t: set(zip(p["unique_id_l"][p["match_probability"] >= t], p["unique_id_r"][p["match_probability"] >= t],
                   strict=True))
        for t in SPLINK_THRESHOLDS
    }  # fmt: skip


def run(size: int, *, isolate: bool = True, with_splink: bool = True) -> dict:
    people, truth = generate(size)
    result = {"records": len(people), "duplicates": len(truth)}
    seconds, peak, (possible, certain) = measured(ours, people, isolate=isolate)
    result["ours"] = {"seconds": seconds, "peak_mb": peak, "possible": score(possible, truth),
                      "certain": score(certain, truth)}  # fmt: skip
    seconds, peak, pairs = measured(naive, people, isolate=isolate)
    result["naive"] = {"seconds": seconds, "peak_mb": peak, **score(pairs, truth)}
    if with_splink:
        try:
            import splink  # noqa: F401
        except ImportError:
            result["splink"] = None
        else:
            seconds, peak, by_threshold = measured(splink_pairs, people, isolate=isolate)
            result["splink"] = {t: {"seconds": seconds, "peak_mb": peak, **score(pairs, truth)}
                                for t, pairs in by_threshold.items()}  # fmt: skip
    return result


def _show(label: str, r: dict) -> None:
    line(
        label,
        f"{r['seconds']:.1f} s, peak {r['peak_mb']:.0f} MB, precision {r['precision']:.2%}, "
        f"recall {r['recall']:.2%}, F1 {r['f1']:.4f} ({r['pairs']:,} pairs)",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=1_000_000, help="records")
    parser.add_argument("--small", action="store_true", help="5,000 records")
    parser.add_argument("--no-splink", action="store_true")
    args = parser.parse_args()
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    start = time.perf_counter()
    r = run(5000 if args.small else args.size, with_splink=not args.no_splink)
    line("records / seeded duplicate pairs", f"{r['records']:,} / {r['duplicates']:,} (kinds: {', '.join(KINDS)})")
    _show("Satu Pintu matcher, certain + possible", {**r["ours"], **r["ours"]["possible"]})
    _show("Satu Pintu matcher, certain only", {**r["ours"], **r["ours"]["certain"]})
    _show("baseline: exact NIK or name+date+sex", r["naive"])
    if r.get("splink"):
        for threshold, figures in r["splink"].items():
            _show(f"splink 5 (DuckDB), p >= {threshold}", figures)
    elif "splink" in r:
        line("splink", "not installed (pip install -e '.[bench]')")
    line("bench wall time", f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
