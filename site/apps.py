from django.apps import AppConfig


class RenfortConfig(AppConfig):
    name = "renfort"
    verbose_name = "Renfort"
