"""Words every stage prints alike: the group of all respondents and why a number is not
shown."""

ALL = "Alla"  # the group of all respondents of a survey and year
TOO_FEW = "för få svar"  # the verdict of anything that is not shown
HIDDEN = f"{TOO_FEW} (dold för att skydda svarandes anonymitet)"  # one reason for all
