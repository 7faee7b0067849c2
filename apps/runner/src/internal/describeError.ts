/** A failure as the report shows it: a short code and a message. */
export const describeError = (error: unknown): { readonly code: string; readonly message: string } => {
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const tag = String(error._tag)
    const message = "message" in error ? String(error.message) : tag
    const details = "details" in error && typeof error.details === "object" ? error.details : null
    const reason = details !== null && "reason" in details ? details.reason : undefined
    const code = typeof reason === "string" ? reason : "code" in error ? String(error.code) : tag
    // A rate limit that asks for a longer wait than the SDK sleeps says when to come back.
    if (tag === "RateLimited" && "retryAt" in error && typeof error.retryAt === "number") {
      const at = new Date(error.retryAt)
      const wait = Math.max(0, Math.ceil((error.retryAt - Date.now()) / 1000))
      return {
        code,
        message: `${message}; the API accepts requests again at ${at.toISOString()} (in ${wait} s)`
      }
    }
    return { code, message }
  }
  return { code: "Error", message: String(error) }
}
