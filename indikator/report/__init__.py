"""Stage 3: the report. One frozen Report holds every publishable number and the charts'
specs (model); what a pack contains (contents), the documents' model (document) and the
texts (paragraphs, summary) are built from it."""
