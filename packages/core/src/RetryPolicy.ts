import { Headers, HttpClient, HttpClientError } from "@effect/platform"
import type { HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Cause, Data, Duration, Effect, Exit, Option, Random } from "effect"
import { defaultMaxBodyBytes, readWhole } from "./internal/bufferedResponse.js"
import { type AttemptLimits, makeDeadlines, nativeLimits } from "./internal/deadlines.js"
import { defaultMaxWaitMs, WaitTooLong } from "./RateLimitGovernor.js"

/** Overrides for `RetryPolicy.make`; anything left out keeps the value of `RetryPolicy.default`. */
export interface RetryPolicyOptions {
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
  readonly maxRetries?: number
  readonly maxRateLimitRetries?: number
  readonly attemptTimeoutMs?: number
}

/** How requests are retried and how long one attempt may take. */
export class RetryPolicy extends Data.Class<{
  /** First backoff ceiling; the n-th retry waits a uniform random time in [0, min(max, base * 2^n)]. */
  readonly baseDelayMs: number
  readonly maxDelayMs: number
  /** Retries after connection errors, timeouts and 500/502/503/504 (429s are counted apart). */
  readonly maxRetries: number
  /** Retries after a 429, each one made when the rate-limit window resets. */
  readonly maxRateLimitRetries: number
  /** Time allowed for one attempt, until its answer has been read whole. */
  readonly attemptTimeoutMs: number
}> {
  /** 200 ms base, 10 s cap, 5 retries, 5 rate-limit retries, 30 s per attempt. */
  static readonly default: RetryPolicy = new RetryPolicy({
    baseDelayMs: 200,
    maxDelayMs: 10_000,
    maxRetries: 5,
    maxRateLimitRetries: 5,
    attemptTimeoutMs: 30_000
  })

  /** The default policy with some values overridden. */
  static make(options: RetryPolicyOptions = {}): RetryPolicy {
    const base = RetryPolicy.default
    const count = (n: number | undefined, fallback: number) => Math.max(0, Math.floor(n ?? fallback))
    return new RetryPolicy({
      baseDelayMs: Math.max(0, options.baseDelayMs ?? base.baseDelayMs),
      maxDelayMs: Math.max(0, options.maxDelayMs ?? base.maxDelayMs),
      maxRetries: count(options.maxRetries, base.maxRetries),
      maxRateLimitRetries: count(options.maxRateLimitRetries, base.maxRateLimitRetries),
      attemptTimeoutMs: options.attemptTimeoutMs ?? base.attemptTimeoutMs
    })
  }
}

/** The cause of the `RequestError` an attempt fails with when it exceeds its timeout. */
export class AttemptTimeout extends Data.TaggedError("AttemptTimeout")<{ readonly timeoutMs: number }> {}

/** What a transport failure says about the request: the SDK maps it to `Timeout`, `RateLimited` or `NetworkError`. */
export type FailureKind =
  | { readonly kind: "timeout"; readonly timeoutMs: number }
  | { readonly kind: "rateLimited"; readonly retryAt: number; readonly waitMs: number }
  | { readonly kind: "refused" }
  | { readonly kind: "network" }
  | { readonly kind: "other" }

const causeChain = (root: unknown): ReadonlyArray<object> => {
  const seen = new Set<object>()
  const pending: Array<unknown> = [root]
  while (pending.length > 0 && seen.size < 32) {
    const next = pending.pop()
    if (next === null || typeof next !== "object" || seen.has(next)) continue
    seen.add(next)
    if ("cause" in next) pending.push(next.cause)
    if ("errors" in next && Array.isArray(next.errors)) pending.push(...(next.errors as Array<unknown>))
  }
  return [...seen]
}

/**
 * Classifies a client failure: our attempt timeout, a rate-limit wait longer than the governor's bound (never
 * sent), a refused connection (never sent), another network error.
 */
export const classifyFailure = (error: HttpClientError.HttpClientError): FailureKind => {
  if (error._tag !== "RequestError" || error.reason !== "Transport") return { kind: "other" }
  const chain = causeChain(error.cause)
  for (const cause of chain) {
    if (cause instanceof AttemptTimeout) return { kind: "timeout", timeoutMs: cause.timeoutMs }
    if (cause instanceof WaitTooLong)
      return { kind: "rateLimited", retryAt: cause.retryAt, waitMs: cause.waitMs }
  }
  for (const cause of chain) {
    if ("code" in cause && cause.code === "ECONNREFUSED") return { kind: "refused" }
  }
  return { kind: "network" }
}

const transientStatuses: ReadonlySet<number> = new Set([429, 500, 502, 503, 504])

/** Whether a status is worth another attempt (429, 500, 502, 503, 504). */
export const isTransientStatus = (status: number): boolean => transientStatuses.has(status)

const idempotentMethods: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])

/** The upper bound of the n-th (0-based) backoff: min(maxDelayMs, baseDelayMs * 2^n). */
export const backoffCeiling = (
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  retry: number
): number => Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry)

/** Full-jitter backoff: a uniform whole number of milliseconds in [0, backoffCeiling(policy, retry)]. */
export const jitteredBackoff = (
  policy: Pick<RetryPolicy, "baseDelayMs" | "maxDelayMs">,
  retry: number
): Effect.Effect<Duration.Duration> =>
  Effect.map(Random.next, (u) =>
    Duration.millis(Math.floor(u * (Math.floor(backoffCeiling(policy, retry)) + 1)))
  )

const retryAfterDelay = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<boolean> => {
  const seconds = Number(Option.getOrElse(Headers.get(response.headers, "retry-after"), () => "1"))
  const wait = Duration.seconds(Number.isFinite(seconds) && seconds > 0 ? seconds : 1)
  return Duration.toMillis(wait) > defaultMaxWaitMs
    ? Effect.succeed(false)
    : Effect.as(Effect.sleep(wait), true)
}

/** Options for `transformClient`. */
export interface RetryOptions {
  /**
   * Waits before a 429 is retried and says whether to retry; the transport leaves the wait to the rate-limit
   * governor. Default: sleep for Retry-After, unless it is longer than two minutes (then the 429 is returned).
   */
  readonly onRateLimited?: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<boolean>
}

const retrying = (
  policy: RetryPolicy,
  request: HttpClientRequest.HttpClientRequest,
  attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>,
  onRateLimited: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<boolean>
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const idempotent = idempotentMethods.has(request.method)
  type Answer = Exit.Exit<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
  // `last429`: the 429 a retry follows; when the governor refuses to wait that long, it is the answer.
  const loop = (
    retries: number,
    rateLimited: number,
    last429: Answer | undefined
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
    Effect.flatMap(Effect.exit(attempt), (exit) => {
      if (Exit.isSuccess(exit)) {
        const response = exit.value
        // A 429 was provably not processed, whatever the method.
        if (response.status === 429) {
          return rateLimited < policy.maxRateLimitRetries
            ? Effect.flatMap(onRateLimited(response), (retry) =>
                retry ? loop(retries, rateLimited + 1, exit) : exit
              )
            : exit
        }
        if (!idempotent || !isTransientStatus(response.status) || retries >= policy.maxRetries) return exit
      } else {
        if (Cause.isInterrupted(exit.cause)) return exit
        const failure = Cause.failureOption(exit.cause)
        if (Option.isNone(failure)) return exit
        const kind = classifyFailure(failure.value).kind
        if (kind === "rateLimited") return last429 ?? exit
        if (retries >= policy.maxRetries) return exit
        // A POST is repeated only when it provably never left: after a reset or timeout it may have been processed.
        const retryable = kind === "refused" || (idempotent && (kind === "timeout" || kind === "network"))
        if (!retryable) return exit
      }
      return jitteredBackoff(policy, retries).pipe(
        Effect.flatMap(Effect.sleep),
        Effect.zipRight(loop(retries + 1, rateLimited, undefined))
      )
    })
  return loop(0, 0, undefined)
}

/** Retries each request of a client according to the policy; exhausted retries return the last response or error. */
export const transformClient =
  (policy: RetryPolicy = RetryPolicy.default, options: RetryOptions = {}) =>
  (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    HttpClient.transform(client, (attempt, request) =>
      retrying(policy, request, attempt, options.onRateLimited ?? retryAfterDelay)
    )

/**
 * Bounds each attempt of a client, body included: the answer is read whole within `timeoutMs` (or the attempt
 * fails with a `Transport` `RequestError` caused by `AttemptTimeout`), and a body over `maxBodyBytes` (16 MiB
 * by default) fails with a `ResponseError` caused by `BodyTooLarge` instead of being read further.
 */
export const withAttemptTimeout = (timeoutMs: number, maxBodyBytes: number = defaultMaxBodyBytes) => {
  const timed = Number.isFinite(timeoutMs) && timeoutMs > 0
  const timeout = timed ? makeDeadlines(timeoutMs) : undefined
  const onTimeout = (request: HttpClientRequest.HttpClientRequest) =>
    new HttpClientError.RequestError({
      request,
      reason: "Transport",
      cause: new AttemptTimeout({ timeoutMs }),
      description: `no complete answer within ${timeoutMs} ms`
    })
  const limits: AttemptLimits = { deadline: timed ? { timeoutMs, onTimeout } : undefined, maxBodyBytes }
  return (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    nativeLimits(client)?.(limits) ??
    HttpClient.transform(client, (attempt, request) => {
      const whole = Effect.flatMap(attempt, (response) => readWhole(response, maxBodyBytes))
      return timeout === undefined ? whole : timeout(whole, () => onTimeout(request))
    })
}
