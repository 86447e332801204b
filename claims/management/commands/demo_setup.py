import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser

from claims.models import Article, Claim
from claims.services import ReviewError, claim_approve

DEMO_ARTICLES_TO_PUBLISH = 3


class Command(BaseCommand):
    help = (
        "Demo only: create (or reset) the editor account 'editor' with a new password, print "
        "the credentials, and approve the draft claims of the first sample articles so the "
        "public pages have data while the rest wait in the review queue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="editor")
        parser.add_argument("--password", default="", help="Default: a new random one.")

    def handle(self, *args: Any, username: str, password: str, **options: Any) -> None:
        password = password or secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))

        published = 0
        articles = Article.objects.filter(original_filename__regex=r"^0[0-9]_").order_by(
            "original_filename"
        )[:DEMO_ARTICLES_TO_PUBLISH]
        for claim in Claim.objects.filter(article__in=articles, status=Claim.Status.DRAFT):
            try:
                claim_approve(claim=claim, user=user, note="Approved by demo_setup.")
                published += 1
            except ReviewError as exc:
                self.stderr.write(f"Left as draft: {exc}")
        waiting = Claim.objects.filter(status=Claim.Status.DRAFT).count()
        self.stdout.write(
            f"{published} demo claims approved, {waiting} drafts in the review queue.\n\n"
            f"  Site:   http://127.0.0.1:8000/\n"
            f"  Admin:  http://127.0.0.1:8000/admin/\n"
            f"  Editor: username '{username}', password '{password}'\n"
        )
