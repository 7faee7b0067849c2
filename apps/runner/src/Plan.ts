import { Schema } from "effect"
import { Step } from "./Step.js"

/** A plan file: the exact steps `apply` will run, and what they cost against the rate limit. */
export const Plan = Schema.Struct({
  version: Schema.Literal(1),
  createdAt: Schema.String,
  baseUrl: Schema.String,
  organizationsSelected: Schema.Int,
  organizationsChanged: Schema.Int,
  requests: Schema.Int,
  rateLimitPerMinute: Schema.Int,
  estimatedSeconds: Schema.Number,
  steps: Schema.Array(Step)
})
export type Plan = typeof Plan.Type

/** Requests `apply` sends per step: a fresh read of the precondition, then the change. */
export const requestsPerStep = 2

/** Seconds the rate limit implies for a number of requests. */
export const estimateSeconds = (requests: number, perMinute: number): number =>
  Math.round((requests / Math.max(1, perMinute)) * 60 * 10) / 10

/** Decodes a plan file's JSON. */
export const decodePlan = Schema.decodeUnknownEither(Schema.parseJson(Plan))
