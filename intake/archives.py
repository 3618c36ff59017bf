"""Zip files unpacked in memory within bounds: member count, total size and compression ratio.

Members are only read, never written to disk, so names with `../` cannot escape anywhere; they
are still cleaned before they are shown.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from intake.limits import IntakeLimits


class ArchiveRejectedError(Exception):
    """The whole archive is refused; the message says why, for the quarantine."""


@dataclass(frozen=True)
class ArchiveMember:
    name: str
    data: bytes


def unpack_zip(data: bytes, *, limits: IntakeLimits) -> list[ArchiveMember]:
    """The files of a zip archive (folders, macOS metadata and hidden files left out)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise ArchiveRejectedError(f"the zip file is damaged ({error})") from error
    with archive:
        files = [info for info in infos if _is_payload(info)]
        if len(files) > limits.max_archive_members:
            raise ArchiveRejectedError(
                f"the zip file holds {len(files)} files; at most "
                f"{limits.max_archive_members} are unpacked"
            )
        if any(info.flag_bits & 0x1 for info in files):
            raise ArchiveRejectedError("the zip file is password-protected")
        declared_total = sum(info.file_size for info in files)
        if declared_total > limits.max_archive_bytes:
            raise ArchiveRejectedError(
                f"the zip file unpacks to {declared_total / 1e6:.0f} MB; at most "
                f"{limits.max_archive_bytes / 1e6:.0f} MB are unpacked"
            )
        members: list[ArchiveMember] = []
        for info in files:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_archive_ratio and info.file_size > 1_000_000:
                raise ArchiveRejectedError(
                    f"{info.filename!r} in the zip file is compressed {ratio:.0f} times "
                    "(a zip bomb?); it was not unpacked"
                )
            members.append(ArchiveMember(name=info.filename, data=_read_bounded(archive, info)))
        return members


def _is_payload(info: zipfile.ZipInfo) -> bool:
    path = PurePosixPath(info.filename.replace("\\", "/"))
    if info.is_dir() or not path.name or path.name.startswith("."):
        return False
    return "__MACOSX" not in path.parts


def _read_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, refusing one that inflates beyond the size its header declares."""
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise ArchiveRejectedError(
            f"{info.filename!r} in the zip file is damaged ({error})"
        ) from error
    if len(data) > info.file_size:
        raise ArchiveRejectedError(f"{info.filename!r} in the zip file is larger than it declares")
    return data
