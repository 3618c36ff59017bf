"""The screens in a real browser: an agent fixes an order by clicking on the page image, and two
agents cannot work on the same document."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Dialog, expect
from sqlmodel import Session, select

from models.auth import create_api_key
from models.review_tables import Correction
from models.tables import AuditEvent, Document, DocumentState
from tests.review_ui.browser import chromium, screenshot_dir, signed_in_page
from tests.review_ui.conftest import LiveServer
from tests.review_ui.factories import RIGHT_PO, add_review_document, add_user

pytestmark = pytest.mark.browser


def _api_orders(live_server: LiveServer) -> list[dict]:
    with Session(live_server.screens.engine) as session:
        key = create_api_key(session, name="erp", scopes=["read"])
        session.commit()
    response = httpx.get(
        f"{live_server.url}/api/v1/orders",
        headers={"Authorization": f"Bearer {key.plaintext}"},
        timeout=10,
    )
    response.raise_for_status()
    orders: list[dict] = response.json()["data"]
    return orders


def _note_dialog(dialog: Dialog, seen: list[str]) -> None:
    seen.append(dialog.message)
    dialog.dismiss()


def test_agent_fixes_po_number_by_clicking_the_word_and_approves(
    live_server: LiveServer, tmp_path: Path
) -> None:
    engine, blobs = live_server.screens.engine, live_server.screens.blobs
    target = add_review_document(engine, blobs, filename="dupont-po.pdf", age_minutes=300)
    add_review_document(
        engine,
        blobs,
        filename="Bestellung-4471.pdf",
        age_minutes=45,
        sender_email="einkauf@mueller-bau.example",
        reasons=["line 2: unknown item 'MB-7731'", "sum of lines 412.00 ≠ subtotal 398.00"],
    )
    add_review_document(
        engine,
        blobs,
        filename="fax-0042.tif",
        age_minutes=5,
        source="fax",
        sender_email=None,
        reasons=["unsure it is a purchase order (0.62)", "order_date: not found"],
    )
    add_user(engine, "alice")
    scripts_run: list[str] = []

    with chromium() as browser:
        page = signed_in_page(browser, live_server.url, "alice")
        page.on("dialog", lambda dialog: _note_dialog(dialog, scripts_run))
        expect(page.locator("#queue-table tbody tr")).to_have_count(3)
        expect(page.locator("#queue-table tbody tr").first).to_contain_text("dupont-po.pdf")
        shots = screenshot_dir(tmp_path)
        page.screenshot(path=str(shots / "queue.png"))

        page.locator("#queue-table tbody tr").first.click()
        page.wait_for_url(f"**/review/{target.document_id}")
        po_input = page.locator("#f-po_number")
        expect(po_input).to_be_focused()  # the field in doubt is where the agent starts
        expect(po_input).to_have_value("Q-2231")
        expect(page.locator("#reasons-f-po_number")).to_contain_text("low confidence")

        page.locator(f'.page .word[title="{RIGHT_PO}"]').click()
        expect(po_input).to_have_value(RIGHT_PO)
        expect(po_input).to_have_class("by-agent")  # saved: the server sent it back
        expect(page.locator("#reasons-f-po_number")).not_to_contain_text("low confidence")

        quantity = page.locator("#l-0-quantity")
        quantity.click()
        quantity.fill("12")
        quantity.press("Tab")
        expect(page.locator("#line-reasons-0")).to_contain_text("qty × price = 30.00")
        expect(page.locator("#l-1-description")).to_have_value(
            "Hex bolt M8 <script>alert(1)</script>"
        )
        page.locator("#f-po_number").hover()
        page.screenshot(path=str(shots / "validation.png"))

        page.keyboard.press("Control+Enter")
        page.wait_for_url("**/queue?approved=*")
        expect(page.locator("#flash")).to_contain_text("order")

        page.goto("/dashboard")
        expect(page.locator(".tile").first).to_contain_text("touchless")
        page.screenshot(path=str(shots / "dashboard.png"))

    assert scripts_run == [], "text from the document ran as a script"
    orders = [o for o in _api_orders(live_server) if o["document_id"] == target.document_id]
    assert len(orders) == 1
    assert orders[0]["po_number"] == RIGHT_PO
    assert Decimal(orders[0]["lines"][0]["quantity"]) == Decimal("12")
    with Session(engine) as session:
        document = session.get(Document, target.document_id)
        assert document is not None and document.state == DocumentState.VALIDATED
        correction = session.exec(
            select(Correction).where(
                Correction.document_id == target.document_id, Correction.field == "po_number"
            )
        ).one()
        assert (correction.old_value, correction.new_value) == ("Q-2231", RIGHT_PO)
        assert correction.page == 1 and correction.bbox is not None
        changed = session.exec(
            select(AuditEvent.field).where(
                AuditEvent.entity_id == str(target.document_id),
                AuditEvent.action == "field.changed",
            )
        ).all()
        assert set(changed) == {"po_number", "lines[0].quantity"}


def test_second_agent_cannot_work_on_a_document_another_agent_holds(
    live_server: LiveServer,
) -> None:
    engine, blobs = live_server.screens.engine, live_server.screens.blobs
    only = add_review_document(engine, blobs, filename="contested.pdf")
    add_user(engine, "alice")
    add_user(engine, "bob")

    with chromium() as browser:
        alice = signed_in_page(browser, live_server.url, "alice")
        bob = signed_in_page(browser, live_server.url, "bob")

        alice.click("#start-next")
        alice.wait_for_url(f"**/review/{only.document_id}")

        bob.goto(f"/review/{only.document_id}")
        expect(bob.locator("#flash")).to_contain_text("alice is reviewing")
        expect(bob.locator("#approve")).to_have_count(0)
        expect(bob.locator("#f-po_number")).to_be_disabled()

        # Whatever bob's browser sends, the server refuses: the lock is checked on every edit.
        status = bob.evaluate(
            """async (id) => {
                const token = JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'];
                const body = new URLSearchParams({'f:po_number': 'HIJACK', csrf_token: token});
                const r = await fetch(`/review/${id}/approve`, {method: 'POST', body});
                return r.status;
            }""",
            only.document_id,
        )
        assert status == 409

        bob.goto("/queue")
        bob.click("#start-next")
        bob.wait_for_url("**/queue?empty=1")

        alice.keyboard.press("Control+Enter")
        alice.wait_for_url("**/queue?approved=*")

    with Session(engine) as session:
        document = session.get(Document, only.document_id)
        assert document is not None and document.state == DocumentState.VALIDATED
    orders = [o for o in _api_orders(live_server) if o["document_id"] == only.document_id]
    assert [o["po_number"] for o in orders] == ["Q-2231"]


def test_keyboard_lines_lookup_and_dragging_a_box_on_the_page(live_server: LiveServer) -> None:
    engine, blobs = live_server.screens.engine, live_server.screens.blobs
    doc = add_review_document(engine, blobs)
    add_user(engine, "alice")

    with chromium() as browser:
        page = signed_in_page(browser, live_server.url, "alice")
        page.goto(f"/review/{doc.document_id}")
        expect(page.locator("#f-po_number")).to_be_focused()

        page.keyboard.press("Enter")  # the value is right after all: accept it
        expect(page.locator("#f-order_date")).to_be_focused()
        expect(page.locator("#reasons-f-po_number")).not_to_contain_text("low confidence")

        page.locator("#f-ship_to_name").click()
        first = page.locator('.page .word[title="Dupont"]').bounding_box()
        last = page.locator('.page .word[title="SA"]').bounding_box()
        assert first is not None and last is not None
        page.mouse.move(first["x"] - 3, first["y"] - 3)
        page.mouse.down()
        page.mouse.move(last["x"] + last["width"] + 3, last["y"] + last["height"] + 3, steps=5)
        page.mouse.up()
        expect(page.locator("#f-ship_to_name")).to_have_value("Dupont Industrie SA")
        expect(page.locator("#f-ship_to_name")).to_have_class("by-agent")

        page.locator("#l-0-line_total").click()
        page.keyboard.press("Control+a")
        page.keyboard.type("30.00")
        expect(page.locator("#lines-sum")).to_have_text("78.00")  # before leaving the field

        page.locator("#l-0-sku").click()
        page.keyboard.press("Alt+s")
        expect(page.locator("tr.line")).to_have_count(3)
        expect(page.locator("#l-1-sku")).to_be_focused()
        page.keyboard.press("Alt+d")
        expect(page.locator("tr.line")).to_have_count(2)
        # The deletion re-renders the lines table; typing before that lands in a dropped input.
        page.wait_for_load_state("networkidle")

        page.locator("#l-1-product_sku").fill("acme")
        expect(page.locator("#product-options option")).to_have_count(2)

        page.keyboard.press("F1")
        expect(page.locator("#shortcuts")).to_be_visible()
        page.keyboard.press("Escape")
        expect(page.locator("#shortcuts")).to_be_hidden()

    with Session(engine) as session:
        picked = session.exec(select(Correction).where(Correction.field == "ship_to_name")).one()
        assert picked.new_value == "Dupont Industrie SA" and picked.bbox is not None
        confirmed = session.exec(
            select(AuditEvent).where(AuditEvent.action == "field.confirmed")
        ).one()
        assert confirmed.field == "po_number"
