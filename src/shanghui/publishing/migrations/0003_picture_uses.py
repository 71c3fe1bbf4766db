"""Which pictures each article uses (``ArticlePicture``), filled for the existing articles."""

import re

import django.db.models.deletion
from django.db import migrations, models

# How an article body embeds a picture of its association (publishing.pictures.image_url).
PICTURE_PATH = r"/a/{slug}/news/images/(\d+)/picture/"


def record_uses(apps, schema_editor):
    """The pictures each existing article uses: its cover and those in its body (their own
    association's only)."""
    Article = apps.get_model("publishing", "Article")
    ArticleImage = apps.get_model("publishing", "ArticleImage")
    ArticlePicture = apps.get_model("publishing", "ArticlePicture")
    articles = Article.objects.select_related("association").only(
        "id", "association_id", "association__slug", "cover_id", "body"
    )
    for article in articles.iterator(chunk_size=500):
        pattern = PICTURE_PATH.format(slug=re.escape(article.association.slug))
        ids = {int(found) for found in re.findall(pattern, article.body or "")}
        if article.cover_id:
            ids.add(article.cover_id)
        ids = {i for i in ids if i < 2**63}
        if not ids:
            continue
        existing = ArticleImage.objects.filter(
            association_id=article.association_id, pk__in=ids
        ).values_list("pk", flat=True)
        ArticlePicture.objects.bulk_create(
            [
                ArticlePicture(
                    association_id=article.association_id, article_id=article.pk, image_id=i
                )
                for i in existing
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("associations", "0002_public_site"),
        ("publishing", "0002_announcements"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticlePicture",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="pictures",
                        to="publishing.article",
                    ),
                ),
                (
                    "association",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="associations.association",
                    ),
                ),
                (
                    "image",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="uses",
                        to="publishing.articleimage",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["association", "image"], name="article_picture_image")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("association", "article", "image"), name="article_picture_once"
                    )
                ],
            },
        ),
        migrations.RunPython(record_uses, migrations.RunPython.noop),
    ]
