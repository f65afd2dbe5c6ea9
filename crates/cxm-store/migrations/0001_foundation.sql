-- cxm foundation schema (SPEC §3). One text for both backends:
-- `ID_PK` becomes the backend's auto-increment primary key; `WITHOUT_ROWID`
-- clusters SQLite tables on their primary key (nothing on PostgreSQL). Conventions:
-- times are BIGINT Unix milliseconds UTC; flags are BIGINT 0/1; JSON is TEXT;
-- every external key is unique per workspace so imports are idempotent.

CREATE TABLE workspaces (
    id ID_PK,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'zh',
    created_at BIGINT NOT NULL,
    disabled BIGINT NOT NULL DEFAULT 0
);

-- Session id is stored hashed: a leaked table does not leak live sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_keys (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE audit_log (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    user_id BIGINT,
    action TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);

CREATE TABLE customers (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    external_id TEXT NOT NULL,
    name TEXT,
    email TEXT,
    phone TEXT,
    language TEXT,
    lifecycle TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    consent_email BIGINT NOT NULL DEFAULT 0,
    consent_sms BIGINT NOT NULL DEFAULT 0,
    persona TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, external_id)
);

CREATE TABLE segments (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    key TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    rule TEXT NOT NULL DEFAULT '',
    is_ta BIGINT NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, key)
);

CREATE TABLE customer_segments (
    segment_id BIGINT NOT NULL REFERENCES segments(id),
    customer_id BIGINT NOT NULL REFERENCES customers(id),
    PRIMARY KEY (segment_id, customer_id)
);
CREATE INDEX customer_segments_customer ON customer_segments(customer_id);

CREATE TABLE journeys (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    key TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    UNIQUE (workspace_id, key)
);

CREATE TABLE stages (
    id ID_PK,
    journey_id BIGINT NOT NULL REFERENCES journeys(id),
    key TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    position BIGINT NOT NULL,
    UNIQUE (journey_id, key)
);

CREATE TABLE touchpoints (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    stage_id BIGINT NOT NULL REFERENCES stages(id),
    key TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    channel TEXT NOT NULL,
    owner_team TEXT NOT NULL DEFAULT '',
    improvement_cost DOUBLE PRECISION NOT NULL DEFAULT 1,
    pyramid_layer TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, key)
);

CREATE TABLE surveys (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    key TEXT NOT NULL,
    name_en TEXT NOT NULL,
    name_zh TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    current_version BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    UNIQUE (workspace_id, key)
);

-- The full definition of each version; responses keep the version they answered.
CREATE TABLE survey_versions (
    id ID_PK,
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    version BIGINT NOT NULL,
    definition TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (survey_id, version)
);

CREATE TABLE questions (
    id ID_PK,
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    key TEXT NOT NULL,
    kind TEXT NOT NULL,
    label_en TEXT NOT NULL,
    label_zh TEXT NOT NULL,
    scale_min DOUBLE PRECISION,
    scale_max DOUBLE PRECISION,
    dimension TEXT,
    options TEXT NOT NULL DEFAULT '[]',
    required BIGINT NOT NULL DEFAULT 0,
    position BIGINT NOT NULL,
    UNIQUE (survey_id, key)
);

CREATE TABLE invitations (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    customer_id BIGINT REFERENCES customers(id),
    touchpoint_id BIGINT REFERENCES touchpoints(id),
    channel TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    opened_at BIGINT,
    started_at BIGINT,
    completed_at BIGINT,
    reminders_sent BIGINT NOT NULL DEFAULT 0,
    suppressed_reason TEXT
);
CREATE INDEX invitations_customer ON invitations(customer_id);

CREATE TABLE responses (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    external_id TEXT NOT NULL,
    survey_id BIGINT NOT NULL REFERENCES surveys(id),
    survey_version BIGINT NOT NULL,
    customer_id BIGINT REFERENCES customers(id),
    touchpoint_id BIGINT REFERENCES touchpoints(id),
    invitation_id BIGINT REFERENCES invitations(id),
    channel TEXT,
    language TEXT,
    submitted_at BIGINT NOT NULL,
    completed BIGINT NOT NULL DEFAULT 1,
    weight DOUBLE PRECISION NOT NULL DEFAULT 1,
    metadata TEXT NOT NULL DEFAULT '{}',
    -- The answers as one JSON object keyed by question key: numbers for
    -- scores, strings for text, arrays for multiple choice. One row per
    -- response keeps bulk writes fast and gives analyses the whole
    -- respondent vector; per-question aggregates live in metric_daily.
    answers TEXT NOT NULL DEFAULT '{}',
    UNIQUE (workspace_id, external_id)
);
CREATE INDEX responses_survey_time ON responses(survey_id, submitted_at);
CREATE INDEX responses_customer ON responses(customer_id);

CREATE TABLE feedback_items (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    external_id TEXT NOT NULL,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    rating DOUBLE PRECISION,
    customer_id BIGINT REFERENCES customers(id),
    touchpoint_id BIGINT REFERENCES touchpoints(id),
    channel TEXT,
    language TEXT,
    occurred_at BIGINT NOT NULL,
    UNIQUE (workspace_id, external_id)
);
CREATE INDEX feedback_time ON feedback_items(workspace_id, occurred_at);

CREATE TABLE events (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    external_id TEXT NOT NULL,
    customer_id BIGINT REFERENCES customers(id),
    touchpoint_id BIGINT REFERENCES touchpoints(id),
    name TEXT NOT NULL,
    properties TEXT NOT NULL DEFAULT '{}',
    occurred_at BIGINT NOT NULL,
    UNIQUE (workspace_id, external_id)
);
CREATE INDEX events_name_time ON events(workspace_id, name, occurred_at);

CREATE TABLE operational_records (
    id ID_PK,
    workspace_id BIGINT NOT NULL REFERENCES workspaces(id),
    external_id TEXT NOT NULL,
    customer_id BIGINT REFERENCES customers(id),
    kind TEXT NOT NULL,
    amount DOUBLE PRECISION NOT NULL,
    occurred_at BIGINT NOT NULL,
    UNIQUE (workspace_id, external_id)
);
CREATE INDEX odata_customer ON operational_records(customer_id, kind);

-- Mergeable daily aggregates per score question x touchpoint (0 = none),
-- updated in the same transaction as the rows they summarize (DESIGN: dashboards
-- must not scan raw rows). n_top/n_bottom follow the question's ScoreScale.
CREATE TABLE metric_daily (
    workspace_id BIGINT NOT NULL,
    question_id BIGINT NOT NULL REFERENCES questions(id),
    touchpoint_id BIGINT NOT NULL,
    day BIGINT NOT NULL,
    n BIGINT NOT NULL,
    sum_value DOUBLE PRECISION NOT NULL,
    sum_squares DOUBLE PRECISION NOT NULL,
    n_top BIGINT NOT NULL,
    n_bottom BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, question_id, touchpoint_id, day)
) WITHOUT_ROWID;

-- Durable job/outbox queue: the only way background work is started.
-- status: queued | running | done | dead. A running job whose lease expired is
-- claimable again, so a crashed worker's job is retried, never lost.
CREATE TABLE jobs (
    id ID_PK,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL DEFAULT 5,
    run_at BIGINT NOT NULL,
    locked_by TEXT,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);
CREATE INDEX jobs_claim ON jobs(status, run_at);
