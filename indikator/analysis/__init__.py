"""Stage 2: the numbers. Distributions with the min-n rule (stats), the comparison with
earlier years (compare), goals and their intervals, trends, and many förbund side by side
or against a reference (forbund)."""
