package suggest

// Word lists for FindClaims, written as functions so the package keeps no
// mutable state. Arguments are lower-cased words.

type cueKind uint8

const (
	cueAssert cueKind = iota + 1 // said, confirmed, warned, …
	cueSource                    // according to (the speaker follows)
	cueDeny                      // denied, dismissed, rejected, refuted, …
	cueHedge                     // reportedly, is said to, …: the claim is a rumour
	cueRumour                    // rumours, unconfirmed reports: a rumour unless a verb says otherwise
)

type cue struct {
	words []string
	kind  cueKind
	// inverts is set for verbs that may come before their speaker after a
	// quotation: `"…," said the minister`.
	inverts bool
}

// cues lists the cue phrases. Longer phrases are tried first by the
// matcher, so "is said to" wins over "said" and "according to unconfirmed
// reports" over "according to".
func cues() []cue {
	c := func(kind cueKind, inverts bool, words ...string) cue { return cue{words, kind, inverts} }
	return []cue{
		c(cueHedge, false, "according", "to", "unconfirmed", "reports"),
		c(cueHedge, false, "is", "said", "to"),
		c(cueHedge, false, "are", "said", "to"),
		c(cueHedge, false, "was", "said", "to"),
		c(cueHedge, false, "were", "said", "to"),
		c(cueHedge, false, "is", "believed", "to"),
		c(cueHedge, false, "are", "believed", "to"),
		c(cueHedge, false, "is", "thought", "to"),
		c(cueHedge, false, "are", "thought", "to"),
		c(cueHedge, false, "is", "understood", "to"),
		c(cueHedge, false, "is", "rumoured", "to"),
		c(cueHedge, false, "is", "rumored", "to"),
		c(cueHedge, false, "reportedly"),
		c(cueHedge, false, "allegedly"),
		c(cueHedge, false, "purportedly"),
		c(cueHedge, false, "supposedly"),
		c(cueHedge, false, "rumoured"),
		c(cueHedge, false, "rumored"),
		c(cueRumour, false, "unconfirmed", "reports"),
		c(cueRumour, false, "unconfirmed", "report"),
		c(cueRumour, false, "unverified", "reports"),
		c(cueRumour, false, "rumours"),
		c(cueRumour, false, "rumour"),
		c(cueRumour, false, "rumors"),
		c(cueRumour, false, "rumor"),
		c(cueRumour, false, "speculation"),

		c(cueSource, false, "according", "to"),
		c(cueAssert, false, "told", "reporters"),
		c(cueAssert, false, "told", "journalists"),
		c(cueAssert, false, "told", "a", "news", "conference"),
		c(cueAssert, true, "said"),
		c(cueAssert, true, "says"),
		c(cueAssert, false, "say"),
		c(cueAssert, false, "saying"),
		c(cueAssert, false, "told"),
		c(cueAssert, false, "tells"),
		c(cueAssert, false, "announced"),
		c(cueAssert, false, "announces"),
		c(cueAssert, false, "confirmed"),
		c(cueAssert, false, "confirms"),
		c(cueAssert, true, "warned"),
		c(cueAssert, true, "warns"),
		c(cueAssert, true, "insisted"),
		c(cueAssert, true, "insists"),
		c(cueAssert, true, "claimed"),
		c(cueAssert, false, "claims"),
		c(cueAssert, false, "stated"),
		c(cueAssert, true, "added"),
		c(cueAssert, true, "argued"),
		c(cueAssert, false, "acknowledged"),
		c(cueAssert, false, "admitted"),
		c(cueAssert, true, "declared"),
		c(cueAssert, true, "stressed"),
		c(cueAssert, true, "noted"),
		c(cueAssert, true, "explained"),
		c(cueAssert, false, "maintained"),
		c(cueAssert, false, "vowed"),
		c(cueAssert, false, "pledged"),
		c(cueAssert, false, "alleged"),
		c(cueAssert, true, "asserted"),
		c(cueAssert, false, "revealed"),
		c(cueAssert, false, "reported"),
		c(cueAssert, true, "wrote"),
		c(cueAssert, false, "predicted"),

		c(cueDeny, false, "played", "down"),
		c(cueDeny, false, "denied"),
		c(cueDeny, false, "denies"),
		c(cueDeny, false, "deny"),
		c(cueDeny, false, "denying"),
		c(cueDeny, false, "dismissed"),
		c(cueDeny, false, "dismisses"),
		c(cueDeny, false, "dismiss"),
		c(cueDeny, false, "rejected"),
		c(cueDeny, false, "rejects"),
		c(cueDeny, false, "reject"),
		c(cueDeny, false, "refuted"),
		c(cueDeny, false, "refutes"),
		c(cueDeny, false, "refute"),
		c(cueDeny, false, "rebutted"),
		c(cueDeny, false, "disputed"),
		c(cueDeny, false, "disputes"),
		c(cueDeny, false, "downplayed"),
	}
}

// skippable words may stand between a speaker and the verb: "the ministry
// has since firmly denied", "Vålund on Monday told reporters".
func skippable(w string) bool {
	switch w {
	case "has", "have", "had", "was", "were", "is", "are", "be", "been", "would", "will", "could",
		"did", "does", "do", "not", "never", "also", "later", "earlier", "again", "then", "once",
		"since", "still", "yesterday", "today", "tonight", "didn", "doesn", "don", "hasn", "haven",
		"hadn", "wasn", "weren", "isn", "aren", "won", "wouldn", "couldn", "t", "swiftly":
		return true
	}
	return false
}

// negation words make a denial verb a non-denial: "did not deny".
func negation(w string) bool {
	switch w {
	case "not", "never", "nor", "neither", "t":
		return true
	}
	return false
}

// stopword lists words that, even capitalised, never belong to a speaker's
// name: sentence openers, prepositions, pronouns, days and months.
func stopword(w string) bool {
	switch w {
	case "but", "and", "or", "however", "meanwhile", "still", "yet", "so", "then", "in", "on",
		"at", "after", "before", "when", "while", "although", "though", "because", "since",
		"if", "as", "also", "asked", "speaking", "later", "earlier", "that", "this", "there",
		"here", "why", "what", "how", "where", "despite", "during", "for", "with", "without",
		"under", "over", "from", "to", "by", "of", "it", "we", "i", "you", "he", "she", "they",
		"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
		"yesterday", "tomorrow", "january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december", "according", "last", "next",
		"instead", "now", "thus", "indeed", "nevertheless", "separately", "elsewhere", "which",
		"who", "whose", "not", "no", "yes", "one", "all":
		return true
	}
	return false
}

func pronoun(w string) bool {
	switch w {
	case "he", "she", "they", "it", "we", "i":
		return true
	}
	return false
}

// determiner words open a noun phrase: "the ministry", "two officials".
func determiner(w string) bool {
	switch w {
	case "the", "a", "an", "its", "his", "her", "their", "our", "these", "those", "two", "three",
		"four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "several",
		"some", "many", "few", "both", "other", "another", "most", "dozens", "hundreds", "thousands":
		return true
	}
	return false
}

// connector words join the parts of a speaker's description: "a
// spokeswoman for the ministry", "the head of the army".
func connector(w string) bool {
	switch w {
	case "of", "for", "at", "from", "with":
		return true
	}
	return false
}

// particle words appear inside personal names: "Ursula von der Leyen".
func particle(w string) bool {
	switch w {
	case "von", "van", "der", "den", "de", "del", "della", "di", "da", "du", "le", "la", "al",
		"el", "bin", "ibn", "ben", "ter", "ten", "dos", "das", "y":
		return true
	}
	return false
}

// speakerWord lists lower-case words that describe speakers: heads ("the
// ministry", "officials") and their modifiers ("senior", "foreign").
func speakerWord(w string) bool {
	switch w {
	case "minister", "ministers", "ministry", "ministries", "official", "officials", "spokesman",
		"spokeswoman", "spokesperson", "spokespeople", "spokesmen", "spokeswomen",
		"representative", "representatives", "government", "governments", "police", "prosecutor",
		"prosecutors", "president", "prime", "premier", "chancellor", "department", "office",
		"agency", "authorities", "authority", "army", "military", "navy", "company", "firm",
		"source", "sources", "diplomat", "diplomats", "analyst", "analysts", "expert", "experts",
		"witness", "witnesses", "resident", "residents", "lawyer", "lawyers", "attorney", "judge",
		"judges", "court", "council", "party", "campaign", "aide", "aides", "adviser", "advisers",
		"advisor", "advisors", "leader", "leaders", "secretary", "general", "director", "chief",
		"head", "mayor", "governor", "senator", "embassy", "regulator", "bank", "board", "union",
		"committee", "newspaper", "broadcaster", "officer", "officers", "doctors", "medics",
		"activists", "organisers", "organizers", "group", "people", "member", "members",
		"colleague", "colleagues", "team", "statement", "report", "reports", "media", "agencies",
		"state", "foreign", "interior", "defence", "defense", "finance", "health", "justice",
		"economy", "trade", "senior", "junior", "top", "local", "regional", "national", "federal",
		"former", "deputy", "acting", "central", "unnamed", "anonymous", "opposition", "rebel",
		"rebels", "security", "intelligence", "news", "public", "chair", "chairman", "chairwoman",
		"ceo", "executive", "executives", "staff", "employees", "investigators", "scientists",
		"researchers", "spokes", "unconfirmed":
		return true
	}
	return false
}

func monthName(w string) bool {
	switch w {
	case "january", "february", "march", "april", "may", "june", "july", "august", "september",
		"october", "november", "december":
		return true
	}
	return false
}
