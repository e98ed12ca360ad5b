"""The equity audit and the monthly report as XLSX, PDF and CSV (same tables as the pages)."""

from django.utils.translation import gettext as _

from .exports import csv_response, pdf_bytes, xlsx_bytes, xlsx_response


def _pct(value) -> str:
    return "" if value is None else f"{100 * value:.1f}%"


def _num(value, places=2):
    return "" if value is None else round(value, places)


def equity_tables(report) -> list:
    proc, access, outcomes = report.procedural, report.access, report.outcomes
    ikm = outcomes["ikm"]
    yes = _("ya")
    tables = [
        (
            _("Ringkasan"),
            [_("Temuan")],
            [[finding] for finding in report.findings] or [[_("Tidak ada kesenjangan yang ditandai.")]],
        ),
        (
            _("Keadilan prosedural"),
            [
                _("Petugas"),
                _("Keputusan"),
                _("Menyimpang dari aturan"),
                _("Tanpa alasan"),
                _("Pemeriksaan tidak lengkap"),
                _("Pengecualian antrean"),
            ],
            [
                [
                    _("Semua keputusan"),
                    proc["decisions"],
                    "",
                    _pct(1 - proc["reasoned"]) if proc["reasoned"] is not None else "",
                    _pct(1 - proc["checks"]) if proc["checks"] is not None else "",
                    "",
                ]
            ]
            + [
                [
                    o["name"],
                    o["decisions"],
                    o["overrides"],
                    o["unreasoned"],
                    o["incomplete"],
                    o["queue_exceptions"],
                ]
                for o in proc["officers"]
            ],
        ),
        (
            _("Akses per kecamatan"),
            [
                _("Kecamatan"),
                _("RT miskin terdaftar"),
                _("Permohonan"),
                _("Disetujui"),
                _("Permohonan per RT miskin"),
                _("Persetujuan per RT miskin"),
                _("Ditandai"),
            ],
            [
                [
                    r["name"],
                    r["poor"],
                    r["applications"],
                    r["approvals"],
                    _num(r["rate"], 4),
                    _num(r["approval_rate"], 4),
                    yes if r["flagged"] else "",
                ]
                for r in access["kecamatan_rows"]
            ]
            + [
                [_("Rasio maks/min"), _num(access["kecamatan"].ratio_max_min)],
                [_("Indeks Gini"), _num(access["kecamatan"].gini, 4)],
                [_("Indeks Theil T"), _num(access["kecamatan"].theil, 4)],
            ],
        ),
        (
            _("Akses per desa"),
            [
                _("Desa/kelurahan"),
                _("RT miskin terdaftar"),
                _("Permohonan"),
                _("Permohonan per RT miskin"),
                _("p (Poisson, satu sisi)"),
                _("Ditandai"),
            ],
            [
                [
                    r["name"],
                    r["poor"],
                    r["applications"],
                    _num(r["rate"], 4),
                    _num(r["p_value"], 6),
                    yes if r["flagged"] else "",
                ]
                for r in access["desa_rows"]
            ],
        ),
        (
            _("Konsistensi proses"),
            [
                _("Dimensi"),
                _("Kelompok"),
                _("Keputusan"),
                _("Median hari kerja"),
                _("Tepat waktu"),
                _("Uji hari kerja"),
                _("p"),
                _("Uji tepat waktu"),
                _("p"),
                _("Ditandai"),
            ],
            [
                [
                    str(item["label"]),
                    g["label"],
                    g["n"],
                    g["median"],
                    _pct(g["on_time"]),
                    item["duration"].test,
                    _num(item["duration"].p_value, 6),
                    item["on_time"].test,
                    _num(item["on_time"].p_value, 6),
                    yes if (item["duration"].flagged or item["on_time"].flagged) else "",
                ]
                for item in report.consistency
                for g in item["groups"]
            ],
        ),
        (
            _("Hasil"),
            [_("Ukuran"), _("Nilai")],
            [
                [_("Permohonan diterima"), outcomes["received"]],
                [_("Tingkat penyelesaian"), _pct(outcomes["completion_rate"])],
                [_("Tingkat persetujuan"), _pct(outcomes["approval_rate"])],
                [_("Rujukan ditindaklanjuti"), _pct(outcomes["referral_closure"])],
                [_("IKM"), f"{ikm.ikm} ({ikm.grade}, {ikm.respondents} responden)" if ikm else ""],
                [
                    _("Pengaduan (semua kategori)"),
                    "<5" if outcomes["complaints_total"] is None else outcomes["complaints_total"],
                ],
            ]
            + [
                [
                    _("Pengaduan per 1.000 permohonan: %(c)s") % {"c": c["label"]},
                    "<5" if c["count"] is None else _num(c["per_1000"]),
                ]
                for c in outcomes["complaints"]
            ],
        ),
    ]
    return tables + distributive_tables(report.distributive)


def distributive_tables(data) -> list:
    """The distributive criterion on money and goods, and the allocation rounds' deviations."""
    if not data:
        return []
    units = data["units"]
    yes = _("ya")
    tables = [
        (
            _("Distributif per RT miskin"),
            [
                _("Kecamatan"),
                _("RT miskin terdaftar"),
                _("Rupiah"),
                _("Rupiah per RT miskin"),
                *[_("%(unit)s per RT miskin") % {"unit": label} for label in units.values()],
                _("Bagian rupiah"),
                _("Bagian RT miskin"),
                _("Penerimaan (RT per program)"),
                _("Harapan"),
                "p",
                _("Ditandai"),
            ],
            [
                [
                    r["name"],
                    r["poor"],
                    _num(r["rupiah"], 0),
                    _num(r["rupiah_per_poor"], 0),
                    *[_num(r["units_per_poor"][unit], 3) for unit in units],
                    _pct(r["share_rupiah"]),
                    _pct(r["share_poor"]),
                    r["reached"],
                    _num(r["expected"], 1),
                    "" if r["p_value"] is None else f"{r['p_value']:.2g}",
                    yes if r["flagged"] else "",
                ]
                for r in data["rows"]
            ]
            + [
                [_("Gini rupiah per RT miskin"), _num(data["gini_rupiah"], 3)],
                *[
                    [_("Gini %(unit)s per RT miskin") % {"unit": label}, _num(data["gini_units"][u], 3)]
                    for u, label in units.items()
                ],
            ],  # fmt: skip
        )
    ]
    if data["deviations"] is not None:
        tables.append(
            (
                _("Penyimpangan peringkat"),
                [
                    _("Layanan"),
                    _("Permohonan"),
                    _("Kecamatan"),
                    _("Peringkat"),
                    _("Diusulkan"),
                    _("Alasan"),
                    _("Diputuskan oleh"),
                ],
                [
                    [
                        d["service"],
                        d["application"],
                        d["kecamatan"],
                        d["rank"],
                        yes if d["proposed"] else "",
                        d["reason"],
                        d["actor"],
                    ]
                    for d in data["deviations"]
                ],
            )  # fmt: skip
        )
    return tables


def _filename(report, ext: str) -> str:
    period = report.period
    area = period.kecamatan or "33.14"
    return f"keadilan-layanan-{area}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{ext}"


def equity_file(report, fmt: str) -> tuple[str, bytes]:
    """The report as an XLSX or PDF file: its name and content."""
    if fmt == "xlsx":
        return _filename(report, "xlsx"), xlsx_bytes(equity_tables(report))
    return _filename(report, "pdf"), _equity_pdf(report)


def _equity_pdf(report) -> bytes:
    period = report.period
    title = _("Laporan keadilan layanan %(start)s – %(end)s") % {
        "start": f"{period.start:%d/%m/%Y}",
        "end": f"{period.end:%d/%m/%Y}",
    }
    blocks = [
        (
            "p",
            _(
                "Uji: Kruskal–Wallis H (hari kerja), chi-kuadrat (tepat waktu), Poisson satu sisi (akses); "
                "ditandai bila p < 0,01 dan selisihnya berarti."
            ),
        )
    ]
    for name, header, rows in equity_tables(report):
        blocks += [("h", name), ("table", header, rows)]
    return pdf_bytes(title, blocks)


def monthly_export(fmt: str, data, late):
    header = [_("Kode"), _("Nama"), _("Diterima"), _("Selesai"), _("Tepat waktu"), _("Tunggakan")]

    def rows(name):
        return [
            [r["key"], r["name"], r["received"], r["finished"], r["on_time"], r["backlog"]]
            for r in data["tables"][name]
        ]

    overdue_rows = [
        [case.number, case.service.name, case.desa.name, case.desa.parent.name, case.due_date.isoformat()]
        for case in late
    ]
    overdue_header = [_("Nomor"), _("Layanan"), _("Desa"), _("Kecamatan"), _("Batas waktu")]
    period = data["period"]
    stem = f"laporan-bulanan-{period.start:%Y-%m}"
    if fmt == "csv":
        lines = [[_("Per layanan")], header, *rows("service"), [], [_("Per kecamatan")], header, *rows("kecamatan")]
        lines += [[], [_("Lewat batas waktu")], overdue_header, *overdue_rows]
        return csv_response(f"{stem}.csv", [_("Laporan bulanan"), f"{period.start:%Y-%m}"], lines)
    return xlsx_response(
        f"{stem}.xlsx",
        [
            (_("Per layanan"), header, rows("service")),
            (_("Per kecamatan"), header, rows("kecamatan")),
            (_("Lewat batas waktu"), overdue_header, overdue_rows),
        ],
    )
