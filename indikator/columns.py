"""The columns of the tables every stage passes on: the distributions and their groups,
cells, "vet ej" counts and kön (stats computes them; an earlier pack's are read back)."""

DISTRIBUTION_COLUMNS = ["survey", "year", "group", "question", "question_text", "scale", "code",
                        "label", "count", "n", "percent"]
GROUP_COLUMNS = ["survey", "year", "group", "respondents", "shown", "reason"]
CELL_COLUMNS = ["survey", "year", "group", "question", "n", "no_answer", "shown", "answered"]
NO_ANSWER_COUNT_COLUMNS = ["survey", "year", "group", "question", "label", "count"]
GENDER_COLUMNS = ["survey", "year", "group", "gender", "label", "respondents"]
