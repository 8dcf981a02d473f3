"""The sitemap search engines read: every live public page of the site in each of its languages.

Wagtail's own sitemap lists the site's root tree only, which is the Kyrgyz one here; the Russian and
English trees are translations of that root, so they are added beside it.
"""

from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap


class AllLanguagesSitemap(Sitemap):
    def items(self):
        from wagtail.models import Page

        roots = self.get_wagtail_site().root_page.get_translations(inclusive=True)
        in_a_tree = Q()
        for root in roots:
            in_a_tree |= Q(path__startswith=root.path)
        return (
            Page.objects.filter(in_a_tree)
            .live()
            .public()
            .order_by("path")
            .defer_streamfields()
            .specific()
        )
