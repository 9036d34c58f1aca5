package models

// This file holds the demonstration data set: a fictional diplomatic story
// told by fictional outlets. Every country, city, person and publication in
// it is invented.

// demoOutlet is a publisher in the demonstration data set.
type demoOutlet struct {
	Name    string
	HomeURL string
}

// demoRevision is a later edit of a demonstration article.
type demoRevision struct {
	Summary string // the editor's one-line summary of the change
	Title   string // empty = unchanged
	Body    string // Markdown; empty = unchanged
}

// demoArticle is one article of the demonstration story.
type demoArticle struct {
	Outlet    string // matches a demoOutlet.Name
	Title     string
	Byline    string
	SourceURL string // on the outlet's .example domain
	Published string // RFC 3339, e.g. "2025-03-14T09:30:00Z"
	Body      string // Markdown: paragraphs, an occasional "## subheading", a "> quoted statement" or a short list; no HTML, no images
	Revisions []demoRevision
}

// demoOutlets returns the fictional publishers of the demonstration story.
func demoOutlets() []demoOutlet {
	return []demoOutlet{
		{Name: "The Harbour Ledger", HomeURL: "https://harbourledger.example"},
		{Name: "Meridian Wire", HomeURL: "https://meridianwire.example"},
		{Name: "Northgate Post", HomeURL: "https://northgatepost.example"},
	}
}

// demoArticles returns the demonstration story in chronological order: talks
// between the fictional Republic of Aldervane and the Kessari Islands over
// the disputed Corran Shoals, from February to November 2025.
func demoArticles() []demoArticle {
	return []demoArticle{
		{
			Outlet:    "Meridian Wire",
			Title:     "Aldervane and Kessari Islands hold first ministerial talks in six years",
			Byline:    "By Amara Quint",
			SourceURL: "https://meridianwire.example/world/2025/02/13/aldervane-kessari-ministers-meet-amberfeld",
			Published: "2025-02-13T07:45:00Z",
			Body: `AMBERFELD — The foreign ministers of Aldervane and the Kessari Islands met on Tuesday and Wednesday in the Osmund city of Amberfeld, the first direct ministerial talks between the two neighbours since a naval standoff near the disputed Corran Shoals broke off contact in 2019.

Ilse Vålund of Aldervane and Dr. Şenay Arık of the Kessari Islands spent about nine hours together over the two days, according to the Osmund foreign ministry, which hosted the meetings at a lakeside government guesthouse. Neither side released a joint statement, but both ministers described the talks as “serious” at separate news conferences on Wednesday evening.

“We did not come here to solve everything in one week,” Ms. Vålund told reporters. “We came to find out whether there is a basis for a process. I believe there is.”

Dr. Arık was more cautious. She said her government would judge the talks “by what happens on the water, not by what is said in a conference room,” a reference to repeated encounters between fishing fleets and coast guard vessels around the shoals, which both countries claim. Relations between the two countries have been largely frozen since the 2019 standoff, which began in March of that year and lasted 11 days, and trade between them has fallen by roughly half since then, according to Osmund government figures.

## What was on the table

According to two officials briefed on the talks, the agenda covered three items:

- a direct telephone line between the two coast guards;
- a temporary arrangement on fishing rights around the Corran Shoals;
- the release of 14 Kessari fishermen held in Aldervane since November.

One of the officials, who spoke on condition of anonymity because the talks were private, said no agreement had been reached on the fishermen but that Aldervane had agreed to “review the cases individually.” The Aldervane foreign ministry declined to comment on that account.

The two sides agreed to meet again in the spring, and Dr. Arık said the Kessari Islands had offered to host the next round in Port Sallow, its capital. Hedda Marrow, the Osmund foreign minister, said her country was ready to host further meetings “for as long as they are useful.”`,
		},
		{
			Outlet:    "The Harbour Ledger",
			Title:     "Coast guard hotline agreed as Aldervane–Kessari talks move to Port Sallow",
			Byline:    "By Tomas Reyl",
			SourceURL: "https://harbourledger.example/news/2025/04/10/coast-guard-hotline-port-sallow-talks",
			Published: "2025-04-10T11:20:00Z",
			Body: `PORT SALLOW — Aldervane and the Kessari Islands agreed on Wednesday to set up a direct telephone line between their coast guards, the first concrete result of talks that resumed in February after a six-year freeze.

The agreement was announced at the end of a second round of talks between the foreign ministers, Ilse Vålund of Aldervane and Dr. Şenay Arık of the Kessari Islands, held on Tuesday and Wednesday in the Kessari capital. It was the first visit by an Aldervane foreign minister to Port Sallow since 2017.

Under the arrangement, the line is to be staffed around the clock and should be operating “within 60 days,” Dr. Arık said at a joint news conference, the first the two ministers have held together. She called it “a small instrument with a large purpose.”

Ms. Vålund said Aldervane would also release nine of the 14 Kessari fishermen detained since last November, with the remaining five cases still before the courts. Kessari officials had pressed for all 14 to be freed. Asked why only nine, Ms. Vålund said: “Our courts are independent. I cannot promise what is not mine to give.”

## Fishing rights unresolved

The harder question of fishing rights around the Corran Shoals was not settled. According to a Kessari official familiar with the negotiations, Aldervane proposed closing the shoals to both fleets from June to September each year, which Port Sallow rejected as favouring Aldervane's larger trawlers. Aldervane's chief negotiator on the maritime file, Deputy Foreign Minister Teodor Rask, is expected to lead technical discussions on the issue over the next two months.

Outside the foreign ministry, a few dozen people from fishing towns on the northern islands held a quiet protest, carrying signs that read “The shoals are not for sale.” Police said the gathering was peaceful.

Dr. Priya Castellan, who studies maritime disputes at the Amberfeld Institute for Maritime Studies, said the hotline mattered more than it might appear. “Most of the dangerous moments in 2019 came from ships that could not talk to each other,” she said. “This removes one of those risks.”

A third round is planned for June in Dunmere, the Aldervane capital, officials on both sides said.`,
		},
		{
			Outlet:    "Northgate Post",
			Title:     "Leaders to meet in Tiverne on Sept. 18 as Dunmere talks end on upbeat note",
			Byline:    "By Nadia Ferreiro-Lund",
			SourceURL: "https://northgatepost.example/world/2025/06/18/leaders-summit-tiverne-september",
			Published: "2025-06-18T16:05:00Z",
			Body: `DUNMERE — The leaders of Aldervane and the Kessari Islands will meet on Sept. 18 in Tiverne, the capital of Marisca, the two countries' foreign ministers announced on Tuesday after a third round of talks in the Aldervane capital.

The summit between President Mattias Oder of Aldervane and Prime Minister Corin Halloway of the Kessari Islands would be the first meeting of the two countries' leaders since 2016. Marisca, which has close trade ties with both, offered to host it at the end of May, according to Foreign Minister Ilse Vålund of Aldervane. Marisca's president, Lucía Ferrand, said in a statement on Tuesday that her government was “honoured” to host the meeting and would provide “every facility needed for its success.”

“Three rounds in three cities have brought us to a point where the next step belongs to our leaders,” Ms. Vålund said at a news conference with her Kessari counterpart, Dr. Şenay Arık, on Tuesday evening.

Dr. Arık said the ministers had asked their teams to prepare a draft “declaration of principles” on the Corran Shoals for the leaders to sign. The draft would cover fishing access, joint environmental monitoring and a commitment by both sides to hold no military exercises within 20 nautical miles of the shoals, she said, before adding a note of caution:

> “We are not there yet, and I want to be honest about that. But for the first time in years, we have a text on the table rather than a list of complaints.”

The coast guard hotline agreed in April began operating on June 2, both ministers said, and has been used four times since, in each case to settle encounters between fishing boats without incident. That claim could not be independently verified.

Not everyone in Dunmere welcomed the announcement. Oskar Brenneke, a former Aldervane ambassador to the Kessari Islands and a frequent critic of the government, said a date had been set “before anyone knows what the leaders are supposed to sign.” He added: “A summit without a finished text is a photograph, not an agreement.”

Officials said the drafting work over the summer would be led by Aldervane's deputy foreign minister, Teodor Rask, and his Kessari counterpart, Miren Ashcombe, who are due to meet at least twice in July.`,
		},
		{
			Outlet:    "Meridian Wire",
			Title:     "Kessari Islands test-fire missile near Corran Shoals, drawing Aldervane protest",
			Byline:    "By Amara Quint and Felix Dorran",
			SourceURL: "https://meridianwire.example/world/2025/08/30/kessari-missile-test-corran-shoals",
			Published: "2025-08-30T06:30:00Z",
			Body: `PORT SALLOW — The Kessari Islands test-fired a medium-range ballistic missile on Friday that came down in the sea west of the disputed Corran Shoals, less than three weeks before a planned summit with Aldervane, prompting a sharp protest from the Aldervane government.

The Kessari defence ministry said the missile, which it identified as a Sable-2, was launched from the island of Varrow at 6:10 a.m. local time and travelled about 420 kilometres before landing “well outside the waters of any other state.” A ministry spokesman, Col. Davin Errow, called it “a routine test planned many months ago.”

Aldervane disputed that account. Its foreign ministry said the missile had landed about 30 kilometres from the shoals, in an area where Aldervane fishing boats were working. “Nobody schedules a test like this by accident three weeks before a summit,” the ministry's spokeswoman, Maren Solt, said in a statement on Friday afternoon.

Ms. Solt said the Kessari side had given no advance warning, either through the coast guard hotline set up in the spring or through any other channel. According to two officials in Dunmere, the Kessari ambassador was summoned to the foreign ministry on Friday evening to receive a formal protest.

The Kessari foreign minister, Dr. Şenay Arık, told a local broadcaster that the test “was not directed at anyone” and that the summit in Tiverne should go ahead on Sept. 18 as planned. “Our commitment to the talks has not changed,” she said.

## A draft nearly finished

The test comes at a delicate moment. According to a diplomat from a third country who was briefed on the preparations, negotiators had agreed on most of the declaration the two leaders were expected to sign, leaving only the section on military activity near the shoals open. That section, the diplomat said, included a proposed ban on exercises and weapons tests within 20 nautical miles of the shoals.

President Mattias Oder of Aldervane, who was travelling in the south of the country, made no public comment on Friday. His office said he would “consult the cabinet over the weekend” about the summit.

Dr. Priya Castellan of the Amberfeld Institute for Maritime Studies said the timing suggested the test was aimed at least partly at voters at home, where the talks are less popular than abroad. “Whatever the intention,” she said, “it hands the summit's opponents in Dunmere an argument.”`,
		},
		{
			Outlet:    "The Harbour Ledger",
			Title:     "Aldervane postpones Tiverne summit after missile test",
			Byline:    "By Tomas Reyl and Ines Okafor",
			SourceURL: "https://harbourledger.example/news/2025/09/01/aldervane-cancels-tiverne-summit",
			Published: "2025-09-01T08:15:00Z",
			Body: `DUNMERE — Aldervane on Sunday cancelled the summit with the Kessari Islands that had been planned for Sept. 18 in Tiverne, two days after a Kessari missile test near the disputed Corran Shoals.

President Mattias Oder announced the decision in a brief televised address after a cabinet meeting that lasted most of the afternoon. “A summit is a promise of good faith,” he said. “That promise was broken on Friday morning. We will not travel to Tiverne to pretend otherwise.”

Mr. Oder did not say whether a new date would be sought. Asked afterward whether the decision amounted to a postponement, the foreign ministry's spokeswoman, Maren Solt, said: “It is a cancellation. There is no new date.”

The Kessari government called the decision “regrettable and unnecessary.” In a statement issued late on Sunday, the office of Prime Minister Corin Halloway said the Kessari Islands “remain ready to meet at any time and in any place,” and repeated that Friday's test had been planned long before the summit date was set.

## Months of work in doubt

The cancellation puts at risk a process that began in Amberfeld in February and continued in Port Sallow in April and in Dunmere in June. Negotiators had been working on a declaration of principles on fishing access and military activity around the shoals, which the two leaders were expected to sign in Tiverne. Marisca, the host country, said it “took note” of the decision. The office of President Lucía Ferrand said the offer to host the leaders “remains open.”

Reaction in Dunmere was divided. Oskar Brenneke, the former ambassador who criticised the summit plan in June, said the government “had no choice.” But Halvard Nyeng, a lawmaker from the governing coalition who sits on parliament's foreign affairs committee, said the cancellation “rewards exactly the people in Port Sallow who wanted the summit to fail.”

It was not clear on Sunday what would become of the coast guard hotline agreed in April. A coast guard officer in Dunmere, speaking on condition of anonymity, said the line “is still open, and we still answer it.”

Foreign Minister Ilse Vålund, who has led the talks for Aldervane since February, did not appear alongside the president and made no public comment on Sunday.`,
			Revisions: []demoRevision{
				{
					Summary: "Headline corrected: the government cancelled the summit; it did not postpone it.",
					Title:   "Aldervane cancels Tiverne summit two days after Kessari missile test",
				},
			},
		},
		{
			Outlet:    "Northgate Post",
			Title:     "Deputy minister who led maritime talks has been sidelined, officials say",
			Byline:    "By Jónas Hallberg",
			SourceURL: "https://northgatepost.example/world/2025/09/23/deputy-minister-rask-sidelined",
			Published: "2025-09-23T13:40:00Z",
			Body: `DUNMERE — Teodor Rask, the Aldervane deputy foreign minister who led the technical negotiations with the Kessari Islands over the Corran Shoals, has been removed from the talks and kept out of key meetings since the cancellation of this month's planned summit, according to two officials with knowledge of the matter.

Mr. Rask, 54, has missed four of the foreign ministry's weekly senior staff meetings since early September, the officials said. One of them said his access to classified cables on the Kessari file had been withdrawn on Sept. 5, less than a week after President Mattias Oder called off the Sept. 18 summit in Tiverne.

Both officials spoke on condition of anonymity because they were not authorised to discuss personnel matters. Neither said who had ordered the changes or why. One said there had been “strong disagreement” inside the government over the cancellation, and that Mr. Rask had argued at a cabinet committee meeting on Aug. 30 that the summit should go ahead.

Mr. Raske did not respond to messages sent to his official and personal phones. His office said on Monday that he was “on leave” and would return “in due course.” The foreign ministry did not respond to a written request for comment on Monday.

The reports have circulated in Dunmere for about two weeks, first on political blogs and then in parliament, where the opposition lawmaker Edda Korsvik asked on Thursday whether “the one person who understood the Kessari file has been punished for being right.” The government did not answer the question.

Mr. Rask is a career diplomat who served as ambassador to Marisca from 2014 to 2018 and was appointed deputy minister early this year. Colleagues credit him with drafting the coast guard hotline agreement reached in April.

His reported removal would be a further blow to a process that has stalled since the Kessari missile test on Aug. 29. Kessari officials have said little in public, but Miren Ashcombe, Mr. Rask's counterpart in the technical talks, said in a brief interview that she had “not heard from Dunmere in three weeks.”`,
			Revisions: []demoRevision{
				{
					Summary: "Corrects the spelling of Teodor Rask's surname in the fourth paragraph.",
					Body: `DUNMERE — Teodor Rask, the Aldervane deputy foreign minister who led the technical negotiations with the Kessari Islands over the Corran Shoals, has been removed from the talks and kept out of key meetings since the cancellation of this month's planned summit, according to two officials with knowledge of the matter.

Mr. Rask, 54, has missed four of the foreign ministry's weekly senior staff meetings since early September, the officials said. One of them said his access to classified cables on the Kessari file had been withdrawn on Sept. 5, less than a week after President Mattias Oder called off the Sept. 18 summit in Tiverne.

Both officials spoke on condition of anonymity because they were not authorised to discuss personnel matters. Neither said who had ordered the changes or why. One said there had been “strong disagreement” inside the government over the cancellation, and that Mr. Rask had argued at a cabinet committee meeting on Aug. 30 that the summit should go ahead.

Mr. Rask did not respond to messages sent to his official and personal phones. His office said on Monday that he was “on leave” and would return “in due course.” The foreign ministry did not respond to a written request for comment on Monday.

The reports have circulated in Dunmere for about two weeks, first on political blogs and then in parliament, where the opposition lawmaker Edda Korsvik asked on Thursday whether “the one person who understood the Kessari file has been punished for being right.” The government did not answer the question.

Mr. Rask is a career diplomat who served as ambassador to Marisca from 2014 to 2018 and was appointed deputy minister early this year. Colleagues credit him with drafting the coast guard hotline agreement reached in April.

His reported removal would be a further blow to a process that has stalled since the Kessari missile test on Aug. 29. Kessari officials have said little in public, but Miren Ashcombe, Mr. Rask's counterpart in the technical talks, said in a brief interview that she had “not heard from Dunmere in three weeks.”`,
				},
				{
					Summary: "Adds the foreign ministry's statement formally denying the reports.",
					Body: `DUNMERE — Teodor Rask, the Aldervane deputy foreign minister who led the technical negotiations with the Kessari Islands over the Corran Shoals, has been removed from the talks and kept out of key meetings since the cancellation of this month's planned summit, according to two officials with knowledge of the matter.

Mr. Rask, 54, has missed four of the foreign ministry's weekly senior staff meetings since early September, the officials said. One of them said his access to classified cables on the Kessari file had been withdrawn on Sept. 5, less than a week after President Mattias Oder called off the Sept. 18 summit in Tiverne.

Both officials spoke on condition of anonymity because they were not authorised to discuss personnel matters. Neither said who had ordered the changes or why. One said there had been “strong disagreement” inside the government over the cancellation, and that Mr. Rask had argued at a cabinet committee meeting on Aug. 30 that the summit should go ahead.

Mr. Rask did not respond to messages sent to his official and personal phones. His office said on Monday that he was “on leave” and would return “in due course.” The foreign ministry did not respond to a written request for comment on Monday.

The reports have circulated in Dunmere for about two weeks, first on political blogs and then in parliament, where the opposition lawmaker Edda Korsvik asked on Thursday whether “the one person who understood the Kessari file has been punished for being right.” The government did not answer the question.

Late on Tuesday, after this article was first published, the ministry issued a formal denial. “Deputy Minister Rask has not been dismissed, suspended or removed from any of his responsibilities,” the spokeswoman, Maren Solt, said in a statement. “He is on a period of leave approved in July, and any suggestion otherwise is false.” The statement did not address the officials' account that his access to cables had been withdrawn.

Mr. Rask is a career diplomat who served as ambassador to Marisca from 2014 to 2018 and was appointed deputy minister early this year. Colleagues credit him with drafting the coast guard hotline agreement reached in April.

His reported removal would be a further blow to a process that has stalled since the Kessari missile test on Aug. 29. Kessari officials have said little in public, but Miren Ashcombe, Mr. Rask's counterpart in the technical talks, said in a brief interview that she had “not heard from Dunmere in three weeks.”`,
				},
			},
		},
		{
			Outlet:    "Meridian Wire",
			Title:     "Ministers revive Aldervane–Kessari talks in Tiverne, a month after summit collapse",
			Byline:    "By Felix Dorran",
			SourceURL: "https://meridianwire.example/world/2025/10/16/ministers-revive-talks-tiverne",
			Published: "2025-10-16T10:00:00Z",
			Body: `TIVERNE — The foreign ministers of Aldervane and the Kessari Islands met on Tuesday and Wednesday in Tiverne, the city where their leaders had been due to hold a summit last month, in an effort to rescue negotiations that stalled after a Kessari missile test on Aug. 29.

Ilse Vålund and Dr. Şenay Arık met for about six hours in total at the Marisca foreign ministry, according to Marisca officials. It was their fourth round of talks this year, after meetings in Amberfeld in February, Port Sallow in April and Dunmere in June, and the first since President Mattias Oder of Aldervane cancelled the summit on Aug. 31.

At a short joint appearance on Wednesday, the ministers said they had agreed on two steps:

1. each side will give the other at least 72 hours' notice of any missile test or naval exercise within 100 kilometres of the Corran Shoals;
2. technical talks on fishing rights will resume “before the end of November.”

“What happened in August showed us exactly what was missing,” Ms. Vålund said. “Now it is written down.” Dr. Arık said the Kessari Islands had accepted the notification rule “without reservations.” She declined to say whether her government now regarded the August test as a mistake.

## A notable absence

The Aldervane delegation did not include Deputy Foreign Minister Teodor Rask, who led the technical negotiations until early September. Two officials in Dunmere have said he was removed from the file after arguing against cancelling the summit, an account the foreign ministry formally denied on Sept. 23.

Asked about Mr. Rask in Tiverne, Ms. Vålund said he was “still on leave” and that the technical talks would for now be led by Halle Brandt, the ministry's director for maritime affairs. She did not say when Mr. Rask was expected to return.

There was no discussion of a new summit date, according to a Marisca official who attended part of the talks. “Nobody wanted to use the word,” the official said. In Port Sallow, Prime Minister Corin Halloway of the Kessari Islands called the Tiverne meeting “the first good news since August” and said he would welcome a summit “whenever Dunmere is ready.”`,
		},
		{
			Outlet:    "The Harbour Ledger",
			Title:     "Teodor Rask, sidelined negotiator, named ambassador to distant Quillan",
			Byline:    "By Ines Okafor",
			SourceURL: "https://harbourledger.example/news/2025/11/05/teodor-rask-ambassador-quillan",
			Published: "2025-11-05T09:00:00Z",
			Body: `DUNMERE — Teodor Rask, the Aldervane deputy foreign minister at the centre of weeks of rumours that he had been pushed aside over the collapse of a planned summit with the Kessari Islands, has been appointed ambassador to Quillan, a small landlocked state with which Aldervane has almost no trade.

A presidential decree dated Oct. 31 and published in the official gazette on Monday names Mr. Rask ambassador “with effect from Dec. 1.” It gives no reason for the appointment. A second decree signed the same day makes Halle Brandt, who has led the maritime talks since September, acting deputy foreign minister.

The foreign ministry described the move as “a normal rotation of senior staff.” Its spokeswoman, Maren Solt, said on Tuesday that Mr. Rask had “asked for a posting abroad over the summer” and that the appointment “confirms what the ministry said in September: he was never dismissed.”

That account is disputed. Two officials who spoke to this newspaper on condition of anonymity described the posting as “the polite version” of a dismissal. Aldervane has no embassy in Quillan, and Mr. Rask will have to open one, working at first from a hotel in the capital, Esterholm, one of the officials said.

Mr. Rask broke his silence on Tuesday with a two-sentence statement:

> “I am grateful to have served in the negotiations with the Kessari Islands, and I wish my colleagues every success. I will serve my country wherever I am asked to.”

## Talks continue without him

The technical talks on fishing rights around the Corran Shoals, which the two foreign ministers agreed in Tiverne last month to resume before the end of November, are now scheduled for Nov. 24 in Amberfeld, according to the Osmund foreign ministry. Ms. Brandt will lead the Aldervane side. In Port Sallow, Miren Ashcombe, the Kessari deputy foreign minister who was Mr. Rask's counterpart, said she was sorry to see him go. “He was hard to negotiate with, which is a compliment,” she said.

Edda Korsvik, the opposition lawmaker who first raised the matter in parliament in September, said the appointment answered her question “as clearly as any denial could.” The government has not said whether the leaders' summit will be rescheduled, though Foreign Minister Ilse Vålund told parliament last week that she hoped President Mattias Oder and Prime Minister Corin Halloway would meet “early next year.”`,
		},
	}
}
