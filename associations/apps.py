from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssociationsConfig(AppConfig):
    name = "associations"
    verbose_name = _("Associations and participants")

    def ready(self):
        from django.db.models.signals import post_migrate

        from associations.services import role_groups_collections_ensure

        post_migrate.connect(
            role_groups_collections_ensure, sender=self, dispatch_uid="renfort_training_collection"
        )
