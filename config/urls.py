from django.contrib import admin
from django.urls import include, path

from simkerma.api.api import api_urls
from simkerma.site import public as site_public
from simkerma.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("pemberitahuan/", site_views.notice_list, name="notices"),
    path("publik/", site_public.public_page, name="public"),
    path("kpi/", include("simkerma.kpis.urls")),
    path("akun/", include("simkerma.accounts.urls")),
    path("akun/token-api/", include("simkerma.api.urls")),
    path("organisasi/", include("simkerma.org.urls")),
    path("mitra/", include("simkerma.partners.urls")),
    path("dokumen/", include("simkerma.agreements.urls")),
    path("kegiatan/", include("simkerma.activities.urls")),
    path("arsip/", include("simkerma.archive.urls")),
    path("layanan/", include("simkerma.servicedesk.urls")),
    path("masuk/", include("simkerma.intake.urls")),
    path("evaluasi/", include("simkerma.evaluations.urls")),
    path("impor/", include("simkerma.imports.urls")),
    path("laporan/", include("simkerma.reports.urls")),
    path("api/v1/", api_urls()),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
