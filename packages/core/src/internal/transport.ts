import type { HttpClient } from "@effect/platform"
import { Effect } from "effect"
import * as RateLimitGovernor from "../RateLimitGovernor.js"
import * as RetryPolicy from "../RetryPolicy.js"

export interface TransportOptions {
  readonly governor: RateLimitGovernor.RateLimitGovernor
  /** Retries and the per-attempt timeout; `RetryPolicy.default` when left out. */
  readonly retryPolicy?: RetryPolicy.RetryPolicy | undefined
  /** The largest response body read (default 16 MiB); a larger one fails as a `ResponseDecodeError`. */
  readonly maxResponseBytes?: number | undefined
}

/**
 * Retries are outermost, so every attempt queues at the governor again (a 429 is retried when the window
 * resets, with no backoff); the timeout is innermost, so time spent queued never counts against an attempt.
 * Every client reads the answer whole inside the timeout: a stalled body times out whichever client runs.
 */
export const makeTransport =
  (options: TransportOptions) =>
  (client: HttpClient.HttpClient): HttpClient.HttpClient => {
    const policy = options.retryPolicy ?? RetryPolicy.RetryPolicy.default
    return client.pipe(
      RetryPolicy.withAttemptTimeout(policy.attemptTimeoutMs, options.maxResponseBytes),
      RateLimitGovernor.transformClient(options.governor),
      RetryPolicy.transformClient(policy, { onRateLimited: () => Effect.succeed(true) })
    )
  }
