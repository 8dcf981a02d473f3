"""StreamField blocks shared by content pages; each renders with its own template."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"))
    size = blocks.ChoiceBlock(choices=[("h2", "H2"), ("h3", "H3")], default="h2", label=_("size"))

    class Meta:
        icon = "title"
        template = "cms/blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(required=False, label=_("caption"))

    class Meta:
        icon = "image"
        template = "cms/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(required=False, label=_("attribution"))

    class Meta:
        icon = "openquote"
        template = "cms/blocks/quote_block.html"


class FigureBlock(blocks.StructBlock):
    """A headline figure, such as the share of women among participants."""

    value = blocks.CharBlock(label=_("value"))
    label = blocks.CharBlock(label=_("label"))

    class Meta:
        icon = "pick"
        template = "cms/blocks/figure_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(required=False, label=_("title"))

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(icon="pilcrow", template="cms/blocks/paragraph_block.html")
    image = ImageBlock()
    quote = QuoteBlock()
    figures = blocks.ListBlock(FigureBlock(), icon="pick", template="cms/blocks/figures_block.html")
    document = DocumentBlock()
    embed = EmbedBlock(
        help_text=_("A video or other embeddable link"), icon="media", template="cms/blocks/embed_block.html"
    )
