"""Word lists the attribution rules and enrichment share.

They are lemmas (spaCy ``token.lemma_``, lower-cased) chosen from the speech verbs that dominate
news attribution (the most frequent PolNeAR cues are say, tell, according to, note, add, write,
report, claim, argue, warn) plus the verbs of accusation and denial the trail stage needs. Lists are
frozensets so that a lookup costs nothing per token.
"""

from __future__ import annotations

# Verbs that, with a subject and a clausal complement, make a reliable attribution on their own.
# Ambiguous lemmas ("show", "want", "approve", "find") are left to the trained model on purpose.
SPEECH_VERBS = frozenset(
    """say tell reveal report announce state add note write explain confirm declare claim allege
    insist stress emphasize emphasise assert maintain mention indicate disclose inform acknowledge
    admit testify tweet recall recount reiterate affirm assure remark comment reply respond answer
    argue believe think contend suggest reckon opine predict expect warn forecast anticipate caution
    vow promise pledge threaten accuse blame charge deny refute rebut dispute dismiss reject
    complain concede estimate speculate fear hope doubt""".split()
)

# Stance of the source toward its content, from the cue lemma.
ACCUSE = frozenset("accuse blame charge allege condemn denounce criticize criticise slam blast fault".split())
DENY = frozenset("deny refute rebut dispute disavow debunk dismiss".split())
# "reject" only denies when aimed at a claim ("rejected the reports as false").
DENY_IF_CLAIM_OBJECT = frozenset("reject".split())
OPINION = frozenset("argue believe think feel contend consider suggest reckon opine doubt fear hope".split())
PREDICT = frozenset("predict expect warn forecast anticipate foresee project vow promise pledge threaten caution".split())

# Verbs of doing, not of saying or thinking: "Audi will offer the car in blue", "police released
# a video", "the council voted for the plan", "he declined to comment". The span model tags some
# (PolNeAR labels acts of its sources now and then); they are kept for its evaluation and left out
# of the claims. Verbs that also introduce speech ("continue", "agree", "share", "show", "find")
# are not here.
ACT_VERBS = frozenset(
    """offer decide vote block allow compare launch implement prohibit target intensify repel pound
    choose proceed feature introduce surprise unveil use veto tout balk explore release thank
    decline hit kill attack seize capture shell bomb""".split()
)

# Nouns naming a claim: the object of "rejected"/"dismissed" that makes it a denial.
CLAIM_NOUNS = frozenset(
    """claim allegation report accusation charge rumor rumour story assertion statement suggestion
    speculation""".split()
)
# Words that turn "called it X" / "rejected ... as X" into a denial.
FALSEHOOD_WORDS = frozenset(
    """false untrue baseless groundless unfounded misinformation disinformation lie lies fake
    fabrication fabricated fabrications hoax nonsense propaganda absurd ridiculous slander
    fiction fantasy""".split()
)

# Hedges the writer adds: words that distance the writer from what the source says.
HEDGES = frozenset(
    """supposed supposedly alleged allegedly reportedly purported purportedly so-called apparently
    unconfirmed unverified claimed rumored rumoured ostensibly""".split()
)
# Cue lemmas whose choice by the writer is itself a hedge ("claims" instead of "says").
HEDGING_CUES = frozenset("claim allege purport".split())

# Generic audiences: "told reporters" names no relay worth following.
AUDIENCE_NOUNS = frozenset(
    """reporter journalist press audience crowd supporter listener viewer reader lawmaker
    member people attendee delegate student""".split()
)

# --- source kinds -------------------------------------------------------------------------------

# "agency" alone is not here: "the International Atomic Energy Agency" is no outlet, a news agency is.
OUTLET_NOUNS = frozenset(
    """newspaper paper outlet channel broadcaster television tv radio daily weekly website
    magazine station news tabloid newswire wire portal""".split()
)
# Words in a proper name that mark a news organisation ("The Post", "Al-Alam TV", "Associated Press").
OUTLET_NAME_WORDS = frozenset(
    """news times post herald gazette tribune journal daily tv radio press telegraph guardian
    chronicle observer express mirror courier""".split()
)
# Wire services and broadcasters named without any of the words above. A starting point only:
# the resolve stage's registry knows the real list; this just types them before it runs.
KNOWN_OUTLETS = frozenset(
    """reuters afp ap tass xinhua interfax ria bbc cnn rt bloomberg politico axios anadolu
    yonhap kyodo irna isna efe ansa dpa""".split()
)
# Plural or mass nouns for several outlets at once ("Russian state-run media").
OUTLET_GROUP_NOUNS = frozenset("media press outlet newspaper channel broadcaster".split())
GOVERNMENT_NOUNS = frozenset(
    """government ministry minister army military force forces police authority authorities
    official spokesman spokeswoman spokesperson president premier chancellor ambassador embassy
    parliament senate congress kremlin pentagon department administration command commander
    governor mayor cabinet regime prosecutor court general defence defense interior""".split()
)
# Institution nouns that are a government body when a country or nationality qualifies them
# ("the Russian center for ..."), and an organisation otherwise.
INSTITUTION_NOUNS = frozenset(
    "center centre committee commission council service office directorate bureau agency".split()
)
ORGANIZATION_NOUNS = frozenset(
    """observatory organization organisation group foundation institute ngo charity watch union
    association federation coalition alliance company firm corporation bank university monitor
    network campaign movement party front council society""".split()
)
ANONYMOUS_HEADS = frozenset(
    "source insider official diplomat officer aide person someone informant whistleblower".split()
)
VAGUE_HEADS = frozenset(
    """report reports rumor rumour word speculation media internet some others many observer
    account accounts""".split()
)
GROUP_HEADS = frozenset(
    """activist resident witness local protester protestor people villager citizen refugee rebel
    militant fighter expert analyst critic supporter opponent doctor medic worker volunteer
    eyewitness survivor farmer student teacher family relative neighbor neighbour soldier
    lawmaker legislator""".split()
)
PERSON_NOUNS = frozenset(
    """man woman spokesman spokeswoman spokesperson minister president leader chief director
    commander activist analyst expert doctor witness resident journalist correspondent reporter
    professor author chairman chairwoman editor lawyer coach player priest bishop imam owner
    founder ceo executive manager researcher scientist economist historian driver mother father
    son daughter wife husband friend neighbor neighbour pilot nurse surgeon""".split()
)
PERSON_PRONOUNS = frozenset("he she i we you him her me us".split())
# Head nouns of people and bodies that can say something ("the ministry", "residents", "a spokesman").
SPEAKER_NOUNS = (PERSON_NOUNS | GROUP_HEADS | ANONYMOUS_HEADS | GOVERNMENT_NOUNS | ORGANIZATION_NOUNS
                 | INSTITUTION_NOUNS | OUTLET_NOUNS)
# Leading words that are not part of a source's name ("the", "many", "several").
LEADING_NOISE = frozenset("the a an many some several numerous most few various also even".split())

# --- channels -----------------------------------------------------------------------------------

# Nouns of a setting that names a relay: "in an interview with X", "in a statement to X".
SETTING_NOUNS = frozenset("interview statement comment comments remark remarks conversation".split())
# Verbs whose "to"/"with" object is the relay: "speaking to X", "talking with X".
CONTACT_VERBS = frozenset("speak talk".split())
CITING_VERBS = frozenset("cite quote".split())
# "X has received reports from Y that Z": a monitor or agency passing on what Y told it. The verb
# and a noun of information make the cue; Y is the source and X the channel.
RECEIVING_VERBS = frozenset("receive obtain get".split())
INFORMATION_NOUNS = frozenset(
    """report information account word testimony confirmation indication news""".split()
)
# Verbs of appeal: "X calls on Y to disclose ...", "X urged an investigation". What is asked for is
# not a statement anyone could repeat or deny; PolNeAR labels such relations, so they stay in the
# relations (and its evaluation) and are left out of the claims. "call" is one only with "on"/"for"
# ("called it a fabrication" is a denial).
APPEAL_VERBS = frozenset("urge appeal implore exhort plead demand".split())
APPEAL_PARTICLES = {"call": frozenset("on upon for".split())}
