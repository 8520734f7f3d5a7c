"""With DEBUG off, visitors see our own Indonesian 404 and 500 pages."""

from django.test import Client
from django.urls import include, path


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("rusak/", broken), path("", include("config.urls"))]


def test_a_missing_page_renders_our_404(settings, db):
    settings.DEBUG = False
    response = Client().get("/tidak-ada-halaman-ini/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 404
    assert "Tidak ditemukan" in response.content.decode()
    assert "404.html" in [t.name for t in response.templates]


def test_a_view_raising_renders_our_500(settings, db):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__
    response = Client(raise_request_exception=False).get("/rusak/", HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Terjadi kesalahan" in body
    assert "boom" not in body
