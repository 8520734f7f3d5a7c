from django.urls import path

from simkerma.archive import views

app_name = "archive"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("laporan/baru/", views.report_create, name="report_create"),
    path("laporan/<int:pk>/", views.report_detail, name="report_detail"),
    path("laporan/<int:pk>/ubah/", views.report_edit, name="report_edit"),
    path("laporan/<int:pk>/pdf/", views.report_pdf_view, name="report_pdf"),
    path("laporan/<int:pk>/arsipkan/", views.report_archive, name="report_archive"),
    path("laporan/<int:pk>/koreksi/", views.report_correct, name="report_correct"),
    path("laporan/<int:pk>/riwayat/", views.report_history, name="report_history"),
    path("laporan/<int:pk>/pemusnahan/", views.disposal_request, name="disposal_request"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("bukti/<int:pk>/hapus/", views.evidence_remove, name="evidence_remove"),
    path("retensi/", views.retention, name="retention"),
    path("pemusnahan/<int:pk>/", views.disposal_detail, name="disposal_detail"),
]
