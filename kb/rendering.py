"""Rendering an article's answer and agent notes in one pass, with a fixed number of queries.

The StreamField renders with rich text deferred (kb.blocks.AnswerRichTextBlock); then every internal page
link in the whole answer is resolved with ONE query and links the reader may not follow (agents-only or
unpublished articles) lose their href; other entities (document links) are expanded by Wagtail in one batch
per type; headings get ids and "#" anchors, collected into the table of contents.
"""

import re

from django.db.models import F, prefetch_related_objects
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.rich_text.rewriters import extract_attrs

from kb.blocks import DEFERRED_CONTEXT_KEY
from kb.policies import KBPolicy, in_private_section
from portal.core.audiences import Audience

PAGE_LINK = re.compile(r'<a(\b[^>]*\blinktype="page"[^>]*)>')
HEADING = re.compile(r"<h([23])(\s[^>]*)?>(.*?)</h\1>", re.S)


def render_stream(stream, request, agent, extra_context=None):
    context = {"request": request, DEFERRED_CONTEXT_KEY: True, "kb_agent": agent, **(extra_context or {})}
    return "".join(str(block.render(context=context)) for block in stream)


def resolve_links(markup, request, agent):
    """Expand Wagtail's link entities; links to pages the reader may not open keep their text, lose the href."""
    matches = list(PAGE_LINK.finditer(markup))
    if matches:
        ids = {extract_attrs(match.group(1)).get("id") for match in matches}
        ids = [int(pk) for pk in ids if pk and pk.isdigit()]
        pages = {
            page.pk: page
            for page in Page.objects.filter(pk__in=ids)
            .annotate(kb_audience=F("articlepage__audience"), kb_private=in_private_section())
            .only("pk", "url_path", "live", "path", "depth")
        }
        audiences = set(KBPolicy.audiences_for(agent))

        def replace(match):
            pk = extract_attrs(match.group(1)).get("id", "")
            page = pages.get(int(pk)) if pk.isdigit() else None
            if (
                page is None
                or not page.live
                or page.kb_private
                or (page.kb_audience or Audience.PUBLIC) not in audiences
            ):
                return "<a>"
            url = page.get_url(request)
            return f'<a href="{escape(url)}">' if url else "<a>"

        markup = PAGE_LINK.sub(replace, markup)
    return expand_db_html(markup)


def add_heading_anchors(markup, toc=None, used=None):
    """Give h2/h3 an id and a "#" link to itself; append (id, text, level) to `toc`."""
    used = used if used is not None else set()
    label = escape(_("Link to this section"))

    def replace(match):
        level, attrs, inner = match.group(1), match.group(2) or "", match.group(3)
        text = " ".join(strip_tags(inner).split())
        if not text or " id=" in attrs:
            return match.group(0)
        base = slugify(text, allow_unicode=True)[:60] or "section"
        anchor, n = base, 2
        while anchor in used:
            anchor, n = f"{base}-{n}", n + 1
        used.add(anchor)
        if toc is not None:
            toc.append({"id": anchor, "text": text, "level": int(level)})
        return (
            f'<h{level}{attrs} id="{anchor}">{inner}'
            f' <a class="heading-anchor" href="#{anchor}" aria-label="{label}">#</a></h{level}>'
        )

    return HEADING.sub(replace, markup)


def _prefetch_renditions(stream):
    """One query for the renditions of every picture in the answer (not one per picture)."""
    images = [block.value["image"] for block in stream if block.block_type == "image" and block.value["image"]]
    if images:
        prefetch_related_objects(images, "renditions")


def render_answer(article, request, agent):
    """(answer HTML, table of contents) for `article` as this reader may see it."""
    toc = []
    _prefetch_renditions(article.answer)
    markup = resolve_links(render_stream(article.answer, request, agent, {"page": article}), request, agent)
    return mark_safe(add_heading_anchors(markup, toc)), toc  # noqa: S308 - editor/sanitised content, see module doc


def render_rich_text(source, request, agent):
    if not source:
        return ""
    markup = f'<div class="rich-text">{source}</div>'
    return mark_safe(resolve_links(markup, request, agent))  # noqa: S308 - editor/sanitised content
