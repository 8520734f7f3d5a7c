from __future__ import annotations

import datetime as dt

from django.test import Client
from django.utils import timezone

from simkerma.api.data import TokenData
from simkerma.api.models import ApiToken, secret_hash
from simkerma.api.services import token_create

PROFILE = "/akun/profil/"
CREATE = "/akun/token-api/"


def test_it_shows_the_tokens_section_on_the_profile_page(client_for, staff):
    token_create(user=staff, data=TokenData(name="SIAKAD"))
    response = client_for(staff).get(PROFILE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="api-tokens"' in html and "SIAKAD" in html
    assert 'href="/akun/profil/"' in html  # the user menu's link


def test_it_leaves_the_section_out_for_an_account_without_a_role(client_for, outsider):
    response = client_for(outsider).get(PROFILE)
    assert response.status_code == 200
    assert 'id="api-tokens"' not in response.content.decode()
    assert client_for(outsider).post(CREATE, {"name": "x"}).status_code == 403


def test_it_asks_to_log_in_first(client, db):
    assert client.get(PROFILE).status_code == 302
    assert client.post(CREATE, {"name": "x"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_it_shows_the_secret_once_and_keeps_only_its_hash(client_for, staff):
    client = client_for(staff)
    response = client.post(CREATE, {"name": "Repositori akreditasi", "expires": "30"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    secret = response.context["secret"]
    assert f'value="{secret}"' in response.content.decode()
    token = ApiToken.objects.get()
    assert token.key_hash == secret_hash(secret)
    assert token.read_only is False  # an unticked box: the form sends nothing for it
    assert dt.timedelta(days=29) < token.expires_at - timezone.now() <= dt.timedelta(days=30)
    assert secret not in client.get(PROFILE).content.decode()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get("/api/v1/partners").status_code == 200


def test_it_makes_a_read_only_token_that_never_expires(client_for, staff):
    client_for(staff).post(CREATE, {"name": "Situs web", "read_only": "on", "expires": ""})
    token = ApiToken.objects.get()
    assert token.read_only is True and token.expires_at is None


def test_it_names_the_problem_of_a_refused_form(client_for, staff):
    response = client_for(staff).post(CREATE, {"name": "", "expires": "7"})
    assert response.status_code == 400
    assert set(response.context["values"]["token_form"].errors) == {"name", "expires"}
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token_with_a_post(client_for, staff):
    issued = token_create(user=staff, data=TokenData(name="SIAKAD"))
    client = client_for(staff)
    assert client.get(f"{CREATE}{issued.token.pk}/cabut/").status_code == 405
    response = client.post(f"{CREATE}{issued.token.pk}/cabut/")
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None and issued.token.revoked_by == staff
    assert Client(HTTP_AUTHORIZATION=f"Bearer {issued.secret}").get("/api/v1/partners").status_code == 401


def test_it_never_revokes_someone_elses_token(client_for, staff, kapokja):
    issued = token_create(user=staff, data=TokenData(name="SIAKAD"))
    assert client_for(kapokja).post(f"{CREATE}{issued.token.pk}/cabut/").status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_it_requires_the_csrf_token_on_the_forms(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(CREATE, {"name": "x"}).status_code == 403
    issued = token_create(user=staff, data=TokenData(name="SIAKAD"))
    assert client.post(f"{CREATE}{issued.token.pk}/cabut/").status_code == 403
    assert ApiToken.objects.filter(revoked_at__isnull=True).count() == 1
