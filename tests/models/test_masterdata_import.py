# ruff: noqa: E501  (CSV rows are data)
"""Master-data CSV import: all or nothing, upsert on the first column, errors by line number."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from models.errors import ImportFailedError
from models.masterdata_io import import_master_csv, load_master_data
from models.tables import Customer, Product

CUSTOMERS = """customer_id,name,vat_id,email_domains,street,postal_code,city,country,currency,payment_terms_days,credit_limit,language,iban
C001,Acme SARL,FR 40 303265045,acme.fr Acme-Group.com,1 rue de la Paix,75002,Paris,FR,EUR,30,10000.50,fr,
C002,Muster GmbH,,muster.de,Hauptstr. 1,10115,Berlin,DE,EUR,14,,de,DE89370400440532013000
"""


def test_import_is_an_idempotent_upsert(db_engine: Engine) -> None:
    with Session(db_engine) as session:
        first = import_master_csv(session, kind="customers", text=CUSTOMERS)
        session.commit()
        second = import_master_csv(session, kind="customers", text=CUSTOMERS)
        session.commit()
        changed = import_master_csv(
            session, kind="customers", text=CUSTOMERS.replace("Acme SARL", "Acme SAS")
        )
        session.commit()
        assert (first.created, second.created, second.unchanged) == (2, 0, 2)
        assert (changed.updated, changed.unchanged) == (1, 1)
        acme = session.get(Customer, "C001")
        assert acme is not None
        assert acme.name == "Acme SAS"
        assert acme.vat_id == "FR40303265045"
        assert acme.email_domains == "acme.fr acme-group.com"
        assert acme.credit_limit == Decimal("10000.50")


def test_a_bad_row_refuses_the_whole_file_with_line_numbers(db_engine: Engine) -> None:
    text = (
        CUSTOMERS
        + "C003,,,,,,,,,,,,\nC004,Bad VAT,FR123,,,,,,,,,,\nC005,Bad country,,,,,,XX,,,,,\n"
    )
    with Session(db_engine) as session, pytest.raises(ImportFailedError) as raised:
        import_master_csv(session, kind="customers", text=text)
    assert [line for line, _ in raised.value.errors] == [4, 5, 6]
    assert "name is required" in raised.value.errors[0][1]
    assert "FR123" in raised.value.errors[1][1]
    with Session(db_engine) as session:
        assert session.exec(select(Customer)).all() == []


def test_product_prices_stay_exact_and_gtins_are_checked(db_engine: Engine) -> None:
    text = "sku,description,unit,unit_price,currency,tax_rate,gtin\nP1,Vis inox M6,ea,0.0123,EUR,0.20,4006381333931\n"
    with Session(db_engine) as session:
        import_master_csv(session, kind="products", text=text)
        session.commit()
    with Session(db_engine) as session:
        product = session.exec(select(Product)).one()
        assert product.unit_price == Decimal("0.0123") and product.unit == "EA"
        snapshot = load_master_data(session)
        assert snapshot.products[0].tax_rate == Decimal("0.20")
    with Session(db_engine) as session, pytest.raises(ImportFailedError):
        import_master_csv(
            session, kind="products", text=text.replace("4006381333931", "4006381333932")
        )
