"""Intake: read an uploaded document into the text quotes verify against (see docs/intake.md)."""

from .extract import MAX_BYTES, Extracted, IntakeError, Progress, Segment, extract, extract_pasted

__all__ = ["MAX_BYTES", "Extracted", "IntakeError", "Progress", "Segment", "extract", "extract_pasted"]
