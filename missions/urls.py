from django.urls import path

from missions import views

app_name = "missions"

urlpatterns = [
    path("", views.mission_list, name="list"),
    path("saya/", views.my_missions, name="my"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("dasbor/cetak/", views.dashboard, {"fmt": "print"}, name="dashboard_print"),
    path("dasbor/unduh.xlsx", views.dashboard, {"fmt": "xlsx"}, name="dashboard_xlsx"),
    path("peserta/<int:pk>/mundur/", views.withdraw, name="withdraw"),
    path("peserta/<int:pk>/transaksi/", views.report_deal, name="report_deal"),
    path("transaksi/<int:pk>/dokumen/", views.deal_document, name="deal_document"),
    path("peserta/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("peserta/<int:pk>/agenda/cetak/", views.agenda, {"fmt": "print"}, name="agenda_print"),
    path("peserta/<int:pk>/agenda.ics", views.agenda, {"fmt": "ics"}, name="agenda_ics"),
    path("permintaan/<int:pk>/jawab/", views.answer_meeting_request, name="answer_meeting_request"),
    path("pertemuan/<int:pk>/nilai/", views.rate_meeting, name="rate_meeting"),
    path("pembeli/<str:token>/", views.buyer_link, name="buyer_link"),
    path("pembeli/<str:token>/nilai/<int:pk>/", views.buyer_rate, name="buyer_rate"),
    path("konfirmasi/<str:token>/", views.party_confirm, name="party_confirm"),
    path("tindak-lanjut/<str:token>/", views.follow_up, name="follow_up"),
    path("<slug:slug>/", views.mission_detail, name="detail"),
    path("<slug:slug>/daftar/", views.apply, name="apply"),
    path("<slug:slug>/laporan/", views.mission_report, name="report"),
    path("<slug:slug>/laporan/cetak/", views.mission_report, {"fmt": "print"}, name="report_print"),
    path(
        "<slug:slug>/laporan/unduh.xlsx", views.mission_report, {"fmt": "xlsx"}, name="report_xlsx"
    ),
]
