from django.apps import AppConfig


class RenfortConfig(AppConfig):
    name = "renfort"
    verbose_name = "Renfort"

    def ready(self):
        from renfort import response_cache, site_cache

        site_cache.connect()
        response_cache.connect()
