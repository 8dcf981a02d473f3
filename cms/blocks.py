"""StreamField blocks shared by content pages; each renders with its own template.

Images render as WebP renditions with a `srcset` (templates/cms/blocks/), so a phone downloads a picture
sized for its screen, never the original upload.
"""

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


class GalleryBlock(blocks.StreamBlock):
    """Photos shown as a grid of thumbnails, each opening a larger copy (a practice's photos, an article's)."""

    photo = ImageBlock()

    class Meta:
        icon = "image"
        label = _("photos")
        template = "cms/blocks/gallery_block.html"


class DocumentListBlock(blocks.StreamBlock):
    """Files to download (a practice's regulations, reports, presentations)."""

    document = DocumentBlock()

    class Meta:
        icon = "doc-full"
        template = "cms/blocks/document_list_block.html"


class ResultsBlock(blocks.StreamBlock):
    """What a practice changed: headline figures (value and label) and text around them."""

    figures = blocks.ListBlock(FigureBlock(), icon="pick", label=_("figures"), template="cms/blocks/figures_block.html")
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ul", "ol"], icon="pilcrow", template="cms/blocks/paragraph_block.html"
    )


class ArticleStreamBlock(BaseStreamBlock):
    """An article's body: the usual blocks and a photo gallery."""

    gallery = GalleryBlock()
