-- What the public pages read, made cheaper (issue 7; the indexes are checked
-- by handlers' TestPublicPagesQueryPlans).

-- The timelines page lists entities by name.
CREATE INDEX entities_name ON entities (name);

-- A claim's published rating, wherever the claim is shown: by claim, not by
-- reading every published verdict.
CREATE INDEX verdicts_claim ON verdicts (claim_id, state);

-- The latest fact-checks (home page, list, feed), newest version first,
-- read in order and stopped at the page's end.
CREATE INDEX verdict_versions_published ON verdict_versions (published_at DESC, verdict_id DESC);

-- The passage of each mention as it reads in the article's current revision,
-- kept when the mention is anchored, so that timelines and feeds listing
-- hundreds of reports do not read every reporting article's text.
ALTER TABLE mentions ADD COLUMN anchor_text TEXT NOT NULL DEFAULT '';
UPDATE mentions SET anchor_text = COALESCE((
    SELECT substr(a.body_text, mentions.anchor_start + 1, mentions.anchor_end - mentions.anchor_start)
    FROM articles a
    WHERE a.id = mentions.article_id AND mentions.has_passage AND mentions.anchor_status <> 'orphan'
      AND mentions.anchor_start < mentions.anchor_end AND mentions.anchor_end <= length(a.body_text)), '');
