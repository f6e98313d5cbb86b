"""Converting article content between its three shapes: Markdown or HTML from an import file, the StreamField
blocks of `ArticlePage.answer`, and plain text (for search, JSON-LD and e-mails).

Imported content goes Markdown -> HTML (markdown-it-py) -> `portal.core.sanitize.clean_html` (the one allow-list)
-> a split into blocks: numbered lists become steps, tables become typed tables, block quotes become notices,
everything else stays rich text. The export writes the blocks back as HTML in the same shapes, so exporting
and importing again changes nothing. HTML is parsed with the standard library's parser: the sanitiser has
already produced well-formed markup, and nothing here decides what is safe.
"""

import html as html_lib
import re
import uuid
from functools import lru_cache
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from portal.core.sanitize import clean_html, strip_tags

VOID_TAGS = frozenset({"br", "hr", "img"})
BLOCK_TAGS = frozenset({"p", "h2", "h3", "ul", "ol", "table", "blockquote", "pre", "hr"})
HEADING_TAGS = ("h2", "h3")
# A notice's title decides its colour: words that warn make it a warning, anything else is "good to know".
WARNING_WORDS = re.compile(
    r"注意|警告|重要|风险|谨防|当心|切勿|warning|caution|important|danger|beware|never|note|attention", re.I
)
MAX_NOTICE_TITLE = 40
HTML_START = re.compile(r"^\s*<(p|h[1-6]|ol|ul|table|blockquote|div|section|article|pre)\b", re.I)


# --- A tiny DOM over the sanitiser's output -----------------------------------------------------------
class Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag, attrs=None, children=None):
        self.tag = tag
        self.attrs = attrs or []
        self.children = children if children is not None else []

    def elements(self, *tags):
        return [child for child in self.children if isinstance(child, Node) and (not tags or child.tag in tags)]


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, [(name, value or "") for name, value in attrs])
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, [(name, value or "") for name, value in attrs]))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse_fragment(markup):
    builder = _TreeBuilder()
    builder.feed(markup or "")
    builder.close()
    return builder.root.children


def serialize(nodes):
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(html_lib.escape(node, quote=False))
            continue
        attrs = "".join(f' {name}="{html_lib.escape(value, quote=True)}"' for name, value in node.attrs)
        if node.tag in VOID_TAGS:
            out.append(f"<{node.tag}{attrs}>")
        else:
            out.append(f"<{node.tag}{attrs}>{serialize(node.children)}</{node.tag}>")
    return "".join(out)


def text_of(nodes):
    return "".join(node if isinstance(node, str) else text_of(node.children) for node in nodes)


def _is_blank(nodes):
    return all(isinstance(node, str) and not node.strip() for node in nodes)


def _has_markup(nodes):
    return any(isinstance(node, Node) for node in nodes)


# --- Markdown / HTML in -------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _markdown():
    # Raw HTML inside Markdown is let through here and sanitised right after, like any imported HTML.
    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable(["table", "strikethrough"])


def looks_like_html(text):
    return bool(HTML_START.match(text or ""))


def markdown_to_html(text):
    md = _markdown()
    tokens = md.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            # The question is the page's only h1: Markdown headings become h2/h3.
            token.tag = "h2" if token.tag in ("h1", "h2") else "h3"
    return md.renderer.render(tokens, md.options, {})


def _shift_html_headings(markup):
    markup = re.sub(r"<(/?)h1\b", r"<\1h2", markup, flags=re.I)
    return re.sub(r"<(/?)h[4-6]\b", r"<\1h3", markup, flags=re.I)


def sanitise_source(text, fmt="auto"):
    """Markdown or HTML from outside -> sanitised HTML. `fmt` is "markdown", "html" or "auto"."""
    if fmt == "auto":
        fmt = "html" if looks_like_html(text) else "markdown"
    markup = markdown_to_html(text) if fmt == "markdown" else _shift_html_headings(text or "")
    return str(clean_html(markup)), fmt


def plain_text(value, max_length=None):
    """Untrusted text meant to be plain (titles, short answers): tags dropped, entities decoded, spaces tidied."""
    text = html_lib.unescape(strip_tags(value or ""))
    text = "\n".join(" ".join(line.split()) for line in text.strip().splitlines())
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text[:max_length] if max_length else text


def source_to_blocks(text, fmt="auto"):
    """Markdown or HTML from an import -> [(block type, raw value)] for `ArticlePage.answer`."""
    markup, fmt = sanitise_source(text, fmt)
    return html_to_blocks(markup, bold_paragraphs_are_headings=(fmt == "markdown"))


def html_to_blocks(markup, bold_paragraphs_are_headings=False):
    blocks = []
    rich = []  # top-level nodes waiting to become one rich text block
    inline_run = []

    def close_inline_run():
        if not _is_blank(inline_run):
            rich.append(Node("p", children=_strip_edges(list(inline_run))))
        inline_run.clear()

    def flush_rich():
        close_inline_run()
        source = serialize(rich).strip()
        if source:
            blocks.append(("rich_text", source))
        rich.clear()

    for node in parse_fragment(markup):
        if isinstance(node, str) or node.tag not in BLOCK_TAGS:
            inline_run.append(node)
            continue
        close_inline_run()
        if node.tag == "ol":
            title = ""
            if rich and isinstance(rich[-1], Node) and rich[-1].tag in HEADING_TAGS:
                title = " ".join(text_of([rich.pop()]).split())  # a heading right above the steps names them
            flush_rich()
            steps = [_as_paragraphs(item.children) for item in node.elements("li")]
            steps = [step for step in steps if step]
            if steps:
                blocks.append(("steps", {"title": title, "steps": steps}))
        elif node.tag == "table":
            flush_rich()
            table = _table_value(node)
            if table is not None:
                blocks.append(("table", table))
        elif node.tag == "blockquote":
            flush_rich()
            notice = _notice_value(node)
            if notice is not None:
                blocks.append(("notice", notice))
        elif node.tag == "p" and bold_paragraphs_are_headings and _is_bold_only(node):
            rich.append(Node("h2", children=[" ".join(text_of(node.children).split())]))
        elif node.tag == "p" and _is_blank(node.children):
            continue
        else:
            rich.append(node)
    flush_rich()
    return blocks


def _strip_edges(nodes):
    if nodes and isinstance(nodes[0], str):
        nodes[0] = nodes[0].lstrip()
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] = nodes[-1].rstrip()
    return [node for node in nodes if not (isinstance(node, str) and node == "")]


def _is_bold_only(paragraph):
    children = [child for child in paragraph.children if not (isinstance(child, str) and not child.strip())]
    return len(children) == 1 and isinstance(children[0], Node) and children[0].tag in ("strong", "b")


def _as_paragraphs(nodes):
    """Rich-text source for a list item or cell: block children kept, loose inline content wrapped in <p>."""
    out, run = [], []

    def close():
        if not _is_blank(run):
            out.append(Node("p", children=_strip_edges(list(run))))
        run.clear()

    for node in nodes:
        if isinstance(node, Node) and node.tag in BLOCK_TAGS:
            close()
            if not (node.tag == "p" and _is_blank(node.children)):
                out.append(node)
        else:
            run.append(node)
    close()
    return serialize(out).strip()


def _notice_value(quote):
    children = [child for child in quote.children if not (isinstance(child, str) and not child.strip())]
    title = ""
    if children and isinstance(children[0], Node) and children[0].tag == "p":
        first = children[0]
        lead = [child for child in first.children if not (isinstance(child, str) and not child.strip())]
        if lead and isinstance(lead[0], Node) and lead[0].tag in ("strong", "b"):
            candidate = " ".join(text_of(lead[0].children).split())
            if 0 < len(candidate) <= MAX_NOTICE_TITLE:
                title = candidate
                if len(lead) == 1:
                    children = children[1:]
                else:
                    rest = first.children[first.children.index(lead[0]) + 1 :]
                    children = [Node("p", first.attrs, _strip_edges(rest)), *children[1:]]
    text = _as_paragraphs(children)
    if not text and not title:
        return None
    kind = "warning" if WARNING_WORDS.search(title) else "info"
    return {"kind": kind, "title": title, "text": text or f"<p>{html_lib.escape(title)}</p>"}


def _table_rows(table):
    rows = []
    for section in table.elements("thead", "tbody", "tfoot", "tr"):
        if section.tag == "tr":
            rows.append((section, section.tag))
        else:
            rows.extend((row, section.tag) for row in section.elements("tr"))
    return rows


def _table_value(table):
    rows = _table_rows(table)
    if not rows:
        return None
    header_row = next((row for row, section in rows if section == "thead"), None)
    if header_row is None and rows[0][0].elements("th"):
        header_row = rows[0][0]
    body = [row for row, _section in rows if row is not header_row]
    headings = [
        " ".join(text_of(cell.children).split()) for cell in (header_row.elements("th", "td") if header_row else [])
    ]
    cells = [[cell.children for cell in row.elements("th", "td")] for row in body]
    width = max([len(headings), *(len(row) for row in cells)])
    if width == 0:
        return None
    headings += [""] * (width - len(headings))
    cells = [row + [[]] * (width - len(row)) for row in cells]
    columns, columns_values = [], []
    for index in range(width):
        column_cells = [row[index] for row in cells]
        if any(_has_markup(cell) for cell in column_cells):
            columns.append({"type": "rich_text", "heading": headings[index]})
            columns_values.append([_as_paragraphs(cell) for cell in column_cells])
        else:
            columns.append({"type": "text", "heading": headings[index]})
            columns_values.append([" ".join(text_of(cell).split()) for cell in column_cells])
    table_rows = [{"values": [column[row] for column in columns_values]} for row in range(len(cells))]
    return {"columns": columns, "rows": table_rows, "caption": ""}


# --- Comparing and storing ------------------------------------------------------------------------------
def normalise_raw(value):
    """Raw StreamField data without block ids, list items as plain values: for "did anything change?"."""
    if isinstance(value, list):
        return [normalise_raw(item) for item in value]
    if isinstance(value, dict):
        if set(value) <= {"type", "value", "id"} and value.get("type") == "item" and "value" in value:
            return normalise_raw(value["value"])
        return {key: normalise_raw(item) for key, item in value.items() if key != "id"}
    return value


def blocks_to_raw(blocks, previous=None):
    """[(type, value)] -> raw stream data, reusing the previous block ids where the type still matches
    (so Wagtail's revision compare lines the blocks up)."""
    previous = list(previous or [])
    raw = []
    for position, (block_type, value) in enumerate(blocks):
        old = previous[position] if position < len(previous) else None
        block_id = old["id"] if old and old.get("type") == block_type and old.get("id") else str(uuid.uuid4())
        raw.append({"type": block_type, "value": value, "id": block_id})
    return raw


def same_blocks(raw, blocks):
    return normalise_raw(list(raw)) == normalise_raw([{"type": t, "value": v} for t, v in blocks])


# --- Plain text out -------------------------------------------------------------------------------------
_TEXT_BREAK_TAGS = frozenset({"p", "h2", "h3", "h4", "li", "tr", "blockquote", "pre", "ul", "ol", "table"})


def html_to_text(markup):
    """Readable plain text of rich text: paragraphs and list items on their own lines."""
    out = []

    def walk(nodes):
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif node.tag == "br":
                out.append("\n")
            elif node.tag in ("td", "th"):
                walk(node.children)
                out.append(" | ")
            else:
                if node.tag in _TEXT_BREAK_TAGS:
                    out.append("\n")
                if node.tag == "li":
                    out.append("- ")
                walk(node.children)
                if node.tag in _TEXT_BREAK_TAGS:
                    out.append("\n")

    walk(parse_fragment(markup))
    lines = [" ".join(line.replace(" | \n", "\n").split()).rstrip(" |") for line in "".join(out).splitlines()]
    return "\n".join(line for line in lines if line)


def stream_to_text(stream):
    """Plain text of a whole answer. Links to agents-only articles contribute only their own label."""
    from kb.models.choices import Audience

    parts = []
    for block in stream:
        value = block.value
        if block.block_type == "rich_text":
            parts.append(html_to_text(value.source))
        elif block.block_type == "steps":
            lines = [value["title"]] if value["title"] else []
            lines += [f"{n}. {html_to_text(step.source)}" for n, step in enumerate(value["steps"], start=1)]
            parts.append("\n".join(lines))
        elif block.block_type == "notice":
            parts.append("\n".join(filter(None, [value["title"], html_to_text(value["text"].source)])))
        elif block.block_type == "table":
            lines = [" | ".join(column["heading"] for column in value.columns)]
            for row in value.row_data:
                lines.append(" | ".join(_cell_text(cell) for cell in row["values"]))
            parts.append("\n".join(line for line in lines if line.strip(" |")))
        elif block.block_type == "image":
            parts.append(value["caption"] or getattr(value["image"], "contextual_alt_text", "") or "")
        elif block.block_type == "article_link":
            article = value["article"]
            public = article is not None and getattr(article, "audience", None) == Audience.PUBLIC
            parts.append(value["label"] or (article.title if public else ""))
        elif block.block_type == "video_link":
            parts.append(value["label"] or (value["video"].title if value["video"] else ""))
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _cell_text(cell):
    source = getattr(cell, "source", None)
    return html_to_text(source) if source is not None else str(cell or "")


# --- HTML out (the export) ------------------------------------------------------------------------------
def _unwrap_single_paragraph(source):
    nodes = [node for node in parse_fragment(source) if not (isinstance(node, str) and not node.strip())]
    if len(nodes) == 1 and isinstance(nodes[0], Node) and nodes[0].tag == "p":
        return serialize(nodes[0].children)
    return source


def stream_to_html(stream, request=None):
    """The answer as portable HTML in the import's shapes (the export's `answer` with answer_format=html)."""
    from wagtail.rich_text import expand_db_html

    out = []
    for block in stream:
        value = block.value
        if block.block_type == "rich_text":
            out.append(expand_db_html(value.source))
        elif block.block_type == "steps":
            if value["title"]:
                out.append(f"<h2>{html_lib.escape(value['title'])}</h2>")
            items = "".join(f"<li>{_unwrap_single_paragraph(expand_db_html(s.source))}</li>" for s in value["steps"])
            out.append(f"<ol>{items}</ol>")
        elif block.block_type == "notice":
            title = f"<p><strong>{html_lib.escape(value['title'])}</strong></p>" if value["title"] else ""
            out.append(f"<blockquote>{title}{expand_db_html(value['text'].source)}</blockquote>")
        elif block.block_type == "table":
            head = "".join(f"<th>{html_lib.escape(column['heading'])}</th>" for column in value.columns)
            body = []
            for row in value.row_data:
                cells = []
                for cell in row["values"]:
                    source = getattr(cell, "source", None)
                    if source is not None:
                        cells.append(f"<td>{_unwrap_single_paragraph(expand_db_html(source))}</td>")
                    else:
                        cells.append(f"<td>{html_lib.escape(str(cell or ''))}</td>")
                body.append(f"<tr>{''.join(cells)}</tr>")
            out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
        elif block.block_type == "image" and value["image"] is not None:
            image = value["image"]
            alt = html_lib.escape(getattr(image, "contextual_alt_text", "") or value["caption"] or "")
            out.append(f'<p><img src="{html_lib.escape(image.file.url)}" alt="{alt}"></p>')
        elif block.block_type in ("article_link", "video_link"):
            target = value["article"] if block.block_type == "article_link" else value["video"]
            if target is not None:
                label = html_lib.escape(value["label"] or target.title)
                out.append(f'<p><a href="{html_lib.escape(target.get_full_url(request) or "")}">{label}</a></p>')
    return "".join(out)


def rich_text_to_html(source):
    from wagtail.rich_text import expand_db_html

    return expand_db_html(source or "")
