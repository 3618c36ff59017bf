"""The ERP API routers, one per resource."""
