from django.urls import path

from simkerma.servicedesk.views import discard, drafts, public, reports, requests, settings_pages

app_name = "servicedesk"
urlpatterns = [
    path("", requests.queue, name="queue"),
    path("semua/", requests.request_list, name="list"),
    path("dibuang/", discard.discarded_list, name="discarded"),
    path("baru/", requests.request_create, name="create"),
    path("pilih-mitra/", requests.pick_partner, name="pick_partner"),
    path("ajukan/", public.public_form, name="public_form"),
    path("ajukan/terkirim/", public.public_thanks, name="public_thanks"),
    path("ajukan/terkirim/<str:token>/", public.public_thanks, name="public_sent"),
    path("lacak/<str:token>/", public.track, name="track"),
    path("kalender/", settings_pages.calendar_settings, name="calendar"),
    path("kalender/<int:pk>/hapus/", settings_pages.calendar_delete, name="calendar_delete"),
    path("templat/", settings_pages.templates_page, name="templates"),
    path("templat/<int:pk>/unduh/", settings_pages.template_download, name="template_download"),
    path("templat/bawaan/<str:kind>/", settings_pages.starter_download, name="starter_download"),
    path("laporan/", reports.report, name="report"),
    path("laporan/xlsx/", reports.report_download, name="report_xlsx"),
    path("<int:pk>/", requests.request_detail, name="detail"),
    path("<int:pk>/ubah/", requests.request_edit, name="edit"),
    path("<int:pk>/respons/", requests.request_respond, name="respond"),
    path("<int:pk>/tindak-lanjut/", requests.request_follow_up, name="follow_up"),
    path("<int:pk>/tahap/", requests.request_stage, name="stage"),
    path("<int:pk>/penanggung-jawab/", requests.request_assign, name="assign"),
    path("<int:pk>/tandatangan/", drafts.request_sign, name="sign"),
    path("<int:pk>/riwayat/", requests.request_history, name="history"),
    path("<int:pk>/buang/", discard.request_discard, name="discard"),
    path("<int:pk>/pulihkan/", discard.request_restore, name="restore"),
    path("<int:pk>/pelanggaran/<int:breach_pk>/", requests.breach_reason, name="breach_reason"),
    path("<int:pk>/draf/", drafts.draft_create, name="draft_create"),
    path("<int:pk>/draf/unggah/", drafts.draft_upload_view, name="draft_upload"),
    path("<int:pk>/draf/<int:number>/", drafts.draft_download, name="draft_download"),
    path("<int:pk>/draf/<int:number>/kirim/", drafts.draft_send_view, name="draft_send"),
    path("<int:pk>/draf/<int:number>/diserahkan/", drafts.draft_delivery_view, name="draft_delivery"),
]
