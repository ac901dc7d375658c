from django.conf import settings
from django.core.files.storage import storages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_storage():
    """Uploaded sheets hold personal data: they live in the ``private`` storage, never under a
    public /media/ address, and are served only by the scoped views."""
    return storages["private"]


def import_file_path(instance, filename):
    return f"imports/{instance.user_id}/{instance.uuid}.{instance.file_format}"


class ImportJob(models.Model):
    """One uploaded sheet on its way in: its preview, the importer's choices (mode, header
    mapping), the progress of the background run and its report. It belongs to the user who
    uploaded it; nobody else sees it."""

    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("Reading the file")
        PREVIEWED = "previewed", _("Preview ready")
        REFUSED = "refused", _("File refused")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Import failed")

    class Mode(models.TextChoices):
        ALL = "all", _("All or nothing: import only if every row is valid")
        VALID = "valid", _("Import the valid rows and give me back the rejected ones")

    uuid = models.UUIDField(_("identifier"), unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=import_file_path, max_length=255
    )
    file_format = models.CharField(_("format"), max_length=5)
    original_name = models.CharField(_("file name"), max_length=255)
    mode = models.CharField(_("import mode"), max_length=10, choices=Mode.choices, default=Mode.ALL)
    mapping = models.JSONField(_("header mapping"), default=dict, blank=True)
    context = models.JSONField(_("import context"), default=dict, blank=True)
    language = models.CharField(_("language"), max_length=10, default="fr")
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREVIEWING
    )
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows in all"), default=0)
    preview = models.JSONField(
        _("import preview"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    report = models.JSONField(
        _("import report"), default=dict, blank=True, encoder=DjangoJSONEncoder
    )
    created = models.DateTimeField(_("created on"), auto_now_add=True)
    updated = models.DateTimeField(_("updated on"), auto_now=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.kind} · {self.original_name} · {self.created:%Y-%m-%d %H:%M}"

    @property
    def is_running(self):
        return self.status in (self.Status.PREVIEWING, self.Status.IMPORTING)
