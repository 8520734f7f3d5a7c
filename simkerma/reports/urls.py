from django.urls import path

from simkerma.reports import led_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    # The issued LEDs and the ministry mark (led_views), before the reports' own pages by key.
    path("led/terbitan/", led_views.led_list, name="led_list"),
    path("led/terbitan/baru/", led_views.led_issue_view, name="led_issue"),
    path("led/terbitan/<int:pk>/<slug:fmt>/", led_views.led_download, name="led_download"),
    path("kementerian/tandai/", led_views.ministry_mark, name="ministry_mark"),
    path("<slug:key>/", views.detail, name="detail"),
    path("<slug:key>/unduh/<slug:fmt>/", views.download, name="download"),
]
