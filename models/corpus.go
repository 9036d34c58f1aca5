package models

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"newsgloss/richtext"
)

// A synthetic corpus for measuring search (and listing) speed at scale:
// articles of a few hundred to a few thousand words whose vocabulary follows
// Zipf's law, grouped in topics, with set phrases and entity names, plus
// outlets, tags, claims with their quotes, events and notes in proportion.
// It is written with multi-row inserts in large transactions; the search
// triggers index every row as the application's own writes do.

// CorpusOptions size a generated corpus.
type CorpusOptions struct {
	Articles  int    // how many articles; the rest is in proportion
	Seed      uint64 // the same seed gives the same corpus
	BatchSize int    // articles per transaction (default 1000)
}

// CorpusReport counts what was generated.
type CorpusReport struct {
	Articles, Words, Claims, Mentions, Events, Annotations, Entities, Outlets, Tags int
}

// corpusFunctionWords are the commonest words of news English, commonest first.
var corpusFunctionWords = strings.Fields(`the of and to a in that is was for on said with he it as at by from his be have has are not
but an they this which were had their been will would who after its or more she about than we one also there when up two her new
last out year into over could them some all what people other no can only first if time three under before while most against
since during between because where those such both any many these week month day years officials told statement according`)

// corpusNewsWords are common words of news writing on any subject.
var corpusNewsWords = strings.Fields(`government country minister president state police city report public national security
party support group plan law local former million percent news leader house power world family company money office region
north south east west capital official agency council ministry committee decision policy issue process situation system
force deal meeting visit announcement interview reporters sources spokesman director chief head member citizens residents
workers children women life killed injured building road water food fuel oil cost price billion dollars weeks months today
yesterday morning evening night early late next several major large small high low long short open close free full final
recent main local foreign senior private central general political economic social military public international`)

// corpusTopics are groups of content words that articles on one subject use together.
var corpusTopics = [][]string{
	strings.Fields("election vote ballot campaign candidate turnout polling parliament seats coalition opposition majority constituency referendum"),
	strings.Fields("ceasefire troops military border missile attack defence army soldiers drone shelling offensive frontline artillery"),
	strings.Fields("inflation economy budget deficit growth prices bank rates currency recession unemployment wages taxes exports"),
	strings.Fields("talks summit negotiations diplomats agreement treaty delegation envoy embassy sanctions dialogue accord mediation"),
	strings.Fields("court judge trial verdict appeal lawyers prosecutors charges ruling sentence testimony jury acquittal indictment"),
	strings.Fields("climate emissions drought flooding heatwave wildfire rainfall carbon energy renewable coal pipeline glacier storm"),
	strings.Fields("hospital vaccine outbreak patients doctors infection virus clinic surgery nurses pandemic medicine epidemic"),
	strings.Fields("police arrest protest demonstrators riot curfew investigation suspects crackdown detained raid shooting"),
	strings.Fields("fishing harbour vessels coastguard shoals maritime ferry port trawlers quota navy strait islands"),
	strings.Fields("school teachers students university exams curriculum tuition classrooms pupils graduates scholarship"),
	strings.Fields("refugees migrants asylum camp shelter humanitarian aid convoy famine evacuation displaced relief"),
	strings.Fields("technology internet software hackers cyberattack data privacy platform startup satellite telecom broadband"),
	strings.Fields("football tournament championship match coach stadium league players goal season final medal"),
	strings.Fields("corruption bribery scandal resignation audit embezzlement whistleblower inquiry ethics lobbying"),
	strings.Fields("housing rent mortgage construction tenants eviction homelessness developers zoning landlords"),
	strings.Fields("farmers harvest wheat fertiliser livestock irrigation crops grain drought subsidies cattle"),
}

// corpusPhrases are set phrases written as neighbouring words, so phrase
// searches have something realistic to find.
var corpusPhrases = []string{"prime minister", "foreign minister", "central bank", "human rights", "climate change",
	"interest rates", "peace talks", "trade deal", "supreme court", "election campaign", "state media", "security forces",
	"opposition leader", "finance ministry", "press conference", "national assembly"}

// CorpusQueries are the searches the benchmark times on a generated corpus:
// common words, pairs and triples from one topic, and set phrases.
func CorpusQueries() map[string][]string {
	return map[string][]string{
		"one word": {"election", "ceasefire", "inflation", "summit", "court", "hospital", "protest", "harbour",
			"refugees", "football", "corruption", "housing", "farmers", "emissions", "vaccine", "teachers"},
		"two words": {"election coalition", "ceasefire troops", "inflation budget", "summit treaty", "court appeal",
			"hospital vaccine", "police protest", "harbour ferry", "refugees camp", "climate drought", "officials election",
			"parliament vote", "border drone", "bank currency", "trial jury", "wildfire storm"},
		"three words": {"election coalition turnout", "ceasefire troops border", "inflation budget deficit",
			"summit treaty delegation", "court appeal ruling", "hospital vaccine outbreak", "police protest arrest",
			"harbour ferry port", "refugees camp aid", "climate drought wildfire", "parliament vote majority",
			"missile attack drone", "bank rates currency", "trial jury verdict", "students exams university", "data privacy hackers"},
		"phrase": {`"prime minister"`, `"foreign minister"`, `"central bank"`, `"human rights"`, `"climate change"`,
			`"interest rates"`, `"peace talks"`, `"trade deal"`, `"supreme court"`, `"election campaign"`, `"state media"`,
			`"security forces"`, `"opposition leader"`, `"finance ministry"`, `"press conference"`, `"national assembly"`},
	}
}

// corpusGen makes the text. It holds the random source and the vocabulary.
type corpusGen struct {
	r        *rand.Rand
	vocab    []string // ranked, commonest first
	zipf     *rand.Zipf
	entities []string // names that appear in the text
}

var corpusSyllables = strings.Fields("ka ri ta mo len dar vi sol ne bra tu mar el os pan ge lo ru fen al der ist ve han bo ki sa or")

func (g *corpusGen) pseudoWord(minSyl, maxSyl int) string {
	n := minSyl + g.r.IntN(maxSyl-minSyl+1)
	var b strings.Builder
	for range n {
		b.WriteString(corpusSyllables[g.r.IntN(len(corpusSyllables))])
	}
	return b.String()
}

func newCorpusGen(seed uint64) *corpusGen {
	g := &corpusGen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	seen := map[string]bool{}
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			g.vocab = append(g.vocab, w)
		}
	}
	for _, w := range corpusFunctionWords {
		add(w)
	}
	// General news words among made-up ones of the same rank.
	for _, w := range corpusNewsWords {
		add(w)
		for range 3 {
			add(g.pseudoWord(2, 3))
		}
	}
	for len(g.vocab) < 1200 {
		add(g.pseudoWord(2, 3))
	}
	// Topic words from rank 1,200 on, one in eight: outside their topic
	// they are occasional, so each is in some 5–15 % of articles.
	for i := 0; ; i++ {
		added := false
		for _, t := range corpusTopics {
			if i < len(t) && !seen[t[i]] {
				add(t[i])
				for range 7 {
					add(g.pseudoWord(2, 4))
				}
				added = true
			}
		}
		if !added {
			break
		}
	}
	for len(g.vocab) < 30_000 {
		add(g.pseudoWord(2, 4))
	}
	g.zipf = rand.NewZipf(g.r, 1.07, 2, uint64(len(g.vocab)-1))
	return g
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// sentence writes one sentence of n words about a topic.
func (g *corpusGen) sentence(topic int, n int) string {
	words := make([]string, 0, n+2)
	for len(words) < n {
		switch x := g.r.Float64(); {
		case x < 0.002:
			words = append(words, strings.Fields(corpusPhrases[g.r.IntN(len(corpusPhrases))])...)
		case x < 0.006 && len(g.entities) > 0:
			words = append(words, strings.Fields(g.entities[g.r.IntN(len(g.entities))])...)
		case x < 0.05:
			t := corpusTopics[topic]
			words = append(words, t[g.r.IntN(len(t))])
		default:
			words = append(words, g.vocab[g.zipf.Uint64()])
		}
	}
	words[0] = capitalise(words[0])
	if n > 10 && g.r.IntN(3) == 0 {
		words[n/2] += ","
	}
	return strings.Join(words, " ") + "."
}

// body writes an article of about n words in paragraphs; it returns the
// Markdown source and its sentences (for quotes).
func (g *corpusGen) body(topic, n int) (string, []string) {
	var paras []string
	var sentences []string
	words := 0
	for words < n {
		var p []string
		for range 2 + g.r.IntN(4) {
			k := 8 + g.r.IntN(18)
			s := g.sentence(topic, k)
			p = append(p, s)
			sentences = append(sentences, s)
			words += k
		}
		paras = append(paras, strings.Join(p, " "))
	}
	return strings.Join(paras, "\n\n"), sentences
}

// articleWords draws an article length: mostly a few hundred words, some
// a few thousand (a log-normal, cut to 250–3,500).
func (g *corpusGen) articleWords() int {
	n := int(math.Exp(6.55 + 0.6*g.r.NormFloat64()))
	return max(250, min(n, 3500))
}

func (g *corpusGen) title(topic int) string {
	s := g.sentence(topic, 6+g.r.IntN(7))
	return strings.TrimSuffix(strings.ReplaceAll(s, ",", ""), ".")
}

// rowInserter gathers rows for one table and writes them in multi-row INSERTs.
type rowInserter struct {
	table string
	cols  []string
	rows  [][]any
}

// sqliteMaxParams is SQLite's limit on bound parameters in one statement
// (PostgreSQL's is 65,535).
const sqliteMaxParams = 32_000

func (ri *rowInserter) add(vals ...any) { ri.rows = append(ri.rows, vals) }

func (ri *rowInserter) flush(tx *gorm.DB) error {
	per := sqliteMaxParams / len(ri.cols)
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(ri.cols)), ",") + ")"
	for start := 0; start < len(ri.rows); start += per {
		end := min(start+per, len(ri.rows))
		var b strings.Builder
		b.WriteString("INSERT INTO " + ri.table + " (" + strings.Join(ri.cols, ", ") + ") VALUES ")
		args := make([]any, 0, (end-start)*len(ri.cols))
		for i, row := range ri.rows[start:end] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(one)
			args = append(args, row...)
		}
		if err := tx.Exec(b.String(), args...).Error; err != nil {
			return fmt.Errorf("insert into %s: %w", ri.table, err)
		}
	}
	ri.rows = ri.rows[:0]
	return nil
}

func nextID(tx *gorm.DB, table string) (uint, error) {
	var n uint
	err := tx.Raw("SELECT COALESCE(MAX(id), 0) + 1 FROM " + table).Scan(&n).Error
	return n, err
}

// syncIdentities moves PostgreSQL's identity sequences of tables past the ids
// the generator wrote itself, so that the application's own inserts that
// follow (or a later batch's nextID) do not collide with them. SQLite's
// rowids need nothing.
func (s *Store) syncIdentities(tx *gorm.DB, tables ...string) error {
	if s.dialect != Postgres {
		return nil
	}
	for _, t := range tables {
		err := tx.Exec("SELECT setval(pg_get_serial_sequence(?, 'id'), GREATEST(m, 1), m > 0) FROM (SELECT COALESCE(MAX(id), 0) AS m FROM "+t+") x", t).Error
		if err != nil {
			return fmt.Errorf("move the id sequence of %s: %w", t, err)
		}
	}
	return nil
}

// GenerateCorpus adds a synthetic corpus to the database, reporting progress
// after each transaction. The accounts it adds (a corpus editor and
// fact-checkers) have no password and cannot sign in.
func (s *Store) GenerateCorpus(ctx context.Context, opts CorpusOptions, progress func(done, total int)) (*CorpusReport, error) {
	if opts.Articles <= 0 {
		return nil, fmt.Errorf("generate corpus: want at least one article")
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 1000
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	g := newCorpusGen(opts.Seed)
	rep := &CorpusReport{}
	now := s.nowUTC()
	start := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	span := now.Sub(start)

	// Outlets, accounts, entities and tags first, in one transaction.
	type entity struct {
		id   uint
		kind EntityKind
	}
	var outletIDs, userIDs []uint
	var people, places []entity
	var tagIDs []uint
	err := s.inTx(ctx, func(tx *gorm.DB) error {
		id, err := nextID(tx, "outlets")
		if err != nil {
			return err
		}
		outlets := rowInserter{table: "outlets", cols: []string{"id", "name", "slug", "home_url", "created_at"}}
		rep.Outlets = max(5, min(60, opts.Articles/1500))
		for i := range rep.Outlets {
			name := fmt.Sprintf("%s %s %d", capitalise(g.pseudoWord(2, 3)), []string{"Times", "Herald", "Wire", "Post", "Courier", "Ledger", "Observer"}[i%7], id)
			outlets.add(id, name, Slugify(name), "https://"+Slugify(name)+".example", now)
			outletIDs = append(outletIDs, id)
			id++
		}
		if err := outlets.flush(tx); err != nil {
			return err
		}
		uid, err := nextID(tx, "users")
		if err != nil {
			return err
		}
		users := rowInserter{table: "users", cols: []string{"id", "email", "name", "password_hash", "role", "created_at", "updated_at"}}
		for i := range 6 {
			role := RoleFactChecker
			if i == 0 {
				role = RoleEditor
			}
			users.add(uid, fmt.Sprintf("corpus-%d-%d@corpus.invalid", uid, i), fmt.Sprintf("Corpus %s %d", role.Label(), i), "!", string(role), now, now)
			userIDs = append(userIDs, uid)
			uid++
		}
		if err := users.flush(tx); err != nil {
			return err
		}

		eid, err := nextID(tx, "entities")
		if err != nil {
			return err
		}
		ents := rowInserter{table: "entities", cols: []string{"id", "kind", "name", "slug", "description", "created_at", "updated_at"}}
		aliases := rowInserter{table: "entity_aliases", cols: []string{"entity_id", "alias", "alias_key"}}
		rep.Entities = max(50, opts.Articles/50)
		for i := range rep.Entities {
			kind := EntityKinds()[i%3]
			var name string
			switch kind {
			case EntityPerson:
				name = capitalise(g.pseudoWord(2, 3)) + " " + capitalise(g.pseudoWord(2, 3))
			case EntityOrganisation:
				name = []string{"Ministry of", "Council of", "Party of", "Bank of", "Union of"}[g.r.IntN(5)] + " " + capitalise(g.pseudoWord(2, 3))
			default:
				name = capitalise(g.pseudoWord(2, 4))
			}
			name = fmt.Sprintf("%s %d", name, eid) // unique, and its slug too
			ents.add(eid, string(kind), name, Slugify(name), "A "+string(kind)+" in the generated corpus.", now, now)
			aliases.add(eid, name, aliasKey(name))
			if g.r.IntN(3) == 0 {
				alias := strings.ToUpper(name[:1]) + ". " + name
				aliases.add(eid, alias, aliasKey(alias))
			}
			e := entity{eid, kind}
			if kind == EntityPlace {
				places = append(places, e)
			} else {
				people = append(people, e)
			}
			if i < 400 {
				g.entities = append(g.entities, name)
			}
			eid++
		}
		if err := ents.flush(tx); err != nil {
			return err
		}
		if err := aliases.flush(tx); err != nil {
			return err
		}

		tid, err := nextID(tx, "tags")
		if err != nil {
			return err
		}
		tags := rowInserter{table: "tags", cols: []string{"id", "name", "slug"}}
		rep.Tags = max(20, min(400, opts.Articles/250))
		for i := range rep.Tags {
			topic := corpusTopics[i%len(corpusTopics)]
			name := fmt.Sprintf("%s %d", topic[(i/len(corpusTopics))%len(topic)], tid)
			tags.add(tid, name, Slugify(name))
			tagIDs = append(tagIDs, tid)
			tid++
		}
		if err := tags.flush(tx); err != nil {
			return err
		}
		return s.syncIdentities(tx, "outlets", "users", "entities", "tags")
	})
	if err != nil {
		return nil, fmt.Errorf("generate corpus: %w", err)
	}

	// Articles with what depends on them, a batch per transaction.
	type published struct {
		id        uint
		text      string
		sentences []string
		at        time.Time
	}
	articleCols := []string{"id", "outlet_id", "title", "byline", "source_url", "published_at", "status", "retraction_note",
		"body_format", "body_source", "body_html", "body_text", "version", "created_by_id", "created_at", "updated_at", "deleted_at"}
	revisionCols := []string{"article_id", "number", "outlet_id", "title", "byline", "source_url", "published_at", "status",
		"retraction_note", "body_format", "body_source", "body_html", "body_text", "summary", "author_id", "created_at"}
	for done := 0; done < opts.Articles; {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		n := min(opts.BatchSize, opts.Articles-done)
		err := s.inTx(ctx, func(tx *gorm.DB) error {
			aid, err := nextID(tx, "articles")
			if err != nil {
				return err
			}
			cid, err := nextID(tx, "claims")
			if err != nil {
				return err
			}
			evid, err := nextID(tx, "events")
			if err != nil {
				return err
			}
			nid, err := nextID(tx, "annotations")
			if err != nil {
				return err
			}
			articles := rowInserter{table: "articles", cols: articleCols}
			revisions := rowInserter{table: "article_revisions", cols: revisionCols}
			claims := rowInserter{table: "claims", cols: []string{"id", "claimant_id", "said_on", "said_sort", "restatement", "stance", "created_by_id", "created_at", "updated_at"}}
			claimTags := rowInserter{table: "claim_tags", cols: []string{"claim_id", "tag_id"}}
			events := rowInserter{table: "events", cols: []string{"id", "title", "starts_on", "starts_sort", "status", "place_id", "created_by_id", "created_at", "updated_at"}}
			eventTags := rowInserter{table: "event_tags", cols: []string{"event_id", "tag_id"}}
			participants := rowInserter{table: "event_participants", cols: []string{"event_id", "entity_id"}}
			mentions := rowInserter{table: "mentions", cols: []string{"article_id", "claim_id", "event_id", "quote_exact", "quote_prefix", "quote_suffix",
				"position_start", "position_end", "made_on_revision", "anchor_revision", "anchor_status", "anchor_start", "anchor_end", "created_by_id", "created_at"}}
			notes := rowInserter{table: "annotations", cols: []string{"id", "article_id", "author_id", "motivation", "body_source", "body_html",
				"visibility", "made_on_revision", "anchor_revision", "anchor_status", "created_at", "updated_at"}}
			noteEdits := rowInserter{table: "annotation_edits", cols: []string{"annotation_id", "version", "motivation", "body_source", "visibility", "replies_open", "editor_id", "created_at"}}

			var batch []published
			editor := userIDs[0]
			for range n {
				topic := g.r.IntN(len(corpusTopics))
				source, sentences := g.body(topic, g.articleWords())
				html, err := s.renderer.Render(richtext.FormatMarkdown, source)
				if err != nil {
					return fmt.Errorf("render a generated article: %w", err)
				}
				text := richtext.PlainText(html)
				at := start.Add(time.Duration(g.r.Int64N(int64(span)))).Truncate(time.Minute)
				status, pubAt := StatusPublished, &at
				var deleted *time.Time
				switch x := g.r.IntN(100); {
				case x < 4:
					status, pubAt = StatusDraft, nil
				case x < 7:
					status = StatusRetracted
				case x < 9:
					deleted = &now
				}
				note := ""
				if status == StatusRetracted {
					note = "The article was withdrawn by its outlet."
				}
				title := g.title(topic)
				outlet := outletIDs[g.r.IntN(len(outletIDs))]
				byline := "By " + capitalise(g.pseudoWord(2, 3)) + " " + capitalise(g.pseudoWord(2, 3))
				url := fmt.Sprintf("https://corpus.example/%d/%s", aid, Slugify(title))
				articles.add(aid, outlet, title, byline, url, pubAt, string(status), note, "markdown", source, html, text, 1, editor, at, at, deleted)
				revisions.add(aid, 1, outlet, title, byline, url, pubAt, string(status), note, "markdown", source, html, text, "First version", editor, at)
				rep.Words += len(strings.Fields(text))
				if status.Public() && deleted == nil {
					batch = append(batch, published{aid, text, sentences, at})
				}
				aid++
			}
			if err := articles.flush(tx); err != nil {
				return err
			}
			if err := revisions.flush(tx); err != nil {
				return err
			}

			mention := func(a published, claimID, eventID *uint) {
				q := a.sentences[g.r.IntN(len(a.sentences))]
				i := strings.Index(a.text, q)
				if i < 0 {
					return
				}
				startRune := utf8.RuneCountInString(a.text[:i])
				endRune := startRune + utf8.RuneCountInString(q)
				runes := []rune(a.text)
				prefix := string(runes[max(0, startRune-32):startRune])
				suffix := string(runes[endRune:min(len(runes), endRune+32)])
				mentions.add(a.id, claimID, eventID, q, prefix, suffix, startRune, endRune, 1, 1, "exact", startRune, endRune, editor, a.at)
				rep.Mentions++
			}
			for i, a := range batch {
				if g.r.IntN(5) == 0 && len(people) > 0 { // a claim in one article in five
					id := cid
					said := a.at.Truncate(24 * time.Hour)
					claimant := people[g.r.IntN(len(people))].id
					restatement := g.sentence(g.r.IntN(len(corpusTopics)), 8+g.r.IntN(7))
					stance := Stances()[g.r.IntN(3)]
					claims.add(id, claimant, said.Format("2006-01-02"), said, restatement, string(stance), editor, a.at, a.at)
					claimTags.add(id, tagIDs[g.r.IntN(len(tagIDs))])
					mention(a, &id, nil)
					for range g.r.IntN(3) { // reported again by other articles of the batch
						mention(batch[g.r.IntN(len(batch))], &id, nil)
					}
					cid++
					rep.Claims++
				}
				if i%20 == 0 && len(places) > 0 { // an event in one article in twenty
					id := evid
					day := a.at.Truncate(24 * time.Hour)
					events.add(id, g.title(g.r.IntN(len(corpusTopics))), day.Format("2006-01-02"), day,
						string(EventStatuses()[g.r.IntN(len(EventStatuses()))]), places[g.r.IntN(len(places))].id, editor, a.at, a.at)
					eventTags.add(id, tagIDs[g.r.IntN(len(tagIDs))])
					seen := map[uint]bool{}
					for range 1 + g.r.IntN(3) {
						p := people[g.r.IntN(len(people))].id
						if !seen[p] {
							seen[p] = true
							participants.add(id, p)
						}
					}
					mention(a, nil, &id)
					evid++
					rep.Events++
				}
				if g.r.IntN(4) == 0 { // a note on one article in four
					body := g.sentence(g.r.IntN(len(corpusTopics)), 12+g.r.IntN(40))
					vis := VisibilityPublic
					switch x := g.r.IntN(20); {
					case x < 3:
						vis = VisibilityStaff
					case x < 4:
						vis = VisibilityPrivate
					}
					author := userIDs[1+g.r.IntN(len(userIDs)-1)]
					notes.add(nid, a.id, author, string(MotivationCommenting), body, "<p>"+body+"</p>\n", string(vis), 1, 1, string(AnchorPage), a.at, a.at)
					noteEdits.add(nid, 1, string(MotivationCommenting), body, string(vis), true, author, a.at)
					nid++
					rep.Annotations++
				}
			}
			for _, ri := range []*rowInserter{&claims, &claimTags, &events, &eventTags, &participants, &mentions, &notes, &noteEdits} {
				if err := ri.flush(tx); err != nil {
					return err
				}
			}
			return s.syncIdentities(tx, "articles", "claims", "events", "annotations")
		})
		if err != nil {
			return rep, fmt.Errorf("generate corpus: %w", err)
		}
		done += n
		rep.Articles = done
		progress(done, opts.Articles)
	}
	// One merged index answers queries faster than many small segments. On
	// PostgreSQL that is GIN's pending entries merged, and the planner needs
	// statistics of the tables just filled (autovacuum would get to them
	// later): without them it joins claims to their reports by hashing
	// every mention.
	if s.dialect == Postgres {
		db := s.write.WithContext(ctx)
		err := db.Exec(`ANALYZE outlets, users, entities, entity_aliases, tags, articles, article_revisions, claims, claim_tags,
			events, event_tags, event_participants, mentions, annotations, annotation_edits`).Error
		if err != nil {
			return rep, fmt.Errorf("analyse the corpus: %w", err)
		}
		return rep, optimisePGSearchIndex(db)
	}
	if err := s.write.WithContext(ctx).Exec("INSERT INTO search_index (search_index) VALUES ('optimize')").Error; err != nil {
		return rep, fmt.Errorf("optimise the search index: %w", err)
	}
	return rep, nil
}
