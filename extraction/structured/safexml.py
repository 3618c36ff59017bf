"""Parsing untrusted XML safely, and reading it by local names.

Orders arrive from outside: the parser never loads a DTD, never resolves an entity, never
touches the network, and a document that declares a DTD at all is refused (no legitimate
Order-X, CII or UBL file has one; billion-laughs and external-entity attacks need one).

Paths are written with local names (`ExchangedDocument/ID`) and match any namespace, so one
reader covers UBL 2.0 and 2.1 or CII D16B and D20B without a namespace map per version.
"""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from extraction.structured.errors import StructuredFormatError

_MAX_XML_BYTES = 20 * 1024 * 1024


def parse_xml(data: bytes, *, what: str = "XML") -> etree._Element:
    """The root element of `data`, or StructuredFormatError when it is malformed or unsafe."""
    if len(data) > _MAX_XML_BYTES:
        raise StructuredFormatError(
            f"{what} is larger than {_MAX_XML_BYTES // (1024 * 1024)} MB; no order is that big",
            reason="malformed_xml",
        )
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise StructuredFormatError(
            f"{what} declares a DTD or entities, which orders never need; it was not read. "
            "Ask the sender for a plain Order-X, UBL or CII file.",
            reason="forbidden_dtd",
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as error:
        raise StructuredFormatError(
            f"{what} is not well-formed XML ({error}); ask the sender for the file again.",
            reason="malformed_xml",
        ) from None
    if root.getroottree().docinfo.internalDTD is not None:
        raise StructuredFormatError(
            f"{what} declares a DTD; it was not read", reason="forbidden_dtd"
        )
    return root


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def namespace(element: etree._Element) -> str:
    return etree.QName(element).namespace or ""


@lru_cache(maxsize=512)
def _compiled(path: str) -> etree.XPath:
    steps = []
    for step in path.split("/"):
        if step == "..":
            steps.append("..")
        elif step.startswith("@"):
            steps.append(step)
        else:
            steps.append(f"*[local-name()='{step}']")
    return etree.XPath("./" + "/".join(steps))


def find_all(element: etree._Element | None, path: str) -> list[etree._Element]:
    if element is None:
        return []
    found = _compiled(path)(element)
    assert isinstance(found, list)
    return [item for item in found if isinstance(item, etree._Element)]


def find(element: etree._Element | None, path: str) -> etree._Element | None:
    found = find_all(element, path)
    return found[0] if found else None


def text(element: etree._Element | None, path: str | None = None) -> str | None:
    """The stripped text at `path` (or of `element` itself); None when absent or blank."""
    target = element if path is None else find(element, path)
    if target is None or target.text is None:
        return None
    value = " ".join(target.text.split())
    return value or None


def first_text(element: etree._Element | None, *paths: str) -> str | None:
    for path in paths:
        value = text(element, path)
        if value is not None:
            return value
    return None


def require(element: etree._Element, path: str, *, what: str) -> etree._Element:
    found = find(element, path)
    if found is None:
        raise StructuredFormatError(
            f"{what} has no {path}, which its standard requires; it cannot be read as an order.",
            reason="missing_element",
        )
    return found


def find_first(element: etree._Element | None, *paths: str) -> etree._Element | None:
    """The first of `paths` that exists (never `a or b`: a leaf lxml element is falsy)."""
    for path in paths:
        found = find(element, path)
        if found is not None:
            return found
    return None
