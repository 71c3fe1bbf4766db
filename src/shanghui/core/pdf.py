"""PDF documents (receipts, certificates, sign-in sheets, badges) rendered by WeasyPrint from
an HTML template.

The template's ``@font-face`` rules point at the Noto Sans SC files shipped in
``core/data/fonts/noto-sans-sc/`` (SIL OFL 1.1), so the glyphs are embedded in every PDF
whatever fonts the server has. They are not static files: no browser loads them, and
collecting them made WhiteNoise Brotli-compress 10 MB on every `make run` after a change.
The renderer may read only those font files and ``data:`` URIs (QR codes): nothing is
fetched from the network or elsewhere on disk. Templates put
``{{ font_css }}`` in their ``<style>`` and use ``font-family: "{{ font_family }}"``."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, URLFetcherResponse

FONT_DIR = Path(__file__).resolve().parent / "data" / "fonts" / "noto-sans-sc"
FONT_REGULAR = FONT_DIR / "NotoSansSC-Regular.ttf"
# Bold, subset to the 6,763 characters of GB 2312: titles and names; anything outside falls
# back to the regular face, which covers the whole CJK Unified Ideographs block.
FONT_BOLD = FONT_DIR / "NotoSansSC-Bold-GB2312.ttf"
FONT_FAMILY = "Shanghui Sans"


class LocalOnlyFetcher(URLFetcher):
    """Lets WeasyPrint read the vendored fonts and data: URIs, nothing else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"file", "data"})

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("file:"):
            allowed = {FONT_REGULAR.as_uri(), FONT_BOLD.as_uri()}
            if url.split("?")[0] not in allowed:
                raise ValueError(f"PDF templates may not read {url}")
        return super().fetch(url, headers)


def font_css() -> str:
    for path in (FONT_REGULAR, FONT_BOLD):
        if not path.is_file():
            raise ImproperlyConfigured(f"The PDF font {path} is missing from the installation")
    return (
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: 400; '
        f'src: url("{FONT_REGULAR.as_uri()}"); }}\n'
        f'@font-face {{ font-family: "{FONT_FAMILY} Bold"; font-weight: 400; '
        f'src: url("{FONT_BOLD.as_uri()}"); }}\n'
        # The bold face is bold already: a bold weight on top would be synthesised twice.
        f'h1, h2, h3, strong, b, .bold {{ font-family: "{FONT_FAMILY} Bold", "{FONT_FAMILY}"; '
        f"font-weight: normal; }}\n"
    )


def render_pdf_document(template_name: str, context: dict[str, Any]) -> Document:
    """The laid-out pages of a template, not yet written: a long document is rendered part by
    part (a job reporting progress between parts) and the parts joined by ``join_pdf``."""
    html = render_to_string(
        template_name,
        {**context, "font_css": mark_safe(font_css()), "font_family": FONT_FAMILY},  # noqa: S308 - our own constant CSS
    )
    return HTML(string=html, url_fetcher=LocalOnlyFetcher()).render()


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    pdf: bytes = render_pdf_document(template_name, context).write_pdf()
    return pdf


def join_pdf(documents: list[Document]) -> bytes:
    """One PDF of the pages of several rendered parts, in order (fonts embedded once)."""
    pages = [page for document in documents for page in document.pages]
    pdf: bytes = documents[0].copy(pages).write_pdf()
    return pdf


@dataclass(frozen=True)
class PdfFile:
    filename: str
    content: bytes
