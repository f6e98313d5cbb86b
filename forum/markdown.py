"""The Markdown subset customers write in, rendered once at save time and sanitised.

markdown-it-py (CommonMark with tables and strikethrough, raw HTML off, Markdown images off: pictures
are attachments that went through portal.core.images) renders the text; portal.core.sanitize.clean_html then
applies the site's one allow-list and gives links rel="nofollow ugc noopener". Headings are shifted
down so a post never outranks the page title. @mentions of known users become <span class="mention">.
"""

import html
import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from portal.core.sanitize import clean_html, strip_tags

# @name (letters of any script, digits, · . _ -) or @[name with spaces]; the name must resolve to a user.
MENTION_RE = re.compile(r"(?<![\w@])@(?:\[([^\]\n]{1,40})\]|([\w\u00b7.\-]{1,40}))")
# Masking writes runs of "*" next to digits ("138****5678"); Markdown would read them as emphasis.
_MASK_RUN_RE = re.compile(r"(?<=[\d\s*])\*{3,}(?=[\d\s*]|$)|^\*{3,}(?=\d)", re.MULTILINE)
_LINK_RE = re.compile(r"<a\s", re.IGNORECASE)
MAX_MENTIONS = 10


def extract_mentions(text):
    """The distinct names mentioned in `text`, in order, at most MAX_MENTIONS."""
    names = []
    for match in MENTION_RE.finditer(text or ""):
        name = (match.group(1) or match.group(2)).strip().rstrip(".-")
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names[:MAX_MENTIONS]


def _shift_headings(state):
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = "h3" if token.tag in ("h1", "h2") else "h4"


def _mentions(state):
    known = state.env.get("mentions") or set()
    if not known:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_link = [], 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link or "@" not in token.content:
                children.append(token)
                continue
            position = 0
            for match in MENTION_RE.finditer(token.content):
                name = (match.group(1) or match.group(2)).strip().rstrip(".-")
                if name.lower() not in known:
                    continue
                if match.start() > position:
                    children.append(_text(token.content[position : match.start()]))
                mention = Token("mention", "span", 0)
                mention.meta = {"name": name}
                children.append(mention)
                # A trailing "." or "-" stripped from a bare name goes back to the text.
                position = match.end() if match.group(1) else match.start() + 1 + len(name)
            if position < len(token.content):
                children.append(_text(token.content[position:]))
        block.children = children


def _text(content):
    token = Token("text", "", 0)
    token.content = content
    return token


def _render_mention(self, tokens, idx, options, env):
    return f'<span class="mention">@{html.escape(tokens[idx].meta["name"])}</span>'


@lru_cache(maxsize=1)
def _parser():
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "typographer": False})
    md.enable(["table", "strikethrough"]).disable(["image"])
    md.core.ruler.push("forum_headings", _shift_headings)
    md.core.ruler.push("forum_mentions", _mentions)
    md.add_render_rule("mention", _render_mention)
    return md


def render(text, mentions=()):
    """Markdown source -> sanitised HTML (a SafeString). `mentions`: the lower-cased names that resolve to users."""
    source = _MASK_RUN_RE.sub(lambda m: "\\*" * len(m.group(0)), text or "")
    rendered = _parser().render(source, {"mentions": {name.lower() for name in mentions}})
    return clean_html(rendered)


def plain_text(body_html):
    """Readable plain text of rendered HTML (search, e-mail excerpts, feed summaries)."""
    return html.unescape(strip_tags(body_html or "")).strip()


def count_links(body_html):
    return len(_LINK_RE.findall(body_html or ""))


def excerpt(body_html, length=200):
    text = " ".join(plain_text(body_html).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def escape_inline(text):
    """Text made safe to drop into Markdown verbatim (a name in a quote header)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|>~<@])", r"\\\1", text or "")


def quote(post, name):
    """Markdown that quotes `post` (its source), headed by the author's name, ready for the reply box."""
    lines = (post.body or "").strip().splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"> **{escape_inline(name)}**:\n>\n{quoted}\n\n"
