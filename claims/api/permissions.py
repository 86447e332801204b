"""Who may do what through the API. Reads are public; they only ever see approved data."""

from rest_framework.permissions import BasePermission


class CanSubmitArticles(BasePermission):
    """Uploading an article needs an account with the ingest permission (Editors have it)."""

    message = "Uploading articles needs the permission claims.add_article."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("claims.add_article"))


class CanSeeArticleStatus(BasePermission):
    """An article's parsing status is shown to whoever uploaded it and to those who may view
    articles in the admin (editors, viewers)."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        return obj.uploaded_by_id == request.user.pk or request.user.has_perm("claims.view_article")
