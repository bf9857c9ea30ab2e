"""The commune's reports (``/reports``): tables and SVG charts of the queue and the dossiers for a
period, each table as Excel and CSV, and Biểu số II.06a/VPCP/KSTT (page, PDF, Excel).

``views`` the pages and files, ``charts`` the SVG, ``files`` the Excel workbooks (openpyxl) and
CSV. The computations are pure, in ``appliance/domain/`` (``report_periods``, ``report_local``,
``report_ii06a``); the SQL in ``appliance/store/report_store.py``.
"""
from __future__ import annotations

from flask import Flask

from .views import bp


def register(app: Flask) -> None:
    app.register_blueprint(bp)
