"""Conflicts become rows (issue 14): each distinct Battle.conflict name becomes a Conflict with
a slug; claims point at their battle's conflict, and a war-wide claim at the one conflict whose
sides include the claim's side. Claim dates get a precision (day, month, year)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.text import slugify


def _unique_slug(Conflict, name):
    base = slugify(name)[:180] or "conflict"
    slug, n = base, 2
    while Conflict.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def conflicts_from_names(apps, schema_editor):
    Battle = apps.get_model("claims", "Battle")
    Claim = apps.get_model("claims", "Claim")
    Conflict = apps.get_model("claims", "Conflict")
    for name in sorted(set(Battle.objects.order_by().values_list("conflict_name", flat=True))):
        shown = name.strip() or "Unnamed war"
        conflict = Conflict.objects.filter(name=shown).first() or Conflict.objects.create(
            name=shown, slug=_unique_slug(Conflict, shown)
        )
        Battle.objects.filter(conflict_name=name).update(conflict=conflict)
    for battle_id, conflict_id in Battle.objects.values_list("id", "conflict_id"):
        Claim.objects.filter(battle_id=battle_id).update(conflict_id=conflict_id)
    # A conflict's sides: whose losses its battles' claims count.
    sides_of = {}
    for conflict_id, side in (
        Claim.objects.filter(battle__isnull=False)
        .order_by()
        .values_list("conflict_id", "side")
        .distinct()
    ):
        sides_of.setdefault(conflict_id, set()).add(side)
    for conflict in Conflict.objects.all():
        conflict.sides = sorted(sides_of.get(conflict.pk, ()))
        conflict.save(update_fields=["sides"])
    # A war-wide claim goes to the one conflict counting its side (or the only conflict).
    conflicts = list(Conflict.objects.all())
    for side in set(
        Claim.objects.filter(battle__isnull=True).order_by().values_list("side", flat=True)
    ):
        matching = [c for c in conflicts if side in c.sides] or (
            conflicts if len(conflicts) == 1 else []
        )
        if len(matching) == 1:
            Claim.objects.filter(battle__isnull=True, side=side).update(conflict=matching[0])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_claim_added_by_editor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Conflict",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True, db_index=True)),
                ("name", models.CharField(max_length=200, unique=True)),
                ("slug", models.SlugField(max_length=200, unique=True)),
                (
                    "start_date",
                    models.DateField(
                        blank=True,
                        help_text='Where "since the full-scale invasion" starts.',
                        null=True,
                    ),
                ),
                (
                    "end_date",
                    models.DateField(blank=True, help_text="Empty while it goes on.", null=True),
                ),
                (
                    "sides",
                    models.JSONField(
                        blank=True,
                        default=list,
                        help_text="Whose losses its claims count (russia, ukraine, ...): a war-wide claim about one of these sides is placed in this conflict.",
                    ),
                ),
                ("description", models.TextField(blank=True)),
            ],
            options={
                "ordering": [models.OrderBy(models.F("start_date"), nulls_last=True), "name"],
            },
        ),
        migrations.AddField(
            model_name="claim",
            name="claim_date_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                default="day",
                help_text='How much of the claim date the text states: "in May 2024" is a month.',
                max_length=5,
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="claim_date_precision",
            field=models.CharField(
                choices=[("day", "Day"), ("month", "Month"), ("year", "Year")],
                default="day",
                help_text='How much of the claim date the text states: "in May 2024" is a month.',
                max_length=5,
            ),
        ),
        migrations.AddField(
            model_name="claim",
            name="conflict",
            field=models.ForeignKey(
                blank=True,
                help_text="The battle's war; for a war-wide claim, the war it is about.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="claims",
                to="claims.conflict",
            ),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="conflict",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text="The battle's war; for a war-wide claim, the war it is about.",
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="claims.conflict",
            ),
        ),
        migrations.RenameField(model_name="battle", old_name="conflict", new_name="conflict_name"),
        migrations.AddField(
            model_name="battle",
            name="conflict",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="battles",
                to="claims.conflict",
            ),
        ),
        migrations.RunPython(conflicts_from_names, migrations.RunPython.noop),
        migrations.RemoveField(model_name="battle", name="conflict_name"),
        migrations.AlterField(
            model_name="battle",
            name="conflict",
            field=models.ForeignKey(
                help_text="The war this battle belongs to.",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="battles",
                to="claims.conflict",
            ),
        ),
        migrations.AlterModelOptions(
            name="battle",
            options={"ordering": ["conflict__name", "start_date", "name"]},
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["status", "conflict", "battle", "side", "category"],
                include=("claimant", "claim_date", "figure_low", "figure_high", "id"),
                name="claim_public_conflict",
            ),
        ),
    ]
