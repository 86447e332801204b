from django.urls import path

from claims import release_views, views

app_name = "claims"
urlpatterns = [
    path("", views.home, name="home"),
    path("conflicts/<slug:slug>/", views.conflict_detail, name="conflict_detail"),
    path("battles/<slug:slug>/", views.battle_detail, name="battle_detail"),
    path("battles/<slug:slug>/claims.csv", views.battle_claims_csv, name="battle_claims_csv"),
    path("claims/<int:claim_id>/", views.claim_detail, name="claim_detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("articles/<int:article_id>/", views.article_detail, name="article_detail"),
    path("search/", views.search, name="search"),
    path("about/", views.about, name="about"),
    path("about/codebook/", release_views.codebook, name="codebook"),
    path("data/", release_views.data_index, name="data"),
    path("data/<int:number>/", release_views.release_detail, name="release_detail"),
    path(
        "data/<int:number>/<str:name>",
        release_views.release_download,
        name="release_download",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
]
