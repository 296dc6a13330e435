from django.urls import path

from gerai import views

app_name = "gerai"

urlpatterns = [
    path("", views.venue, name="venue"),
    path("acara/", views.event_list, name="event_list"),
    path("acara/arsip/", views.event_archive, name="event_archive"),
    path("acara/kalender/", views.event_calendar, name="event_calendar_current"),
    path("acara/kalender/<int:year>/<int:month>/", views.event_calendar, name="event_calendar"),
    path("acara/<slug:slug>/", views.event_detail, name="event_detail"),
    path("acara/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("acara/<slug:slug>/daftar-stan/", views.apply, name="apply"),
    path("kalender/", views.feeds_page, name="feeds"),
    path("kalender.ics", views.calendar_feed, name="calendar_feed"),
    path("kalender/<slug:kind>.ics", views.calendar_feed, name="kind_feed"),
    path("stan/", views.my_applications, name="my_applications"),
    path("stan/<int:pk>/tarik/", views.withdraw, name="withdraw"),
    path("stan/tawaran/<str:token>/", views.offer, name="offer"),
]
