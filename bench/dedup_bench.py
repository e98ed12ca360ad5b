"""Duplicate detection benchmark: seeded people with duplicates of known kinds.

    python -m bench.dedup_bench --size 1000000

Runs the Satu Pintu matcher (blocking + rapidfuzz scoring), a naive exact baseline (same NIK, or
same normalised name + birth date + sex), and splink 5 on DuckDB with the same blocking keys and
comparable comparisons, on the same records; prints seconds, peak memory, precision, recall and
F1 for each, the matcher's recall per kind of duplicate (the baseline's beside it), how many of the
planted twins it flags, and its time against the baseline's. No database is used. splink is
optional (`pip install -e ".[bench]"`).
"""

import argparse
import time
from collections import defaultdict

import numpy as np

from bench.common import line, measured
from bench.dedup_data import KINDS, generate, recall_by_kind, score


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


EM_RULES = [("birth_date", "desa"), ("name", "birth_year")]
SPLINK_THRESHOLDS = (0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999)


def _splink_frame(people):
    import pandas as pd

    from satupintu.lib.matcher import normalise_name

    rows = []
    for p in people:
        name = normalise_name(p.name)
        d = p.birth_date
        rows.append({"unique_id": p.key, "nik": p.nik, "name": name, "first_letter": name[:1],
                     "last_letter": name[-1:], "sex": p.sex, "birth_date": d.isoformat(), "birth_year": d.year,
                     "dm_key": f"{min(d.day, d.month):02d}{max(d.day, d.month):02d}", "desa": p.desa,
                     "kecamatan": p.desa[:8], "birth_place": p.birth_place.lower()})  # fmt: skip
    return pd.DataFrame(rows)


def _splink_settings():
    """Person linkage as splink's docs set it up, with our blocking keys and the same evidence."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    date = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            {"sql_condition": '"birth_date_l" IS NULL OR "birth_date_r" IS NULL', "label_for_charts": "null",
             "is_null_level": True},
            {"sql_condition": '"birth_date_l" = "birth_date_r"', "label_for_charts": "exact",
             "tf_adjustment_column": "birth_date", "tf_adjustment_weight": 1.0},
            {"sql_condition": '"birth_year_l" = "birth_year_r" AND "dm_key_l" = "dm_key_r"',
             "label_for_charts": "day/month swapped"},
            {"sql_condition": 'damerau_levenshtein("birth_date_l", "birth_date_r") <= 1',
             "label_for_charts": "one character"},
            {"sql_condition": "ELSE", "label_for_charts": "else"},
        ],
    )  # fmt: skip
    place = cl.CustomComparison(
        output_column_name="desa",
        comparison_levels=[
            {"sql_condition": '"desa_l" IS NULL OR "desa_r" IS NULL', "label_for_charts": "null",
             "is_null_level": True},
            {"sql_condition": '"desa_l" = "desa_r"', "label_for_charts": "same desa"},
            {"sql_condition": '"kecamatan_l" = "kecamatan_r"', "label_for_charts": "same kecamatan"},
            {"sql_condition": "ELSE", "label_for_charts": "else"},
        ],
    )  # fmt: skip
    return SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("nik"),
            block_on("birth_year", "dm_key", "first_letter", "last_letter"),
            block_on("birth_date", "desa"),
        ],
        comparisons=[
            cl.ExactMatch("nik"),
            cl.NameComparison("name").configure(term_frequency_adjustments=True),
            date,
            cl.ExactMatch("sex"),
            place,
            cl.ExactMatch("birth_place").configure(term_frequency_adjustments=True),
        ],
        retain_intermediate_calculation_columns=False,
    )


def splink_pairs(people):
    """{match probability threshold: predicted pairs}: splink 5 on DuckDB, trained unsupervised.

    As splink's tutorials do: λ from deterministic rules, u by random sampling (10 million pairs),
    m by EM over two blocking rules that each leave the other fields free (birth date; NIK),
    term-frequency adjustments on the name, birth date and birth place.
    """
    import logging

    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.ERROR)
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(_splink_frame(people)), _splink_settings(), log_level=logging.ERROR)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik"), block_on("name", "birth_date", "sex")], recall=0.8
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=10_000_000, seed=1)
    for rule in EM_RULES:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*rule))
    p = linker.inference.predict(threshold_match_probability=min(SPLINK_THRESHOLDS)).as_pandas_dataframe()
    return {
        t: set(zip(p["unique_id_l"][p["match_probability"] >= t], p["unique_id_r"][p["match_probability"] >= t],
                   strict=True))
        for t in SPLINK_THRESHOLDS
    }  # fmt: skip


def cap_losses(people, truth, cap: int = 400) -> dict:
    """How many true pairs the block cap keeps apart (they share a key but fall in different windows)."""
    from satupintu.lib.matcher import candidate_pairs, columns_of

    columns = columns_of(people)
    keys = [p.key for p in people]
    truth = {tuple(sorted(pair)) for pair in truth}

    def covered(max_block):
        i, j = candidate_pairs(columns, max_block)
        return {tuple(sorted((keys[a], keys[b]))) for a, b in zip(i.tolist(), j.tolist(), strict=True)} & truth

    largest = max(int(np.unique(k[k >= 0], return_counts=True)[1].max()) for k in columns.blocking_keys())
    candidates = len(candidate_pairs(columns, cap)[0])
    return {"largest_block": largest, "lost": len(covered(len(people)) - covered(cap)), "cap": cap,
            "candidates": candidates}  # fmt: skip


def names_recognised(people, truth: dict) -> float:
    """The share of abbreviated copies whose name the matcher reads as the same name (equal,
    abbreviated, or a title before it), whatever the NIK: the abbreviation rule on its own."""
    from satupintu.lib.matcher import compare, normalise_name

    by_key = {p.key: p for p in people}
    pairs = [pair for pair, kind in truth.items() if kind == "abbreviated"]
    same = ("nama sama", "nama depan disingkat", "gelar di depan nama")
    hits = 0
    for a, b in pairs:
        p, q = by_key[a], by_key[b]
        hits += any(r.startswith(same) for r in compare(p, q, normalise_name(p.name), normalise_name(q.name))[1])
    return hits / len(pairs) if pairs else 1.0


def run(size: int, *, isolate: bool = True, with_splink: bool = True, seed: int = 6) -> dict:
    people, truth, twins = generate(size, seed=seed)
    result = {"records": len(people), "duplicates": len(truth), "seed": seed, "cap": cap_losses(people, truth),
              "twins": len(twins), "names_recognised": names_recognised(people, truth)}  # fmt: skip
    seconds, peak, (possible, certain) = measured(ours, people, isolate=isolate)
    result["ours"] = {"seconds": seconds, "peak_mb": peak, "possible": score(possible, truth),
                      "certain": score(certain, truth), "kinds": recall_by_kind(possible, truth),
                      "twins_flagged": len(_sorted(possible) & _sorted(twins)),
                      "same_household_certain": len(_sorted(certain) & _sorted(
                          pair for pair, kind in truth.items() if kind == "same_household"))}  # fmt: skip
    seconds, peak, pairs = measured(naive, people, isolate=isolate)
    result["naive"] = {"seconds": seconds, "peak_mb": peak, **score(pairs, truth),
                       "kinds": recall_by_kind(pairs, truth)}  # fmt: skip
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


def _sorted(pairs) -> set[tuple]:
    return {tuple(sorted(pair)) for pair in pairs}


def _best_f1(by_threshold: dict) -> float:
    return max(by_threshold, key=lambda t: by_threshold[t]["f1"])


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
    parser.add_argument("--seed", type=int, default=6, help="seed of the generated records")
    args = parser.parse_args()
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    start = time.perf_counter()
    r = run(5000 if args.small else args.size, with_splink=not args.no_splink, seed=args.seed)
    line("records / seeded duplicate pairs", f"{r['records']:,} / {r['duplicates']:,} (kinds: {', '.join(KINDS)})")
    line("seed", r["seed"])
    cap = r["cap"]
    line("largest block / true pairs lost to the cap", f"{cap['largest_block']:,} / {cap['lost']} (cap {cap['cap']})")
    line("candidate pairs after blocking", f"{cap['candidates']:,}")
    ours, baseline = r["ours"], r["naive"]
    _show("Satu Pintu matcher, certain + possible", {**ours, **ours["possible"]})
    _show("Satu Pintu matcher, certain only", {**ours, **ours["certain"]})
    _show("baseline: exact NIK or name+date+sex", baseline)
    line("matcher time / baseline time", f"{ours['seconds'] / max(baseline['seconds'], 1e-9):.2f}")
    for kind, recall in ours["kinds"].items():
        line(f"  recall, {kind}", f"{recall:.2%} (baseline {baseline['kinds'][kind]:.2%})")
    line("  same-household pairs scored certain", ours["same_household_certain"])
    line("  abbreviated copies whose name is recognised", f"{r['names_recognised']:.2%}")
    line("planted twins (one KK) / flagged", f"{r['twins']:,} / {ours['twins_flagged']:,}")
    if r.get("splink"):
        best = _best_f1(r["splink"])
        for threshold, figures in r["splink"].items():
            if threshold in (0.5, 0.99, best):
                note = " (best F1, chosen knowing the truth)" if threshold == best else ""
                _show(f"splink 5 (DuckDB), p >= {threshold}{note}", figures)
    elif "splink" in r:
        line("splink", "not installed (pip install -e '.[bench]')")
    line("bench wall time", f"{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
