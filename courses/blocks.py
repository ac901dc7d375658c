"""StreamField blocks shared by every lesson body. The courses issue fills this out (images,
documents, video, callouts, exercises, resources); each block keeps Meta icon, template and
preview_value so the editor's previews work."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading.html"
        preview_value = "Pourquoi une assemblée générale ?"


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        icon="pilcrow",
        label=_("Text"),
        template="courses/blocks/paragraph.html",
        preview_value="<p>L'assemblée générale est l'organe souverain de l'association.</p>",
    )
