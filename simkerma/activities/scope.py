"""The activity scope table: which units and prodi each activity counts for (docs/kpis.md).

An activity's prodi are the ones it names, or else its agreement's; its units likewise. It counts
for every one of its units and for the jurusan of every one of its prodi, once per unit. Each row
carries the activity's start date, status, field and level (its agreement's) and `counts`: carried
out (terlaksana or a later step) with the agreement valid on the start date.

The rows are written set-based (INSERT … SELECT built from querysets), never one activity at a
time, and kept current in the same transaction as every change that affects them: the hooks at the
end of this module follow saves of activities, agreements and prodi and changes to their units and
prodi, whichever door made them (services, the admin, the importer, the demo). Bulk writes that
bypass the model (`bulk_create`, `QuerySet.update`) are followed by `refresh_scope` or
`rebuild_scope()` (`manage.py rebuild_activity_scope`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, models, transaction
from django.db.models import BooleanField, Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from simkerma.activities.models import CARRIED_OUT, Activity, ActivityProdiScope, ActivityUnitScope
from simkerma.agreements.models import Agreement
from simkerma.core.versions import bump
from simkerma.org.models import Prodi

# The data version of the table: bumped in the transaction of every write here (figures cached
# over the table, such as the KPIs, depend on it).
ACTIVITY_SCOPE = "activity-scope"
# Bumped by every save, delete and many-to-many change of activities, agreements, prodi, units,
# evaluations and survey invitations (the KPIs watch them, kpis.apps), and by the importer after
# its bulk writes: the figures computed over those records (the KPIs, the home page's panels)
# depend on it.
KPI_INPUTS = "kpi-inputs"

# Activities refreshed per statement: few enough for SQLite's limit on query parameters.
CHUNK = 2000
# Activities (by primary-key range) rebuilt per statement.
REBUILD_BATCH = 50_000

ROW = ("activity_id", "agreement_id", "start_date", "status", "field", "level", "counts")


def _counts(prefix: str) -> Case:
    """Carried out, and the agreement valid on the start date ("Carried out in year Y")."""
    f = lambda name: prefix + name  # noqa: E731
    valid = (
        Q(**{f("status__in"): list(CARRIED_OUT)})
        & Q(**{f("agreement__start_date__lte"): F(f("start_date"))})
        & Q(**{f("agreement__end_date__gte"): F(f("start_date"))})
        & (
            Q(**{f("agreement__terminated_on__isnull"): True})
            | Q(**{f("agreement__terminated_on__gt"): F(f("start_date"))})
        )
    )
    return Case(When(valid, then=Value(True)), default=Value(False), output_field=BooleanField())


def _row(prefix: str, target: str, target_expr: Any) -> dict[str, Any]:
    """The select list of one scope row, in the table's column order (ROW, then unit or prodi)."""
    p = prefix
    return {
        "s_activity": F(p + "pk") if p else F("pk"),
        "s_agreement": F(p + "agreement_id"),
        "s_start": F(p + "start_date"),
        "s_status": F(p + "status"),
        "s_field": F(p + "field"),
        "s_level": F(p + "agreement__level"),
        "s_counts": _counts(p),
        "s_" + target: target_expr,
    }


def _names(relation: str) -> Exists:
    through = getattr(Activity, relation).through
    return Exists(through.objects.filter(activity_id=OuterRef("pk")))


def _unit_sources(activities: QuerySet[Activity]) -> list[QuerySet[Any]]:
    """The four ways an activity counts for a unit: its own units, its agreement's (when it names
    none), the jurusan of its own prodi, of its agreement's prodi (when it names none)."""
    own_units = activities.filter(units__isnull=False).values(**_row("", "unit", F("units")))
    agreement_units = activities.filter(~_names("units"), agreement__units__isnull=False).values(
        **_row("", "unit", F("agreement__units"))
    )
    own_prodi = activities.filter(prodi__isnull=False).values(**_row("", "unit", F("prodi__unit_id")))
    agreement_prodi = activities.filter(~_names("prodi"), agreement__prodi__isnull=False).values(
        **_row("", "unit", F("agreement__prodi__unit_id"))
    )
    return [own_units, agreement_units, own_prodi, agreement_prodi]


def _prodi_sources(activities: QuerySet[Activity]) -> list[QuerySet[Any]]:
    own = activities.filter(prodi__isnull=False).values(**_row("", "prodi", F("prodi")))
    inherited = activities.filter(~_names("prodi"), agreement__prodi__isnull=False).values(
        **_row("", "prodi", F("agreement__prodi"))
    )
    return [own, inherited]


def _insert(model: type[models.Model], target: str, source: QuerySet[Any]) -> None:
    """INSERT … SELECT the source's rows; a row already there (one unit reached twice) is skipped."""
    sql, params = source.order_by().query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in (*ROW, target + "_id"))
    # "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON.
    statement = f"INSERT INTO {table} ({columns}) SELECT * FROM ({sql}) AS source WHERE true ON CONFLICT DO NOTHING"  # noqa: S608 (names quoted, values as parameters)
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _write(activities: QuerySet[Activity]) -> None:
    for source in _unit_sources(activities):
        _insert(ActivityUnitScope, "unit", source)
    for source in _prodi_sources(activities):
        _insert(ActivityProdiScope, "prodi", source)


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted({int(i) for i in ids})
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def refresh_scope(activity_ids: Iterable[int]) -> None:
    """Recompute the scope rows of these activities (an id no longer stored just loses its rows)."""
    with transaction.atomic():
        bump(ACTIVITY_SCOPE)
        for chunk in _chunks(activity_ids):
            ActivityUnitScope.objects.filter(activity_id__in=chunk).delete()
            ActivityProdiScope.objects.filter(activity_id__in=chunk).delete()
            _write(Activity.objects.filter(pk__in=chunk))


def refresh_agreements_scope(agreement_ids: Iterable[int]) -> None:
    """Recompute the scope rows of every activity under these agreements."""
    ids = list(Activity.objects.filter(agreement_id__in=list(agreement_ids)).values_list("pk", flat=True))
    refresh_scope(ids)


def rebuild_scope(*, batch: int = REBUILD_BATCH) -> int:
    """Recompute the whole table from scratch, activities taken in primary-key ranges. Gives the
    number of unit rows written."""
    with transaction.atomic():
        bump(ACTIVITY_SCOPE)
        ActivityUnitScope.objects.all().delete()
        ActivityProdiScope.objects.all().delete()
        bounds = Activity.objects.aggregate(low=models.Min("pk"), high=models.Max("pk"))
        if bounds["low"] is not None:
            for start in range(bounds["low"], bounds["high"] + 1, batch):
                _write(Activity.objects.filter(pk__gte=start, pk__lt=start + batch))
    return ActivityUnitScope.objects.count()


def computed_rows() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The unit and prodi rows as the rule gives them, computed in Python one activity at a time
    (for tests and checks on small data: the table must hold exactly these)."""
    unit_rows: list[tuple[Any, ...]] = []
    prodi_rows: list[tuple[Any, ...]] = []
    activities = Activity.objects.select_related("agreement").prefetch_related(
        "units", "prodi", "agreement__units", "agreement__prodi"
    )
    for activity in activities:
        agreement = activity.agreement
        counts = activity.status in CARRIED_OUT and agreement.is_valid_on(activity.start_date)
        common = (activity.agreement_id, activity.start_date, activity.status, activity.field, agreement.level, counts)
        for unit_id in sorted(activity.unit_ids()):
            unit_rows.append((activity.pk, unit_id, *common))
        for prodi in activity.effective_prodi():
            prodi_rows.append((activity.pk, prodi.pk, *common))
    return sorted(unit_rows), sorted(prodi_rows)


def stored_rows() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The unit and prodi rows the table holds, in the shape of computed_rows()."""
    tail = ("agreement_id", "start_date", "status", "field", "level", "counts")
    units = ActivityUnitScope.objects.values_list("activity_id", "unit_id", *tail)
    prodi = ActivityProdiScope.objects.values_list("activity_id", "prodi_id", *tail)
    return sorted(units), sorted(prodi)


# --- keeping the table current -------------------------------------------------------------------
# Saves that touch only the time stamp (the second save of save_with_one_record) or fields no
# scope row holds change nothing here.

ACTIVITY_FIELDS = frozenset({"agreement", "agreement_id", "start_date", "status", "field"})
AGREEMENT_FIELDS = frozenset({"level", "start_date", "end_date", "terminated_on"})


def _touches(update_fields: Iterable[str] | None, fields: frozenset[str]) -> bool:
    return update_fields is None or bool(fields & set(update_fields))


def _activity_saved(sender: Any, instance: Activity, raw: bool = False, update_fields: Any = None, **kw: Any) -> None:
    if not raw and _touches(update_fields, ACTIVITY_FIELDS):
        refresh_scope([instance.pk])


def _agreement_saved(
    sender: Any, instance: Agreement, created: bool = False, raw: bool = False, update_fields: Any = None, **kw: Any
) -> None:
    if not raw and not created and _touches(update_fields, AGREEMENT_FIELDS):
        refresh_agreements_scope([instance.pk])


def _activity_links_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kw: Any
) -> None:
    """An activity's units or prodi changed (from either side of the relation)."""
    if action == "pre_clear" and reverse:
        instance._scope_cleared = list(
            sender.objects.filter(**{_side(sender, instance): instance.pk}).values_list("activity_id", flat=True)
        )
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_scope([instance.pk])
    elif action == "post_clear":
        refresh_scope(getattr(instance, "_scope_cleared", []))
    else:
        refresh_scope(pk_set or [])


def _agreement_links_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kw: Any
) -> None:
    """An agreement's units or prodi changed: its activities that inherit them follow."""
    if action == "pre_clear" and reverse:
        instance._scope_cleared = list(
            sender.objects.filter(**{_side(sender, instance): instance.pk}).values_list("agreement_id", flat=True)
        )
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh_agreements_scope([instance.pk])
    elif action == "post_clear":
        refresh_agreements_scope(getattr(instance, "_scope_cleared", []))
    else:
        refresh_agreements_scope(pk_set or [])


def _side(through: type[models.Model], instance: Any) -> str:
    """The through model's column that points at the instance (a unit or a prodi)."""
    for field in through._meta.fields:
        if field.is_relation and isinstance(instance, field.related_model):  # type: ignore[arg-type]
            return field.attname
    raise LookupError(through)


def _prodi_saving(sender: Any, instance: Prodi, raw: bool = False, **kw: Any) -> None:
    """Remember the jurusan a stored prodi belonged to, to tell a move to another one."""
    if not raw and instance.pk is not None:
        instance._scope_unit = Prodi.objects.filter(pk=instance.pk).values_list("unit_id", flat=True).first()  # type: ignore[attr-defined]


def _prodi_saved(sender: Any, instance: Prodi, created: bool = False, raw: bool = False, **kw: Any) -> None:
    """A prodi moved to another jurusan: its activities now count for the new one."""
    if raw or created or getattr(instance, "_scope_unit", instance.unit_id) == instance.unit_id:
        return
    refresh_scope(ActivityProdiScope.objects.filter(prodi_id=instance.pk).values_list("activity_id", flat=True))


def _prodi_deleting(sender: Any, instance: Prodi, **kw: Any) -> None:
    instance._scope_activities = list(  # type: ignore[attr-defined]
        ActivityProdiScope.objects.filter(prodi_id=instance.pk).values_list("activity_id", flat=True)
    )


def _prodi_deleted(sender: Any, instance: Prodi, **kw: Any) -> None:
    refresh_scope(getattr(instance, "_scope_activities", []))


def connect() -> None:
    """Follow every change that affects the table (called from ActivitiesConfig.ready())."""
    uid = "activities.scope."
    post_save.connect(_activity_saved, sender=Activity, dispatch_uid=uid + "activity")
    post_save.connect(_agreement_saved, sender=Agreement, dispatch_uid=uid + "agreement")
    for name in ("units", "prodi"):
        m2m_changed.connect(
            _activity_links_changed, sender=getattr(Activity, name).through, dispatch_uid=uid + "activity." + name
        )
        m2m_changed.connect(
            _agreement_links_changed, sender=getattr(Agreement, name).through, dispatch_uid=uid + "agreement." + name
        )
    pre_save.connect(_prodi_saving, sender=Prodi, dispatch_uid=uid + "prodi.saving")
    post_save.connect(_prodi_saved, sender=Prodi, dispatch_uid=uid + "prodi.saved")
    pre_delete.connect(_prodi_deleting, sender=Prodi, dispatch_uid=uid + "prodi.deleting")
    post_delete.connect(_prodi_deleted, sender=Prodi, dispatch_uid=uid + "prodi.deleted")
