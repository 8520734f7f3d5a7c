"""Indexed word search on partners and their contacts (core.search_index)."""

from django.db import migrations

from simkerma.core.search_index import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [("partners", "0004_seed_partner_categories")]

    operations = [
        CreateSearchIndex(table="partners_partner", columns=["name", "code", "city"], groups=[["name"]]),
        CreateSearchIndex(table="partners_partnercontact", columns=["name"]),
    ]
