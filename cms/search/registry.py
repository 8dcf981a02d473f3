"""The provider interface: what each app tells the search about the things it publishes.

A provider has a `kind` ("practice", "course", ...), labels for the facet, a `boost` (how far its
results rise against other kinds with the same match), and answers two questions: which documents an
object has now (none when it is not public), and which objects to index on a full rebuild. It wires its
own signals (`connect`) so the index follows publishing and saving. Registering happens in the owning
app's AppConfig.ready(); nothing here imports the apps that register.
"""

from dataclasses import dataclass

from wagtail.signals import page_published, page_unpublished

_providers = {}


@dataclass
class Document:
    """What a provider returns for one object in one language (cms.search.models.SearchDocument)."""

    page_id: int
    language: str
    title: str
    body: str = ""
    url: str = ""
    region_id: int | None = None
    year: int | None = None


class Provider:
    kind = ""
    label = ""  # one result's type, e.g. "Course"
    label_plural = ""  # the facet, e.g. "Courses"
    boost = 1.0
    order = 100  # position of the facet

    def documents(self, obj):
        """The documents `obj` has now; [] when it must not be found."""
        raise NotImplementedError

    def queryset(self):
        """The objects that may have documents: what a rebuild indexes, and where a signal looks its object
        up again (documents() still decides)."""
        raise NotImplementedError

    def connect(self):
        """Connect the signals that keep this kind's documents current."""

    def __repr__(self):
        return f"<{type(self).__name__} {self.kind}>"


class PageProvider(Provider):
    """A page type: one document per live, public page, kept current on publish, unpublish and delete."""

    model = None

    def queryset(self):
        return self.model.objects.live().public().select_related("locale")

    def documents(self, page):
        if not page.live or page.get_view_restrictions().exists():
            return []
        return [
            Document(
                page_id=page.pk,
                language=page.locale.language_code,
                title=page.title,
                body=self.body(page),
                region_id=self.region_id(page),
                year=self.year(page),
            )
        ]

    def body(self, page):
        return ""

    def region_id(self, page):
        return None

    def year(self, page):
        return None

    def connect(self):
        uid = f"site_search.{self.kind}"
        page_published.connect(self._published, sender=self.model, dispatch_uid=f"{uid}.published", weak=False)
        page_unpublished.connect(self._unpublished, sender=self.model, dispatch_uid=f"{uid}.unpublished", weak=False)

    def _published(self, sender, instance, **kwargs):
        from cms.search import indexing

        indexing.refresh_on_commit(self, instance.pk)

    _unpublished = _published


def register(provider):
    """Add a provider (once per kind) and connect its signals."""
    if provider.kind in _providers:
        return _providers[provider.kind]
    _providers[provider.kind] = provider
    provider.connect()
    return provider


def providers():
    return sorted(_providers.values(), key=lambda provider: (provider.order, provider.kind))


def get(kind):
    return _providers.get(kind)
