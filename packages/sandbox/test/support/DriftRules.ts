// Drift rules shared by the SDK's and the runner's failure-path tests.
import type { DriftRule } from "./DriftServer.js"

/** `PUT /partner/organizations/:id/credits`. */
export const creditsPath = /^\/partner\/organizations\/[^/]+\/credits$/

/** Every request answered, without reaching the sandbox, by a 429 that asks to wait 999,999 seconds. */
export const absurdRetryAfter: DriftRule = {
  path: /.*/,
  forward: false,
  reply: {
    status: 429,
    headers: { "retry-after": "999999", "content-type": "application/json" },
    body: JSON.stringify({ code: "TooManyRequests", message: "Slow down", details: {} })
  }
}
