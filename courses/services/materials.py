"""Training materials: who may see and manage them, saving them with validated files, handouts and scan figures.

Files of non-public materials are never reachable by a public media URL: documents are served by
Wagtail's serve view (WAGTAILDOCS_SERVE_METHOD = "serve_view"), guarded by the `before_serve_document`
hook that calls `document_access`; images are streamed by `courses.views.materials.material_image`
after `material_access`. See docs/materials.md for the limits (image renditions).
"""

import os
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from academy import pdf_metadata
from academy.errors import DomainError, NotFoundError, PermissionDeniedError
from academy.models import Language
from academy.roles import is_academy_admin, is_trainer
from courses.models import CoursePage, Material, Session, SessionStatus
from courses.permissions import can_manage_session
from courses.services import files, shortlinks

MATERIALS_COLLECTION = "Training materials"

ALLOWED = "allowed"
LOGIN = "login"
DENIED = "denied"


# --- Who may see and manage ---------------------------------------------------------------------------------


def can_view_material(user, material):
    if material.visibility == Material.Visibility.PUBLIC:
        return True
    return Material.objects.visible_to(user).filter(pk=material.pk).exists()


def material_access(user, material):
    """ALLOWED, LOGIN (an anonymous visitor must log in first) or DENIED."""
    if can_view_material(user, material):
        return ALLOWED
    return DENIED if user is not None and user.is_authenticated else LOGIN


def can_manage_target(user, *, session=None, course=None):
    """May the user attach materials to this session (or, without a session, to this course)?"""
    if is_academy_admin(user):
        return True
    if session is not None:
        return can_manage_session(user, session)
    if course is not None and is_trainer(user):
        return Session.objects.for_course(course).filter(trainers=user).exists()
    return False


def can_manage_material(user, material):
    if is_academy_admin(user):
        return True
    if material is None or material.pk is None:
        return False
    return Material.objects.manageable_by(user).filter(pk=material.pk).exists()


def session_is_visible(user, session):
    return session.status != SessionStatus.DRAFT or can_manage_session(user, session)


def document_access(user, document):
    """Decide whether a Wagtail document may be served to this user (the `before_serve_document` hook).

    Documents that no material uses follow Wagtail's usual rules, except those in the "Training materials"
    collection (where material uploads go): an old version or a document of a deleted material stays
    private (admins only). A document used by a public material is public; otherwise the user must be
    allowed to see one of the materials that use it.
    """
    visibilities = set(Material.objects.filter(document=document).values_list("visibility", flat=True))
    if not visibilities:
        collection = materials_collection(create=False)
        if collection is None or document.collection_id != collection.pk or is_academy_admin(user):
            return ALLOWED
    elif Material.Visibility.PUBLIC in visibilities or (
        Material.objects.visible_to(user).filter(document=document).exists()
    ):
        return ALLOWED
    return DENIED if user is not None and user.is_authenticated else LOGIN


# --- Where a material opens ---------------------------------------------------------------------------------


def open_url(material):
    """The address the site links to (the printed QR code goes through /q/<code> instead)."""
    if material.kind == Material.Kind.DOCUMENT and material.document_id:
        return material.document.url
    if material.kind == Material.Kind.IMAGE and material.image_id:
        return reverse("material_image", kwargs={"pk": material.pk})
    return material.url


def kind_label(material):
    """A short label of the file kind: PDF, DOCX, ... for documents."""
    if material.kind == Material.Kind.DOCUMENT and material.document_id:
        return material.document.file_extension.upper()
    return material.get_kind_display()


def material_cards(materials):
    """What a list of materials shows, computed once (short links must be attached: see `ensure_material_links`)."""
    return [
        {
            "material": material,
            "title": material.title,
            "description": material.description,
            "language": material.language,
            "language_name": material.get_language_display(),
            "kind": material.kind,
            "kind_label": kind_label(material),
            "url": open_url(material),
            "external": material.kind == Material.Kind.LINK,
            "visibility": material.visibility,
            "visibility_label": material.get_visibility_display(),
            "restricted": material.visibility != Material.Visibility.PUBLIC,
            "scope": "session" if material.session_id else "course",
            "short_path": shortlinks.link_path(material.short_link),
            "short_url": shortlinks.short_url(material.short_link),
        }
        for material in materials
    ]


# --- Listing --------------------------------------------------------------------------------------------------


def _listing(queryset):
    return queryset.select_related("short_link", "document", "image", "session", "course").order_by(
        "session_id", "sort_order", "pk"
    )


def session_materials_query(user, session):
    """The materials of a session (its own and its course's) that the user may see, as a queryset."""
    return _listing(Material.objects.for_session(session).visible_to(user))


def course_materials_query(user, course):
    """The course-level materials of a course that the user may see, as a queryset."""
    return _listing(Material.objects.for_course(course).visible_to(user))


def visible_session_materials(user, session):
    """`session_materials_query` evaluated, short links attached."""
    return shortlinks.ensure_material_links(session_materials_query(user, session))


def get_course_for(user, course_id):
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise NotFoundError(_("This course does not exist."))
    return course


def has_hidden_materials(user, session):
    """Whether the session has materials this user cannot see (to invite them to log in)."""
    return Material.objects.for_session(session).exclude(pk__in=Material.objects.visible_to(user).values("pk")).exists()


def get_session_for(user, session_id):
    session = Session.objects.select_related("course", "venue").filter(pk=session_id).first()
    if session is None or not session_is_visible(user, session):
        raise NotFoundError(_("This session does not exist."))
    return session


# --- Saving ---------------------------------------------------------------------------------------------------


@dataclass
class Upload:
    """A file given with a material: checked by content, stored under a name nobody can guess."""

    file: object
    name: str


def materials_collection(create=True):
    from wagtail.models import Collection

    collection = Collection.objects.filter(depth=2, name=MATERIALS_COLLECTION).first()
    if collection is None and create:
        collection = Collection.get_first_root_node().add_child(name=MATERIALS_COLLECTION)
    return collection


def _stored_name(original_name, extension):
    stem = slugify(os.path.splitext(os.path.basename(original_name or ""))[0], allow_unicode=True)[:60]
    return f"{stem or 'material'}-{secrets.token_hex(4)}.{extension}"


def _check_url(url):
    limit = Material._meta.get_field("url").max_length
    if len(url) > limit:
        raise DomainError(
            _("This web address is too long: at most %(limit)s characters.") % {"limit": limit}, field="url"
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise DomainError(_("Enter a web address starting with http:// or https://."), field="url") from error
    if not urlsplit(url).netloc:
        raise DomainError(_("Enter a web address starting with http:// or https://."), field="url")


def _check_existing_document(document):
    try:
        with document.open_file() as handle:
            files.validate_document(handle, document.filename)
    except FileNotFoundError as error:
        raise DomainError(_("The file of this document is missing."), field="document") from error
    except DomainError as error:
        raise DomainError(error.message, field="document", code=error.code) from error


def _check_existing_image(image):
    try:
        with image.open_file() as handle:
            files.validate_image(handle)
    except FileNotFoundError as error:
        raise DomainError(_("The file of this image is missing."), field="image") from error
    except DomainError as error:
        raise DomainError(error.message, field="image", code=error.code) from error


def _check_may_reuse(actor, material, field):
    """A chosen document or image may not come from someone else's material (nor be an old, private version)."""
    if is_academy_admin(actor):
        return
    target = getattr(material, field)
    users = Material.objects.filter(**{field: target}).exclude(pk=material.pk)
    collection = materials_collection(create=False)
    if users.exclude(pk__in=Material.objects.manageable_by(actor).values("pk")).exists() or (
        not users.exists() and collection is not None and target.collection_id == collection.pk
    ):
        raise PermissionDeniedError(
            _("This file belongs to another material; upload your own copy instead."), field=field
        )


def validate_material(actor, material, *, upload=None):
    """Check a material before it is saved (permission, fields, file content). Changes nothing.

    Returns the checked file extension of the upload (or None).
    """
    original = Material.objects.filter(pk=material.pk).first() if material.pk else None
    if original is not None and not can_manage_material(actor, original):
        raise PermissionDeniedError(_("You may only change the materials of your own sessions."))
    if material.session_id:
        material.course_id = material.session.course_id
    if not material.session_id and not material.course_id:
        raise DomainError(_("Attach the material to a course or to a session."), field="session")
    session = material.session if material.session_id else None
    course = material.course if material.course_id else None
    if not can_manage_target(actor, session=session, course=course):
        raise PermissionDeniedError(
            _("You may only add materials to the sessions you train (or to their courses)."),
            field="session" if session else "course",
        )
    material.title = (material.title or "").strip()
    if not material.title:
        raise DomainError(_("Give the material a title."), field="title")
    for field, choices in (("kind", Material.Kind), ("visibility", Material.Visibility), ("language", Language)):
        if getattr(material, field) not in choices.values:
            raise DomainError(_("Choose a valid value."), field=field)

    extension = None
    if material.kind == Material.Kind.DOCUMENT:
        material.image = None
        material.url = ""
        if upload is not None:
            extension = files.validate_document(upload.file, upload.name)
        elif not material.document_id:
            raise DomainError(_("Choose or upload a document (PDF, DOCX, PPTX or XLSX)."), field="document")
        elif original is None or original.document_id != material.document_id:
            _check_may_reuse(actor, material, "document")
            _check_existing_document(material.document)
    elif material.kind == Material.Kind.IMAGE:
        material.document = None
        material.url = ""
        if upload is not None:
            extension = files.validate_image(upload.file)
        elif not material.image_id:
            raise DomainError(_("Choose or upload an image."), field="image")
        elif original is None or original.image_id != material.image_id:
            _check_may_reuse(actor, material, "image")
            _check_existing_image(material.image)
    else:
        if upload is not None:
            raise DomainError(_("An external link has no file; choose the kind of material first."), field="file")
        material.document = None
        material.image = None
        material.url = (material.url or "").strip()
        _check_url(material.url)
    return extension


def _store_document(actor, material, upload, extension):
    from wagtail.documents import get_document_model

    Document = get_document_model()
    collection = materials_collection()
    current = material.document if material.document_id else None
    shared = (
        current is not None
        and Material.objects.filter(document=current).exclude(pk=material.pk).exists()
    )
    upload.file.seek(0)
    content = File(upload.file, name=_stored_name(upload.name, extension))
    if current is not None and current.collection_id == collection.pk and not shared:
        # A new version of the same document: same id, so every link to it keeps working.
        old_name = current.file.name
        storage = current.file.storage
        current.file.save(content.name, content, save=False)
        current.file_size = None
        current.file_hash = ""
        current._set_document_file_metadata()
        current.save()
        if old_name and old_name != current.file.name:
            transaction.on_commit(lambda: storage.delete(old_name))
        return current
    document = Document(title=material.title[:255], collection=collection, uploaded_by_user=actor)
    document.file.save(content.name, content, save=False)
    document._set_document_file_metadata()
    document.save()
    return document


def _store_image(actor, material, upload, extension):
    from wagtail.images import get_image_model

    Image = get_image_model()
    upload.file.seek(0)
    content = File(upload.file, name=_stored_name(upload.name, extension))
    image = Image(title=material.title[:255], collection=materials_collection(), uploaded_by_user=actor)
    image.file.save(content.name, content, save=False)
    image._set_image_file_metadata()
    image.save()
    return image


@transaction.atomic
def save_material(actor, material, *, upload=None, link_active=None):
    """Create or update a material (checked by `validate_material`), store an uploaded file, give it a link."""
    extension = validate_material(actor, material, upload=upload)
    if upload is not None:
        if material.kind == Material.Kind.DOCUMENT:
            material.document = _store_document(actor, material, upload, extension)
        else:
            material.image = _store_image(actor, material, upload, extension)
    material.save()
    link = shortlinks.ensure_material_link(material)
    if link_active is not None and link.is_active != bool(link_active):
        link.is_active = bool(link_active)
        link.save(update_fields=["is_active"])
    material.short_link = link
    return material


def create_material(
    actor,
    *,
    title,
    kind,
    session=None,
    course=None,
    language="ky",
    visibility=Material.Visibility.PUBLIC,
    description="",
    document=None,
    image=None,
    url="",
    upload=None,
    sort_order=0,
):
    material = Material(
        session=session,
        course=course if course is not None else (session.course if session is not None else None),
        title=title,
        kind=kind,
        language=language,
        visibility=visibility,
        description=description,
        document=document,
        image=image,
        url=url,
        sort_order=sort_order,
    )
    return save_material(actor, material, upload=upload)


def replace_file(actor, material, upload):
    """Upload a new version of a document or image material: the short link and QR code stay the same."""
    if material.kind == Material.Kind.LINK:
        raise DomainError(_("An external link has no file to replace."), field="file")
    return save_material(actor, material, upload=upload)


def delete_material(actor, material):
    if not can_manage_material(actor, material):
        raise PermissionDeniedError(_("You may only change the materials of your own sessions."))
    material.delete()


# --- Printed handout ------------------------------------------------------------------------------------------


def _course_titles(course):
    versions = {
        page.locale.language_code: page.title
        for page in CoursePage.objects.filter(translation_key=course.translation_key).select_related("locale")
    }
    return versions


def handout_materials(session):
    """What the participants' handout lists: every material of the session except trainers-only ones."""
    return shortlinks.ensure_material_links(
        _listing(Material.objects.for_session(session).exclude(visibility=Material.Visibility.TRAINERS))
    )


def handout_data(actor, session):
    """The data of a session's printed handout (for `courses.handout.render_handout_pdf` and the HTML page)."""
    from courses import handout

    if not can_manage_session(actor, session):
        raise PermissionDeniedError(_("Only the trainers of this session and admins may print its handout."))
    titles = _course_titles(session.course)
    course_titles = [titles.get("ky") or session.course.title, titles.get("ru") or ""]
    if session.title:
        course_titles.append(session.title)
    heading_titles = []
    for title in course_titles:
        if title and title not in heading_titles:
            heading_titles.append(title)
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    dates = f"{starts:%d.%m.%Y}" if starts.date() == ends.date() else f"{starts:%d.%m.%Y} – {ends:%d.%m.%Y}"
    place = ""
    if session.venue_id:
        place = ", ".join(part for part in (session.venue.name, session.venue.address) if part)
    pack = shortlinks.ensure_session_pack_link(session)
    items = [
        handout.HandoutItem(
            title=material.title,
            url=shortlinks.short_url(material.short_link),
            path=shortlinks.link_path(material.short_link),
            language=material.language,
            kind=material.kind,
            extension=material.file_extension,
            restricted=material.visibility != Material.Visibility.PUBLIC,
        )
        for material in handout_materials(session)
        if material.short_link.is_active
    ]
    return handout.Handout(
        titles=heading_titles,
        dates=dates,
        place=place,
        pack_url=shortlinks.short_url(pack, session.language),
        pack_path=shortlinks.link_path(pack),
        items=items,
        author=pdf_metadata.academy_name("ky"),  # the handout prints Kyrgyz first
        printed_on=timezone.localdate(),
    )


# --- Scan figures -----------------------------------------------------------------------------------------------


def link_stats(link):
    return {
        "code": link.code,
        "short_url": shortlinks.short_url(link),
        "is_active": link.is_active,
        "scan_count": link.scan_count,
        "last_scanned_at": link.last_scanned_at,
    }


def _material_stats_row(material):
    return {
        "id": material.pk,
        "title": material.title,
        "language": material.language,
        "visibility": material.visibility,
        "scope": "session" if material.session_id else "course",
        **link_stats(material.short_link),
    }


def session_stats(actor, session):
    """Scans of a session's pack code and of each of its materials (course materials count every session)."""
    if not can_manage_session(actor, session):
        raise PermissionDeniedError(_("Only the trainers of this session and admins may see its figures."))
    pack = shortlinks.ensure_session_pack_link(session)
    rows = [
        _material_stats_row(material)
        for material in shortlinks.ensure_material_links(_listing(Material.objects.for_session(session)))
    ]
    return {
        "session": session.pk,
        "pack": link_stats(pack),
        "materials": rows,
        "total_scans": pack.scan_count + sum(row["scan_count"] for row in rows),
    }


def material_stats(actor, material):
    if not can_manage_material(actor, material):
        raise PermissionDeniedError(_("Only the trainers of this material's sessions and admins may see its figures."))
    shortlinks.ensure_material_links([material])
    return _material_stats_row(material)
