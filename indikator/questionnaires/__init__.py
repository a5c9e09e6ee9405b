"""Questionnaires and response scales as data: `model` (what they are) and `loading`
(reading and checking the TOML files, against the shapes declared in `schema`)."""

from indikator.questionnaires.loading import SCALES_FILE, default_folder, load_catalog
from indikator.questionnaires.model import (
    Catalog,
    Category,
    Condition,
    Question,
    Questionnaire,
    Scale,
)

__all__ = ["SCALES_FILE", "Catalog", "Category", "Condition", "Question", "Questionnaire",
           "Scale", "default_folder", "load_catalog"]
