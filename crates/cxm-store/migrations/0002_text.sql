-- Text analytics (SPEC §3 "Text analysis result", §5). Same conventions as
-- 0001: BIGINT Unix-ms times and day numbers, BIGINT 0/1 flags, TEXT JSON.
-- touchpoint_id 0 = none (as in metric_daily), so it can be grouped and keyed.

-- A workspace's aspect taxonomy, versioned: the current one is the highest
-- version; a workspace without a row uses the bundled default (version 0).
CREATE TABLE taxonomies (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    version BIGINT NOT NULL,
    json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT,
    UNIQUE (workspace_id, version)
);

-- One row per analysed text: an open answer of a response (field = the
-- question key) or a feedback item (field = ''). Re-analysing replaces the
-- row in place and its aspect and term rows; `result` is the whole Analysis.
CREATE TABLE text_analyses (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    source_kind TEXT NOT NULL,
    source_id BIGINT NOT NULL,
    field TEXT NOT NULL,
    touchpoint_id BIGINT NOT NULL,
    channel TEXT,
    occurred_at BIGINT NOT NULL,
    day BIGINT NOT NULL,
    lang TEXT NOT NULL,
    sentiment_label TEXT NOT NULL,
    sentiment_score DOUBLE PRECISION NOT NULL,
    urgency BIGINT NOT NULL,
    churn BIGINT NOT NULL,
    aspect_count BIGINT NOT NULL,
    taxonomy_version BIGINT NOT NULL,
    result TEXT NOT NULL,
    analyzed_at BIGINT NOT NULL,
    UNIQUE (source_kind, source_id, field)
);
CREATE INDEX text_analyses_time ON text_analyses(workspace_id, day);
CREATE INDEX text_analyses_unmatched ON text_analyses(workspace_id, aspect_count, day);

-- One row per aspect mention, denormalized with the filters of the VoC
-- explorer so its aggregates read one table.
CREATE TABLE text_aspects (
    workspace_id BIGINT NOT NULL,
    analysis_id BIGINT NOT NULL REFERENCES text_analyses(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    aspect TEXT NOT NULL,
    polarity TEXT NOT NULL,
    touchpoint_id BIGINT NOT NULL,
    source_kind TEXT NOT NULL,
    channel TEXT,
    lang TEXT NOT NULL,
    day BIGINT NOT NULL,
    occurred_at BIGINT NOT NULL,
    PRIMARY KEY (analysis_id, position)
);
CREATE INDEX text_aspects_explore ON text_aspects(workspace_id, aspect, day);
CREATE INDEX text_aspects_day ON text_aspects(workspace_id, day);

-- One row per distinct keyword of a text: document counts per term and
-- window (keywords, emerging topics).
CREATE TABLE text_terms (
    workspace_id BIGINT NOT NULL,
    analysis_id BIGINT NOT NULL REFERENCES text_analyses(id) ON DELETE CASCADE,
    term TEXT NOT NULL,
    day BIGINT NOT NULL,
    touchpoint_id BIGINT NOT NULL,
    PRIMARY KEY (analysis_id, term)
);
CREATE INDEX text_terms_window ON text_terms(workspace_id, day, term);
