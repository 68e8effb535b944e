"""The public link in a reminder (short, for an SMS): /r/<secret>."""

from django.urls import path

from . import reply

app_name = "reply"

urlpatterns = [
    path("<str:token>", reply.reply_page, name="page"),
]
