"""Entities stage: spaCy pipeline (``pipeline``), mention rules (``entities``), corpus resolution (``resolve``)."""
