"""The report writers live in `lib/exports.py` (budgets and raskin export with them too)."""

from satupintu.lib.exports import XLSX_TYPE, csv_response, pdf_bytes, safe_cell, xlsx_bytes, xlsx_response

__all__ = ["XLSX_TYPE", "csv_response", "pdf_bytes", "safe_cell", "xlsx_bytes", "xlsx_response"]
