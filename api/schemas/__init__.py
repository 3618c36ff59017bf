"""Public request and response schemas of the ERP API."""
