/** A failure as the report shows it: a short code and a message. */
export const describeError = (error: unknown): { readonly code: string; readonly message: string } => {
  if (typeof error === "object" && error !== null && "_tag" in error) {
    const tag = String(error._tag)
    const message = "message" in error ? String(error.message) : tag
    const details = "details" in error && typeof error.details === "object" ? error.details : null
    const reason = details !== null && "reason" in details ? details.reason : undefined
    const code = typeof reason === "string" ? reason : "code" in error ? String(error.code) : tag
    return { code, message }
  }
  return { code: "Error", message: String(error) }
}
