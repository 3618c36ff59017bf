"""Scans and faxes of a text PDF: rasterised, skewed, blurred and noised like the real thing.

The same rotation and shift applied to the image are applied to the truth boxes (their four
corners, then the enclosing box), so the boxes still cover the values' words.
"""

from __future__ import annotations

import io
import math
import random
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from training.synth.painter import Box
from training.synth.truth import Geometry

SCAN_DPI = 300
_FIXED_DATE = time.gmtime(1767225600)  # 2026-01-01, as Pillow wants it
FAX_DPI = (200, 100)


@dataclass(frozen=True)
class PageTransform:
    """Points on the PDF page -> pixels of the output image (scale, then rotation about the
    centre, then a shift), as fractions of the output image."""

    sx: float
    sy: float
    width: int
    height: int
    angle: float
    """Degrees, counter-clockwise as PIL's Image.rotate."""
    shift: tuple[int, int]

    def fractions(self, box: Box) -> list[float]:
        cx, cy = self.width / 2, self.height / 2
        theta = math.radians(self.angle)
        cos, sin = math.cos(theta), math.sin(theta)
        xs, ys = [], []
        for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
            px, py = x * self.sx - cx, y * self.sy - cy
            xs.append(cx + px * cos + py * sin + self.shift[0])
            ys.append(cy - px * sin + py * cos + self.shift[1])
        clamp = lambda v: min(max(v, 0.0), 1.0)  # noqa: E731
        return [
            round(clamp(min(xs) / self.width), 5),
            round(clamp(min(ys) / self.height), 5),
            round(clamp(max(xs) / self.width), 5),
            round(clamp(max(ys) / self.height), 5),
        ]


def _render_pages(pdf: bytes, dpi_x: float, dpi_y: float) -> list[tuple[Image.Image, float, float]]:
    """Grey page images at dpi_x x dpi_y, with the page size in points."""
    document = pdfium.PdfDocument(pdf)
    pages = []
    try:
        for index in range(len(document)):
            page = document[index]
            width, height = page.get_size()
            image = page.render(scale=dpi_x / 72, grayscale=True).to_pil().convert("L")
            if dpi_y != dpi_x:
                image = image.resize(
                    (image.width, round(height * dpi_y / 72)), Image.Resampling.BILINEAR
                )
            pages.append((image, width, height))
            page.close()
    finally:
        document.close()
    return pages


def _degrade(
    image: Image.Image,
    transform: PageTransform,
    rng: np.random.Generator,
    blur: float,
    noise: float,
) -> Image.Image:
    image = image.rotate(
        transform.angle,
        resample=Image.Resampling.BILINEAR,
        fillcolor=255,
        translate=transform.shift,
    )
    if blur > 0:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    pixels = np.asarray(image, dtype=np.float32)
    pixels = pixels * np.float32(rng.uniform(0.9, 1.0)) + np.float32(rng.uniform(0, 12))
    pixels += rng.standard_normal(pixels.shape, dtype=np.float32) * np.float32(noise)
    specks = rng.random(pixels.shape, dtype=np.float32) < 0.0008
    pixels[specks] = rng.uniform(0, 90)
    # Scanners clip the paper's grain to white; it also keeps the files small.
    pixels[pixels > 228] = 255
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def _transforms(
    pages: list[tuple[Image.Image, float, float]],
    rng: random.Random,
    max_angle: float,
    dpi: tuple[float, float],
) -> list[PageTransform]:
    return [
        PageTransform(
            sx=dpi[0] / 72,
            sy=dpi[1] / 72,
            width=image.width,
            height=image.height,
            angle=round(rng.uniform(-max_angle, max_angle), 3),
            shift=(rng.randint(-12, 12), rng.randint(-12, 12)),
        )
        for image, _, _ in pages
    ]


def _geometry(transforms: list[PageTransform]) -> Geometry:
    return lambda page, box: transforms[page - 1].fractions(box)


def scan_image(pdf: bytes, stem: Path, rng: random.Random) -> tuple[Path, Geometry]:
    """A 300-dpi grey scan: PNG for one page, an image-only PDF for several."""
    pages = _render_pages(pdf, SCAN_DPI, SCAN_DPI)
    transforms = _transforms(pages, rng, 1.5, (SCAN_DPI, SCAN_DPI))
    noise_rng = np.random.default_rng(rng.getrandbits(32))
    blur = rng.uniform(0.3, 1.0)
    noise = rng.uniform(4, 12)
    images = [
        _degrade(image, t, noise_rng, blur, noise)
        for (image, _, _), t in zip(pages, transforms, strict=True)
    ]
    if len(images) == 1:
        path = stem.with_suffix(".png")
        images[0].save(path, format="PNG", dpi=(SCAN_DPI, SCAN_DPI), compress_level=3)
    else:
        path = stem.with_suffix(".pdf")
        buffer = io.BytesIO()
        images[0].save(
            buffer,
            format="PDF",
            save_all=True,
            append_images=images[1:],
            resolution=SCAN_DPI,
            creationDate=_FIXED_DATE,  # the default (now) would make every run differ
            modDate=_FIXED_DATE,
        )
        path.write_bytes(buffer.getvalue())
    return path, _geometry(transforms)


def _stamp_fax_header(image: Image.Image, text: str) -> None:
    """The line the sending machine prints across the top of every page (a distractor)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    strip = Image.new("L", (image.width, 44), 255)
    ImageDraw.Draw(strip).text((40, 8), ascii_text, fill=0, font=ImageFont.load_default(size=24))
    image.paste(strip.resize((image.width, 22), Image.Resampling.BILINEAR), (0, 4))


def fax_tiff(
    pdf: bytes, stem: Path, rng: random.Random, header: str | None = None
) -> tuple[Path, Geometry]:
    """A 200x100-dpi 1-bit fax, G4-compressed, one TIFF page per page; `header` (with the
    page number appended) is printed across the top as a fax machine does."""
    pages = _render_pages(pdf, *FAX_DPI)
    transforms = _transforms(pages, rng, 1.0, FAX_DPI)
    noise_rng = np.random.default_rng(rng.getrandbits(32))
    threshold = rng.randint(150, 190)
    images = []
    for number, ((image, _, _), transform) in enumerate(zip(pages, transforms, strict=True), 1):
        grey = _degrade(image, transform, noise_rng, blur=0.0, noise=rng.uniform(10, 25))
        if header is not None:
            _stamp_fax_header(grey, f"{header}   P.{number:03d}/{len(pages):03d}")
        images.append(grey.point(lambda v: 255 if v > threshold else 0).convert("1"))
    path = stem.with_suffix(".tiff")
    images[0].save(
        path,
        format="TIFF",
        compression="group4",
        dpi=FAX_DPI,
        save_all=True,
        append_images=images[1:],
    )
    return path, _geometry(transforms)
