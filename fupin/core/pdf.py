"""The one PDF set-up: A4 documents drawn with fpdf2 (pure Python) in a Chinese font found on
the server, used by public notices and the yearly report.

The font is Debian's fonts-noto-cjk where installed (`make install` and `.ci/run` install it),
another distribution's CJK font, or the file named by the NOTICE_FONT setting
(FUPIN_NOTICE_FONT). Only the glyphs used are embedded. Without a font, or without fpdf2,
`cjk_pdf` raises PdfUnavailable with a message saying what to install, which the views show
while sending the user back to the printable page.
"""

from __future__ import annotations

import functools
import os

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

FAMILY = "cjk"  # the font family name documents use: pdf.set_font(FAMILY, size=...)


class PdfUnavailable(Exception):
    """The PDF cannot be made on this server (no CJK font, no fpdf2): the message says why."""


# CJK fonts where distributions put them: Debian/Ubuntu (fonts-noto-cjk, fonts-wqy-*,
# fonts-arphic-uming, fonts-droid-fallback), Fedora, Arch/Alpine, Windows, macOS.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
    "/System/Library/Fonts/Supplemental/Songti.ttc",
)


def _no_font_message() -> str:
    return _("PDFs need a Chinese font on the server, and none was found. Install "
             "Debian's fonts-noto-cjk (apt-get install fonts-noto-cjk), or set FUPIN_NOTICE_FONT "
             "to a .ttf, .otf or .ttc font with Chinese characters. This page can still be "
             "printed from the browser.")


@functools.lru_cache(maxsize=8)
def _face(path: str, mtime: float) -> int:
    """The face of a font (collection) to use: simplified Chinese when the collection has it.
    Raises ValueError when the font has no Chinese characters. `mtime` makes a replaced font
    file read again."""
    from fontTools.ttLib import TTCollection, TTFont

    if path.lower().endswith((".ttc", ".otc")):
        fonts = TTCollection(path, lazy=True).fonts
    else:
        fonts = [TTFont(path, lazy=True)]

    def family(font) -> str:
        return font["name"].getDebugName(1) or ""

    order = sorted(range(len(fonts)), key=lambda i: (
        "Mono" in family(fonts[i]),
        not any(tag in family(fonts[i]) for tag in (" SC", " CN", "GB", "Hei", "YaHei")), i))
    for i in order:
        cmap = fonts[i].getBestCmap() or {}
        if 0x4E00 in cmap and 0x8D2B in cmap:  # 一, 贫
            return i
    raise ValueError(path)


def find_font() -> tuple[str, int]:
    """(path, face index) of a font that has Chinese characters; PdfUnavailable if none."""
    configured = getattr(settings, "NOTICE_FONT", "") or ""
    candidates = [configured] if configured else list(FONT_CANDIDATES)
    for candidate in candidates:
        if not candidate or not os.path.isfile(candidate):
            continue
        try:
            return candidate, _face(candidate, os.path.getmtime(candidate))
        except Exception:  # an unreadable or non-Chinese font: try the next one
            continue
    raise PdfUnavailable(_no_font_message())


def cjk_pdf(orientation: str = "portrait", margin: float = 20, *, title: str = ""):
    """An A4 fpdf2 document (millimetres) with the server's Chinese font as FAMILY, the page
    language set from the active language, and margins of `margin` on every side."""
    try:
        from fpdf import FPDF
    except ImportError:
        raise PdfUnavailable(_("PDFs need the fpdf2 package, which is not installed on "
                               "this server. This page can still be printed from the "
                               "browser.")) from None
    font_path, face = find_font()
    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(True, margin=margin)
    try:
        pdf.add_font(FAMILY, fname=font_path, collection_font_number=face)
    except Exception:  # fontTools errors vary with the font file
        raise PdfUnavailable(_no_font_message()) from None
    pdf.set_lang("zh-CN" if (get_language() or "").startswith("zh") else "en")
    pdf.set_creator("Fupin")
    if title:
        pdf.set_title(title)
    pdf.set_font(FAMILY, size=11)
    return pdf
