"""The accreditation score estimate for a prodi's cooperation over TS-2..TS (docs/reports-iku.md):
every input and step of the IAPS 4.0-style computation, for the prodi's instrument and, beside
it, the LAMDIK 2025 variant. An estimate, never the assessors' score."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from simkerma.org.models import Instrument, Prodi
from simkerma.reports.framework import (
    Column,
    Exporter,
    Kind,
    Period,
    Report,
    ReportParams,
    Scope,
    Table,
    Warning,
    register,
)
from simkerma.reports.score import LAMDIK, Estimate, Factors, count_inputs, estimate, factors_for

ESTIMATE = "Perkiraan, bukan nilai resmi"
LABELS = {**{value: str(label) for value, label in Instrument.choices}, LAMDIK: "LAMDIK 2025"}


def columns(variants: list[str]) -> list[Column]:
    return [
        Column("step", "Besaran", width=14),
        Column("formula", "Rumus / Keterangan", width=46),
        *[Column(key, f"Nilai ({LABELS.get(key, key)})", Kind.DECIMAL, width=16) for key in variants],
    ]


def step_rows(estimates: list[Estimate]) -> Iterator[list[Any]]:
    """One row per step; a step only one variant has (E) is empty for the others."""
    first = estimates[0]
    names = [name for name, _formula, _value in first.steps]
    for other in estimates[1:]:
        names += [name for name, _formula, _value in other.steps if name not in names]
    for name in names:
        values, formula = [], ""
        for item in estimates:
            found = next((step for step in item.steps if step[0] == name), None)
            if found is not None:
                formula = formula or found[1]
                values.append(round(found[2], 4) if isinstance(found[2], float) else found[2])
            else:
                values.append(None)
        yield [name, formula, *values]


class ScoreEstimateExporter(Exporter):
    key = "score_estimate"
    label = _("Accreditation score estimate: cooperation")
    group = "Akreditasi (perkiraan)"
    description = _(
        "An estimate of the cooperation score (RK, A, B) over TS-2..TS for a study programme, from its carried-out "
        "activities and permanent lecturers; not the assessors' score."
    )
    verified = False
    scope = Scope.PRODI
    period = Period.TS

    def build(self, params: ReportParams) -> Report:
        prodi = params.prodi
        if prodi is None:
            raise ValueError("the score estimate is for one study programme")
        inputs = count_inputs(prodi, params.year)
        variants: list[tuple[str, Factors]] = []
        for key in dict.fromkeys([prodi.instrument, LAMDIK]):
            found = factors_for(key, prodi.level)
            if found is not None:
                variants.append((key, found))
        estimates = [estimate(inputs, f) for _key, f in variants]
        ts2, _ts1, ts = params.window
        summary: list[tuple[str, Any]] = [("Status", ESTIMATE)]
        for (key, f), result in zip(variants, estimates, strict=True):
            summary.append((f"Skor kerja sama, {LABELS.get(key, key)} ({ESTIMATE.lower()})", result.score))
            summary.append((f"Sumber faktor {LABELS.get(key, key)}", f.source))
        return Report(
            title="Perkiraan skor akreditasi: kerja sama tridharma",
            subtitle=f"{params.subject}, TS = {ts} (TS-2 s.d. TS: {ts2}–{ts})",
            exporter=self.key,
            verified=False,
            tables=[
                Table(
                    "Perkiraan skor",
                    "Masukan dan langkah perhitungan",
                    columns([key for key, _f in variants]),
                    step_rows(estimates) if estimates else [],
                )
            ],
            summary=summary,
            notices=self.notices(prodi, variants),
            warnings=self.warnings(prodi, params.year, inputs.ndtps, bool(variants)),
        )

    @staticmethod
    def notices(prodi: Prodi, variants: list[tuple[str, Factors]]) -> list[str]:
        notices = [
            f"{ESTIMATE}. N1, N2, N3, NI, NN dan NW menghitung kegiatan terlaksana (satu baris LKPS per kegiatan) "
            "yang mulai pada TS-2 s.d. TS, termasuk yang diwarisi PS dari dokumennya; tingkat kegiatan = tingkat "
            "dokumen.",
            f"Faktor untuk jenjang {prodi.level}: sumber-sumber berbeda untuk nilai diploma; dipakai nilai "
            "matriks IAPS 4.0 program sarjana (a=3, b=2, c=1; tingkat 2, 6, 9) kecuali diatur lain.",
        ]
        if any(f.effectiveness for _key, f in variants):
            notices.append(
                "LAMDIK 2025: E (rata-rata efektivitas 1–4 dari evaluasi dokumen PS pada TS-2 s.d. TS) ditampilkan "
                "terpisah; cara LAMDIK menggabungkannya ke skor tidak ditemukan, jadi tidak dimasukkan ke skor."
            )
        return notices

    @staticmethod
    def warnings(prodi: Prodi, ts: int, ndtps: int | None, has_factors: bool) -> list[Warning]:
        warnings = []
        if not ndtps:
            warnings.append(
                Warning(
                    gettext("NDTPS for %(prodi)s in %(year)s is not entered; no score can be estimated.")
                    % {"prodi": prodi.code, "year": ts},
                    f"{reverse('org:lecturer_counts')}?year={ts}",
                )
            )
        if not has_factors:
            warnings.append(
                Warning(
                    gettext("No accreditation factors are set for %(instrument)s, level %(level)s.")
                    % {"instrument": prodi.instrument, "level": prodi.level}
                )
            )
        return warnings


register(ScoreEstimateExporter, order=60)
