"""The wording orders use, by language: labels, titles, units, payment terms, notes.

A layout template picks one wording per label (see `layout.TemplateChoices`), so one customer's
orders always say "Bestell-Nr." while another's say "Ihre Bestellung".
"""

from __future__ import annotations

LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "po_number": {
        "fr": (
            "N° de commande",
            "Bon de commande n°",
            "Commande n°",
            "Réf. commande",
            "Numéro de commande",
        ),
        "en": ("PO #", "Order No.", "Purchase Order No.", "PO Number", "Order Number"),
        "de": (
            "Bestell-Nr.",
            "Bestellnummer",
            "Ihre Bestellung",
            "Bestellung Nr.",
            "Bestell-Nummer",
        ),
    },
    "order_date": {
        "fr": ("Date", "Date de commande", "Date commande", "Émise le"),
        "en": ("Date", "Order Date", "PO Date", "Issue date"),
        "de": ("Datum", "Bestelldatum", "Belegdatum", "Datum der Bestellung"),
    },
    "requested_delivery_date": {
        "fr": (
            "Date de livraison souhaitée",
            "Livraison souhaitée",
            "À livrer le",
            "Délai de livraison",
        ),
        "en": ("Delivery Date", "Required by", "Requested delivery", "Need by"),
        "de": ("Liefertermin", "Wunschtermin", "Lieferdatum", "Anliefertermin"),
    },
    "customer_number": {
        "fr": ("N° client", "Code client", "Notre n° client"),
        "en": ("Customer No.", "Account No.", "Our account no."),
        "de": ("Kunden-Nr.", "Kundennummer", "Unsere Kd.-Nr."),
    },
    "vendor_number": {
        "fr": ("N° fournisseur", "Code fournisseur", "Votre n° fournisseur"),
        "en": ("Vendor No.", "Supplier No.", "Supplier code"),
        "de": ("Lieferanten-Nr.", "Kreditor-Nr.", "Lief.-Nr."),
    },
    "quotation": {
        "fr": ("Votre devis n°", "Réf. devis", "Offre n°"),
        "en": ("Quotation No.", "Quote ref.", "Your quote"),
        "de": ("Angebot Nr.", "Ihr Angebot", "Angebots-Nr."),
    },
    "quotation_date": {
        "fr": ("du",),
        "en": ("dated",),
        "de": ("vom",),
    },
    "contact": {
        "fr": ("Contact", "Acheteur", "Suivi par"),
        "en": ("Contact", "Buyer", "Requested by"),
        "de": ("Ansprechpartner", "Einkäufer", "Sachbearbeiter"),
    },
    "email": {
        "fr": ("E-mail", "Courriel", "Mail"),
        "en": ("Email", "E-mail"),
        "de": ("E-Mail", "Mail"),
    },
    "phone": {"fr": ("Tél.", "Téléphone"), "en": ("Tel.", "Phone"), "de": ("Tel.", "Telefon")},
    "currency": {"fr": ("Devise",), "en": ("Currency",), "de": ("Währung",)},
    "payment_terms": {
        "fr": ("Conditions de paiement", "Règlement", "Paiement"),
        "en": ("Payment terms", "Terms", "Payment"),
        "de": ("Zahlungsbedingungen", "Zahlungsziel", "Zahlung"),
    },
    "vat_id": {
        "fr": ("N° TVA intracom.", "TVA intracommunautaire", "N° TVA"),
        "en": ("VAT No.", "VAT Reg. No.", "VAT ID"),
        "de": ("USt-IdNr.", "UID-Nr.", "USt-ID"),
    },
    "title": {
        "fr": ("BON DE COMMANDE", "COMMANDE", "Bon de commande", "Commande fournisseur"),
        "en": ("PURCHASE ORDER", "Purchase Order", "ORDER"),
        "de": ("BESTELLUNG", "Bestellung", "Einkaufsbestellung"),
    },
    "ship_to": {
        "fr": ("Adresse de livraison", "Livrer à", "Lieu de livraison"),
        "en": ("Ship to", "Delivery address", "Deliver to"),
        "de": ("Lieferanschrift", "Lieferadresse", "Warenempfänger"),
    },
    "bill_to": {
        "fr": ("Adresse de facturation", "Facturer à", "Facturation"),
        "en": ("Bill to", "Invoice address", "Invoice to"),
        "de": ("Rechnungsanschrift", "Rechnungsadresse", "Rechnungsempfänger"),
    },
    "supplier": {
        "fr": ("Fournisseur", "À l'attention de", "Destinataire"),
        "en": ("Supplier", "Vendor", "To"),
        "de": ("Lieferant", "An", "Lieferant / Auftragnehmer"),
    },
    "col_pos": {"fr": ("Pos.", "Ligne", "N°"), "en": ("Line", "#", "Item"), "de": ("Pos.", "Pos")},
    "col_seller_sku": {
        "fr": ("Réf.", "Référence", "Code article", "Réf. fournisseur"),
        "en": ("Item code", "SKU", "Part No.", "Supplier ref."),
        "de": ("Artikel-Nr.", "Art.-Nr.", "Ihre Art.-Nr."),
    },
    "col_customer_sku": {
        "fr": ("Notre réf.", "Réf. interne", "Code interne"),
        "en": ("Our part no.", "Our ref.", "Material"),
        "de": ("Unsere Art.-Nr.", "Material-Nr.", "Materialnummer"),
    },
    "col_desc": {
        "fr": ("Désignation", "Description", "Libellé", "Article"),
        "en": ("Description", "Item description", "Article"),
        "de": ("Bezeichnung", "Artikelbezeichnung", "Beschreibung", "Text"),
    },
    "col_qty": {"fr": ("Qté", "Quantité"), "en": ("Qty", "Quantity"), "de": ("Menge", "Anz.")},
    "col_unit": {"fr": ("Unité", "U."), "en": ("Unit", "UoM"), "de": ("Einheit", "ME")},
    "col_price": {
        "fr": ("P.U. HT", "Prix unitaire", "PU HT", "Prix"),
        "en": ("Unit Price", "Price", "Unit cost"),
        "de": ("Einzelpreis", "E-Preis", "Preis"),
    },
    "col_per": {"fr": ("Par",), "en": ("Per",), "de": ("PE",)},
    "col_vat": {"fr": ("TVA", "Taux TVA"), "en": ("VAT", "VAT %"), "de": ("MwSt.", "USt.")},
    "col_total": {
        "fr": ("Montant HT", "Total HT", "Montant"),
        "en": ("Amount", "Total", "Line Total"),
        "de": ("Gesamtpreis", "Betrag", "Gesamt"),
    },
    "col_date": {
        "fr": ("Livraison", "Délai"),
        "en": ("Due", "Delivery"),
        "de": ("Termin", "Lieferdatum"),
    },
    "col_gtin": {"fr": ("EAN",), "en": ("EAN", "GTIN"), "de": ("EAN",)},
    "subtotal": {
        "fr": ("Total HT", "Montant HT", "Sous-total HT"),
        "en": ("Subtotal", "Net total", "Total excl. VAT"),
        "de": ("Nettobetrag", "Summe netto", "Warenwert netto"),
    },
    "net_only_total": {
        "fr": ("Total HT", "Montant total HT"),
        "en": ("Total (excl. VAT)", "Order total net"),
        "de": ("Gesamtsumme netto", "Bestellwert netto"),
    },
    "tax": {"fr": ("TVA",), "en": ("VAT",), "de": ("MwSt.", "USt.")},
    "total": {
        "fr": ("Total TTC", "Montant TTC", "Total commande TTC"),
        "en": ("Total", "Total incl. VAT", "Grand total"),
        "de": ("Gesamtbetrag", "Summe brutto", "Endbetrag"),
    },
    "carried_forward": {"fr": ("À reporter",), "en": ("Carried forward",), "de": ("Übertrag",)},
    "brought_forward": {"fr": ("Report",), "en": ("Brought forward",), "de": ("Übertrag",)},
    "page": {"fr": ("Page",), "en": ("Page",), "de": ("Seite",)},
    "signature": {
        "fr": ("Signature et cachet", "Le responsable des achats", "Bon pour accord"),
        "en": ("Authorised signature", "Approved by", "Signature"),
        "de": ("Unterschrift", "Freigabe Einkauf", "i.A."),
    },
    "notes": {
        "fr": ("Remarques", "Observations", "Note"),
        "en": ("Notes", "Remarks", "Comments"),
        "de": ("Bemerkungen", "Hinweise", "Anmerkung"),
    },
    "intro": {
        "fr": (
            "Nous vous prions de bien vouloir nous livrer les articles suivants :",
            "Veuillez prendre en compte la commande ci-dessous.",
            "Merci de nous livrer aux conditions convenues :",
        ),
        "en": (
            "Please supply the following items:",
            "Please deliver the goods listed below.",
            "We are pleased to place the following order:",
        ),
        "de": (
            "Wir bestellen zu Ihren bekannten Bedingungen:",
            "Bitte liefern Sie uns folgende Artikel:",
            "Hiermit bestellen wir verbindlich:",
        ),
    },
}

UNIT_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "EA": {
        "fr": ("pce", "unité", "u", "pièce"),
        "en": ("ea", "pcs", "each", "pc"),
        "de": ("Stk", "Stück", "St."),
    },
    "BOX": {
        "fr": ("boîte", "bte", "carton"),
        "en": ("box", "bx", "ctn"),
        "de": ("Karton", "Ktn", "Schachtel"),
    },
    "PAC": {"fr": ("paquet", "pqt", "lot"), "en": ("pack", "pk"), "de": ("Pack", "Pkg")},
    "ROL": {"fr": ("rouleau", "rlx"), "en": ("roll", "rl"), "de": ("Rolle", "Rl")},
    "M": {"fr": ("m", "ml"), "en": ("m", "metre"), "de": ("m", "lfm")},
    "KG": {"fr": ("kg",), "en": ("kg",), "de": ("kg",)},
    "L": {"fr": ("L", "litre"), "en": ("L", "ltr"), "de": ("L", "Liter")},
}

PAYMENT_TERMS: dict[str, tuple[tuple[str, int | None], ...]] = {
    "fr": (
        ("30 jours fin de mois", 30),
        ("45 jours fin de mois", 45),
        ("30 jours net", 30),
        ("60 jours date de facture", 60),
        ("À réception de facture", 0),
        ("Comptant", 0),
        ("Virement à 30 jours", 30),
        ("Paiement d'avance", None),
        ("Selon accord", None),
        ("Selon contrat cadre", None),
    ),
    "en": (
        ("Net 30", 30),
        ("Net 60", 60),
        ("30 days end of month", 30),
        ("45 days from invoice date", 45),
        ("Due on receipt", 0),
        ("Payment in advance", None),
        ("As agreed", None),
        ("14 days 2% discount, 30 days net", 30),
    ),
    "de": (
        ("30 Tage netto", 30),
        ("14 Tage 2 % Skonto, 30 Tage netto", 30),
        ("10 Tage 3 % Skonto, 60 Tage netto", 60),
        ("sofort netto", 0),
        ("sofort ohne Abzug", 0),
        ("Vorkasse", None),
        ("gemäß Rahmenvertrag", None),
        ("60 Tage netto", 60),
    ),
}

NOTES: dict[str, tuple[str, ...]] = {
    "fr": (
        "Merci de rappeler notre numéro de commande sur vos factures et bons de livraison.",
        "Livraison du lundi au vendredi de 8h à 12h, quai n° 3.",
        "Toute livraison partielle doit nous être signalée au préalable.",
        "Les palettes doivent être filmées et étiquetées.",
        "Prévenir 24 h avant la livraison au 04 72 00 00 00.",
    ),
    "en": (
        "Please quote our order number on all invoices and delivery notes.",
        "Deliveries accepted Monday to Friday, 8am to 4pm, gate 2.",
        "Partial deliveries must be agreed in advance.",
        "Goods must be palletised and shrink-wrapped.",
        "Call 24 hours before delivery on 0161 000 0000.",
    ),
    "de": (
        "Bitte geben Sie unsere Bestellnummer auf allen Rechnungen und Lieferscheinen an.",
        "Warenannahme Mo.–Fr. 7:00–15:00 Uhr, Tor 4.",
        "Teillieferungen nur nach Rücksprache.",
        "Paletten bitte gewickelt und gekennzeichnet anliefern.",
        "Lieferavis 24 Std. vorher an 0711 000 000.",
    ),
}

STAMPS: dict[str, tuple[str, ...]] = {
    "fr": ("REÇU LE", "VALIDÉ", "SERVICE ACHATS"),
    "en": ("RECEIVED", "APPROVED", "PURCHASING DEPT"),
    "de": ("EINGEGANGEN", "GENEHMIGT", "EINKAUF"),
}

GREETINGS: dict[str, tuple[tuple[str, str], ...]] = {
    "fr": (("Bonjour,", "Cordialement,"), ("Madame, Monsieur,", "Bien cordialement,")),
    "en": (("Hello,", "Kind regards,"), ("Dear Sir or Madam,", "Best regards,")),
    "de": (
        ("Guten Tag,", "Mit freundlichen Grüßen"),
        ("Sehr geehrte Damen und Herren,", "Viele Grüße"),
    ),
}


REFERENCE_DISTRACTOR_LABELS: dict[str, tuple[str, ...]] = {
    "fr": ("GLN", "Projet", "N° de contrat"),
    "en": ("GLN", "Project", "Contract No."),
    "de": ("GLN", "Projekt", "Vertrag"),
}
"""Labels of the number a stress corpus prints beside the order's references (see
content.reference_distractor); kept out of LABELS so that templates draw as before."""
