"""Orders typed in the body of an e-mail: a plain-text body (.txt) and the message (.eml).

Mail bodies have no pages, so the truth gives each value's `span`: [start, end) character
offsets into the .txt body.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime
from pathlib import Path

from training.synth.content import LineItem, OrderContent
from training.synth.formats import format_day, format_number, format_quantity
from training.synth.labels import GREETINGS, LABELS
from training.synth.layout import CURRENCY_SYMBOLS, TemplateChoices
from training.synth.world import COUNTRY_NAMES, SELLER_EMAIL

_SUBJECTS = {
    "purchase_order": {"fr": "Commande", "en": "Purchase order", "de": "Bestellung"},
    "order_change": {
        "fr": "Modification commande",
        "en": "Order amendment",
        "de": "Bestelländerung",
    },
    "invoice": {"fr": "Facture", "en": "Invoice", "de": "Rechnung"},
    "remittance_advice": {
        "fr": "Avis de paiement",
        "en": "Remittance advice",
        "de": "Zahlungsavis",
    },
    "other": {"fr": "Informations", "en": "News", "de": "Informationen"},
}
_INTROS = {
    "purchase_order": {
        "fr": "Veuillez trouver ci-dessous notre commande n°",
        "en": "Please find below our purchase order no.",
        "de": "anbei unsere Bestellung Nr.",
    },
    "order_change": {
        "fr": "Merci de modifier notre commande n°",
        "en": "Please amend our purchase order no.",
        "de": "bitte ändern Sie unsere Bestellung Nr.",
    },
}
_AT = {"fr": "à", "en": "at", "de": "à"}
_DELIVER_TO = {
    "fr": "Merci de livrer à l'adresse suivante :",
    "en": "Please deliver to",
    "de": "Lieferanschrift:",
}
_PER_100 = {"fr": "les 100", "en": "per 100", "de": "je 100"}
_OTHER_BODIES = {
    "invoice": {
        "fr": "Veuillez trouver ci-joint notre facture relative à votre commande.",
        "en": "Please find attached our invoice for your order.",
        "de": "anbei erhalten Sie unsere Rechnung zu Ihrer Bestellung.",
    },
    "remittance_advice": {
        "fr": "Nous avons procédé au règlement de vos factures ce jour.",
        "en": "We have today paid the invoices listed below.",
        "de": "wir haben heute die folgenden Rechnungen beglichen.",
    },
    "other": {
        "fr": "Découvrez nos nouveautés et nos offres du mois.",
        "en": "Discover our new products and this month's offers.",
        "de": "entdecken Sie unsere Neuheiten und Angebote des Monats.",
    },
}


@dataclass
class MailText:
    subject: str
    text: str = ""
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, text: str, key: str | None = None) -> None:
        if key and key not in self.spans and text:
            self.spans[key] = (len(self.text), len(self.text) + len(text))
        self.text += text

    def line(self, *parts: tuple[str, str | None] | str) -> None:
        for part in parts:
            if isinstance(part, str):
                self.add(part)
            else:
                self.add(*part)
        self.add("\n")


def render_mail(content: OrderContent, template: TemplateChoices, rng: random.Random) -> MailText:
    spec = content.spec
    lang = spec.language
    kind = spec.document_type
    mail = MailText(subject=f"{_SUBJECTS[kind][lang]} {content.po_number}")
    hello, bye = rng.choice(GREETINGS[lang])
    mail.line(hello)
    mail.line()
    if kind in _INTROS:
        _order_body(mail, content, template, rng)
    else:
        mail.line(_OTHER_BODIES[kind][lang])
        for line in content.lines[:5]:
            mail.line(
                f"- {line.description}: {format_number(line.printed_price, spec.number_style)}"
                f" {content.currency}"
            )
    mail.line()
    mail.line(bye)
    mail.line(content.contact_name)
    mail.line((content.customer.name, "customer_name"))
    mail.line(f"{LABELS['phone'][lang][0]} {content.phone}")
    if content.contact_email and kind in _INTROS:
        mail.line((content.contact_email, "contact_email"))
    if template.vat_place != "none" and content.customer.vat_printed and kind in _INTROS:
        mail.line(
            f"{template.labels['vat_id']} ", (content.customer.vat_printed, "customer_vat_id")
        )
    return mail


def _order_body(
    mail: MailText, content: OrderContent, template: TemplateChoices, rng: random.Random
) -> None:
    spec = content.spec
    lang = spec.language
    labels = template.labels
    mail.line(f"{_INTROS[spec.document_type][lang]} ", (content.po_number, "po_number"), ".")
    if rng.random() < 0.5:
        mail.line(
            f"{labels['order_date']}: ",
            (format_day(content.order_date, spec.date_style), "order_date"),
        )
    if content.quotation:
        number, date = content.quotation
        mail.line(
            f"{labels['quotation']} {number} {labels['quotation_date']} "
            f"{format_day(date, spec.date_style)}"
        )
    if content.customer_number:
        mail.line(f"{labels['customer_number']}: ", (content.customer_number, "customer_number"))
    if content.reference_distractor:
        mail.line("{}: {}".format(*content.reference_distractor))
    mail.line()
    style = rng.choice(["list", "table", "sentence"])
    width = max(len(line.description) for line in content.lines) + 2
    for index, line in enumerate(content.lines):
        mail.add(_line_text(line, content, style, lang, width), f"line:{index}")
        mail.add("\n")
    mail.line()
    _totals(mail, content, template)
    if content.delivery_date:
        mail.line(
            f"{labels['requested_delivery_date']}: ",
            (format_day(content.delivery_date, spec.date_style), "requested_delivery_date"),
        )
    if content.ship_to and rng.random() < 0.4:
        ship = content.ship_to
        country: list[tuple[str, str | None] | str] = (
            [", ", (COUNTRY_NAMES[lang][ship.country], "ship_to_country")]
            if ship.country_printed
            else []
        )
        mail.line(
            f"{_DELIVER_TO[lang]} ",
            (ship.name, "ship_to_name"),
            ", ",
            (ship.street, "ship_to_street"),
            ", ",
            (ship.postal_code, "ship_to_postal_code"),
            " ",
            (ship.city, "ship_to_city"),
            *country,
            ".",
        )
    elif content.ship_to:
        ship = content.ship_to
        mail.line(f"{labels['ship_to']}:")
        mail.line((ship.name, "ship_to_name"))
        mail.line((ship.street, "ship_to_street"))
        mail.line((ship.postal_code, "ship_to_postal_code"), " ", (ship.city, "ship_to_city"))
        if ship.country_printed:
            mail.line((COUNTRY_NAMES[lang][ship.country], "ship_to_country"))
    if content.payment_terms:
        mail.line(f"{labels['payment_terms']}: ", (content.payment_terms[0], "payment_terms_days"))
    for note in content.notes[:1]:
        mail.line(note)
    if "currency" not in mail.spans:
        found = re.search(rf"\b{content.currency}\b", mail.text)
        if found:
            mail.spans["currency"] = found.span()


def _money(content: OrderContent, amount_text: str) -> list[tuple[str, str | None] | str]:
    symbol = CURRENCY_SYMBOLS[content.currency]
    if content.spec.currency_display == "symbol" and symbol != "CHF":
        return [amount_text, " ", (symbol, "currency")]
    return [amount_text, " ", (content.currency, "currency")]


def _totals(mail: MailText, content: OrderContent, template: TemplateChoices) -> None:
    style = content.spec.number_style
    labels = template.labels
    rows: list[tuple[str, str, object]] = []
    if content.spec.totals == "full":
        rows = [
            (labels["subtotal"], "subtotal", content.subtotal),
            (labels["tax"], "tax_total", content.tax_total),
            (labels["total"], "total", content.total),
        ]
    elif content.spec.totals == "net":
        rows = [(labels["net_only_total"], "subtotal", content.subtotal)]
    for label, key, amount in rows:
        text = format_number(amount, style)  # type: ignore[arg-type]
        mail.line(f"{label}: ", (text, key), *_money(content, "")[1:])
    if rows:
        mail.line()


def _line_text(
    line: LineItem, content: OrderContent, style: str, lang: str, description_width: int
) -> str:
    """One order line as typed: a list item, a row of a typed table, or a sentence."""
    number_style = content.spec.number_style
    quantity = format_quantity(line.quantity, number_style)
    price = format_number(line.printed_price, number_style)
    mark = content.currency
    per = f" {_PER_100[lang]}" if line.price_per == 100 else ""
    unit = f" {line.unit_word}" if line.unit_word else ""
    sku = f"{line.sku} " if line.sku else ""
    if style == "table":
        return (
            f"{sku:<14}{line.description:<{description_width}}{quantity + unit:>12}"
            f"{price + ' ' + mark + per:>20}{format_number(line.line_total, number_style):>12}"
        )
    if style == "sentence":
        ref = f" ({line.sku})" if line.sku else ""
        return f"{quantity}{unit} {line.description}{ref} {_AT[lang]} {price} {mark}{per}"
    return f"- {quantity}{unit} x {sku}{line.description} {_AT[lang]} {price} {mark}{per}"


def write_mail(
    out_dir: Path, sample_id: str, content: OrderContent, mail: MailText, *, with_html: bool = False
) -> Path:
    """Write `<id>.txt` (the body) and `<id>.eml` (the message, with an HTML alternative of
    the same body when `with_html`); return the .txt path."""
    text_path = out_dir / f"{sample_id}.txt"
    text_path.write_text(mail.text, encoding="utf-8")
    sender = content.sender_email or content.customer.contact_email
    message = EmailMessage(policy=default_policy)
    message["From"] = f"{content.contact_name} <{sender}>"
    message["To"] = SELLER_EMAIL
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(content.mail_date)
    message["Message-ID"] = f"<{sample_id}@{sender.split('@')[1]}>"
    message.set_content(mail.text)
    if with_html:
        paragraphs = "<br>\n".join(html.escape(line) for line in mail.text.splitlines())
        message.add_alternative(f"<html><body><p>{paragraphs}</p></body></html>\n", subtype="html")
        message.set_boundary(f"=_alt_{sample_id}")  # the default one is random
    (out_dir / f"{sample_id}.eml").write_bytes(message.as_bytes())
    return text_path
