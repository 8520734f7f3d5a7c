import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation


@pytest.fixture(autouse=True)
def default_language_afterwards():
    """A request in English leaves English active in this thread; later tests expect the default."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.mark.django_db
def test_it_speaks_indonesian_whatever_the_browser_asks(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert response.headers["Content-Language"] == "id"
    assert "Masuk ke Simkerma" in response.content.decode()


@pytest.mark.django_db
def test_it_switches_to_english_when_the_user_chooses_it(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302

    page = client.get(reverse("login"))

    assert page.headers["Content-Language"] == "en"
    assert "Log in to Simkerma" in page.content.decode()
