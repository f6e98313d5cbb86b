"""The admin form every page type is edited with: the slug is made on the server from the title.

Wagtail only fills the slug in the browser, only where the title uses its TitleFieldPanel, and then with
the title's own (Chinese) characters; the slug field lives on the Promote tab, so a new article whose slug
stayed empty failed with "This field is required" on a tab the editor never opened. Here the slug is
optional on new pages: left empty, it is made from the title (pinyin for Chinese, a transliteration for
other scripts: portal/core/slugs.py) and made unique among the page's siblings; a Chinese slug that Wagtail's
script copied from the title on a new page becomes pinyin too. A live page's slug is never changed behind
the editor's back. When no slug can be made (a title of punctuation only), the error says so on the slug
field and is repeated above the form, so it is seen whichever tab is open.

`portal.pageediting` installs this form as the default of every page type (after Wagtail's admin has set
its own); page types with a form of their own derive from it (kb.models.ArticlePageForm).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from portal.core import slugs

NO_SLUG = _("No web address could be made from this title. Enter a slug on the Promote tab.")


class PortalPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "The name of the page as it will appear in web addresses. Leave it empty to make it from the "
                "title (pinyin for Chinese)."
            )

    def _is_new(self):
        return self.instance is None or self.instance.pk is None or not self.instance.live

    def clean(self):
        if "slug" in self.fields and "slug" not in self._errors:
            slug = (self.cleaned_data.get("slug") or "").strip()
            title = self.cleaned_data.get("title") or ""
            made = None
            if not slug:
                made = slugs.slug_from_title(title) if title else None
                if made == "":
                    self.add_error("slug", NO_SLUG)
                    self.add_error(None, NO_SLUG)
            elif self._is_new() and slugs.has_han(slug):
                made = slugs.slug_from_title(slug)
            if made:
                self.cleaned_data["slug"] = slugs.available_slug(made, self.slug_is_free)
        return super().clean()

    def slug_is_free(self, slug):
        """May a slug made here be used? Page types with wider rules (one per language...) extend this."""
        from wagtail.models import Page

        parent = self.parent_page or (self.instance.get_parent() if self.instance.pk else None)
        return parent is None or Page._slug_is_available(slug, parent, self.instance)
