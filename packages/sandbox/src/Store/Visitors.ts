import type { VisitorListQuery } from "@bullseye-partner/core/Api/Organizations"
import type {
  Company,
  Utm,
  Visitor,
  VisitorDetail,
  VisitorSession
} from "@bullseye-partner/core/Domain/Visitor"
import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import {
  bit,
  flag,
  int,
  intOrNull,
  json,
  jsonOrNull,
  likeContains,
  text,
  textOrNull,
  type Row
} from "../internal/rows.js"
import { addDays, isDateOnly, storedTime, wireTime, wireTimeOrNull } from "../internal/time.js"

/** A session as the simulator and the seed create it (instants as `Date`). */
export interface SessionDraft {
  readonly id: string
  readonly startedAt: Date
  readonly endedAt: Date | null
  readonly landingPage: string
  readonly pagesVisited: ReadonlyArray<string>
  readonly referrer: string | null
  readonly utm: Utm
  readonly deviceType: "desktop" | "mobile" | "tablet"
}

/** A visitor as the simulator and the seed create it, ICP fields already evaluated. */
export interface VisitorDraft {
  readonly id: string
  readonly partnerId: string
  readonly organizationId: string
  readonly identifiedAt: Date
  readonly lastSeenAt: Date
  readonly email: string | null
  readonly firstName: string | null
  readonly lastName: string | null
  readonly jobTitle: string | null
  readonly linkedinUrl: string | null
  readonly location: Visitor["location"]
  readonly company: Company | null
  readonly icpMatch: boolean
  readonly icpScore: number | null
  readonly matchedIcpConfigId: string | null
  readonly sessions: ReadonlyArray<SessionDraft>
}

const toVisitor = (row: Row): Visitor => ({
  id: text(row, "id"),
  organizationId: text(row, "organization_id"),
  identifiedAt: wireTime(text(row, "identified_at")),
  lastSeenAt: wireTime(text(row, "last_seen_at")),
  email: textOrNull(row, "email"),
  firstName: textOrNull(row, "first_name"),
  lastName: textOrNull(row, "last_name"),
  jobTitle: textOrNull(row, "job_title"),
  linkedinUrl: textOrNull(row, "linkedin_url"),
  location: {
    city: textOrNull(row, "city"),
    region: textOrNull(row, "region"),
    country: textOrNull(row, "country")
  },
  company: jsonOrNull<Company>(row, "company"),
  icpMatch: flag(row, "icp_match"),
  icpScore: intOrNull(row, "icp_score"),
  matchedIcpConfigId: textOrNull(row, "matched_icp_config_id"),
  sessionCount: int(row, "session_count"),
  pageViewCount: int(row, "page_view_count"),
  landingPage: textOrNull(row, "landing_page"),
  referrer: textOrNull(row, "referrer"),
  utm: json<Utm>(row, "utm")
})

const toSession = (row: Row): VisitorSession => ({
  id: text(row, "id"),
  startedAt: wireTime(text(row, "started_at")),
  endedAt: wireTimeOrNull(textOrNull(row, "ended_at")),
  landingPage: text(row, "landing_page"),
  pagesVisited: json<ReadonlyArray<string>>(row, "pages_visited"),
  referrer: textOrNull(row, "referrer"),
  utm: json<Utm>(row, "utm"),
  deviceType: text(row, "device_type")
})

/** The stored lower bound of a date filter: a calendar date means its first instant. */
export const lowerBound = (value: string): string =>
  storedTime(new Date(isDateOnly(value) ? `${value}T00:00:00Z` : value))

/** The stored exclusive upper bound of an inclusive date filter: a calendar date includes its whole day. */
export const upperBoundExclusive = (value: string): string =>
  isDateOnly(value)
    ? storedTime(addDays(new Date(`${value}T00:00:00Z`), 1))
    : storedTime(new Date(new Date(value).getTime() + 1))

/** The wire shape of a draft, as its webhook and API responses show it. */
export const draftToDetail = (draft: VisitorDraft): VisitorDetail => {
  const newestFirst = [...draft.sessions].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime())
  const first = [...draft.sessions].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())[0]
  return {
    id: draft.id,
    organizationId: draft.organizationId,
    identifiedAt: wireTime(storedTime(draft.identifiedAt)),
    lastSeenAt: wireTime(storedTime(draft.lastSeenAt)),
    email: draft.email,
    firstName: draft.firstName,
    lastName: draft.lastName,
    jobTitle: draft.jobTitle,
    linkedinUrl: draft.linkedinUrl,
    location: draft.location,
    company: draft.company,
    icpMatch: draft.icpMatch,
    icpScore: draft.icpScore,
    matchedIcpConfigId: draft.matchedIcpConfigId,
    sessionCount: draft.sessions.length,
    pageViewCount: draft.sessions.reduce((n, s) => n + s.pagesVisited.length, 0),
    landingPage: first?.landingPage ?? null,
    referrer: first?.referrer ?? null,
    utm: first?.utm ?? { source: null, medium: null, campaign: null, term: null, content: null },
    sessions: newestFirst.slice(0, 50).map((s) => ({
      id: s.id,
      startedAt: wireTime(storedTime(s.startedAt)),
      endedAt: s.endedAt === null ? null : wireTime(storedTime(s.endedAt)),
      landingPage: s.landingPage,
      pagesVisited: s.pagesVisited,
      referrer: s.referrer,
      utm: s.utm,
      deviceType: s.deviceType
    }))
  }
}

/** Identified visitors of organizations and their sessions. */
export class Visitors extends Effect.Service<Visitors>()("@bullseye-partner/sandbox/Store/Visitors", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const list = Effect.fn("Visitors.list")(function* (organizationId: string, query: VisitorListQuery) {
      const page = query.page ?? 1
      const pageSize = query.pageSize ?? 20
      const where = sql.and([
        sql`organization_id = ${organizationId}`,
        ...(query.startDate === undefined ? [] : [sql`identified_at >= ${lowerBound(query.startDate)}`]),
        ...(query.endDate === undefined ? [] : [sql`identified_at < ${upperBoundExclusive(query.endDate)}`]),
        ...(query.icpMatch === undefined ? [] : [sql`icp_match = ${bit(query.icpMatch)}`]),
        ...(query.search === undefined
          ? []
          : [
              sql.or(
                ["email", "first_name", "last_name", "company_name"].map(
                  (column) => sql`LOWER(${sql(column)}) LIKE ${likeContains(query.search ?? "")} ESCAPE '\\'`
                )
              )
            ])
      ])
      const counted = yield* sql`SELECT CAST(COUNT(*) AS INTEGER) AS total FROM visitors WHERE ${where}`
      const rows = yield* sql`SELECT * FROM visitors WHERE ${where}
        ORDER BY identified_at DESC, id DESC LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`
      return {
        visitors: rows.map(toVisitor),
        total: counted[0] === undefined ? 0 : int(counted[0], "total"),
        page,
        pageSize
      }
    })

    const get = Effect.fn("Visitors.get")(function* (organizationId: string, visitorId: string) {
      const rows =
        yield* sql`SELECT * FROM visitors WHERE id = ${visitorId} AND organization_id = ${organizationId}`
      const row = rows[0]
      if (row === undefined) return Option.none<VisitorDetail>()
      const sessions = yield* sql`SELECT * FROM sessions WHERE visitor_id = ${visitorId}
        ORDER BY started_at DESC, id DESC LIMIT 50`
      return Option.some({ ...toVisitor(row), sessions: sessions.map(toSession) } satisfies VisitorDetail)
    })

    const insert = Effect.fn("Visitors.insert")(function* (draft: VisitorDraft) {
      const detail = draftToDetail(draft)
      yield* sql`INSERT INTO visitors ${sql.insert({
        id: draft.id,
        partner_id: draft.partnerId,
        organization_id: draft.organizationId,
        identified_at: storedTime(draft.identifiedAt),
        last_seen_at: storedTime(draft.lastSeenAt),
        email: draft.email,
        first_name: draft.firstName,
        last_name: draft.lastName,
        job_title: draft.jobTitle,
        linkedin_url: draft.linkedinUrl,
        city: draft.location.city,
        region: draft.location.region,
        country: draft.location.country,
        company: draft.company === null ? null : JSON.stringify(draft.company),
        company_name: draft.company?.name ?? null,
        icp_match: bit(draft.icpMatch),
        icp_score: draft.icpScore,
        matched_icp_config_id: draft.matchedIcpConfigId,
        session_count: detail.sessionCount,
        page_view_count: detail.pageViewCount,
        landing_page: detail.landingPage,
        referrer: detail.referrer,
        utm: JSON.stringify(detail.utm)
      })}`
      for (const session of draft.sessions) {
        yield* sql`INSERT INTO sessions ${sql.insert({
          id: session.id,
          visitor_id: draft.id,
          organization_id: draft.organizationId,
          partner_id: draft.partnerId,
          started_at: storedTime(session.startedAt),
          ended_at: session.endedAt === null ? null : storedTime(session.endedAt),
          landing_page: session.landingPage,
          pages_visited: JSON.stringify(session.pagesVisited),
          page_view_count: session.pagesVisited.length,
          referrer: session.referrer,
          utm: JSON.stringify(session.utm),
          device_type: session.deviceType
        })}`
      }
      return detail
    })

    /** Identifications of an organization since an instant (for the per-period cap). */
    const countSince = Effect.fn("Visitors.countSince")(function* (organizationId: string, since: string) {
      const rows = yield* sql`SELECT CAST(COUNT(*) AS INTEGER) AS n FROM visitors
        WHERE organization_id = ${organizationId} AND identified_at >= ${since}`
      return rows[0] === undefined ? 0 : int(rows[0], "n")
    })

    return { list, get, insert, countSince }
  })
}) {}
