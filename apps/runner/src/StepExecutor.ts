import { OrganizationUpdate } from "@bullseye-partner/core/Domain/Organization"
import { InternalError, NetworkError, outcomeUnknown, RateLimited } from "@bullseye-partner/core/Errors"
import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { Organizations } from "@bullseye-partner/core/Organizations"
import { defaultMaxWaitMs } from "@bullseye-partner/core/RateLimitGovernor"
import { Clock, Duration, Effect, Either, Layer, Schema } from "effect"
import { sameJson } from "./internal/canonical.js"
import { describeError } from "./internal/describeError.js"
import type { StepResult } from "./Journal.js"
import * as WriteClient from "./WriteClient.js"
import { type Assessment, assessValue, pick, samePixel, type Step, type StepAction } from "./Step.js"

/**
 * Whether another round (a fresh read, then a decision) is worth it: the change may have been applied (its
 * outcome is unknown, or it was applied and its answer unreadable), or it failed for a passing reason. A rate
 * limit whose reset is further away than the client waits is not passing.
 */
const isUncertain = (error: unknown, now: number): boolean =>
  outcomeUnknown(error) ||
  error instanceof NetworkError ||
  error instanceof InternalError ||
  (error instanceof RateLimited && (error.retryAt === undefined || error.retryAt - now <= defaultMaxWaitMs))

const decodeUpdate = Schema.decodeUnknownEither(OrganizationUpdate)

class InvalidStep extends Schema.TaggedError<InvalidStep>()("InvalidStep", { message: Schema.String }) {}

const nullish = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, v ?? null]))

/** Runs steps: a fresh read checks the precondition, then the change is made once; never fails. */
export class StepExecutor extends Effect.Service<StepExecutor>()("@bullseye-partner/runner/StepExecutor", {
  effect: Effect.gen(function* () {
    const organizations = yield* Organizations
    const icpConfigs = yield* IcpConfigs
    // Changes go through the write client: never repeated blindly, confirmed by the reads above instead.
    const writes = yield* Effect.all({
      organizations: Organizations,
      icpConfigs: IcpConfigs
    }).pipe(
      Effect.provide(
        Layer.merge(WriteClient.over(Organizations.Default), WriteClient.over(IcpConfigs.Default))
      )
    )

    const organizationId = (step: Step) =>
      step.organization.id === null
        ? Effect.fail(new InvalidStep({ message: "the step names no organization id" }))
        : Effect.succeed(step.organization.id)

    const assess = (step: Step, id: string): Effect.Effect<Assessment, unknown> => {
      const action = step.action
      switch (action._tag) {
        case "createOrganization":
          return Effect.succeed({ _tag: "perform" })
        case "updateOrganization":
          return Effect.map(organizations.get(id), (org) =>
            assessValue(nullish(action.from), nullish(action.to), nullish(pick(org, action.to)))
          )
        case "allocateCredits":
          return Effect.map(organizations.get(id), (org) => assessValue(action.from, action.to, org.credits))
        case "setTier":
          return Effect.map(organizations.get(id), (org) =>
            assessValue<string>(action.from, action.to, org.tier)
          )
        case "setStatus":
          return Effect.map(organizations.get(id), (org) =>
            assessValue<string>(action.from, action.to, org.status)
          )
        case "setMetadata":
          return Effect.map(organizations.get(id), (org) => assessValue(action.from, action.to, org.metadata))
        case "setPixel":
          return Effect.map(organizations.getPixel(id), (pixel) =>
            assessValue(
              action.from,
              action.to,
              { allowedDomains: pixel.allowedDomains, enabled: pixel.enabled },
              samePixel
            )
          )
        case "createIcpConfig":
          return Effect.map(icpConfigs.list(id), (configs): Assessment => {
            const found = configs.find((c) => c.name === action.name)
            if (found === undefined) return { _tag: "perform" }
            const wanted = {
              rules: action.rules,
              ...(action.active === undefined ? {} : { active: action.active }),
              ...(action.priority === undefined ? {} : { priority: action.priority })
            }
            return sameJson(pick(found, wanted), wanted)
              ? { _tag: "satisfied" }
              : { _tag: "drifted", expected: "no config of that name", found: pick(found, wanted) }
          })
        case "updateIcpConfig":
          return Effect.map(icpConfigs.list(id), (configs): Assessment => {
            const found = configs.find((c) => c.id === action.icpConfigId)
            return found === undefined
              ? { _tag: "drifted", expected: action.from, found: "the config no longer exists" }
              : assessValue<unknown>(action.from, action.to, pick(found, action.to))
          })
        case "deleteIcpConfig":
          return Effect.map(icpConfigs.list(id), (configs): Assessment =>
            configs.some((c) => c.id === action.icpConfigId) ? { _tag: "perform" } : { _tag: "satisfied" }
          )
      }
    }

    const performUpdate = (id: string, payload: unknown) =>
      Either.match(decodeUpdate(payload), {
        onLeft: (error) => Effect.fail(new InvalidStep({ message: `invalid update: ${error.message}` })),
        onRight: (update) => writes.organizations.update(id, update)
      })

    const perform = (
      action: Exclude<StepAction, { _tag: "createOrganization" }>,
      id: string
    ): Effect.Effect<unknown, unknown> => {
      switch (action._tag) {
        case "updateOrganization":
          return performUpdate(id, action.to)
        case "allocateCredits":
          return writes.organizations.allocateCredits(id, {
            credits: action.to,
            ...(action.notes === undefined ? {} : { notes: action.notes })
          })
        case "setTier":
          return writes.organizations.setTier(id, action.to)
        case "setStatus":
          return writes.organizations.setStatus(id, action.to)
        case "setMetadata":
          return performUpdate(id, { metadata: action.to })
        case "setPixel":
          return writes.organizations.updatePixel(id, action.to)
        case "createIcpConfig":
          return writes.icpConfigs.create(id, {
            name: action.name,
            rules: action.rules,
            ...(action.active === undefined ? {} : { active: action.active }),
            ...(action.priority === undefined ? {} : { priority: action.priority })
          })
        case "updateIcpConfig":
          return writes.icpConfigs.update(id, action.icpConfigId, action.to)
        case "deleteIcpConfig":
          return writes.icpConfigs.delete(id, action.icpConfigId)
      }
    }

    const failed = (error: unknown, organizationId: string | null): StepResult => {
      const { code, message } = describeError(error)
      return { outcome: "failed", organizationId, errorCode: code, message }
    }

    const maxRounds = 8

    const backoff = (round: number) => Effect.sleep(Duration.millis(Math.min(5_000, 100 * 2 ** round)))

    /**
     * Runs `attempt` (given its round) until it succeeds or fails with a certain error, backing off between
     * rounds; after `maxRounds` uncertain failures, or a certain one, the step has failed.
     */
    const untilCertain = (
      organizationId: string | null,
      attempt: (round: number) => Effect.Effect<StepResult, unknown>
    ) =>
      Effect.gen(function* () {
        let lastError: unknown = undefined
        for (let round = 0; round < maxRounds; round++) {
          if (round > 0) yield* backoff(round)
          const result = yield* Effect.either(attempt(round))
          if (Either.isRight(result)) return result.right
          lastError = result.left
          if (!isUncertain(result.left, yield* Clock.currentTimeMillis)) break
        }
        return failed(lastError, organizationId)
      })

    // ensure looks the externalId up before each create and the SDK never repeats a POST whose outcome is
    // unknown, so the default client is safe here and its reads are retried.
    const create = (step: Step, action: Extract<StepAction, { _tag: "createOrganization" }>) =>
      untilCertain(step.organization.id, (round) =>
        Effect.map(
          organizations.ensure(action.payload, { maxAttempts: 3 }),
          ({ organization, outcome }): StepResult => ({
            outcome: outcome === "existed" && round === 0 ? "satisfied" : "applied",
            organizationId: organization.id,
            errorCode: null,
            message:
              outcome === "created"
                ? "created"
                : outcome === "recovered" || round > 0
                  ? "created (confirmed by externalId after an unknown outcome)"
                  : `an organization with externalId ${action.payload.externalId} already exists`
          })
        )
      )

    /** Executes one step; a change whose outcome is unknown is confirmed by reading again, never blindly repeated. */
    const execute = Effect.fn("StepExecutor.execute")(function* (step: Step) {
      const action = step.action
      if (action._tag === "createOrganization") return yield* create(step, action)
      let performed = false
      return yield* untilCertain(step.organization.id, () =>
        Effect.gen(function* () {
          const orgId = yield* organizationId(step)
          const assessment = yield* assess(step, orgId)
          if (assessment._tag === "satisfied")
            return {
              outcome: performed ? "applied" : "satisfied",
              organizationId: orgId,
              errorCode: null,
              message: performed ? "applied (confirmed by reading again)" : "already satisfied"
            } satisfies StepResult
          if (assessment._tag === "drifted")
            return {
              outcome: "drifted",
              organizationId: orgId,
              errorCode: "drifted",
              message: `state changed since planning: expected ${JSON.stringify(assessment.expected)}, found ${JSON.stringify(assessment.found)}`
            } satisfies StepResult
          performed = true
          yield* perform(action, orgId)
          return {
            outcome: "applied",
            organizationId: orgId,
            errorCode: null,
            message: "applied"
          } satisfies StepResult
        })
      )
    })

    return { execute }
  })
}) {}
