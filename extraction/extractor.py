"""Pages + master data in, Extraction out — the recipe, step by step.

1. structured formats first (Order-X / UBL / EDIFACT) when the raw bytes are given;
2. layout, label lexicon, language;
3. document type;
4. line items (table model) and typed candidates with their features;
5. each header field chosen by the trained scorer (or the rules without a model);
6. fallbacks from the e-mail and the master data (e-mail From, mail date, customer defaults);
7. customer and product matching, checks, calibrated confidences, decision.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from threadpoolctl import threadpool_limits

from extraction.calibration import Calibrator
from extraction.candidates import Candidate, generate_candidates
from extraction.catalogue_spelling import MAX_DIGIT_EDITS, NAMED_DIGIT_EDITS, catalogue_spelling
from extraction.charges import is_charge_line
from extraction.checks import decimal_or_none, line_arithmetic_ok, run_checks
from extraction.city_countries import city_spelling, country_of_city
from extraction.decision import RULES_THRESHOLDS, decide
from extraction.description_vocabulary import DescriptionVocabulary
from extraction.email_spelling import local_part_from_page
from extraction.fax_header import fax_sent_date, order_date_before_sending
from extraction.features import BLOCK_CLASSES, DocumentContext, candidate_features
from extraction.inline_address import inline_ship_to
from extraction.layout import DocumentLayout, build_layout
from extraction.layout_memory import LayoutMemory, apply_layout_memory
from extraction.lexicon import LabelHit, default_matcher, fold_token, own_label_classes
from extraction.list_price_repair import repair_by_list_price
from extraction.master_spelling import (
    master_postal_code,
    master_spelling,
    printed_customer_number,
    printed_vat_id,
)
from extraction.masterdata import CustomerRecord, MasterData
from extraction.matching import (
    CustomerMatch,
    ProductIndex,
    ProductMatch,
    lookalike_key,
    match_customer,
    name_similarity,
    product_index,
)
from extraction.model import ExtractorModel, load_model
from extraction.normalize import normalize_text, parse_gtin
from extraction.ocr_spelling import Spellings
from extraction.pages import ReadResult, reading_kind
from extraction.result import (
    AMOUNT_FIELDS,
    HEADER_FIELDS,
    Decision,
    DocumentType,
    ExtractedField,
    ExtractedLine,
    Extraction,
    decimal_str,
)
from extraction.scoring import FieldChoice, FieldScorer, RulesScorer, choose_field, logit
from extraction.subtotal_line_repair import settle_by_subtotal
from extraction.tables import TableLine, extract_line_items
from extraction.totals_choice import TOTAL_FIELDS, consistent_totals
from extraction.totals_repair import repair_totals

__all__ = [
    "Analysis",
    "DocumentHints",
    "ExtractorModel",
    "Trace",
    "analyse_document",
    "extract_document",
    "extract_from_analysis",
    "load_model",
]

RULES_VERSION = "rules"
_LANGUAGE_CUES: dict[str, frozenset[str]] = {
    "fr": frozenset(
        {
            "le",
            "la",
            "les",
            "de",
            "des",
            "du",
            "et",
            "pour",
            "nous",
            "vous",
            "merci",
            "commande",
            "livraison",
            "prix",
            "total",
            "ttc",
            "ht",
            "qte",
            "designation",
        }
    ),
    "de": frozenset(
        {
            "der",
            "die",
            "das",
            "und",
            "fur",
            "wir",
            "bitte",
            "mit",
            "ihre",
            "unsere",
            "bestellung",
            "menge",
            "preis",
            "gesamt",
            "netto",
            "lieferung",
            "von",
        }
    ),
    "en": frozenset(
        {
            "the",
            "and",
            "for",
            "please",
            "of",
            "we",
            "our",
            "your",
            "order",
            "price",
            "quantity",
            "total",
            "delivery",
            "to",
            "with",
        }
    ),
}
_US_DATE_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
_DOC_TYPE_CUES: tuple[tuple[DocumentType, tuple[str, ...]], ...] = (
    (
        "remittance_advice",
        (
            "remittance",
            "remittance advice",
            "payment advice",
            "payment notification",
            "avis de paiement",
            "avis de virement",
            "avis de reglement",
            "zahlungsavis",
            "zahlungsanzeige",
            "uberweisungsavis",
        ),
    ),
    (
        "order_change",
        (
            "order change",
            "change order",
            "modification de commande",
            "bestellanderung",
            "anderung zur bestellung",
            "amended order",
        ),
    ),
    ("invoice", ("invoice", "facture", "rechnung", "tax invoice", "credit note", "avoir")),
    (
        "other",
        (
            "newsletter",
            "unsubscribe",
            "se desabonner",
            "abmelden",
            "terms and conditions",
            "conditions generales",
            "allgemeine geschaftsbedingungen",
        ),
    ),
    ("purchase_order", ("purchase order", "bon de commande", "bestellung", "order", "commande")),
)
"""Words that name a document's type, in every language: the rules baseline's classifier, and
language-free tokens for the trained one (a remittance advice learnt in German is recognised
in English)."""


@dataclass(frozen=True)
class DocumentHints:
    """What the message around the document tells: who sent it, when, and what we learned
    about this sender's layout (filled by the layout-memory component)."""

    sender_email: str | None = None
    mail_date: datetime | None = None
    layout_memory: object | None = None


@dataclass
class Analysis:
    """Everything about a document that does not depend on the model."""

    layout: DocumentLayout
    hits: list[LabelHit]
    language: str
    decimal_mark: str
    text: str
    table_rows: list[TableLine]
    candidates: list[Candidate]
    features: np.ndarray


@dataclass
class Trace:
    """The inputs of every confidence, kept so training can fit the calibrators."""

    field_inputs: dict[str, list[float]] = field(default_factory=dict)
    line_inputs: list[list[float]] = field(default_factory=list)


def analyse_document(read: ReadResult, *, master: MasterData, hints: DocumentHints) -> Analysis:
    layout = build_layout(read)
    hits = default_matcher().match(layout)
    text = read.text
    language = detect_language(layout, hits)
    decimal_mark = _decimal_mark(text, language)
    month_first = any(int(m.group(2)) > 12 for m in _US_DATE_RE.finditer(text))
    rows = extract_line_items(layout, hits, decimal_mark=decimal_mark, month_first=month_first)
    candidates = generate_candidates(layout, hits, language=language, month_first=month_first)
    row_lines = _row_line_span(layout, rows)
    lines_sum = (
        sum((r.line_total for r in rows if r.line_total is not None), Decimal(0)) if rows else None
    )
    context = DocumentContext(
        layout=layout,
        hits=hits,
        candidates=candidates,
        master=master,
        sender_email=hints.sender_email,
        mail_date_iso=hints.mail_date.date().isoformat() if hints.mail_date else None,
        lines_sum=lines_sum,
        table_lines=row_lines,
    )
    return Analysis(
        layout=layout,
        hits=hits,
        language=language,
        decimal_mark=decimal_mark,
        text=text,
        table_rows=rows,
        candidates=candidates,
        features=candidate_features(context),
    )


def extract_document(
    read: ReadResult,
    *,
    source: str,
    master: MasterData,
    model: ExtractorModel | None,
    hints: DocumentHints = DocumentHints(),
    sha256: str | None = None,
    raw: bytes | None = None,
    filename: str = "",
    read_as_order: bool = False,
) -> Extraction:
    """The extraction of one document. With `raw`, an embedded or attached structured order wins."""
    if raw is not None:
        from extraction.structured import read_structured

        structured = read_structured(raw, source=source, filename=filename, sha256=sha256)
        if structured is not None:
            return _finish_structured(structured, master=master, model=model, hints=hints)
    analysis = analyse_document(read, master=master, hints=hints)
    extraction, _ = extract_from_analysis(
        analysis,
        source=source,
        master=master,
        model=model,
        hints=hints,
        sha256=sha256,
        read_as_order=read_as_order,
    )
    return extraction


def extract_from_analysis(
    analysis: Analysis,
    *,
    source: str,
    master: MasterData,
    model: ExtractorModel | None,
    hints: DocumentHints = DocumentHints(),
    sha256: str | None = None,
    read_as_order: bool = False,
) -> tuple[Extraction, Trace]:
    """`read_as_order`: keep the order values even of a document surely not an order (to
    measure field reading on real invoices)."""
    scorer: FieldScorer = model if model is not None else RulesScorer()
    # One document's candidates are a few hundred rows: OpenMP threads only cost here, and on a
    # busy machine their spin-waiting makes a prediction hundreds of times slower.
    with threadpool_limits(limits=1, user_api="openmp"):
        choices = {
            name: choose_field(scorer, name, analysis.candidates, analysis.features)
            for name in HEADER_FIELDS
        }
        choices = consistent_totals(scorer, analysis.candidates, analysis.features, choices)
    document_type, type_confidence = classify_document(analysis, model)
    values = {name: _value_of(choice) for name, choice in choices.items()}
    fallback: dict[str, str] = {}
    if values["contact_email"] is None and hints.sender_email:
        values["contact_email"] = hints.sender_email.lower()
        fallback["contact_email"] = "model"
    if values["requested_delivery_date"] is None and (
        line_date := _common_line_date(analysis.table_rows)
    ):
        values["requested_delivery_date"] = line_date
        fallback["requested_delivery_date"] = "model"
    if values["order_date"] is None and hints.mail_date is not None:
        values["order_date"] = hints.mail_date.date().isoformat()
        fallback["order_date"] = "model"
    customer = match_customer(
        master,
        sender_email=hints.sender_email or values["contact_email"],
        vat_id=values["customer_vat_id"],
        customer_number=values["customer_number"],
        names=[v for v in (values["customer_name"],) if v],
        postal_code=None,
    )
    record = customer.customer if customer else None
    if (
        record is not None
        and values["customer_name"] != record.name
        and printed_name(analysis.layout, record.name, values["customer_name"])
    ):
        values["customer_name"], fallback["customer_name"] = record.name, "master_data"
    respelt = _respell_ocr_values(choices, values, record, analysis.layout)
    reading = reading_kind(analysis.layout.pages)
    if reading == "ocr" and values["order_date"] is not None:
        _order_date_before_sending(values, analysis.layout)
    home = (record.country if record else None) or _country_of_language(analysis.language)
    if "ship_to_city" not in respelt:
        _respell_ocr_city(choices["ship_to_city"], values, home)
    if (
        record is not None
        and values["customer_vat_id"] is None
        and reading == "ocr"
        and (
            vat_id := printed_vat_id(
                (line.text for line in analysis.layout.lines),
                record,
                labelled=_labelled_lines(analysis, "customer_vat_id"),
            )
        )
    ):
        values["customer_vat_id"], fallback["customer_vat_id"] = vat_id, "master_data"
    if (
        record is not None
        and reading == "ocr"
        and values["customer_number"] != record.customer_id
        and (
            number := printed_customer_number(
                [values["customer_number"] or "", *_labelled_lines(analysis, "customer_number")],
                record,
            )
        )
    ):
        values["customer_number"], fallback["customer_number"] = number, "master_data"
    if values["currency"] is None:
        currency = record.currency if record and record.currency else None
        if currency:
            values["currency"], fallback["currency"] = currency, "master_data"
    if values["ship_to_name"] is None and (
        inline := inline_ship_to(analysis.layout, analysis.hits)
    ):
        for name, value in (
            ("ship_to_name", inline.name),
            ("ship_to_street", inline.street),
            ("ship_to_postal_code", inline.postal_code),
            ("ship_to_city", inline.city),
            ("ship_to_country", inline.country),
        ):
            if value is not None:
                values[name], fallback[name] = value, "model"
    postal = choices["ship_to_postal_code"].candidate
    if values["ship_to_city"] is None and postal is not None:
        city = _city_after(postal, analysis.layout)
        if city is not None:
            values["ship_to_city"], fallback["ship_to_city"] = city, "model"
    if values["ship_to_country"] is None and (
        values["ship_to_postal_code"] or values["ship_to_city"]
    ):
        city = values["ship_to_city"]
        country = (country_of_city(city, preferred=home) if city else None) or home
        if country:
            values["ship_to_country"] = country
            fallback["ship_to_country"] = (
                "master_data" if record is not None and country == record.country else "model"
            )

    if model is not None:
        respell_ocr_descriptions(analysis.table_rows, model.description_spellings, master)
    vocabulary = model.description_vocabulary if model is not None else None
    if reading == "ocr":
        settle_by_subtotal(
            analysis.table_rows, *(decimal_or_none(values[name]) for name in TOTAL_FIELDS)
        )
    lines, line_matches = _lines(analysis.table_rows, master, record, vocabulary)
    if reading == "ocr":
        _repair_ocr_totals(choices, values, lines, analysis, scorer)
    draft = Extraction(
        source=source,
        sha256=sha256,
        document_type=document_type,
        document_type_confidence=type_confidence,
        language=analysis.language,
        pages=analysis.layout.page_count,
        fields={
            name: _field(
                choices[name],
                values[name],
                fallback.get(name),
                confidence=0.0,
                respelt=name in respelt,
            )
            for name in HEADER_FIELDS
        },
        lines=lines,
        customer_id=record.customer_id if record else None,
        decision=Decision(status="needs_review", reasons=[]),
        model_version=model.version if model is not None else RULES_VERSION,
    )
    trace = Trace()
    check_states = _field_check_states(draft, master)
    labels_printed = {hit.label for hit in analysis.hits} - set(BLOCK_CLASSES)
    for name in HEADER_FIELDS:
        inputs = field_confidence_inputs(
            choices[name],
            check_state=check_states.get(name, 0.5),
            master_state=_master_state(name, values[name], record),
            fallback=name in fallback,
            label_printed=bool(own_label_classes(name) & labels_printed),
        )
        trace.field_inputs[name] = inputs
        confidence = capped_absence(
            _calibrated(
                model.field_calibrators.get(name) if model else None,
                inputs,
                default=choices[name].score if name not in fallback else 0.5,
            ),
            choices[name],
            fallback=name in fallback,
        )
        current = draft.fields[name]
        if current is not None:
            draft.fields[name] = current.model_copy(update={"confidence": confidence})
    lines_sum_ok = check_states.get("subtotal", check_states.get("total", 0.5))
    for i, (line, row, match) in enumerate(
        zip(draft.lines, analysis.table_rows, line_matches, strict=True)
    ):
        inputs = line_confidence_inputs(line, row, match, lines_sum_ok=lines_sum_ok)
        trace.line_inputs.append(inputs)
        default = 0.9 if line_arithmetic_ok(line) and match is not None else 0.5
        draft.lines[i] = line.model_copy(
            update={
                "confidence": _calibrated(
                    model.line_calibrator if model else None, inputs, default=default
                )
            }
        )
    if isinstance(hints.layout_memory, LayoutMemory):
        # what agents validated on this sender's layout: strong evidence, before deciding
        draft = apply_layout_memory(
            draft,
            hints.layout_memory,
            layout=analysis.layout,
            hits=analysis.hits,
            candidates=analysis.candidates,
            sender_email=hints.sender_email,
        )
    thresholds = model.thresholds if model is not None else RULES_THRESHOLDS
    surely_not_order = type_confidence >= thresholds.document_type
    if document_type in _NON_ORDER_TYPES and surely_not_order and not read_as_order:
        draft = _without_order_values(draft)
    draft.decision = decide(
        draft,
        master=master,
        thresholds=thresholds,
        reading=reading,
    )
    return draft, trace


_NON_ORDER_TYPES = frozenset({"invoice", "remittance_advice", "other"})
"""Types that carry no order values (an order change carries the order's)."""


_PRINTED_NAME_MIN_RATIO = 90.0


def printed_name(layout: DocumentLayout, name: str, read: str | None) -> bool:
    """The matched customer's name is printed on the document, as OCR read it ('Carter
    Laboratories pic' for 'plc') or where the model found no name: the master data's spelling
    is then the printed value, not a guess. A value that is only part of the name ('Druckerei
    AG'), read from a line that prints the whole name, is that name too."""
    if read is not None and (
        fuzz.ratio(normalize_text(read), normalize_text(name)) >= _PRINTED_NAME_MIN_RATIO
    ):
        return True
    wanted, part = normalize_text(name), normalize_text(read or "")
    return any(
        fuzz.partial_ratio(wanted, text) >= _PRINTED_NAME_MIN_RATIO
        and len(text) >= 0.8 * len(wanted)
        and part in text
        for text in (normalize_text(line.text) for line in layout.lines)
    )


def _common_line_date(rows: list[TableLine]) -> str | None:
    """A delivery date printed on every line, the same on all: the order's (field-conventions:
    'a single date that applies to the whole order'); lines with different dates give none."""
    dates = {row.delivery_date for row in rows}
    if len(dates) != 1 or None in dates:
        return None
    (only,) = dates
    return only.isoformat() if only else None


def _without_order_values(extraction: Extraction) -> Extraction:
    """A document surely not an order (an invoice, a remittance advice) carries no order values:
    its dates, totals and parties are not a PO's (the customer it came from is kept). An unsure
    one keeps them for the agent."""
    return extraction.model_copy(update={"fields": dict.fromkeys(extraction.fields), "lines": []})


# ---- language and document type -------------------------------------------------------------


def detect_language(layout: DocumentLayout, hits: list[LabelHit]) -> str:
    votes = dict.fromkeys(_LANGUAGE_CUES, 0.0)
    for hit in hits:
        votes[hit.language] += 1
    for line in layout.lines:
        for word in line.words:
            token = fold_token(word.text)
            for language, cues in _LANGUAGE_CUES.items():
                if token in cues:
                    votes[language] += 0.5
    return max(votes, key=lambda k: (votes[k], k == "en"))


def _decimal_mark(text: str, language: str) -> str:
    commas = len(re.findall(r"\d,\d{2}\b", text))
    dots = len(re.findall(r"\d\.\d{2}\b", text))
    if commas != dots:
        return "," if commas > dots else "."
    return "." if language == "en" else ","


def classify_document(
    analysis: Analysis, model: ExtractorModel | None
) -> tuple[DocumentType, float]:
    if model is not None and model.document_classifier is not None:
        probs = model.document_classifier.predict_proba([document_text(analysis)])[0]
        best = int(np.argmax(probs))
        kind: DocumentType = model.document_classifier.classes_[best]
        confidence = float(probs[best])
        titled = _type_cues(_title_text(analysis))
        if titled and kind not in titled:
            # the title names another type ('BESTELLÄNDERUNG' read as an order): unsure
            confidence = min(confidence, _TITLE_DISAGREEMENT_CONFIDENCE)
        return kind, confidence
    found = _type_cues(_folded_lines(analysis, limit=15))
    return (found[0], 0.6) if found else ("other", 0.5)


def document_text(analysis: Analysis) -> str:
    """The folded words of the document, the document classifier's input, followed by one token
    per document type whose cue words appear (more weight when they appear near the top)."""
    words = _folded_lines(analysis)
    cues = [f"cue{t}" for t in _type_cues(words)]
    title_cues = [f"titlecue{t}" for t in _type_cues(_folded_lines(analysis, limit=15))]
    return " ".join([words, *cues, *title_cues])


_TITLE_DISAGREEMENT_CONFIDENCE = 0.5
_TITLE_SIZE_RATIO = 1.3


def _title_text(analysis: Analysis) -> str:
    """The folded words printed large on the first page: the document's title (and the
    sender's name, which names no type)."""
    limit = _TITLE_SIZE_RATIO * analysis.layout.median_font_size
    return " ".join(
        fold_token(w.text)
        for line in analysis.layout.lines
        if line.page == 1
        for w in line.words
        if w.font_size is not None and w.font_size >= limit
    )


def type_cue_tokens() -> list[str]:
    """Every cue token document_text can append, for the classifier's cue features."""
    kinds = [doc_type for doc_type, _ in _DOC_TYPE_CUES]
    return [f"cue{t}" for t in kinds] + [f"titlecue{t}" for t in kinds]


def _folded_lines(analysis: Analysis, limit: int | None = None) -> str:
    lines = analysis.layout.lines if limit is None else analysis.layout.lines[:limit]
    return " ".join(fold_token(w.text) for line in lines for w in line.words)


def _type_cues(folded: str) -> list[DocumentType]:
    """The document types whose cue words the text holds, in the order of _DOC_TYPE_CUES."""
    return [
        doc_type
        for doc_type, cues in _DOC_TYPE_CUES
        if any(re.search(rf"\b{re.escape(cue)}\b", folded) for cue in cues)
    ]


def _country_of_language(language: str) -> str | None:
    return {"fr": "FR", "de": "DE", "en": "GB"}.get(language)


# ---- fields ---------------------------------------------------------------------------------


def _value_of(choice: FieldChoice) -> str | None:
    return choice.candidate.value if choice.candidate is not None else None


def _respell_ocr_values(
    choices: dict[str, FieldChoice],
    values: dict[str, str | None],
    record: CustomerRecord | None,
    layout: DocumentLayout,
) -> set[str]:
    """The ship-to values and e-mail OCR read that are the matched customer's own name, street,
    city or e-mail domain but for OCR's slips, put in the master data's spelling (in `values`);
    their names. Then the e-mail's name part in the spelling the page prints that name in
    (which is the page's spelling, not the master data's: not among the names returned)."""
    respelt = _respell_ocr_master_values(choices, values, record) if record else set()
    _respell_ocr_email_name(choices["contact_email"], values, layout)
    return respelt


def _respell_ocr_master_values(
    choices: dict[str, FieldChoice], values: dict[str, str | None], record: CustomerRecord
) -> set[str]:
    respelt: set[str] = set()
    for name in ("ship_to_name", "ship_to_street", "ship_to_city", "contact_email"):
        candidate, read = choices[name].candidate, values[name]
        if candidate is None or candidate.ocr_confidence is None or read != candidate.value:
            continue
        spelt = master_spelling(name, read, record)
        if spelt is not None:
            values[name] = spelt
            respelt.add(name)
    postal = choices["ship_to_postal_code"].candidate
    if postal is not None and postal.ocr_confidence is not None and values["ship_to_postal_code"]:
        spelt = master_postal_code(
            values["ship_to_postal_code"], values["ship_to_street"], values["ship_to_city"], record
        )
        if spelt is not None:
            values["ship_to_postal_code"] = spelt
            respelt.add("ship_to_postal_code")
    return respelt


def _order_date_before_sending(values: dict[str, str | None], layout: DocumentLayout) -> None:
    """An OCR'd order date after the day the fax was sent, put right (extraction/fax_header.py)."""
    sent = fax_sent_date(layout)
    read = date.fromisoformat(values["order_date"] or "")
    if sent is not None and (printed := order_date_before_sending(read, sent)) is not None:
        values["order_date"] = printed.isoformat()


def _respell_ocr_email_name(
    choice: FieldChoice, values: dict[str, str | None], layout: DocumentLayout
) -> None:
    """extraction/email_spelling.py, against every word of the page but the address's own."""
    email, read = choice.candidate, values["contact_email"]
    if email is None or email.ocr_confidence is None or read is None:
        return
    others = [
        w.text
        for line in layout.lines
        for i, w in enumerate(line.words)
        if not (line.index == email.line and email.start <= i < email.end)
    ]
    values["contact_email"] = local_part_from_page(read, others)


def _repair_ocr_totals(
    choices: dict[str, FieldChoice],
    values: dict[str, str | None],
    lines: list[ExtractedLine],
    analysis: Analysis,
    scorer: FieldScorer,
) -> None:
    """The total OCR misread put right in `values` (and its place in `choices`); see
    extraction/totals_repair.py."""
    amounts = [c for c in analysis.candidates if c.kind == "amount"]
    repair = repair_totals(
        values, {name: choices[name].candidate for name in TOTAL_FIELDS}, lines, amounts
    )
    if repair is None:
        return
    values[repair.field] = repair.value
    if choices[repair.field].candidate is not repair.candidate:
        row = analysis.candidates.index(repair.candidate)
        score = float(scorer.probabilities(repair.field, analysis.features[[row]])[0])
        choices[repair.field] = FieldChoice(repair.candidate, score, 0.0)


def _labelled_lines(analysis: Analysis, label: str) -> list[str]:
    """The text of the lines that print `label`, with the line after each (a value under it)."""
    indices = sorted({i for h in analysis.hits if h.label == label for i in (h.line, h.line + 1)})
    lines = analysis.layout.lines
    return [lines[i].text for i in indices if i < len(lines)]


def _respell_ocr_city(choice: FieldChoice, values: dict[str, str | None], home: str | None) -> None:
    """A ship-to city OCR misread ('Frankfun am Main') in the spelling of the city it is one or
    two letters off (extraction/city_countries.py), preferring cities of `home`."""
    read = choice.candidate
    if read is None or read.ocr_confidence is None or values["ship_to_city"] != read.value:
        return
    if (spelt := city_spelling(read.value, preferred=home)) is not None:
        values["ship_to_city"] = spelt


def _field(
    choice: FieldChoice,
    value: str | None,
    fallback_method: str | None,
    *,
    confidence: float,
    respelt: bool = False,
) -> ExtractedField | None:
    """`respelt`: the value read at the candidate's place, in the master data's spelling."""
    if value is None:
        return ExtractedField(value=None, confidence=confidence, method="model")
    if fallback_method is not None:
        return ExtractedField(value=value, confidence=confidence, method=fallback_method)  # type: ignore[arg-type]
    candidate = choice.candidate
    assert candidate is not None
    return ExtractedField(
        value=value,
        confidence=confidence,
        page=candidate.page,
        bbox=tuple(round(c, 4) for c in candidate.bbox),  # type: ignore[arg-type]
        raw=candidate.raw,
        method="master_data" if respelt else "model",
    )


def field_confidence_inputs(
    choice: FieldChoice,
    *,
    check_state: float,
    master_state: float,
    fallback: bool,
    label_printed: bool = False,
) -> list[float]:
    """The calibrator's inputs. `label_printed`: the document prints a label of the field
    ('Lieferdatum'), so that 'absent' there is less sure than on a document without one."""
    candidate = choice.candidate
    ocr = candidate.ocr_confidence if candidate is not None else None
    return [
        logit(choice.score),
        choice.margin,
        ocr if ocr is not None else 1.0,
        float(ocr is not None),
        float(candidate is None),
        check_state,
        master_state,
        float(fallback),
        float(candidate is None and label_printed),
    ]


def _city_after(postal: Candidate, layout: DocumentLayout) -> str | None:
    """The city printed right after the chosen ship-to postal code, up to the end of its
    segment ("L-4002 Esch-sur-Alzette", "EC1A 1BB London"), for when the city scorer doubts it:
    the address line settles it."""
    line = layout.lines[postal.line]
    end = next((e for s, e in line.segments if s <= postal.start < e), len(line.words))
    words = [w.text for w in line.words[postal.end : end]]
    city = " ".join(words).strip(" ,.;")
    if not words or len(words) > 4 or not any(ch.isalpha() for ch in city):
        return None
    return city


def capped_absence(confidence: float, choice: FieldChoice, *, fallback: bool) -> float:
    """A field read as not printed is at most as sure as its scorer is that none of the
    candidates is right: a value the scorer gave 0.79 and held back (under a bar of 0.9) is not
    absent with a calibrated 0.84. A value, or one filled in from elsewhere, keeps its
    confidence."""
    if choice.candidate is not None or fallback:
        return confidence
    return min(confidence, choice.score)


def _calibrated(calibrator: Calibrator | None, inputs: list[float], *, default: float) -> float:
    if calibrator is None:
        return round(min(max(default, 0.0), 1.0), 4)
    return round(calibrator.predict_one(inputs), 4)


def _field_check_states(extraction: Extraction, master: MasterData) -> dict[str, float]:
    """1 when a check involving the field passes, 0 when one fails, absent when none applies."""
    states: dict[str, float] = {}
    for check in run_checks(extraction, master):
        if check.name in {"lines_sum", "totals"}:
            for name in AMOUNT_FIELDS:
                if extraction.field_value(name) is not None:
                    states[name] = min(states.get(name, 1.0), 1.0 if check.passed else 0.0)
    return states


def _master_state(name: str, value: str | None, record: CustomerRecord | None) -> float:
    """Does the value agree with the matched customer's record? 0.5: nothing to compare."""
    if record is None or value is None:
        return 0.5
    if name == "customer_name":
        return float(name_similarity(value, record.name) >= 90)
    if name == "customer_vat_id" and record.vat_id:
        return float(value == re.sub(r"[^A-Z0-9]", "", record.vat_id.upper()))
    if name == "customer_number":
        return float(value.upper() == record.customer_id.upper())
    if name == "contact_email" and record.email_domains:
        return float(value.rsplit("@", 1)[-1] in record.email_domains)
    if name == "currency" and record.currency:
        return float(value == record.currency)
    return 0.5


# ---- lines ----------------------------------------------------------------------------------

_METHODS = ("sku", "customer_item", "gtin", "description")
_IDENTITY_METHODS = frozenset({"sku", "customer_item", "gtin"})
"""Matches by an identifier the line prints: their prices show the order's price factor."""


def _lines(
    rows: list[TableLine],
    master: MasterData,
    customer: CustomerRecord | None,
    vocabulary: DescriptionVocabulary | None,
) -> tuple[list[ExtractedLine], list[ProductMatch | None]]:
    index = product_index(master)
    lines: list[ExtractedLine] = []
    matches: list[ProductMatch | None] = []
    for row in rows:
        gtin_from_description(row)
        item_number_from_description(row, index, customer)
        charge = is_charge_line(row.description)
        match = index.match(
            sku=row.sku or row.gtin,
            alt_sku=row.alt_sku or row.gtin,
            description=None if charge else row.description,
            customer_id=customer.customer_id if customer else None,
            vocabulary=vocabulary,
            ocr=row.ocr_confidence is not None,
        )
        matches.append(match)
    unmatched = [
        i
        for i, m in enumerate(matches)
        if m is None
        and rows[i].description
        and rows[i].unit_price
        and not is_charge_line(rows[i].description)
    ]
    known = [
        (row.unit_price, match.product)
        for row, match in zip(rows, matches, strict=True)
        if match is not None and match.method in _IDENTITY_METHODS and row.unit_price
    ]
    if unmatched and len(unmatched) + len(known) >= 2:
        joint = index.match_by_common_factor(
            [(rows[i].description or "", rows[i].unit_price or Decimal(0)) for i in unmatched],
            known,
        )
        for i, match in zip(unmatched, joint, strict=True):
            matches[i] = match
    repair_by_list_price(rows, matches, _IDENTITY_METHODS)
    for row, match in zip(rows, matches, strict=True):
        lines.append(
            ExtractedLine(
                sku=ocr_sku(row, match),
                product_sku=match.product.sku if match else None,
                description=ocr_description(row, match, vocabulary),
                quantity=decimal_str(_plain(row.quantity)),
                unit=row.unit,
                unit_price=decimal_str(_plain(row.unit_price)),
                line_total=decimal_str(row.line_total),
                confidence=0.0,
                page=row.page,
                bbox=tuple(round(c, 4) for c in row.bbox) if row.words else None,  # type: ignore[arg-type]
            )
        )
    return lines, matches


GTIN_IN_TEXT_DIGITS = (12, 13, 14)
"""A description prints an 8-digit number (a size, a code) more often than a GTIN-8."""


def gtin_from_description(row: TableLine) -> None:
    """An OCR'd line whose GTIN column heading was lost carries the GTIN among its
    description's words ('3002289905905 Highlighter pink Premium'): one word of 12 to 14 digits
    with a valid check digit is taken out as the line's GTIN. A text layer's lines, and lines
    with a GTIN, are left as read."""
    if row.gtin is not None or row.ocr_confidence is None or not row.description:
        return
    row.gtin = _code_out_of_description(
        row,
        lambda code: code.isdigit() and len(code) in GTIN_IN_TEXT_DIGITS and bool(parse_gtin(code)),
    )


def item_number_from_description(
    row: TableLine, index: ProductIndex, customer: CustomerRecord | None
) -> None:
    """An OCR'd line whose item-number column heading was lost carries the number among its
    description's words ('Zylinderschraube 5x30 mm ODS-10664'): one word that is a catalogue
    SKU, or this customer's own item number, is taken out as the line's item number. A text
    layer's lines, and lines with an item number, are left as read."""
    if row.sku is not None or row.ocr_confidence is None or not row.description:
        return
    customer_id = customer.customer_id if customer else None
    row.sku = _code_out_of_description(
        row, lambda code: index.is_item_number(code, customer_id, ocr=True)
    )


def _code_out_of_description(row: TableLine, is_code: Callable[[str], bool]) -> str | None:
    """The one word of the row's description that `is_code` accepts (punctuation beside it
    dropped), or failing that the one pair of neighbouring words that joined is one (OCR split
    the number at a gap: 'ODS- 10153', 'ODS-1 1946'), taken out of the description; None, the
    description unchanged, when none or several are."""
    words = (row.description or "").split()
    codes = [w.strip(",;:()") for w in words]
    found = [(i, i + 1) for i, code in enumerate(codes) if is_code(code)]
    if not found:
        joined = [a + b for a, b in pairwise(codes)]
        found = [(i, i + 2) for i, code in enumerate(joined) if is_code(code)]
    if len(found) != 1:
        return None
    start, end = found[0]
    row.description = " ".join(words[:start] + words[end:]) or None
    return "".join(codes[start:end])


def respell_ocr_descriptions(rows: list[TableLine], learnt: Spellings, master: MasterData) -> None:
    """OCR'd descriptions with misread words in the spelling of the training orders' lines
    and of the catalogue (extraction/ocr_spelling.py); a text layer's are as printed."""
    if not any(row.ocr_confidence is not None and row.description for row in rows):
        return
    spellings = _spellings_with_catalogue(learnt, product_index(master))
    for row in rows:
        if row.ocr_confidence is not None and row.description:
            row.description = spellings.respell(row.description)


@lru_cache(maxsize=4)
def _spellings_with_catalogue(learnt: Spellings, index: ProductIndex) -> Spellings:
    return learnt.merged(p.description for p in index.master.products)


def ocr_description(
    row: TableLine, match: ProductMatch | None, vocabulary: DescriptionVocabulary | None
) -> str | None:
    """An OCR'd description without marks at its ends and, where the line's printed item number
    or GTIN names the matched product, in the catalogue's spelling where it reads as the
    catalogue's text (extraction/catalogue_spelling.py); a text layer's is as printed."""
    if row.description is None or row.ocr_confidence is None:
        return row.description
    description = _without_edge_marks(row.description)
    if description is None or match is None:
        return description
    named = match.method in _IDENTITY_METHODS or ocr_sku(row, match) == match.product.sku
    described = match.method == "description" and match.score >= DESCRIBED_SPELLING_MIN
    if not (named or described):
        return description
    foreign = vocabulary.translations if vocabulary is not None else {}
    exact = match.method in _IDENTITY_METHODS and match.score == 1.0
    return catalogue_spelling(
        description,
        match.product.description,
        foreign,
        digit_edits=NAMED_DIGIT_EDITS if exact else MAX_DIGIT_EDITS,
    )


DESCRIBED_SPELLING_MIN = 0.9
"""A line matched by its description alone, this alike (token-set similarity), takes the
catalogue's spelling of it too ('Vis & tête fraisée 3x16 mm inox A2 Feu')."""


def _without_edge_marks(description: str) -> str | None:
    """An OCR'd description without the specks and rules read as marks at its ends
    ('Emballage spécial ; ;')."""
    words = description.split()
    while words and not any(c.isalnum() for c in words[-1]):
        words.pop()
    while words and not any(c.isalnum() for c in words[0]):
        words.pop(0)
    return " ".join(words) or None


def ocr_sku(row: TableLine, match: ProductMatch | None) -> str | None:
    """An OCR'd item number that is the catalogue SKU the line matched by its other evidence
    but for look-alike characters and one more slip ('O0DS-11073', '0D8-10119' for ODS-…), or
    a cell that holds it beside a word of the next column ('A2 ODS-11604'), is that SKU; a text
    layer's is as printed."""
    if row.sku is None or match is None or row.ocr_confidence is None:
        return row.sku
    key = lookalike_key(match.product.sku)
    if any(
        Levenshtein.distance(lookalike_key(part), key) <= 1 for part in (row.sku, *row.sku.split())
    ):
        return match.product.sku
    return row.sku


def _plain(value: Decimal | None) -> Decimal | None:
    """12.500 → 12.5, 10.00 → 10; never an exponent."""
    if value is None:
        return None
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


def line_confidence_inputs(
    line: ExtractedLine, row: TableLine, match: ProductMatch | None, *, lines_sum_ok: float
) -> list[float]:
    ocr = row.ocr_confidence
    method = [float(match is not None and match.method == m) for m in _METHODS]
    return [
        float(line_arithmetic_ok(line)),
        float(row.total_printed),
        *method,
        float(match is None),
        match.score if match else 0.0,
        ocr if ocr is not None else 1.0,
        float(ocr is not None),
        float(row.from_header_table),
        float(row.repaired),
        float(is_charge_line(line.description)),
        float(bool(line.description)),
        lines_sum_ok,
    ]


def _row_line_span(layout: DocumentLayout, rows: list[TableLine]) -> tuple[int, int] | None:
    if not rows:
        return None
    ids = {id(w) for r in rows for w in r.words}
    indices = [line.index for line in layout.lines if any(id(w) in ids for w in line.words)]
    return (min(indices), max(indices)) if indices else None


# ---- structured -----------------------------------------------------------------------------


def _finish_structured(
    extraction: Extraction,
    *,
    master: MasterData,
    model: ExtractorModel | None,
    hints: DocumentHints,
) -> Extraction:
    """Match the structured order's customer and products, then decide like any other."""
    customer: CustomerMatch | None = None
    if extraction.customer_id is None:
        customer = match_customer(
            master,
            sender_email=hints.sender_email or extraction.field_value("contact_email"),
            vat_id=extraction.field_value("customer_vat_id"),
            customer_number=extraction.field_value("customer_number"),
            names=[v for v in (extraction.field_value("customer_name"),) if v],
        )
    customer_id = extraction.customer_id or (customer.customer.customer_id if customer else None)
    index = product_index(master)
    lines = []
    for line in extraction.lines:
        if line.product_sku is None:
            match = index.match(sku=line.sku, description=line.description, customer_id=customer_id)
            if match is not None:
                line = line.model_copy(update={"product_sku": match.product.sku})
        lines.append(line)
    result = extraction.model_copy(update={"customer_id": customer_id, "lines": lines})
    thresholds = model.thresholds if model is not None else RULES_THRESHOLDS
    return result.model_copy(
        update={
            "decision": decide(result, master=master, thresholds=thresholds, reading="structured")
        }
    )
