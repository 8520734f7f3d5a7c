from django.urls import path

from simkerma.agreements import views

app_name = "agreements"
urlpatterns = [
    path("", views.agreement_list, name="list"),
    path("baru/", views.agreement_create, name="create"),
    path("saran-nomor/", views.suggest_number, name="suggest_number"),
    path("pilih-induk/", views.pick_parent, name="pick_parent"),
    path("<int:pk>/", views.agreement_detail, name="detail"),
    path("<int:pk>/ubah/", views.agreement_edit, name="edit"),
    path("<int:pk>/perpanjang/", views.agreement_renew, name="renew"),
    path("<int:pk>/akhiri/", views.agreement_terminate_view, name="terminate"),
    path("<int:pk>/pindaian/", views.agreement_scan, name="scan"),
    path("<int:pk>/riwayat/", views.agreement_history, name="history"),
    path("<int:pk>/lapor-kementerian/", views.agreement_mark_reported_view, name="mark_reported"),
]
