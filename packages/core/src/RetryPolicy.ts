import { Headers, HttpClient, HttpClientError } from "@effect/platform"
import type { HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Cause, Data, Duration, Effect, Exit, Option, Random } from "effect"
import { makeDeadlines, nativeTimeout } from "./internal/deadlines.js"

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
  /** Time allowed for one attempt until the response headers arrive. */
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

/** What a transport failure says about the request: the SDK maps it to `Timeout` or `NetworkError`. */
export type FailureKind =
  | { readonly kind: "timeout"; readonly timeoutMs: number }
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

/** Classifies a client failure: our attempt timeout, a refused connection (never sent), another network error. */
export const classifyFailure = (error: HttpClientError.HttpClientError): FailureKind => {
  if (error._tag !== "RequestError" || error.reason !== "Transport") return { kind: "other" }
  const chain = causeChain(error.cause)
  for (const cause of chain) {
    if (cause instanceof AttemptTimeout) return { kind: "timeout", timeoutMs: cause.timeoutMs }
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

const retryAfterDelay = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> => {
  const seconds = Number(Option.getOrElse(Headers.get(response.headers, "retry-after"), () => "1"))
  return Effect.sleep(Duration.seconds(Number.isFinite(seconds) && seconds > 0 ? seconds : 1))
}

/** Options for `transformClient`. */
export interface RetryOptions {
  /** Waits before a 429 is retried; the transport leaves this to the rate-limit governor. Default: Retry-After. */
  readonly onRateLimited?: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<void>
}

const retrying = (
  policy: RetryPolicy,
  request: HttpClientRequest.HttpClientRequest,
  attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>,
  onRateLimited: (response: HttpClientResponse.HttpClientResponse) => Effect.Effect<void>
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const idempotent = idempotentMethods.has(request.method)
  const loop = (
    retries: number,
    rateLimited: number
  ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
    Effect.flatMap(Effect.exit(attempt), (exit) => {
      if (Exit.isSuccess(exit)) {
        const response = exit.value
        // A 429 was provably not processed, whatever the method.
        if (response.status === 429) {
          return rateLimited < policy.maxRateLimitRetries
            ? Effect.zipRight(onRateLimited(response), loop(retries, rateLimited + 1))
            : exit
        }
        if (!idempotent || !isTransientStatus(response.status) || retries >= policy.maxRetries) return exit
      } else {
        if (Cause.isInterrupted(exit.cause)) return exit
        const failure = Cause.failureOption(exit.cause)
        if (Option.isNone(failure) || retries >= policy.maxRetries) return exit
        const kind = classifyFailure(failure.value).kind
        // A POST is repeated only when it provably never left: after a reset or timeout it may have been processed.
        const retryable = kind === "refused" || (idempotent && (kind === "timeout" || kind === "network"))
        if (!retryable) return exit
      }
      return jitteredBackoff(policy, retries).pipe(
        Effect.flatMap(Effect.sleep),
        Effect.zipRight(loop(retries + 1, rateLimited))
      )
    })
  return loop(0, 0)
}

/** Retries each request of a client according to the policy; exhausted retries return the last response or error. */
export const transformClient =
  (policy: RetryPolicy = RetryPolicy.default, options: RetryOptions = {}) =>
  (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    HttpClient.transform(client, (attempt, request) =>
      retrying(policy, request, attempt, options.onRateLimited ?? retryAfterDelay)
    )

/** Fails an attempt with a `Transport` `RequestError` caused by `AttemptTimeout` once `timeoutMs` have passed. */
export const withAttemptTimeout = (timeoutMs: number) => {
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) return (client: HttpClient.HttpClient) => client
  const timeout = makeDeadlines(timeoutMs)
  const onTimeout = (request: HttpClientRequest.HttpClientRequest) =>
    new HttpClientError.RequestError({
      request,
      reason: "Transport",
      cause: new AttemptTimeout({ timeoutMs }),
      description: `no response within ${timeoutMs} ms`
    })
  return (client: HttpClient.HttpClient): HttpClient.HttpClient =>
    nativeTimeout(client)?.(timeoutMs, onTimeout) ??
    HttpClient.transform(client, (attempt, request) => timeout(attempt, () => onTimeout(request)))
}
