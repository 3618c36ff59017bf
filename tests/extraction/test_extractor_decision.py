"""Checks (totals, unknown items, price deviations) and the auto-approval decision."""

from __future__ import annotations

from decimal import Decimal

from extraction.candidates import Candidate
from extraction.checks import run_checks
from extraction.decision import ApprovalThresholds, Thresholds, decide, is_confidence_reason
from extraction.extractor import capped_absence
from extraction.masterdata import CustomerRecord, MasterData, ProductRecord
from extraction.result import HEADER_FIELDS, Decision, ExtractedField, ExtractedLine, Extraction
from extraction.scoring import FieldChoice

MASTER = MasterData(
    customers=(CustomerRecord("C001", "Garage Lambert SA"),),
    products=(
        ProductRecord("A-1", "Widget", unit_price=Decimal("10.00")),
        ProductRecord("B-2", "Gadget", unit_price=Decimal("5.00")),
    ),
)
LENIENT = Thresholds(fields=dict.fromkeys(HEADER_FIELDS, 0.5), line=0.5, document_type=0.5)


def order(*, lines=None, subtotal="25.00", tax="5.00", total="30.00", confidence=0.99):
    values = {
        "po_number": "PO-1",
        "order_date": "2026-03-12",
        "customer_name": "Garage Lambert SA",
        "subtotal": subtotal,
        "tax_total": tax,
        "total": total,
        "currency": "EUR",
    }
    fields: dict[str, ExtractedField | None] = {
        name: ExtractedField(value=values.get(name), confidence=confidence, method="model")
        for name in HEADER_FIELDS
    }
    if lines is None:
        lines = [
            ExtractedLine(
                sku="A-1",
                product_sku="A-1",
                description="Widget",
                quantity="2",
                unit_price="10.00",
                line_total="20.00",
                confidence=confidence,
            ),
            ExtractedLine(
                sku="B-2",
                product_sku="B-2",
                description="Gadget",
                quantity="1",
                unit_price="5.00",
                line_total="5.00",
                confidence=confidence,
            ),
        ]
    return Extraction(
        source="t.pdf",
        document_type="purchase_order",
        document_type_confidence=0.99,
        fields=fields,
        lines=lines,
        customer_id="C001",
        decision=Decision(status="needs_review"),
    )


def test_confident_order_whose_arithmetic_closes_is_auto_approved():
    decision = decide(order(), master=MASTER, thresholds=LENIENT)
    assert decision.status == "auto_approved" and decision.reasons == []


def test_order_whose_totals_do_not_add_up_is_never_auto_approved_however_confident():
    decision = decide(order(total="31.00", confidence=1.0), master=MASTER, thresholds=LENIENT)
    assert decision.status == "needs_review"
    assert any("≠ total" in r for r in decision.reasons)


def test_an_order_number_that_is_a_valid_gln_goes_to_review():
    def with_po(po_number: str) -> Extraction:
        extraction = order()
        extraction.fields["po_number"] = ExtractedField(
            value=po_number, confidence=1.0, method="model"
        )
        return extraction

    gln = decide(with_po("4012345000009"), master=MASTER, thresholds=LENIENT)
    assert gln.status == "needs_review" and any("GLN" in r for r in gln.reasons)
    for po_number in ("4012345000008", "PO-2026-0001", "4500012345"):  # check digit wrong, …
        assert decide(with_po(po_number), master=MASTER, thresholds=LENIENT).status == (
            "auto_approved"
        )


def test_lines_not_summing_to_the_subtotal_block_approval():
    decision = decide(order(subtotal="26.00", total="31.00"), master=MASTER, thresholds=LENIENT)
    assert decision.status == "needs_review"
    assert any("sum of lines" in r for r in decision.reasons)


def test_line_whose_quantity_times_price_is_not_its_total_blocks_approval():
    lines = [
        ExtractedLine(
            sku="A-1",
            product_sku="A-1",
            quantity="2",
            unit_price="10.00",
            line_total="25.00",
            confidence=1.0,
        )
    ]
    decision = decide(
        order(lines=lines, subtotal="25.00", tax="5.00", total="30.00"),
        master=MASTER,
        thresholds=LENIENT,
    )
    assert "line 1: quantity × unit price ≠ line total" in decision.reasons


def test_unknown_sku_and_price_deviation_are_reported():
    lines = [
        ExtractedLine(
            sku="ZZ-9",
            product_sku=None,
            quantity="1",
            unit_price="5.00",
            line_total="5.00",
            confidence=1.0,
        ),
        ExtractedLine(
            sku="A-1",
            product_sku="A-1",
            quantity="2",
            unit_price="10.00",
            line_total="20.00",
            confidence=1.0,
        ),
    ]
    results = run_checks(order(lines=lines), MASTER)
    assert any(r.name == "known_item" and not r.passed for r in results)
    cheap = [
        ExtractedLine(
            sku="A-1",
            product_sku="A-1",
            quantity="2",
            unit_price="8.00",
            line_total="16.00",
            confidence=1.0,
        )
    ]
    failed = [
        r
        for r in run_checks(order(lines=cheap, subtotal="16.00", tax="4.00", total="20.00"), MASTER)
        if not r.passed
    ]
    assert [r.name for r in failed] == ["price"]


def test_low_confidence_field_sends_the_order_to_review():
    strict = Thresholds(fields=dict.fromkeys(HEADER_FIELDS, 0.999), line=0.5, document_type=0.5)
    decision = decide(order(confidence=0.99), master=MASTER, thresholds=strict)
    assert decision.status == "needs_review"
    assert any(r.startswith("po_number: low confidence") for r in decision.reasons)


def test_document_that_is_not_an_order_is_not_auto_approved():
    invoice = order().model_copy(update={"document_type": "invoice"})
    assert decide(invoice, master=MASTER, thresholds=LENIENT).status == "needs_review"


def test_a_charge_line_without_a_product_is_not_an_unknown_item():
    freight = ExtractedLine(
        description="Frais de port",
        quantity="1",
        unit_price="15.00",
        line_total="15.00",
        confidence=0.99,
    )
    mystery = freight.model_copy(update={"description": "Vis spéciale"})
    charged = [r for r in run_checks(order(lines=[freight]), MASTER) if r.name == "known_item"]
    unknown = [r for r in run_checks(order(lines=[mystery]), MASTER) if r.name == "known_item"]
    assert charged == [] and [r.passed for r in unknown] == [False]


def _priced(price: str, quantity: str = "2") -> ExtractedLine:
    total = str(Decimal(price) * Decimal(quantity))
    return ExtractedLine(
        sku="P-1",
        product_sku="P-1",
        quantity=quantity,
        unit_price=price,
        line_total=total,
        confidence=1.0,
    )


def test_a_price_fifteen_percent_off_rounded_to_the_cent_is_within_the_band():
    master = MasterData(
        customers=MASTER.customers,
        products=(ProductRecord("P-1", "Pen", unit_price=Decimal("3.12")),),
    )
    ok = run_checks(order(lines=[_priced("2.65")], subtotal="5.30", tax="0", total="5.30"), master)
    low = run_checks(order(lines=[_priced("2.64")], subtotal="5.28", tax="0", total="5.28"), master)
    assert all(r.passed for r in ok if r.name == "price")
    assert [r.name for r in low if not r.passed] == ["price"]


def test_thresholds_are_those_of_the_way_the_document_was_read():
    strict_ocr = ApprovalThresholds(
        fields=dict.fromkeys(HEADER_FIELDS, 0.999), line=0.5, document_type=0.5
    )
    thresholds = Thresholds(
        fields=dict.fromkeys(HEADER_FIELDS, 0.5),
        line=0.5,
        document_type=0.5,
        by_reading={"ocr": strict_ocr},
    )
    read_from_pdf = decide(
        order(confidence=0.99), master=MASTER, thresholds=thresholds, reading="pdf"
    )
    read_by_ocr = decide(
        order(confidence=0.99), master=MASTER, thresholds=thresholds, reading="ocr"
    )
    assert read_from_pdf.status == "auto_approved"
    assert read_by_ocr.status == "needs_review"
    assert Thresholds.from_json(thresholds.to_json()) == thresholds


def test_confidence_reasons_are_told_apart_from_failed_checks():
    strict = Thresholds(fields=dict.fromkeys(HEADER_FIELDS, 0.999), line=0.999, document_type=0.999)
    decision = decide(order(total="31.00", confidence=0.99), master=MASTER, thresholds=strict)
    kinds = {reason: is_confidence_reason(reason) for reason in decision.reasons}
    assert kinds["po_number: low confidence in value (0.99)"]
    assert kinds["line 1: low confidence (0.99)"]
    assert kinds["unsure it is a purchase order (0.99)"]
    assert not any(is_confidence_reason(r) for r in decision.reasons if "≠ total" in r)
    assert any("≠ total" in r for r in decision.reasons)


def test_not_printed_is_no_surer_than_the_scorer_is_that_no_candidate_is_right():
    amount = Candidate("amount", "30", "30 days net", 0, 0, 3, 1, (0.1, 0.1, 0.3, 0.12), None)
    held_back = FieldChoice(None, 0.21, 0.21)  # the best candidate had 0.79, under the bar
    assert capped_absence(0.84, held_back, fallback=False) == 0.21
    assert capped_absence(0.84, FieldChoice(None, 1.0, 1.0), fallback=False) == 0.84
    assert capped_absence(0.84, FieldChoice(amount, 0.79, 0.3), fallback=False) == 0.84
    assert capped_absence(0.5, held_back, fallback=True) == 0.5  # filled in from elsewhere
