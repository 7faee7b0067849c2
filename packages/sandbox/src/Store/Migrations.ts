import { Migrator, SqlClient } from "@effect/sql"
import { Effect } from "effect"

const statements = (...sql: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const client = yield* SqlClient.SqlClient
    for (const statement of sql) yield* client.unsafe(statement)
  })

// Types are restricted to TEXT and INTEGER (BIGINT where a client may send any safe integer) so
// both dialects store and return the same values: instants are fixed-width ISO text, booleans 0/1,
// JSON documents text.
const initial = statements(
  `CREATE TABLE partners (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    status TEXT NOT NULL,
    company_name TEXT NOT NULL,
    support_email TEXT,
    logo_url TEXT,
    primary_color TEXT NOT NULL,
    secondary_color TEXT NOT NULL,
    billing_mode TEXT NOT NULL,
    credit_pool_total INTEGER NOT NULL,
    max_organizations INTEGER NOT NULL,
    max_identifications_per_org INTEGER NOT NULL,
    billing_period TEXT NOT NULL,
    billing_day_of_month INTEGER NOT NULL,
    billing_period_start TEXT NOT NULL,
    next_billing_date TEXT NOT NULL,
    stripe_customer_id TEXT,
    pricing_tiers TEXT NOT NULL,
    pool_low_notified INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    name TEXT NOT NULL,
    key_prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    expires_at TEXT,
    last_used_at TEXT,
    revoked_at TEXT,
    created_at TEXT NOT NULL
  )`,
  `CREATE INDEX api_keys_prefix ON api_keys (key_prefix)`,
  `CREATE INDEX api_keys_partner ON api_keys (partner_id, created_at)`,
  `CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    name TEXT NOT NULL,
    external_id TEXT,
    owner_user_id TEXT,
    status TEXT NOT NULL,
    tier TEXT NOT NULL,
    product_type TEXT NOT NULL,
    billing_period TEXT NOT NULL,
    billing_day_of_month INTEGER NOT NULL,
    metadata TEXT NOT NULL,
    credits INTEGER NOT NULL,
    credits_used INTEGER NOT NULL,
    low_notified INTEGER NOT NULL,
    exhausted_notified INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    canceled_at TEXT
  )`,
  `CREATE INDEX organizations_partner ON organizations (partner_id, created_at)`,
  `CREATE UNIQUE INDEX organizations_external_id ON organizations (partner_id, external_id)
    WHERE status <> 'canceled' AND external_id IS NOT NULL`,
  `CREATE TABLE allocations (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    credits_allocated INTEGER NOT NULL,
    previous_allocation INTEGER NOT NULL,
    credits_used INTEGER NOT NULL,
    notes TEXT,
    allocated_at TEXT NOT NULL
  )`,
  `CREATE INDEX allocations_organization ON allocations (organization_id, allocated_at)`,
  `CREATE TABLE pixels (
    organization_id TEXT PRIMARY KEY REFERENCES organizations (id),
    pixel_id TEXT NOT NULL UNIQUE,
    allowed_domains TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    last_event_at TEXT
  )`,
  `CREATE TABLE icp_configs (
    id TEXT PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    active INTEGER NOT NULL,
    priority BIGINT NOT NULL,
    rules TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
  )`,
  `CREATE INDEX icp_configs_organization ON icp_configs (organization_id, priority)`,
  `CREATE TABLE visitors (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    identified_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    email TEXT,
    first_name TEXT,
    last_name TEXT,
    job_title TEXT,
    linkedin_url TEXT,
    city TEXT,
    region TEXT,
    country TEXT,
    company TEXT,
    company_name TEXT,
    icp_match INTEGER NOT NULL,
    icp_score INTEGER,
    matched_icp_config_id TEXT,
    session_count INTEGER NOT NULL,
    page_view_count INTEGER NOT NULL,
    landing_page TEXT,
    referrer TEXT,
    utm TEXT NOT NULL
  )`,
  `CREATE INDEX visitors_organization ON visitors (organization_id, identified_at)`,
  `CREATE INDEX visitors_partner ON visitors (partner_id, identified_at)`,
  `CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    visitor_id TEXT NOT NULL REFERENCES visitors (id),
    organization_id TEXT NOT NULL REFERENCES organizations (id),
    partner_id TEXT NOT NULL REFERENCES partners (id),
    started_at TEXT NOT NULL,
    ended_at TEXT,
    landing_page TEXT NOT NULL,
    pages_visited TEXT NOT NULL,
    page_view_count INTEGER NOT NULL,
    referrer TEXT,
    utm TEXT NOT NULL,
    device_type TEXT NOT NULL
  )`,
  `CREATE INDEX sessions_visitor ON sessions (visitor_id, started_at)`,
  `CREATE INDEX sessions_partner ON sessions (partner_id, started_at)`,
  `CREATE TABLE webhook_channels (
    partner_id TEXT NOT NULL REFERENCES partners (id),
    type TEXT NOT NULL,
    url TEXT,
    enabled INTEGER NOT NULL,
    secret_ciphertext TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (partner_id, type)
  )`,
  `CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    type TEXT NOT NULL,
    event TEXT NOT NULL,
    organization_id TEXT,
    url TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    response_status INTEGER,
    error TEXT,
    duration_ms INTEGER,
    created_at TEXT NOT NULL,
    last_attempt_at TEXT,
    next_retry_at TEXT
  )`,
  `CREATE INDEX webhook_deliveries_partner ON webhook_deliveries (partner_id, created_at)`,
  `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_retry_at)`,
  `CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
    attempt INTEGER NOT NULL,
    attempted_at TEXT NOT NULL,
    response_status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
  )`,
  `CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt)`,
  `CREATE TABLE domains (
    partner_id TEXT PRIMARY KEY REFERENCES partners (id),
    domain TEXT NOT NULL,
    verification_record TEXT NOT NULL,
    verified INTEGER NOT NULL,
    verified_at TEXT,
    updated_at TEXT NOT NULL
  )`,
  `CREATE TABLE billing_periods (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners (id),
    period_start TEXT NOT NULL,
    period_end TEXT NOT NULL,
    usage TEXT NOT NULL,
    closed_at TEXT NOT NULL
  )`,
  `CREATE INDEX billing_periods_partner ON billing_periods (partner_id, period_start)`,
  `CREATE TABLE vault_keys (
    id TEXT PRIMARY KEY,
    material TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`,
  `CREATE TABLE sandbox_state (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  )`
)

/** The store's schema, as an ordered list of migrations. */
export const migrations = Migrator.fromRecord({ "1_initial": initial })

/** Tables in an order safe for deleting rows (children first). */
export const tablesChildrenFirst = [
  "webhook_attempts",
  "webhook_deliveries",
  "webhook_channels",
  "sessions",
  "visitors",
  "icp_configs",
  "pixels",
  "allocations",
  "organizations",
  "api_keys",
  "domains",
  "billing_periods",
  "partners",
  "sandbox_state"
] as const
