"""Images and documents found again by title, or made once from bytes (the demo content, imports)."""

import io

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model


def image_titled(title, make_bytes, filename):
    """The image called `title`; made from `make_bytes()` (JPEG or PNG) when there is none yet."""
    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        content = make_bytes()
        with PILImage.open(io.BytesIO(content)) as picture:
            width, height = picture.size
        image = Image(title=title)
        image.file.save(filename, ContentFile(content), save=False)
        image.width, image.height = width, height  # saving a ContentFile leaves them unset
        image._set_image_file_metadata()
        image.save()
    return image


def document_titled(title, make_bytes, filename):
    """The document called `title`; made from `make_bytes()` when there is none yet."""
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save(filename, ContentFile(make_bytes()), save=False)
        document._set_document_file_metadata()
        document.save()
    return document
