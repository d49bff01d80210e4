"""JSON Schemas of tqcheck's machine formats (package data: ``report-v1.json``)."""
