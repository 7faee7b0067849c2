import { PartnerClient } from "@bullseye-partner/core/PartnerClient"
import { Effect, Option } from "effect"
import { estimateSeconds, type Plan, requestsPerStep } from "./Plan.js"
import { makeSteps, type PlanInput } from "./Planner.js"
import { readState } from "./StateReader.js"
import { organizationKey } from "./Step.js"

const defaultRatePerMinute = 1000

/** Reads the current state through the API and computes the plan for a spec. */
export const createPlan = Effect.fn("Planning.createPlan")(function* (input: PlanInput) {
  const client = yield* PartnerClient
  const state = yield* readState(input)
  const { steps, selected } = makeSteps(input, state)
  const snapshot = yield* client.governor.snapshot
  const perMinute = Option.match(snapshot, { onNone: () => defaultRatePerMinute, onSome: (s) => s.limit })
  const requests = steps.length * requestsPerStep
  const changed = new Set(steps.map((s) => organizationKey(s.organization))).size
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    baseUrl: client.baseUrl,
    organizationsSelected: selected,
    organizationsChanged: changed,
    requests,
    rateLimitPerMinute: perMinute,
    estimatedSeconds: estimateSeconds(requests, perMinute),
    steps
  } satisfies Plan
})
