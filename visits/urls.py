from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("", views.visit_list, name="list"),
    path("export/", views.visit_export, name="export"),
    path("new/<uuid:client_id>/", views.visit_new, name="new"),
    path("new/<uuid:client_id>/products/", views.product_search, name="products"),
    path("<uuid:visit_id>/saved/", views.visit_saved, name="saved"),
    path("<uuid:visit_id>/", views.visit_detail, name="detail"),
    path("<uuid:visit_id>/edit/", views.visit_edit, name="edit"),
    path("<uuid:visit_id>/delete/", views.visit_delete, name="delete"),
    path("reactions/new/<uuid:client_id>/", views.reaction_new, name="reaction_new"),
    path("reactions/<uuid:reaction_id>/", views.reaction_detail, name="reaction"),
]
