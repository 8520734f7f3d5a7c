"""The thirteen partner categories of the cooperation IKU (Kepmendikbudristek 210/M/2023), editable afterwards."""

from django.db import migrations

CATEGORIES = [
    ("multinasional", "Perusahaan multinasional"),
    ("nasional_berstandar", "Perusahaan nasional berstandar tinggi"),
    ("teknologi_global", "Perusahaan teknologi global"),
    ("startup_teknologi", "Perusahaan rintisan (start-up) teknologi"),
    ("nirlaba_dunia", "Organisasi nirlaba kelas dunia"),
    ("multilateral", "Institusi/organisasi multilateral"),
    ("pt_qs100", "Perguruan tinggi dalam daftar QS100 berdasarkan bidang ilmu"),
    ("pt_relevan", "Perguruan tinggi, fakultas atau program studi dalam bidang yang relevan"),
    ("pemerintah_bumn_bumd", "Instansi pemerintah, BUMN dan/atau BUMD"),
    ("rumah_sakit", "Rumah sakit"),
    ("umkm", "Usaha mikro, kecil dan menengah (UMKM)"),
    ("lembaga_riset", "Lembaga riset pemerintah, swasta, nasional atau internasional"),
    ("lembaga_kebudayaan", "Lembaga kebudayaan berskala nasional/bereputasi"),
]


def seed(apps, schema_editor):
    PartnerCategory = apps.get_model("partners", "PartnerCategory")
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        PartnerCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def unseed(apps, schema_editor):
    PartnerCategory = apps.get_model("partners", "PartnerCategory")
    PartnerCategory.objects.filter(code__in=[code for code, _ in CATEGORIES], partners__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_ministry_category")]
    operations = [migrations.RunPython(seed, unseed)]
