import { Schema } from "effect"
import { DateOrDateTime, Id, OpenEnum, Timestamp } from "./Common.js"

const S = Schema.NullOr(Schema.String)

/** A location; `country` is ISO 3166 alpha-2. */
export const Location = Schema.Struct({ city: S, region: S, country: S }).annotations({
  identifier: "Location"
})
export type Location = typeof Location.Type

/** A visitor's company (absent for B2C organizations). */
export const Company = Schema.Struct({
  name: S,
  domain: S,
  industry: S,
  employeeCount: Schema.NullOr(Schema.Int),
  employeeSizeRange: S,
  location: Location
}).annotations({ identifier: "Company" })
export type Company = typeof Company.Type

/** UTM parameters of a visit. */
export const Utm = Schema.Struct({ source: S, medium: S, campaign: S, term: S, content: S }).annotations({
  identifier: "Utm"
})
export type Utm = typeof Utm.Type

/** An identified visitor of an organization's site. */
export const Visitor = Schema.Struct({
  id: Id,
  organizationId: Id,
  identifiedAt: Timestamp,
  lastSeenAt: Timestamp,
  email: S,
  firstName: S,
  lastName: S,
  jobTitle: S,
  linkedinUrl: S,
  location: Location,
  company: Schema.NullOr(Company),
  icpMatch: Schema.Boolean,
  icpScore: Schema.NullOr(Schema.Int),
  matchedIcpConfigId: Schema.NullOr(Schema.String),
  sessionCount: Schema.Int,
  pageViewCount: Schema.Int,
  landingPage: S,
  referrer: S,
  utm: Utm
}).annotations({ identifier: "Visitor" })
export type Visitor = typeof Visitor.Type

/** One session of a visitor. */
export const VisitorSession = Schema.Struct({
  id: Id,
  startedAt: Timestamp,
  endedAt: Schema.NullOr(Timestamp),
  landingPage: Schema.String,
  pagesVisited: Schema.Array(Schema.String),
  referrer: S,
  utm: Utm,
  deviceType: OpenEnum("DeviceType", ["desktop", "mobile", "tablet"])
}).annotations({ identifier: "VisitorSession" })
export type VisitorSession = typeof VisitorSession.Type

/** A visitor with their sessions (newest first, at most 50). */
export const VisitorDetail = Schema.Struct({
  ...Visitor.fields,
  sessions: Schema.Array(VisitorSession)
}).annotations({ identifier: "VisitorDetail" })
export type VisitorDetail = typeof VisitorDetail.Type

/** Query of `GET .../visitors` besides paging. */
export const VisitorListParams = {
  startDate: Schema.optional(DateOrDateTime),
  endDate: Schema.optional(DateOrDateTime),
  icpMatch: Schema.optional(
    Schema.BooleanFromString.annotations({ jsonSchema: { type: "string", enum: ["true", "false"] } })
  ),
  search: Schema.optional(Schema.String.pipe(Schema.maxLength(255)))
}
