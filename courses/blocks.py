"""StreamField blocks shared by every lesson body. Each block keeps Meta icon, template and
preview_value so the editor's block previews work. Everything renders light: images as
renditions sized for a phone on a slow link (with width and height, so the page does not jump),
videos as a link plus a low-bandwidth copy rather than a third-party player loaded up front."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

SIMPLE_TEXT = ["bold", "italic", "link", "ol", "ul"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"
        preview_value = "Pourquoi une assemblée générale ?"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=SIMPLE_TEXT, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Text")
        template = "courses/blocks/paragraph.html"
        preview_value = "<p>L'assemblée générale est l'organe souverain de l'association.</p>"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt = blocks.CharBlock(
        label=_("text alternative"),
        required=False,
        help_text=_("What the image shows, for those who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"
        preview_value = {"caption": "Atelier de planification à Lokossa"}


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), required=False)
    description = blocks.CharBlock(label=_("description"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document to download")
        template = "courses/blocks/document.html"
        preview_value = {
            "title": "Modèle de procès-verbal d'assemblée générale",
            "description": "Document modifiable à adapter à votre association.",
        }


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video address"), help_text=_("YouTube, Vimeo or PeerTube link."))
    title = blocks.CharBlock(label=_("title"))
    low_bandwidth_url = blocks.URLBlock(
        label=_("low-bandwidth or download link"),
        required=False,
        help_text=_("A small file (audio or low-resolution video) for slow connections."),
    )
    duration_minutes = blocks.IntegerBlock(label=_("duration (minutes)"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"
        preview_value = {
            "title": "Animer une causerie éducative",
            "low_bandwidth_url": "https://example.org/causerie-240p.mp4",
            "duration_minutes": 6,
        }


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("key_point", _("Key point")), ("warning", _("Warning"))],
        default="key_point",
    )
    title = blocks.CharBlock(label=_("title"), required=False)
    text = blocks.RichTextBlock(label=_("text"), features=SIMPLE_TEXT)

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"
        preview_value = {
            "kind": "key_point",
            "title": "À retenir",
            "text": "<p>Un procès-verbal signé vaut preuve de la décision prise.</p>",
        }


class ExerciseBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    instructions = blocks.RichTextBlock(label=_("instructions"), features=SIMPLE_TEXT)
    expected_output = blocks.RichTextBlock(
        label=_("expected output"), features=SIMPLE_TEXT, required=False
    )
    duration_minutes = blocks.IntegerBlock(label=_("duration (minutes)"), required=False)

    class Meta:
        icon = "tasks"
        label = _("Practical exercise")
        template = "courses/blocks/exercise.html"
        preview_value = {
            "title": "Relire vos statuts",
            "instructions": "<p>Repérez dans vos statuts qui convoque l'assemblée générale.</p>",
            "expected_output": "<p>Une liste de trois points à clarifier.</p>",
            "duration_minutes": 30,
        }


class ResourceBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    url = blocks.URLBlock(label=_("link"), required=False)
    document = DocumentChooserBlock(label=_("document"), required=False)
    note = blocks.CharBlock(label=_("note"), required=False)

    class Meta:
        icon = "link"
        label = _("Resource")


class ResourcesBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False)
    items = blocks.ListBlock(ResourceBlock(), label=_("resources"))

    class Meta:
        icon = "list-ul"
        label = _("Resources")
        template = "courses/blocks/resources.html"
        preview_value = {
            "title": "Pour aller plus loin",
            "items": [
                {"title": "Guide de la gouvernance associative", "note": "20 pages"},
                {"title": "Loi sur les associations", "url": "https://example.org/loi"},
            ],
        }


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    document = DocumentBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    exercise = ExerciseBlock()
    resources = ResourcesBlock()
