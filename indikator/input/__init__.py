"""Stage 1: what a run reads. The answers (through reading and importing) and every file
beside them: the board's goals, response rates, earlier packs, a reference, and, with
--per-forbund, which förbund each answer belongs to. Checked, with Swedish messages."""
