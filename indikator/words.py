"""Words every stage prints alike: the group of all respondents, why a number is not
shown, and the verdicts. One vocabulary for charts, tables, texts, workbook and web
page; VOCABULARY says what each verdict means, for the method section and docs/statistik.md."""

ALL = "Alla"  # the group of all respondents of a survey and year
TOO_FEW = "för få svar"  # the verdict of anything that is not shown
HIDDEN = f"{TOO_FEW} (dold för att skydda svarandes anonymitet)"  # one reason for all

MARGIN = "felmarginal"  # the (confidence) interval, as a board member knows it from polls

# this year against last year (analysis.compare)
IMPROVED = "säker förbättring"
WORSENED = "säker försämring"
NO_CLEAR_CHANGE = "ingen säker förändring"
NOT_COMPARABLE = "kan inte jämföras"
# the förbund against another (analysis.forbund)
HIGHER = "säkert högre"
LOWER = "säkert lägre"
NO_CLEAR_DIFFERENCE = "ingen säker skillnad"
# a goal (analysis.goals)
MET = "uppfyllt"
NOT_MET = "inte uppfyllt"
MET_UNSURE = "nått, men inom felmarginalen"  # the target lies inside the value's interval
NOT_MET_UNSURE = "inte nått, men inom felmarginalen"
NOT_MEASURED = "inte mätt"

VOCABULARY: dict[str, str] = {
    IMPROVED: "andelen positiva svar ökade, och hela felmarginalen för förändringen ligger "
              "över noll",
    WORSENED: "andelen positiva svar minskade, och hela felmarginalen ligger under noll",
    NO_CLEAR_CHANGE: "felmarginalen rymmer noll: skillnaden mot i fjol kan vara slump, och "
                     "det går inte att avgöra om något har förändrats",
    NOT_COMPARABLE: "frågans text eller skala har ändrats mellan åren",
    HIGHER: "förbundets andel är högre, och hela felmarginalen för skillnaden ligger över noll",
    LOWER: "förbundets andel är lägre, och hela felmarginalen ligger under noll",
    NO_CLEAR_DIFFERENCE: "felmarginalen för skillnaden rymmer noll: det går inte att avgöra "
                         "vilken som är högst",
    MET: "hela felmarginalen ligger på rätt sida om målnivån",
    MET_UNSURE: "årets värde når målnivån, men målnivån ligger inom felmarginalen; med andra "
                "svarande kunde det ha blivit tvärtom",
    NOT_MET_UNSURE: "årets värde når inte målnivån, men målnivån ligger inom felmarginalen",
    NOT_MET: "hela felmarginalen ligger på fel sida om målnivån",
    NOT_MEASURED: "det målet gäller (enkäten, gruppen eller frågan, eller för ett mål mot "
                  "förra året fjolårets svar) finns inte bland svaren",
    TOO_FEW: "för få svarande för att visa eller jämföra siffran utan att riskera att "
             "enskilda pekas ut",
}
