"""What a .docx paragraph holds, as escaped HTML: its runs with their bold, italic, underline
and size, line breaks, tabs and pictures, cut where a page break falls. The document's
text is data: every character of it is escaped, nothing of it becomes a tag or an address."""
import base64

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import nsmap, qn
from docx.text.run import Run
from lxml import etree
from markupsafe import Markup, escape

PAGE_BREAK = object()          # where a paragraph is cut by a page break
PICTURE_TYPES = {"image/png", "image/jpeg", "image/gif"}   # never SVG: it can hold script
MAX_PICTURE_BYTES = 2_000_000
# runs inside fields, hyperlinks, insertions and smart tags count as the paragraph's text
RUNS = "./w:r | ./w:hyperlink/w:r | ./w:fldSimple/w:r | ./w:ins/w:r | ./w:smartTag/w:r"
BREAK_TYPE = qn("w:type")
DESCRIPTIONS = etree.XPath(".//wp:docPr/@descr | .//wp:docPr/@title", namespaces=nsmap)
PICTURES = etree.XPath(".//a:blip/@r:embed", namespaces=nsmap)


def paragraph_segments(paragraph, styles):
    """The paragraph's content as HTML pieces, with PAGE_BREAK between the pieces a page
    break separates."""
    segments, current = [], []
    for r in paragraph._p.xpath(RUNS):
        run = Run(r, paragraph)
        for piece in _run_pieces(run, paragraph, styles):
            if piece is PAGE_BREAK:
                segments += [Markup("").join(current), PAGE_BREAK]
                current = []
            else:
                current.append(piece)
    segments.append(Markup("").join(current))
    return segments


def _run_pieces(run, paragraph, styles):
    """The run's content, wrapped in its formatting; a page break stays outside any tag."""
    tags = _run_tags(run, paragraph, styles)
    pieces, inline = [], []
    for child in run._r.iterchildren():
        piece = _child_html(child, paragraph)
        if piece is PAGE_BREAK:
            pieces += [_wrapped(inline, tags), PAGE_BREAK]
            inline = []
        elif piece:
            inline.append(piece)
    pieces.append(_wrapped(inline, tags))
    return pieces


def _child_html(child, paragraph):
    if child.tag == qn("w:t"):
        return escape(child.text or "")
    if child.tag == qn("w:tab"):
        return Markup('<span class="tab"> </span>')
    if child.tag == qn("w:br"):
        return PAGE_BREAK if child.get(BREAK_TYPE) == "page" else Markup("<br>")
    if child.tag == qn("w:cr"):
        return Markup("<br>")
    if child.tag == qn("w:noBreakHyphen"):
        return "\u2011"
    if child.tag == qn("w:drawing"):
        return _picture(child, paragraph)
    return None


def _wrapped(inline, tags):
    content = Markup("").join(inline)
    if not content:
        return content
    for opening, closing in tags:
        content = Markup(opening) + content + Markup(closing)
    return content


def _run_tags(run, paragraph, styles):
    """The (opening, closing) tags of the run's formatting, direct or from its styles."""
    tags = [(f"<{tag}>", f"</{tag}>") for tag, attribute in (("strong", "bold"), ("em", "italic"))
            if _effective(run, paragraph, attribute, styles)]
    if _effective(run, paragraph, "underline", styles):
        tags.append(('<span class="u">', "</span>"))
    size = _effective(run, paragraph, "size", styles)
    if size is not None and size.pt >= 13:
        tags.append(('<span class="fs-xl">', "</span>"))
    elif size is not None and size.pt >= 11.5:
        tags.append(('<span class="fs-l">', "</span>"))
    elif size is not None and size.pt <= 9:
        tags.append(('<span class="fs-s">', "</span>"))
    return tags


def _effective(run, paragraph, attribute, styles):
    """The run's own value, else its character style's, else its paragraph style's."""
    value = getattr(run.font, attribute)
    if value is None:
        value = styles.font(run, paragraph, attribute)
    return value


class Styles:
    """The document's styles, each looked up once: python-docx reads them all at every lookup."""

    def __init__(self, document):
        self.styles, self.cache = document.styles, {}

    def paragraph(self, paragraph):
        """The paragraph's style and those it is based on."""
        p_pr = paragraph._p.pPr
        return self._chain(p_pr.style if p_pr is not None else None, WD_STYLE_TYPE.PARAGRAPH)

    def font(self, run, paragraph, attribute):
        r_pr, p_pr = run._r.rPr, paragraph._p.pPr
        key = ("font", r_pr.style if r_pr is not None else None, p_pr.style if p_pr is not None else None, attribute)
        if key not in self.cache:
            chain = self._chain(key[1], WD_STYLE_TYPE.CHARACTER) + self._chain(key[2], WD_STYLE_TYPE.PARAGRAPH)
            self.cache[key] = next((value for value in (getattr(style.font, attribute, None) for style in chain)
                                    if value is not None), None)
        return self.cache[key]

    def _chain(self, style_id, kind):
        key = (kind, style_id)
        if key not in self.cache:
            found = next((style for style in self.styles if style.style_id == style_id and style.type == kind), None) \
                if style_id is not None else None
            self.cache[key] = list(style_chain(found or self.styles.default(kind)))
        return self.cache[key]


def style_chain(style):
    """The style and the styles it is based on (bounded: a loop in a damaged file ends)."""
    for _ in range(20):
        if style is None:
            return
        yield style
        style = style.base_style


def _picture(drawing, paragraph):
    """A PNG, JPEG or GIF picture inline (data: address), with its description as text."""
    names = DESCRIPTIONS(drawing)
    alt = next((name for name in names if name.strip()), "Image du document")
    for key in PICTURES(drawing):
        part = paragraph.part.related_parts.get(key)
        if part is not None and part.content_type in PICTURE_TYPES and len(part.blob) <= MAX_PICTURE_BYTES:
            encoded = base64.b64encode(part.blob).decode("ascii")
            return Markup('<img src="data:{};base64,{}" alt="{}">').format(part.content_type, encoded, alt)
    return Markup('<span class="picture-missing">[{}]</span>').format(alt)
