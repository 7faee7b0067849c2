import { Cause, Option } from "effect"

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const num = (u: unknown): string => (typeof u === "number" ? u.toLocaleString("en-US") : String(u))

const firstLine = (s: string) => (s.split("\n")[0] ?? s).trim()

// Reasons of 422 answers turned into sentences with their numbers; the server's message is the fallback.
const unprocessable = (details: Record<string, unknown>, fallback: string): string => {
  switch (details["reason"]) {
    case "insufficient_pool":
      return `Not enough credits in the pool: ${num(details["available"])} available, ${num(details["requested"])} requested`
    case "trial_credit_cap":
      return "Trial organizations can hold at most 500 credits: switch the tier to paid first"
    case "below_used":
      return `The allocation cannot go below the credits already used${details["used"] === undefined ? "" : ` (${num(details["used"])})`}`
    case "organization_canceled":
      return "The organization is canceled; canceled organizations cannot change"
    case "webhook_url_missing":
      return "Set a URL before enabling the channel or sending a test"
    case "domain_verification_failed":
      return "Domain verification failed: the DNS records below are not in place yet"
    default:
      return fallback
  }
}

const badRequest = (details: Record<string, unknown>, fallback: string): string => {
  const issues = details["issues"]
  if (Array.isArray(issues) && isRecord(issues[0])) {
    const issue = issues[0]
    const path = Array.isArray(issue["path"]) ? issue["path"].filter((p) => p !== "body").join(".") : ""
    const message = typeof issue["message"] === "string" ? issue["message"] : fallback
    return path === "" ? message : `${path}: ${message}`
  }
  return fallback
}

/** One short line for a typed error of the SDK (or anything else), never a stack trace. */
export const describeError = (error: unknown): string => {
  if (!isRecord(error)) return firstLine(String(error))
  const tag = typeof error["_tag"] === "string" ? error["_tag"] : ""
  const message = typeof error["message"] === "string" ? firstLine(error["message"]) : ""
  const details = isRecord(error["details"]) ? error["details"] : {}
  switch (tag) {
    case "UnprocessableEntity":
      return unprocessable(details, message)
    case "BadRequest":
      return badRequest(details, message)
    case "Forbidden":
      return typeof details["requiredScope"] === "string"
        ? `This key lacks the ${details["requiredScope"]} scope`
        : message
    case "Unauthorized":
      return "The API key was refused (invalid, revoked or expired)"
    case "NotFound":
      return message === "" ? "Not found" : message
    case "Conflict":
      return typeof details["externalId"] === "string"
        ? `Another organization already uses the externalId ${details["externalId"]}`
        : message
    case "RateLimited":
      return "Rate limit reached: waiting for the window to reset"
    default:
      return message === "" ? "Unexpected error" : message
  }
}

/** The message of an Effect failure: the typed error when there is one, else a short defect line. */
export const describeCause = (cause: Cause.Cause<unknown>): string => {
  const failure = Cause.failureOption(cause)
  if (Option.isSome(failure)) return describeError(failure.value)
  if (Cause.isInterruptedOnly(cause)) return "Canceled"
  return `Unexpected error: ${describeError(Cause.squash(cause))}`
}
