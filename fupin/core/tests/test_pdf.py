"""The one PDF set-up (fupin/core/pdf.py): Chinese text drawn in an embedded CJK font."""

from __future__ import annotations

import re
import zlib

import pytest

from fupin.core import pdf

TEXT = "扶贫公示：张三户 2025"


def streams(content: bytes) -> list[bytes]:
    out = []
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            out.append(zlib.decompress(raw))
        except zlib.error:
            out.append(raw)
    return out


def to_unicode(content: bytes) -> set[str]:
    """The characters the PDF's ToUnicode maps name: what a reader can copy out of it."""
    chars = set()
    for stream in streams(content):
        if b"beginbfchar" in stream:
            for _src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", stream):
                chars.add(bytes.fromhex(dst.decode()).decode("utf-16-be"))
    return chars


def test_chinese_text_renders_in_an_embedded_cjk_font():
    try:
        pdf.find_font()
    except pdf.PdfUnavailable:
        pytest.fail("no CJK font on this machine: `make install` installs Debian's fonts-noto-cjk")
    document = pdf.cjk_pdf("landscape", 14, title="年度报表")
    document.add_page()
    document.set_font(pdf.FAMILY, size=12)
    document.cell(0, 10, TEXT)
    content = bytes(document.output())
    assert content.startswith(b"%PDF")
    assert round(document.w) == 297 and round(document.h) == 210  # A4 landscape
    # the font is embedded (a subset: only the glyphs used), not left to the reader
    assert re.search(rb"/FontFile[23]?\b", content)
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+\w+", content)
    assert set(TEXT.replace(" ", "")) <= to_unicode(content)


def test_without_a_font_it_says_what_to_install(settings, monkeypatch):
    settings.NOTICE_FONT = "/nonexistent/font.ttc"
    with pytest.raises(pdf.PdfUnavailable, match="fonts-noto-cjk"):
        pdf.cjk_pdf()
    settings.NOTICE_FONT = ""
    monkeypatch.setattr(pdf, "FONT_CANDIDATES", ())
    with pytest.raises(pdf.PdfUnavailable):
        pdf.find_font()


def test_a_font_without_chinese_is_not_used(settings):
    settings.NOTICE_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    with pytest.raises(pdf.PdfUnavailable):
        pdf.find_font()
