"""StreamField blocks of a KB article's full answer: rich text, numbered steps, notices, pictures, tables and
links to other articles and to video pages.

Rich text inside an answer is rendered in one pass for the whole article (see kb/rendering.py): while the
article template renders, rich text blocks emit their stored source and the renderer expands every internal
link of the answer with one query, hiding links the reader may not follow (agents-only articles). Outside
that renderer (previews of single blocks, the admin's compare view) the blocks render the standard Wagtail way.
"""

import contextlib
import contextvars

from django.apps import apps
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.typed_table_block.blocks import TypedTableBlock
from wagtail.images.blocks import ImageBlock

# Rich-text features editors get. Headings start at h2: the question is the page's only h1.
BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link", "hr"]
INLINE_FEATURES = ["bold", "italic", "link", "document-link"]
DEFERRED_CONTEXT_KEY = "kb_deferred_richtext"
_searchable_memo = contextvars.ContextVar("kb_answer_searchable_memo", default=None)


class AnswerRichTextBlock(blocks.RichTextBlock):
    """A rich text block whose links are expanded by the article renderer when it asks for that."""

    def render_basic(self, value, context=None):
        if context and context.get(DEFERRED_CONTEXT_KEY):
            # The source is editor HTML (trusted) or imported HTML (sanitised on import); the renderer
            # rewrites its <a linktype=...> entities after the whole answer has rendered.
            return mark_safe(f'<div class="rich-text">{value.source}</div>')  # noqa: S308
        return super().render_basic(value, context)


class StepsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=120)
    steps = blocks.ListBlock(AnswerRichTextBlock(features=[*INLINE_FEATURES, "ul"]), label=_("steps"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Numbered steps")
        template = "kb/blocks/steps.html"


class NoticeBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Good to know")), ("warning", _("Warning"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), required=False, max_length=80)
    text = AnswerRichTextBlock(label=_("text"), features=[*INLINE_FEATURES, "ol", "ul"])

    class Meta:
        icon = "warning"
        label = _("Notice or warning")
        template = "kb/blocks/notice.html"


class FigureBlock(blocks.StructBlock):
    image = ImageBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Picture")
        template = "kb/blocks/figure.html"


class ArticleLinkBlock(blocks.StructBlock):
    article = blocks.PageChooserBlock(label=_("article"), page_type="kb.ArticlePage")
    label = blocks.CharBlock(
        label=_("link text"), required=False, max_length=200, help_text=_("Leave empty to use the article's question.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Link to another article")
        template = "kb/blocks/article_link.html"


class VideoPageChooserBlock(blocks.PageChooserBlock):
    """Chooses any page of the videos app below the video index: series today, episodes once they exist.

    The allowed types are worked out when first needed, so the block follows the videos app without a
    migration here when it gains page types.
    """

    def __init__(self, **kwargs):
        kwargs.pop("page_type", None)
        super().__init__(**kwargs)

    @cached_property
    def target_models(self):
        from wagtail.models import Page

        return [
            model
            for model in apps.get_app_config("videos").get_models()
            if issubclass(model, Page) and not getattr(model, "section_key", None)  # not the video index itself
        ]


class VideoLinkBlock(blocks.StructBlock):
    video = VideoPageChooserBlock(label=_("video"))
    label = blocks.CharBlock(
        label=_("link text"), required=False, max_length=200, help_text=_("Leave empty to use the video's title.")
    )

    class Meta:
        icon = "media"
        label = _("Link to a video")
        template = "kb/blocks/video_link.html"


def table_block():
    return TypedTableBlock(
        [
            ("text", blocks.CharBlock(label=_("text"), required=False)),
            ("rich_text", AnswerRichTextBlock(label=_("rich text"), features=INLINE_FEATURES, required=False)),
        ],
        label=_("Table"),
        icon="table",
        template="kb/blocks/table.html",
    )


class AnswerBlock(blocks.StreamBlock):
    rich_text = AnswerRichTextBlock(label=_("Text"), features=BODY_FEATURES)
    steps = StepsBlock()
    notice = NoticeBlock()
    image = FigureBlock()
    table = table_block()
    article_link = ArticleLinkBlock()
    video_link = VideoLinkBlock()

    def get_searchable_content(self, value):
        # Wagtail's database search backends read an answer's searchable text once per part of the entry
        # (title, body, autocomplete...): inside `searchable_content_once()` it is worked out once per answer.
        memo = _searchable_memo.get()
        if memo is None:
            return super().get_searchable_content(value)
        if id(value) not in memo:
            memo[id(value)] = (value, super().get_searchable_content(value))  # holds the value: its id stays its own
        return list(memo[id(value)][1])

    class Meta:
        min_num = 1


@contextlib.contextmanager
def searchable_content_once():
    """While indexing answers that do not change meanwhile: each answer's searchable text is worked out once."""
    token = _searchable_memo.set({})
    try:
        yield
    finally:
        _searchable_memo.reset(token)
