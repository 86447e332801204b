import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ingest.services import gold_drafts_approve

SAMPLE_GOLD = Path(settings.BASE_DIR) / "seeds" / "articles" / "gold.json"


class Command(BaseCommand):
    help = (
        "Demo only: create (or reset) the editor account 'editor' with a new password, print "
        "the credentials, and approve the sample articles' draft claims that "
        "seeds/articles/gold.json confirms field by field; the others stay in the review queue."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="editor")
        parser.add_argument("--password", default="", help="Default: a new random one.")
        parser.add_argument(
            "--gold", default=str(SAMPLE_GOLD), help="Gold file of the sample articles."
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Where the site will be served, for the links printed at the end.",
        )

    def handle(
        self, *args: Any, username: str, password: str, gold: str, url: str, **options: Any
    ) -> None:
        gold_path = Path(gold)
        if not gold_path.is_file():
            raise CommandError(f"No such gold file: {gold_path}")
        password = password or secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Editors"))

        try:
            review = gold_drafts_approve(
                gold_path=gold_path,
                user=user,
                note=f"Approved by demo_setup: it matches {gold_path.name} in every field.",
            )
        except (ValueError, KeyError) as exc:  # not JSON, or not in the gold files' format
            raise CommandError(f"{gold_path} is not a gold file: {exc!r}") from exc
        site = url.rstrip("/")
        self.stdout.write(
            f"{review.approved} sample claims approved (they match {gold_path.name} in every "
            f"field); {review.left_for_review} left as drafts for an editor to review.\n\n"
            f"  Site:   {site}/\n"
            f"  Admin:  {site}/admin/  (review queue: {site}/admin/claims/claim/)\n"
            f"  Editor: username '{username}', password '{password}'\n"
        )
