"""The helpers every app's services share: codes, dates, data objects, change reasons, word search."""

import dataclasses
import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils.translation import gettext_noop, override

from simkerma.core.data import Saved, apply_data, data_values
from simkerma.core.dates import WIB, add_months, add_years
from simkerma.core.history import change_reason, reason_display, reason_template
from simkerma.core.numbering import next_code, next_number, save_with_code
from simkerma.core.search import MAX_SEARCH_WORDS, word_search
from simkerma.partners.models import Partner
from simkerma.partners.tests.factories import PartnerFactory

SIGNED = reason_template(gettext_noop("signed: %(number)s"))


@pytest.mark.django_db
def test_next_code_takes_the_highest_number_of_the_scheme_and_ignores_hand_typed_codes():
    for code in ("M00009", "M00010", "M0002", "MLAMA", "X00099"):
        PartnerFactory(code=code)
    assert next_code(Partner.objects, prefix="M", width=5) == "M00011"


@pytest.mark.django_db
def test_next_code_reads_a_longer_run_of_digits_as_a_larger_number():
    PartnerFactory(code="M99999")
    PartnerFactory(code="M100000")
    assert next_code(Partner.objects, prefix="M", width=5) == "M100001"


@pytest.mark.django_db
def test_next_code_starts_at_one_and_reads_one_row(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert next_code(Partner.objects, prefix="K2026-", width=5) == "K2026-00001"


def test_next_number_ignores_values_outside_the_pattern():
    import re

    assert next_number(["001/A/2025", " 007/A/2025 ", "x/A/2025"], re.compile(r"^(\d+)/A/2025$")) == 8


@pytest.mark.django_db
def test_save_with_code_takes_the_next_free_code_after_a_clash():
    PartnerFactory(code="M00001")
    partner = Partner(name="PT Baru", kind=Partner.Kind.INDUSTRI, country="ID")
    offered = iter(["M00001", "M00002"])  # the first one was taken a moment earlier
    save_with_code(partner, save=partner.save, next_code=lambda: next(offered))
    partner.refresh_from_db()
    assert partner.code == "M00002"


@pytest.mark.django_db
def test_save_with_code_gives_a_typed_code_clash_to_the_caller_and_leaves_the_instance_new():
    PartnerFactory(code="M00001")
    partner = Partner(code="M00001", name="PT Baru", kind=Partner.Kind.INDUSTRI, country="ID")
    with pytest.raises(IntegrityError):
        save_with_code(partner, save=partner.save, next_code=None)
    assert partner.pk is None and partner._state.adding
    assert Partner.objects.filter(name="PT Baru").count() == 0


@pytest.mark.django_db
def test_save_with_code_stops_after_its_attempts():
    PartnerFactory(code="M00001")
    partner = Partner(name="PT Baru", kind=Partner.Kind.INDUSTRI, country="ID")
    with pytest.raises(IntegrityError):
        save_with_code(partner, save=partner.save, next_code=lambda: "M00001", attempts=3)
    assert Partner.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2026, 11, 15), 3, dt.date(2027, 2, 15)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 5, 10), 60, dt.date(2031, 5, 10)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert add_months(day, months) == expected


def test_add_years_moves_29_february_to_28_february():
    assert add_years(dt.date(2028, 2, 29), 5) == dt.date(2033, 2, 28)
    assert add_years(dt.date(2028, 2, 29), 4) == dt.date(2032, 2, 29)


def test_wib_is_seven_hours_ahead_of_utc():
    assert dt.datetime(2026, 12, 1, 9, tzinfo=WIB).utcoffset() == dt.timedelta(hours=7)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Example:
    name: str
    city: str = ""
    country: str = "ID"


def test_data_values_reads_dataclasses_and_mappings():
    assert data_values(Example(name="PT A", city="Batam"), exclude=["country"]) == {"name": "PT A", "city": "Batam"}
    assert data_values({"name": "PT A", "notes": "x"}, exclude=["notes"]) == {"name": "PT A"}


def test_apply_data_sets_the_model_fields_and_ignores_other_names():
    partner = Partner()
    many = apply_data(partner, {"name": "PT A", "city": "Batam", "not_a_field": 1})
    assert (partner.name, partner.city, many) == ("PT A", "Batam", {})
    assert not hasattr(partner, "not_a_field")


def test_saved_carries_warnings():
    saved = Saved(obj="x", warnings=("outside its parent's period",))
    assert saved.obj == "x" and saved.warnings == ("outside its parent's period",)


def test_a_declared_reason_is_stored_in_english_and_shown_in_the_readers_language():
    with override("id"):
        stored = change_reason(SIGNED, number="001/MOU.PL29/III/2025")
    assert stored == "signed: 001/MOU.PL29/III/2025"
    with override("id"):
        assert reason_display(stored) == "ditandatangani: 001/MOU.PL29/III/2025"
        assert reason_display("created") == "dibuat"
    with override("en"):
        assert reason_display(stored) == stored


def test_typed_reasons_are_kept_on_one_line_and_cut_to_the_history_column():
    assert change_reason("mitra\n  tutup") == "mitra tutup"
    stored = change_reason("x" * 300)
    assert len(stored) == 100 and stored.endswith("…")
    with override("id"):
        assert reason_display("Mitra tutup karena pailit") == "Mitra tutup karena pailit"


@pytest.mark.django_db
def test_word_search_needs_every_word_in_one_of_the_fields():
    PartnerFactory(name="PT Batam Shipyard", city="Batam")
    PartnerFactory(name="PT Karimun Shipyard", city="Karimun")
    found = word_search(Partner.objects.all(), "shipyard batam", ["name", "city"])
    assert list(found.values_list("name", flat=True)) == ["PT Batam Shipyard"]


@pytest.mark.django_db
def test_word_search_looks_at_the_first_words_only():
    PartnerFactory(name="PT Batam Shipyard")
    query = " ".join(["batam"] * (MAX_SEARCH_WORDS + 50))
    sql = str(word_search(Partner.objects.all(), query, ["name"]).query)
    assert sql.count("LIKE") == MAX_SEARCH_WORDS
