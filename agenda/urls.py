from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.day_view, name="day"),
    path("week/", views.week_view, name="week"),
    path("month/", views.month_view, name="month"),
    path("route/", views.route_view, name="route"),
    path("offline/pages.json", views.offline_sync, name="offline_sync"),
    path("new/", views.appointment_new, name="new"),
    path("again/<uuid:visit_id>/", views.book_again, name="book_again"),
    path("again/<uuid:visit_id>/now/", views.book_again_now, name="book_again_now"),
    path("<uuid:appointment_id>/", views.appointment_detail, name="detail"),
    path("<uuid:appointment_id>/edit/", views.appointment_edit, name="edit"),
    path("<uuid:appointment_id>/confirm/", views.appointment_confirm, name="confirm"),
    path("<uuid:appointment_id>/done/", views.appointment_done, name="done"),
    path("<uuid:appointment_id>/no-show/", views.appointment_no_show, name="no_show"),
    path("<uuid:appointment_id>/cancel/", views.appointment_cancel, name="cancel"),
    path(
        "requests/<uuid:reschedulerequest_id>/dismiss/",
        views.reschedule_request_dismiss,
        name="reschedule_dismiss",
    ),
    path("feed/new-address/", views.feed_regenerate, name="feed_regenerate"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
