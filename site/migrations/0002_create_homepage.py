from django.db import migrations


def create_homepage(apps, schema_editor):
    """Replace Wagtail's welcome page with Renfort's home page (as `wagtail start` does)."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("renfort.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")

    Page.objects.filter(id=2, depth=2).delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="renfort")
    locale, _ = Locale.objects.get_or_create(language_code="fr")
    homepage = HomePage.objects.create(
        title="Renfort",
        draft_title="Renfort",
        slug="accueil",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/accueil/",
        locale=locale,
        intro="Renforcement des capacités des services sociaux et des associations.",
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": homepage, "site_name": "Renfort"},
    )


def remove_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("renfort.HomePage")
    HomePage.objects.filter(slug="accueil", depth=2).delete()
    ContentType.objects.filter(model="homepage", app_label="renfort").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("renfort", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
