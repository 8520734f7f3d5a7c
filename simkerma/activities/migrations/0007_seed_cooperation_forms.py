"""The ten forms of cooperation the IKU counts (Kepmendikbudristek 210/M/2023), editable afterwards."""

from django.db import migrations

FORMS = [
    ("kurikulum_bersama", "Pengembangan kurikulum/program bersama"),
    ("magang_1_semester", "Magang/praktik kerja paling sedikit satu semester"),
    ("penyerapan_lulusan", "Penyerapan lulusan"),
    ("praktisi_mengajar", "Dosen tamu/praktisi mengajar"),
    ("peningkatan_dosen", "Peningkatan kompetensi dosen dan instruktur"),
    ("riset_bersama", "Penelitian/riset terapan bersama"),
    ("sertifikasi", "Sertifikasi kompetensi/profesi"),
    ("tefa", "Teaching factory/teaching industry (TEFA)"),
    ("beasiswa_ikatan_dinas", "Beasiswa/ikatan dinas"),
    ("gelar_bersama", "Gelar bersama (joint degree/double degree)"),
]


def seed(apps, schema_editor):
    CooperationForm = apps.get_model("activities", "CooperationForm")
    for order, (code, name) in enumerate(FORMS, start=1):
        CooperationForm.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def unseed(apps, schema_editor):
    CooperationForm = apps.get_model("activities", "CooperationForm")
    CooperationForm.objects.filter(code__in=[code for code, _ in FORMS], activities__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0006_reporting_fields")]
    operations = [migrations.RunPython(seed, unseed)]
