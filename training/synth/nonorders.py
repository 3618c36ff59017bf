"""Documents that arrive in the order inbox but are not orders: invoices, remittance advices,
terms and conditions, newsletters. Their truth has a document_type and no order values.
"""

from __future__ import annotations

import dataclasses
import io
import random
from decimal import Decimal

from reportlab.pdfgen.canvas import Canvas

from training.synth.blocks import draw_letterhead, supplier_block
from training.synth.closing import draw_footer
from training.synth.content import Address, OrderContent, make_order
from training.synth.families import FamilySpec
from training.synth.formats import format_number, money
from training.synth.layout import PAGE_SIZES, RenderContext, TemplateChoices
from training.synth.order_pdf import RenderedPdf, render_order_pdf
from training.synth.painter import Painter, Recorder, bold, wrap
from training.synth.world import (
    SELLER_CITY,
    SELLER_EMAIL,
    SELLER_IBAN,
    SELLER_NAME,
    SELLER_PHONE,
    SELLER_POSTAL_CODE,
    SELLER_STREET,
    SELLER_VAT,
    SELLER_VAT_PRINTED,
    Company,
    World,
)

SELLER_COMPANY = Company(
    customer_id=None,
    name=SELLER_NAME,
    country="FR",
    language="fr",
    vat_id=SELLER_VAT,
    vat_printed=SELLER_VAT_PRINTED,
    street=SELLER_STREET,
    postal_code=SELLER_POSTAL_CODE,
    city=SELLER_CITY,
    email_domain=SELLER_EMAIL.split("@")[1],
    extra_domain=None,
    contact_first="Service",
    contact_last="Clients",
    phone=SELLER_PHONE,
    currency="EUR",
    payment_terms_days=30,
    credit_limit=None,
    iban=SELLER_IBAN,
    delivery_sites=(),
)

_INVOICE_LABELS = {
    "po_number": {"fr": "N° facture", "en": "Invoice No.", "de": "Rechnungs-Nr."},
    "quotation": {"fr": "Votre commande n°", "en": "Your order", "de": "Ihre Bestellung"},
    "requested_delivery_date": {"fr": "Échéance", "en": "Due date", "de": "Fällig am"},
}
_REMITTANCE = {
    "fr": (
        "AVIS DE PAIEMENT",
        "Date de paiement",
        "Référence virement",
        "N° facture",
        "Date facture",
        "Montant",
        "Escompte",
        "Payé",
        "Total réglé",
        "Nous avons procédé ce jour au virement des factures ci-dessous.",
    ),
    "en": (
        "REMITTANCE ADVICE",
        "Payment date",
        "Payment reference",
        "Invoice No.",
        "Invoice date",
        "Amount",
        "Discount",
        "Paid",
        "Total paid",
        "We have today transferred payment for the invoices listed below.",
    ),
    "de": (
        "ZAHLUNGSAVIS",
        "Zahlungsdatum",
        "Zahlungsreferenz",
        "Rechnungs-Nr.",
        "Rechnungsdatum",
        "Betrag",
        "Skonto",
        "Gezahlt",
        "Summe Zahlung",
        "Wir haben heute folgende Rechnungen zur Zahlung angewiesen.",
    ),
}
_TERMS = {
    "fr": (
        "CONDITIONS GÉNÉRALES D'ACHAT",
        ("Objet", "Commandes", "Livraison", "Prix et facturation", "Garantie", "Litiges"),
        (
            "Les présentes conditions s'appliquent à toute commande passée par l'acheteur.",
            "Toute commande doit faire l'objet d'un accusé de réception sous 48 heures.",
            "Les délais de livraison indiqués sur la commande sont impératifs.",
            "Les factures doivent rappeler le numéro de commande et la date de livraison.",
            "Le fournisseur garantit la conformité des marchandises à la commande.",
            "Tout litige relève de la compétence exclusive du tribunal de commerce.",
        ),
    ),
    "en": (
        "GENERAL TERMS AND CONDITIONS OF PURCHASE",
        ("Scope", "Orders", "Delivery", "Prices and invoicing", "Warranty", "Jurisdiction"),
        (
            "These terms apply to every order placed by the buyer.",
            "Each order shall be acknowledged within two working days.",
            "Delivery dates stated on the order are binding.",
            "Invoices shall quote the order number and the delivery date.",
            "The supplier warrants that the goods conform to the order.",
            "Any dispute shall be subject to the exclusive jurisdiction of the courts.",
        ),
    ),
    "de": (
        "ALLGEMEINE EINKAUFSBEDINGUNGEN",
        (
            "Geltungsbereich",
            "Bestellungen",
            "Lieferung",
            "Preise und Rechnungen",
            "Gewährleistung",
            "Gerichtsstand",
        ),
        (
            "Diese Bedingungen gelten für alle Bestellungen des Käufers.",
            "Jede Bestellung ist innerhalb von zwei Werktagen zu bestätigen.",
            "Die in der Bestellung genannten Liefertermine sind verbindlich.",
            "Rechnungen müssen Bestellnummer und Lieferdatum enthalten.",
            "Der Lieferant gewährleistet die Vertragsmäßigkeit der Ware.",
            "Gerichtsstand ist der Sitz des Käufers.",
        ),
    ),
}
_NEWSLETTER = {
    "fr": (
        "Newsletter",
        "Nos offres du mois",
        "Profitez de nos prix spéciaux jusqu'à la fin du mois.",
        "Se désinscrire",
    ),
    "en": (
        "Newsletter",
        "This month's offers",
        "Special prices until the end of the month.",
        "Unsubscribe",
    ),
    "de": ("Newsletter", "Angebote des Monats", "Sonderpreise bis zum Monatsende.", "Abmelden"),
}


def make_document_content(
    rng: random.Random, world: World, spec: FamilySpec, customer: Company | None = None
) -> OrderContent:
    """The content behind a non-order: an order's values, re-cast for invoices."""
    content = make_order(rng, world, spec, customer)
    if spec.document_type != "invoice":
        return content
    buyer = content.customer
    number = f"FA{content.order_date.year}-{rng.randint(1, 99999):05d}"
    return dataclasses.replace(
        content,
        customer=SELLER_COMPANY,
        po_number=number,
        quotation=(content.po_number, content.order_date),
        bill_to=Address(
            buyer.name, buyer.street, buyer.postal_code, buyer.city, buyer.country, True
        ),
        ship_to=None,
        vendor_number=None,
        contact_email=SELLER_EMAIL,
        customer_number=buyer.customer_id,
        stamp=None,
        signature=False,
        buyer_id=buyer.customer_id,
    )


def render_document_pdf(content: OrderContent, template: TemplateChoices) -> RenderedPdf:
    kind = content.spec.document_type
    if kind in ("purchase_order", "order_change"):
        return render_order_pdf(content, template)
    if kind == "invoice":
        labels = dict(template.labels)
        for key, by_lang in _INVOICE_LABELS.items():
            labels[key] = by_lang[content.language]
        return render_order_pdf(content, dataclasses.replace(template, labels=labels))
    return _render_simple(content, template)


def _render_simple(content: OrderContent, template: TemplateChoices) -> RenderedPdf:
    width, height = PAGE_SIZES[content.spec.page]
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=0)
    ctx = RenderContext(
        Painter(canvas, width, height), Recorder(), content, template, total_pages=1
    )
    ctx.footer_top = height - 62
    if content.spec.document_type == "remittance_advice":
        _remittance(ctx)
    elif "newsletter" in content.spec.name:
        _newsletter(ctx)
    else:
        _terms(ctx)
    canvas.showPage()
    canvas.save()
    return RenderedPdf(buffer.getvalue(), ctx.painter.page, width, height, ctx.recorder, ())


def _remittance(ctx: RenderContext) -> None:
    content = ctx.content
    words = _REMITTANCE[ctx.lang]
    rng = random.Random(content.po_number)
    y = draw_letterhead(ctx, ctx.left, ctx.top + 12, "left")
    ctx.write(ctx.right, ctx.top + 14, words[0], size=15, font=bold(ctx.font), align="right")
    y = supplier_block(ctx, ctx.painter.width / 2 + 12, y + 10)
    ctx.labelled(ctx.left, y, words[1], ctx.day(content.mail_date.date()), None)
    ctx.labelled(ctx.left, y + ctx.size + 4, words[2], f"PAY-{rng.randint(100000, 999999)}", None)
    if content.vendor_number:
        ctx.labelled(
            ctx.left,
            y + 2 * (ctx.size + 4),
            ctx.label("vendor_number"),
            content.vendor_number,
            None,
        )
    y += 3 * (ctx.size + 4) + 10
    ctx.write(ctx.left, y, words[9])
    y += ctx.size + 12
    xs = (ctx.left, ctx.left + 105, ctx.left + 290, ctx.left + 380, ctx.right)
    for x, head in zip(xs, words[3:8], strict=True):
        ctx.write(x, y, head, font=bold(ctx.font), align="right" if x > ctx.left + 200 else "left")
    ctx.painter.line(ctx.left, y + 4, ctx.right, y + 4)
    y += ctx.size + 8
    paid_total = Decimal(0)
    for _ in range(rng.randint(1, 8)):
        amount = money(Decimal(rng.randint(5000, 900000)) / 100)
        discount = money(amount * Decimal("0.02")) if rng.random() < 0.3 else Decimal(0)
        paid = amount - discount
        paid_total += paid
        cells = (
            f"FA{content.order_date.year}-{rng.randint(1, 99999):05d}",
            ctx.day(content.order_date),
            ctx.num(amount),
            ctx.num(discount),
            ctx.num(paid),
        )
        for x, text in zip(xs, cells, strict=True):
            ctx.write(x, y, text, align="right" if x > ctx.left + 200 else "left")
        y += ctx.size + 5
    ctx.painter.line(ctx.left, y, ctx.right, y)
    y += ctx.size + 6
    ctx.write(xs[3], y, words[8], font=bold(ctx.font), align="right")
    ctx.write(
        ctx.right,
        y,
        f"{format_number(paid_total, ctx.spec.number_style)} {content.currency}",
        font=bold(ctx.font),
        align="right",
    )
    if content.customer.iban:
        ctx.write(ctx.left, y + 30, f"IBAN {content.customer.iban}")
    draw_footer(ctx)


def _paragraphs(
    ctx: RenderContext,
    y: float,
    heads: tuple[str, ...],
    sentences: tuple[str, ...],
    rng: random.Random,
) -> float:
    for number, head in enumerate(heads, start=1):
        if y > ctx.footer_top - 80:
            draw_footer(ctx)
            ctx.painter.new_page()
            y = ctx.top + 10
        ctx.write(ctx.left, y, f"{number}. {head}", font=bold(ctx.font))
        y += ctx.size + 4
        text = " ".join(rng.sample(sentences, k=rng.randint(2, len(sentences))))
        for line in wrap(text, ctx.font, ctx.size, ctx.right - ctx.left):
            ctx.write(ctx.left, y, line)
            y += ctx.size + 2.5
        y += 8
    return y


def _terms(ctx: RenderContext) -> None:
    title, heads, sentences = _TERMS[ctx.lang]
    rng = random.Random(ctx.content.po_number)
    y = draw_letterhead(ctx, ctx.left, ctx.top + 12, "left") + 16
    ctx.write(ctx.painter.width / 2, y, title, size=13, font=bold(ctx.font), align="center")
    y = _paragraphs(ctx, y + 24, heads * rng.randint(1, 2), sentences, rng)
    draw_footer(ctx)


def _newsletter(ctx: RenderContext) -> None:
    content = ctx.content
    title, offers, pitch, unsubscribe = _NEWSLETTER[ctx.lang]
    ctx.painter.rect(0, 0, ctx.painter.width, 80, stroke=False, fill_gray=0.25)
    ctx.write(
        ctx.left,
        50,
        f"{content.customer.name} – {title}",
        size=18,
        font=bold(ctx.font),
        color=(1, 1, 1),
    )
    y = 120.0
    ctx.write(ctx.left, y, offers, size=13, font=bold(ctx.font))
    y += 22
    ctx.write(ctx.left, y, pitch)
    y += 24
    for line in content.lines[:12]:
        ctx.write(ctx.left, y, line.description)
        ctx.write(
            ctx.right,
            y,
            f"{ctx.num(line.printed_price)} {content.currency}",
            align="right",
            font=bold(ctx.font),
        )
        y += ctx.size + 6
    ctx.write(
        ctx.left,
        y + 30,
        f"{unsubscribe}: https://{content.customer.email_domain}/news",
        size=ctx.size - 1,
    )
    draw_footer(ctx)
