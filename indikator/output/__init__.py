"""Stage 4: the files. A report written into a pack folder (pack): tables, charts drawn in
parallel and cached, documents through the renderers, all staged and switched in at once
(folder); many förbund in one run (many)."""
