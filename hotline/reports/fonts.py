"""Find a font that writes Chinese for the PDF: a CJK TrueType on the system, else Adobe's CID."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)


@cache
def cjk_font(wanted: str | None = None) -> str:
    """Register and return the name of the font the report is set in.

    An embedded TrueType prints the same everywhere; the CID font (STSong-Light) needs none on
    this machine but relies on the reader's Asian fonts, so it is only the fall-back.
    """
    for path in ([wanted] if wanted else []) + list(CANDIDATES):
        if path and Path(path).is_file():
            pdfmetrics.registerFont(TTFont("HotlineCJK", path, subfontIndex=0))
            return "HotlineCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"
