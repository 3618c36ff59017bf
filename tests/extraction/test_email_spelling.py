"""An OCR'd e-mail address's name part in the spelling the page prints the name in."""

from __future__ import annotations

import pytest

from extraction.email_spelling import local_part_from_page

PAGE = ["Contact", "Julien", "Girard", "Acheteur", "Jules", "Girard", "Markus", "Fischer"]


@pytest.mark.parametrize(
    ("read", "expected"),
    [
        ("julien.glrard@rousseau-boulan.fr", "julien.girard@rousseau-boulan.fr"),
        ("julien.giturd@rousseau-boulan.fr", "julien.girard@rousseau-boulan.fr"),  # 2 of 6
        ("markus.hischer@muller-elektr.de", "markus.fischer@muller-elektr.de"),
        ("julian.girard@rousseau-boulan.fr", "julien.girard@rousseau-boulan.fr"),
        ("julia.girard@rousseau-boulan.fr", "julia.girard@rousseau-boulan.fr"),  # not Julien, Jules
        ("info@rousseau-boulan.fr", "info@rousseau-boulan.fr"),  # no name printed near it
        ("girard@giturd.fr", "girard@giturd.fr"),  # the domain is not the page's to spell
    ],
)
def test_a_name_part_the_page_prints_nowhere_takes_the_printed_name_it_is_near(
    read: str, expected: str
) -> None:
    assert local_part_from_page(read, PAGE) == expected
