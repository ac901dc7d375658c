from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.models import PageViewRestriction

        from courses import page_cache
        from courses.selectors import forget_view_restrictions

        page_cache.connect()

        for signal in (post_save, post_delete):
            signal.connect(
                forget_view_restrictions,
                sender=PageViewRestriction,
                dispatch_uid=f"courses_view_restrictions_{signal is post_save}",
            )
