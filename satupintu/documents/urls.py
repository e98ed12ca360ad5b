from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/unduh/", views.document_download, name="download"),
    path("<int:pk>/cabut/", views.document_revoke, name="revoke"),
    path("<int:pk>/terbitkan-ulang/", views.document_reissue, name="reissue"),
    path("cetak-kartu/", views.card_batch, name="card_batch"),
]
