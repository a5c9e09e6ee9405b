"""The columns of the tables every stage passes on: the distributions and their groups,
cells, "vet ej" counts and kön (stats computes them; an earlier pack's are read back)."""

DISTRIBUTION_COLUMNS = ["survey", "year", "group", "question", "question_text", "scale", "code",
                        "label", "count", "n", "percent"]
GROUP_COLUMNS = ["survey", "year", "group", "respondents", "shown", "reason"]
CELL_COLUMNS = ["survey", "year", "group", "question", "n", "no_answer", "shown", "answered"]
NO_ANSWER_COUNT_COLUMNS = ["survey", "year", "group", "question", "label", "count"]
GENDER_COLUMNS = ["survey", "year", "group", "gender", "label", "respondents"]


def values(df, *names: str) -> zip:
    """The rows of `df`'s columns `names`, as tuples of Python values. A renderer reads a
    table's few columns this way: itertuples builds a namedtuple class and walks every
    column of the frame on each call, and a document calls it hundreds of times."""
    return zip(*(df[n].tolist() for n in names), strict=True)
