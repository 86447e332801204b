"""factory_boy factories for every model, in one place."""

import hashlib
from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

from claims.models import Article, Battle, Claim, Conflict, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct-horse-battery")


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conflict
        django_get_or_create = ("name",)

    name = "Test War"
    slug = factory.LazyAttribute(lambda c: slugify(c.name))
    start_date = date(2022, 2, 24)
    sides = factory.LazyFunction(lambda: ["russia", "ukraine"])


class BattleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Battle

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        # Tests name a battle's war as text: conflict="Russo-Ukrainian War".
        if isinstance(kwargs.get("conflict"), str):
            kwargs["conflict"] = ConflictFactory(name=kwargs["conflict"])
        return kwargs

    name = factory.Sequence(lambda n: f"Battle of Placeville {n}")
    slug = factory.Sequence(lambda n: f"battle-of-placeville-{n}")
    conflict = factory.SubFactory(ConflictFactory)
    aliases = factory.LazyAttribute(lambda b: [b.name.removeprefix("Battle of ")])
    places = factory.LazyFunction(list)
    start_date = date(2023, 1, 1)
    end_date = date(2023, 12, 31)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    name = factory.Sequence(lambda n: f"Spokesperson {n}")
    slug = factory.Sequence(lambda n: f"spokesperson-{n}")
    kind = Source.Kind.PERSON
    affiliation = "ukraine"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Report number {n}")
    body = factory.Sequence(lambda n: f"Report number {n}. Officials said 1,200 soldiers died.")
    original_content = factory.LazyAttribute(lambda a: a.body.encode())
    original_content_type = "text/plain"
    original_hash = factory.LazyAttribute(lambda a: hashlib.sha256(a.original_content).hexdigest())
    content_hash = factory.LazyAttribute(lambda a: hashlib.sha256(a.body.encode()).hexdigest())
    published_date = date(2023, 6, 1)
    status = Article.Status.PARSED


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    article = factory.SubFactory(ArticleFactory)
    claimant = factory.SubFactory(SourceFactory)
    battle = factory.SubFactory(BattleFactory)
    # The battle's war; a war-wide claim (battle=None) is about the test war unless told.
    conflict = factory.LazyAttribute(lambda c: c.battle.conflict if c.battle else ConflictFactory())
    side = "russia"
    category = Claim.Category.KILLED
    qualifier = Claim.Qualifier.EXACT
    figure_low = 1200
    figure_high = 1200
    claim_date = date(2023, 6, 1)
    excerpt = "Officials said 1,200 soldiers died."
    start_offset = 15
    end_offset = 20
    confidence = 0.8
    status = Claim.Status.DRAFT
