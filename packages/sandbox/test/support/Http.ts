import { Effect, Redacted } from "effect"

/** An HTTP answer with its body parsed when it is JSON. */
export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: unknown
}

export interface RequestOptions {
  readonly key?: string | Redacted.Redacted<string> | undefined
  readonly body?: unknown
  /** Sent as is (no JSON encoding, no content type unless given). */
  readonly raw?: string | Uint8Array | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/** One real HTTP request (fetch); network failures are defects of the test. */
export const request = (baseUrl: string, method: string, path: string, options: RequestOptions = {}) =>
  Effect.promise(async (): Promise<Reply> => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.key !== undefined) {
      headers["x-partner-api-key"] =
        typeof options.key === "string" ? options.key : Redacted.value(options.key)
    }
    let body: string | Uint8Array | undefined = options.raw
    if (options.body !== undefined) {
      body = JSON.stringify(options.body)
      headers["content-type"] ??= "application/json"
    }
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body })
    })
    const text = await response.text()
    let parsed: unknown = undefined
    try {
      parsed = text === "" ? undefined : JSON.parse(text)
    } catch {
      parsed = undefined
    }
    return { status: response.status, headers: response.headers, text, body: parsed }
  })

/** Whether a body is exactly the documented error shape `{code, message, details}`. */
export const isErrorBody = (body: unknown): boolean =>
  typeof body === "object" &&
  body !== null &&
  !Array.isArray(body) &&
  Object.keys(body).sort().join(",") === "code,details,message" &&
  "code" in body &&
  typeof body.code === "string" &&
  "message" in body &&
  typeof body.message === "string" &&
  "details" in body &&
  typeof body.details === "object" &&
  body.details !== null &&
  !Array.isArray(body.details)

/** A field of a JSON object body (tests only look at known shapes). */
export const field = (body: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>(
    (value, key) =>
      typeof value === "object" && value !== null
        ? (value as Record<string | number, unknown>)[key]
        : undefined,
    body
  )
