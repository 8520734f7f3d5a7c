"""The agreement history renders partners that no longer exist (issue 7, item 19)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from simkerma.agreements.models import Agreement
from simkerma.agreements.tests.helpers import agreement_data, edit_data
from simkerma.partners.models import Partner
from simkerma.partners.services import partner_merge
from simkerma.partners.tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded(client_for, staff, jurusan_if):
    """An agreement created with PT Ganda, then edited (so it has a change record naming the partner)."""
    duplicate = PartnerFactory(name="PT Ganda Jaya", code="P-0901")
    data = agreement_data(partners=[duplicate], title="Judul lama", units=[jurusan_if])
    assert client_for(staff).post(reverse("agreements:create"), data).status_code == 302
    agreement = Agreement.objects.get()
    data = edit_data(agreement, title="Judul baru")
    assert client_for(staff).post(reverse("agreements:edit", args=[agreement.pk]), data).status_code == 302
    return agreement, duplicate


def test_it_renders_the_history_after_the_partner_was_merged_away(client_for, staff, auditor, recorded):
    agreement, duplicate = recorded
    kept = PartnerFactory(name="PT Ganda Jaya Abadi", code="P-0902")
    partner_merge(source=duplicate, target=kept, user=staff)
    assert not Partner.objects.filter(pk=duplicate.pk).exists()

    response = client_for(auditor).get(reverse("agreements:history", args=[agreement.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "PT Ganda Jaya Abadi" in page  # the partner it moved to
    assert "PT Ganda Jaya (sudah tidak ada)" in page  # the gone partner, by its own last record


def test_it_renders_the_history_after_a_partner_row_is_gone(client_for, auditor, recorded):
    agreement, duplicate = recorded
    # A partner removed below the ORM (an old database, a raw delete): the history still renders.
    Agreement.partners.through.objects.filter(partner_id=duplicate.pk).delete()
    Partner.objects.filter(pk=duplicate.pk)._raw_delete(Partner.objects.db)
    response = client_for(auditor).get(reverse("agreements:history", args=[agreement.pk]))
    assert response.status_code == 200
    assert "PT Ganda Jaya (sudah tidak ada)" in response.content.decode()
