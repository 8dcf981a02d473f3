"""The public contest forms: a municipality's entry (with photos and documents) and a juror's points."""

import io

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

from cms.models import PracticeTopic
from cms.models.practices import FIRST_YEAR

MB = 1024 * 1024
PHOTO_MAX_SIZE = 5 * MB
PHOTO_MAX_COUNT = 6
PHOTO_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}
DOCUMENT_MAX_SIZE = 10 * MB
DOCUMENT_MAX_COUNT = 3
# What a document's first bytes must be for its extension: PDF; Office Open XML and OpenDocument (zip); old Office.
DOCUMENT_SIGNATURES = {
    "pdf": b"%PDF",
    "docx": b"PK\x03\x04",
    "xlsx": b"PK\x03\x04",
    "pptx": b"PK\x03\x04",
    "odt": b"PK\x03\x04",
    "doc": b"\xd0\xcf\x11\xe0",
    "xls": b"\xd0\xcf\x11\xe0",
}


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by `check_file`, their number by `max_count`."""

    def __init__(self, *args, max_count, accept, **kwargs):
        self.max_count = max_count
        kwargs.setdefault("widget", MultipleFileInput(attrs={"multiple": True, "accept": accept}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if len(files) > self.max_count:
            raise ValidationError(
                ngettext("Attach at most %(count)d file.", "Attach at most %(count)d files.", self.max_count)
                % {"count": self.max_count}
            )
        errors, cleaned = [], []
        for file in files:
            try:
                cleaned.append(self.check_file(super().clean(file, initial)))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def check_file(self, file):
        return file


def _extension(file):
    return file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""


def _megabytes(size):
    return size // MB


class PhotoField(MultipleFileField):
    def __init__(self, **kwargs):
        super().__init__(max_count=PHOTO_MAX_COUNT, accept="image/jpeg,image/png,image/webp", **kwargs)

    def check_file(self, file):
        name = {"name": file.name}
        expected = PHOTO_FORMATS.get(_extension(file))
        if expected is None:
            raise ValidationError(gettext("“%(name)s” is not a photo: send JPEG, PNG or WebP pictures.") % name)
        if file.size > PHOTO_MAX_SIZE:
            raise ValidationError(
                gettext("“%(name)s” is larger than %(size)d MB.") % {**name, "size": _megabytes(PHOTO_MAX_SIZE)}
            )
        try:
            file.seek(0)
            with PILImage.open(io.BytesIO(file.read())) as picture:
                real = picture.format
                picture.verify()
        except Exception:  # Pillow raises many kinds of errors for a broken or disguised file
            real = None
        finally:
            file.seek(0)
        if real != expected:
            raise ValidationError(gettext("“%(name)s” is not a readable JPEG, PNG or WebP picture.") % name)
        return file


class DocumentField(MultipleFileField):
    def __init__(self, **kwargs):
        accept = ",".join(f".{extension}" for extension in DOCUMENT_SIGNATURES)
        super().__init__(max_count=DOCUMENT_MAX_COUNT, accept=accept, **kwargs)

    def check_file(self, file):
        name = {"name": file.name}
        signature = DOCUMENT_SIGNATURES.get(_extension(file))
        if signature is None:
            raise ValidationError(
                gettext("“%(name)s”: send PDF, Word, Excel, PowerPoint or OpenDocument files.") % name
            )
        if file.size > DOCUMENT_MAX_SIZE:
            raise ValidationError(
                gettext("“%(name)s” is larger than %(size)d MB.") % {**name, "size": _megabytes(DOCUMENT_MAX_SIZE)}
            )
        file.seek(0)
        start = file.read(len(signature))
        file.seek(0)
        if start != signature:
            raise ValidationError(gettext("“%(name)s” is damaged or not the kind of file its name says.") % name)
        return file


def text_to_html(text):
    """Plain text from the public form as the paragraphs of a rich-text field (no markup gets through)."""
    paragraphs = [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)


def html_to_text(html):
    return strip_tags(html.replace("</p>", "\n\n").replace("<br>", "\n")).strip()


class SubmissionForm(forms.Form):
    title = forms.CharField(label=_("Name of the practice"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Two or three sentences: what changed, for whom."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, help_text=_("When it was carried out (or began)."))
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"), queryset=PracticeTopic.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    problem = forms.CharField(label=_("The problem"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    what_was_done = forms.CharField(
        label=_("What was done"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    partners = forms.CharField(
        label=_("Partners"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One partner a line."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    contact_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    photos = PhotoField(label=_("Photos"))
    documents = DocumentField(label=_("Documents"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = PracticeTopic.objects.by_name()
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year
        # Help texts with figures are made here, in the reader's language, not once at import.
        self.fields["photos"].help_text = gettext("Up to %(count)d JPEG, PNG or WebP pictures, %(size)d MB each.") % {
            "count": PHOTO_MAX_COUNT,
            "size": PHOTO_MAX_SIZE // MB,
        }
        self.fields["documents"].help_text = gettext(
            "Up to %(count)d files (PDF, Word, Excel, PowerPoint, OpenDocument), %(size)d MB each."
        ) % {"count": DOCUMENT_MAX_COUNT, "size": DOCUMENT_MAX_SIZE // MB}

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("The year cannot be in the future."))
        return year

    @classmethod
    def initial_from(cls, page):
        initial = {name: getattr(page, name) for name in ("title", "summary", "year", "partners")}
        initial.update({name: getattr(page, name) for name in cls.contact_fields()})
        initial["problem"] = html_to_text(page.problem)
        initial["what_was_done"] = html_to_text(page.what_was_done)
        initial["topics"] = [topic.pk for topic in page.topics.all()]
        return initial

    @staticmethod
    def contact_fields():
        return ("contact_name", "contact_position", "contact_phone", "contact_email")

    def practice_data(self):
        data = dict(self.cleaned_data)
        data.pop("photos", None)
        data.pop("documents", None)
        data["problem"] = text_to_html(data["problem"])
        data["what_was_done"] = text_to_html(data["what_was_done"])
        return data


class ScoreForm(forms.Form):
    """One field per criterion of the round, 0..its maximum."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=criterion.name,
                min_value=0,
                max_value=criterion.max_points,
                help_text=gettext("0 to %(max)d points, weight %(weight)d")
                % {"max": criterion.max_points, "weight": criterion.weight},
            )

    def points(self):
        return {criterion.pk: self.cleaned_data[f"criterion_{criterion.pk}"] for criterion in self.criteria}
