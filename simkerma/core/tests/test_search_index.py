"""Indexed word search: the same words find the same rows on SQLite and on PostgreSQL.

CI runs this module on both databases; every expected list below is the same for both.
"""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest
from django.db import connection, transaction

from simkerma.activities.models import Activity
from simkerma.activities.tests.factories import ActivityFactory
from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.factories import AgreementFactory
from simkerma.core.search_folding import FOLD_FROM, FOLD_TO, SEPARATORS, SQLITE_TOKENIZER
from simkerma.core.search_index import restore_sqlite_triggers, search_tokens
from simkerma.partners.models import Partner, PartnerContact
from simkerma.partners.tests.factories import ContactFactory, PartnerFactory
from simkerma.servicedesk.models import ServiceRequest
from simkerma.servicedesk.tests.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    mitra = PartnerFactory(code="M00001", name="PT Mitra Sejahtera", city="Batam")
    stuttgart = PartnerFactory(code="M00002", name="Universität Stuttgart", city="Stuttgart", country="DE")
    ecole = PartnerFactory(code="M00003", name="École Polytechnique", city="Palaiseau", country="FR")
    hanoi = PartnerFactory(code="M00004", name="Đại học Bách khoa Hà Nội", city="Hà Nội", country="VN")
    PartnerFactory(code="M00005", name="CV Sejahtera_Abadi", city="Tanjungpinang")
    PartnerFactory(code="M00006", name="O'Neill & Sons (Ltd.) 50%", city="Kuala Lumpur", country="MY")
    ContactFactory(partner=mitra, name="Hendra Wijaya")
    ContactFactory(partner=stuttgart, name="Jürgen Müller")
    mou = AgreementFactory(number="001/MOU.PL29/I/2025", title="Kerja sama magang industri", partners=[mitra, hanoi])
    pks = AgreementFactory(
        number="PKS-002/PL29/2025",
        partner_number="UST/2025/17",
        title="Penelitian bersama energi terbarukan",
        partners=[stuttgart],
    )
    AgreementFactory(number="003/MOU.PL29/III/2024", title="Pertukaran pelajar", partners=[ecole])
    ActivityFactory(code="KGT-2025-0041", title="Magang mahasiswa semester genap", agreement=mou)
    ActivityFactory(code="KGT-2025-0042", title="Kuliah tamu dari École", agreement=pks)
    ServiceRequestFactory(
        code="LYN-2025-0007",
        subject="Permohonan draf MoU magang",
        requester_name="Siti Rahmawati",
        requester_organisation="PT Mitra Sejahtera",
        partner=mitra,
    )
    ServiceRequestFactory(
        code="LYN-2025-0008",
        subject="Informasi kuliah tamu",
        requester_name="Nguyễn Văn An",
        requester_organisation="Trường Đại học",
    )


def found(model, field, query):
    return sorted(model.objects.search(query).values_list(field, flat=True))


ALL_PARTNERS = ["M00001", "M00002", "M00003", "M00004", "M00005", "M00006"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sejahtera", ["M00001", "M00005"]),
        ("  MITRA   sejah ", ["M00001"]),
        ("abadi", ["M00005"]),  # "_" separates words
        ("tra", []),  # the start of a word, not any part of it
        ("universitat", ["M00002"]),
        ("UNIVERSITÄT stutt", ["M00002"]),
        ("ecole", ["M00003"]),
        ("écOLE", ["M00003"]),
        ("ha noi", ["M00004"]),
        ("đại bach", ["M00004"]),
        ("o'neill", ["M00006"]),
        ("neill sons ltd 50", ["M00006"]),
        ("m00003", ["M00003"]),
        ("m0000", ALL_PARTNERS),
        ("hendra", ["M00001"]),  # a contact
        ("muller", ["M00002"]),  # a contact, accents ignored
        ("batam", ["M00001"]),  # the city
        ("kuala lumpur", ["M00006"]),
        ("batam stuttgart", []),  # every word must match
    ],
)
def test_it_finds_partners_by_the_start_of_their_words(corpus, query, expected):
    assert found(Partner, "code", query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("001/MOU.PL29/I/2025", ["001/MOU.PL29/I/2025"]),
        ("MOU.PL29", ["001/MOU.PL29/I/2025", "003/MOU.PL29/III/2024"]),
        ("pl29 2025", ["001/MOU.PL29/I/2025", "PKS-002/PL29/2025"]),
        ("PKS-002", ["PKS-002/PL29/2025"]),
        ("UST/2025/17", ["PKS-002/PL29/2025"]),  # the partner's number
        ("energi terbaru", ["PKS-002/PL29/2025"]),
        ("magang", ["001/MOU.PL29/I/2025"]),
        ("stuttgart", ["PKS-002/PL29/2025"]),  # a partner's name
        ("mitra ha noi", ["001/MOU.PL29/I/2025"]),  # words from two of its partners
        ("ecole", ["003/MOU.PL29/III/2024"]),
        ("batam", []),  # a partner's city is not searched here
        ("002", ["PKS-002/PL29/2025"]),
    ],
)
def test_it_finds_agreements_by_number_title_and_partner(corpus, query, expected):
    assert found(Agreement, "number", query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("KGT-2025-0041", ["KGT-2025-0041"]),
        ("0042", ["KGT-2025-0042"]),
        ("kgt", ["KGT-2025-0041", "KGT-2025-0042"]),
        ("41", []),
        ("MOU.PL29", ["KGT-2025-0041"]),  # its agreement's number
        ("genap magang", ["KGT-2025-0041"]),
        ("ÉCOLE kuliah", ["KGT-2025-0042"]),
        ("stuttgart", []),  # partners are not searched here
    ],
)
def test_it_finds_activities_by_code_title_and_agreement_number(corpus, query, expected):
    assert found(Activity, "code", query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("LYN-2025-0007", ["LYN-2025-0007"]),
        ("lyn 2025", ["LYN-2025-0007", "LYN-2025-0008"]),
        ("draf mou", ["LYN-2025-0007"]),
        ("siti", ["LYN-2025-0007"]),
        ("nguyen van", ["LYN-2025-0008"]),
        ("truong dai", []),  # "đ" is a letter of its own, as in "Đại"
        ("trường đại", ["LYN-2025-0008"]),
        ("mitra sejahtera magang", ["LYN-2025-0007"]),
        ("tamu", ["LYN-2025-0008"]),
    ],
)
def test_it_finds_requests_by_code_subject_requester_and_partner(corpus, query, expected):
    assert found(ServiceRequest, "code", query) == expected


HOSTILE = [
    '"',
    '""""',
    "'",
    "sejahtera\"'",
    "NEAR(sejahtera mitra)",
    "sejahtera AND mitra",
    "sejahtera OR stuttgart",
    "NOT stuttgart",
    "*",
    "sejah*",
    "^mitra",
    "{name} : mitra",
    "name:mitra",
    "code:M00001",
    "%",
    "_",
    "%_%",
    "\\",
    "mitra\\",
    "a' OR '1'='1",
    "(",
    ")",
    "-mitra",
    "mitra:*",
    "!@#$%^&*()[]{}<>?/|~`",
    "\x00mitra",
    "😀",
    "😀 sejahtera",
    "x" * 10_000,
    "sejahtera " * 2000,
]


@pytest.mark.parametrize("query", HOSTILE, ids=range(len(HOSTILE)))
@pytest.mark.parametrize(
    "model", [Partner, Agreement, Activity, ServiceRequest], ids=["partner", "agreement", "activity", "request"]
)
def test_it_never_fails_on_hostile_input(corpus, model, query):
    found = list(model.objects.search(query).values_list("pk", flat=True))

    assert found == list(model.objects.search(" ".join(search_tokens(query))).values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sejahtera AND mitra", ["M00007"]),  # "and" is one more word
        ("sejah*", ["M00001", "M00005", "M00007"]),
        ("{name} : mitra", []),  # "name" is one more word, and no partner has it
        ("sejahtera OR stuttgart", []),
        ("\x00mitra", ["M00001", "M00007"]),
        ("😀 sejahtera", ["M00001", "M00005", "M00007"]),
        ("sejahtera " * 2000, ["M00001", "M00005", "M00007"]),
        ("%", []),  # no letters or digits: nothing
        ("x" * 10_000, []),
    ],
)
def test_it_reads_operators_and_symbols_as_plain_words(corpus, query, expected):
    PartnerFactory(code="M00007", name="Sejahtera Mitra And Co", city="Medan")

    assert found(Partner, "code", query) == expected


def test_it_keeps_the_index_in_step_with_inserts_updates_and_deletes(corpus):
    partner = Partner.objects.get(code="M00005")
    Partner.objects.filter(pk=partner.pk).update(name="CV Makmur Jaya")
    assert found(Partner, "code", "sejahtera") == ["M00001"]
    assert found(Partner, "code", "makmur") == ["M00005"]

    PartnerContact.objects.filter(name="Hendra Wijaya").delete()
    assert found(Partner, "code", "hendra") == []

    Partner.objects.bulk_create([Partner(code="M00099", name="Koperasi Makmur", kind="lainnya", country="ID")])
    assert found(Partner, "code", "makmur") == ["M00005", "M00099"]


def plan(queryset) -> str:
    """The database's plan for the query. On PostgreSQL, with reading whole tables and plain index scans
    off: the tables here are tiny, so the planner would rightly read them whole; what is asserted is
    that the search index can serve."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute("SET LOCAL enable_indexscan = off")
        return queryset.explain()


@pytest.mark.parametrize(
    ("queryset", "indexes"),
    [
        (lambda: Partner.objects.search("mitra"), ["partners_partner_search", "partners_partnercontact_search"]),
        (lambda: Agreement.objects.search("pl29"), ["agreements_agreement_search", "partners_partner_search_name"]),
        (lambda: Activity.objects.search("kgt"), ["activities_activity_search", "agreements_agreement_search_number"]),
        (
            lambda: ServiceRequest.objects.search("lyn"),
            ["servicedesk_servicerequest_search", "partners_partner_search_name"],
        ),
    ],
    ids=["partner", "agreement", "activity", "request"],
)
def test_it_searches_through_the_index(corpus, queryset, indexes):
    text = plan(queryset())

    for index in indexes:
        if connection.vendor == "sqlite":
            index = index.removesuffix("_name").removesuffix("_number")  # one FTS5 table, column filters
            assert f"SCAN {index} VIRTUAL TABLE INDEX" in text
        else:
            assert f"Bitmap Index Scan on {index} " in text
    assert "LIKE" not in text


def fts5_words(texts: list[str]) -> list[list[str]]:
    """The words SQLite's FTS5 makes of each text, in order."""
    db = sqlite3.connect(":memory:")
    db.execute(f'CREATE VIRTUAL TABLE t USING fts5(a, tokenize="{SQLITE_TOKENIZER}")')
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.executemany("INSERT INTO t(rowid, a) VALUES (?, ?)", enumerate(texts, start=1))
    words: list[list[str]] = [[] for _ in texts]
    for doc, term in db.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
        words[doc - 1].append(term)
    return words


RANGES = [(0x20, 0x800), (0xE00, 0xE80), (0x1E00, 0x1F00), (0x2000, 0x2070), (0x3000, 0x3040)]
# Characters SQLite's tokenizer does not know (its tables are Unicode 6.1's), besides unassigned ones.
NEWER_THAN_SQLITE = {0x37F, *range(0x528, 0x530), 0x58D, 0x58E, 0x605, 0x61C, 0x61D, 0x7FD, 0x7FE, 0x7FF}
NEWER_THAN_SQLITE |= set(range(0x2066, 0x206A))
CHARACTERS = [
    chr(c)
    for start, end in RANGES
    for c in range(start, end)
    if unicodedata.category(chr(c)) != "Cn" and c not in NEWER_THAN_SQLITE
]
SAMPLES = ["北京大学", "東京工業大学", "جامعة", "มหาวิทยาลัย", "Ẓ😀ẓ", "a\u200bb", "ﬁrst", "Ⅻ"]


def test_it_folds_the_same_words_on_postgresql_as_fts5_on_sqlite():
    texts = [f"x{c}x {c}y" for c in CHARACTERS] + SAMPLES
    expected = [sorted(set(words)) for words in fts5_words(texts)]
    if connection.vendor != "postgresql":
        # The folding table PostgreSQL uses is SQLite's own, and the separators are its other numbers.
        assert "".join(c for c in CHARACTERS if unicodedata.category(c) == "No") == SEPARATORS
        folded = [" " if words == ["x", "x"] else words[0][1:-1] for words in fts5_words([f"x{c}x" for c in FOLD_FROM])]
        assert folded == [FOLD_TO[i] if i < len(FOLD_TO) else "" for i in range(len(FOLD_FROM))]
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(tsvector_to_array(simkerma_search_vector(t)), '{}') FROM unnest(%s::text[]) "
            "WITH ORDINALITY AS texts(t, n) ORDER BY n",
            [texts],
        )
        actual = [sorted(row[0]) for row in cursor.fetchall()]
    differing = [(text, want, got) for text, want, got in zip(texts, expected, actual, strict=True) if want != got]
    assert differing == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="triggers keep the FTS5 tables of SQLite")
def test_it_puts_back_the_triggers_a_rebuilt_table_lost(corpus):
    # SQLite alters a column by copying the table, which drops its triggers; migrate then restores them.
    with connection.cursor() as cursor:
        for event in ("insert", "delete", "update"):
            cursor.execute(f"DROP TRIGGER partners_partner_search_{event}")
    Partner.objects.filter(code="M00005").update(name="CV Makmur Jaya")
    assert found(Partner, "code", "makmur") == []

    restore_sqlite_triggers()

    assert found(Partner, "code", "makmur") == ["M00005"]
    Partner.objects.filter(code="M00005").update(name="CV Sentosa")
    assert found(Partner, "code", "makmur") == []
    assert found(Partner, "code", "sentosa") == ["M00005"]
