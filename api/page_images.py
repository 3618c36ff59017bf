"""Page images for the screens and the API, rendered once and kept in the blob store."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from extraction.reading import render_page_png
from models.blobs import BlobStore
from models.review_tables import PageImage
from models.tables import Document

PAGE_WIDTH_PX = 1200


def page_png(
    session: Session,
    *,
    blobs: BlobStore,
    document: Document,
    page_number: int,
    rotation: int = 0,
    width_px: int = PAGE_WIDTH_PX,
) -> bytes:
    """PNG of one page of the document's original file, from the cache when rendered before.

    Raises what `render_page_png` raises: a ReadError for a file that cannot be shown, and
    IndexError for a page the document does not have.
    """
    key = (
        PageImage.source_sha256 == document.sha256,
        PageImage.page_number == page_number,
        PageImage.width_px == width_px,
        PageImage.rotation == rotation,
    )
    cached = session.exec(select(PageImage).where(*key)).first()
    if cached is not None and blobs.exists(cached.png_sha256):
        return blobs.get(cached.png_sha256)
    png = render_page_png(
        blobs.get(document.sha256),
        media_type=document.media_type,
        page_number=page_number,
        width_px=width_px,
        rotation=rotation,
    )
    digest = blobs.put(png)
    if cached is None:
        try:
            with session.begin_nested():
                session.add(
                    PageImage(
                        source_sha256=document.sha256,
                        page_number=page_number,
                        width_px=width_px,
                        rotation=rotation,
                        png_sha256=digest,
                    )
                )
        except IntegrityError:
            pass  # another request rendered the same page meanwhile; its row is as good
    return png
