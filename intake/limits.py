"""The bounds every intake source enforces before a file may become a document."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class IntakeLimits:
    max_message_bytes: int = 100 * MB
    """A larger message is not downloaded: it goes to the failed folder with the reason."""
    max_attachment_bytes: int = 50 * MB
    max_pages: int = 200
    max_image_pixels: int = 60_000_000
    """Per page; more is treated as a decompression bomb."""
    max_mime_depth: int = 10
    max_parts: int = 200
    max_archive_members: int = 50
    max_archive_bytes: int = 200 * MB
    """Uncompressed total of one zip file."""
    max_archive_ratio: int = 100
    """Uncompressed / compressed size of one member; more is treated as a zip bomb."""
    min_body_chars: int = 20
    """A mail body shorter than this (once blank lines and signatures go) is not an order."""
    ack_per_sender_per_hour: int = 5
