from django.urls import path

from simkerma.imports import export_views, views

app_name = "imports"

urlpatterns = [
    path("", views.import_page, name="import"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/status/", views.job_status, name="job_status"),
    path("<int:pk>/simpan/", views.job_confirm, name="job_confirm"),
    path("<int:pk>/berkas/", views.job_file, name="job_file"),
    path("ekspor/", export_views.export_page, name="export"),
    path("ekspor/unduh/", export_views.export_download, name="export_download"),
    path("templat/", export_views.template_download, name="template_download"),
]
