import { Effect, Option, Redacted, Schema } from "effect"
import type { ApiKeyCreate } from "./Domain/ApiKey.js"
import { ResponseDecodeError } from "./Errors.js"
import { PartnerClient } from "./PartnerClient.js"

/**
 * A key was created and its plain value came back, but the rest of the answer did not decode: `plainKey`
 * (redacted) is the only copy there will ever be, `decodeError` says what was wrong with the answer.
 */
export class UndecodedApiKey extends Schema.TaggedError<UndecodedApiKey>()("UndecodedApiKey", {
  message: Schema.String,
  plainKey: Schema.Redacted(Schema.String),
  keyId: Schema.optional(Schema.String),
  decodeError: ResponseDecodeError
}) {}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

// The object holding `plainKey`, wherever a drifted answer put it (bare, wrapped, nested a few levels).
const holder = (node: unknown, depth = 0): Option.Option<Record<string, unknown>> => {
  if (node === null || typeof node !== "object" || depth > 4) return Option.none()
  const record = node as Record<string, unknown>
  if (typeof record.plainKey === "string") return Option.some(record)
  for (const value of Object.values(record)) {
    const found = holder(value, depth + 1)
    if (Option.isSome(found)) return found
  }
  return Option.none()
}

const keepPlainKey = (error: ResponseDecodeError): ResponseDecodeError | UndecodedApiKey =>
  Option.match(error.applied ? holder(parse(Redacted.value(error.body))) : Option.none(), {
    onNone: () => error,
    onSome: (found) =>
      new UndecodedApiKey({
        message: `The key was created but the answer did not decode (${error.message}); its plain value is kept`,
        plainKey: Redacted.make(String(found.plainKey)),
        ...(typeof found.id === "string" ? { keyId: found.id } : {}),
        decodeError: error
      })
  })

/** API keys (section 2; every method needs the `admin` scope). */
export class ApiKeys extends Effect.Service<ApiKeys>()("@bullseye-partner/core/ApiKeys", {
  effect: Effect.gen(function* () {
    const { run } = yield* PartnerClient
    return {
      list: Effect.fn("ApiKeys.list")(() =>
        run("apiKeys", "list", (c) => c.list()).pipe(Effect.map((r) => r.apiKeys))
      ),
      /**
       * The plain key is in the result, redacted, and is never returned again; when the answer holds it but
       * does not decode, the failure is `UndecodedApiKey`, still carrying it.
       */
      create: Effect.fn("ApiKeys.create")((payload: ApiKeyCreate) =>
        run("apiKeys", "create", (c) => c.create({ payload })).pipe(
          Effect.catchTag("ResponseDecodeError", (error) => Effect.fail(keepPlainKey(error)))
        )
      ),
      revoke: Effect.fn("ApiKeys.revoke")((keyId: string) =>
        run("apiKeys", "revoke", (c) => c.revoke({ path: { keyId } }))
      )
    }
  })
}) {}
