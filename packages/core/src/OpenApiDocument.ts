import { OpenApi } from "@effect/platform"
import { Api } from "./Api.js"
import {
  declareTransportResponses,
  documentDefaults,
  dropSchemaIds,
  markSources,
  openResponses,
  requireKey,
  type JsonObject
} from "./internal/openApiRewrites.js"
import { SourceExtension } from "./internal/openApiSources.js"

const decodeErrorRef = "#/components/schemas/HttpApiDecodeError"
const wireErrorRef = "#/components/schemas/WireError"

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }

// The framework documents its own decode-error body for 400; the API answers every 400 with the wire error.
const replaceDecodeError = (node: Json): Json => {
  if (Array.isArray(node)) return node.map(replaceDecodeError)
  if (node === null || typeof node !== "object") return node
  const obj = node as { readonly [k: string]: Json }
  if (obj["$ref"] === decodeErrorRef) return { $ref: wireErrorRef }
  const out: Record<string, Json> = {}
  for (const [k, v] of Object.entries(obj)) out[k] = replaceDecodeError(v)
  const anyOf = out["anyOf"]
  if (Array.isArray(anyOf)) {
    const seen = new Set<string>()
    const unique = anyOf.filter((m) => {
      const key = JSON.stringify(m)
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    if (unique.length === 1 && Object.keys(out).length === 1) return unique[0] ?? null
    out["anyOf"] = unique
  }
  return out
}

const sourcesNote = `Every operation, model and field carries \`${SourceExtension}\`: \`documented\` when the vendor's docs state it, \`decided\` when they are silent and this contract guesses (the real API may differ there: read responses tolerantly).`

const build = (): JsonObject => {
  const generated = replaceDecodeError(OpenApi.fromApi(Api) as unknown as Json) as Record<string, Json>
  const components = generated["components"] as { schemas: Record<string, Json> }
  delete components.schemas["HttpApiDecodeError"]
  delete components.schemas["Issue"]
  delete components.schemas["PropertyKey"]
  // replaceDecodeError built a fresh tree and dropSchemaIds copies it again: no further copy is needed.
  const spec = dropSchemaIds(generated as JsonObject)
  const info = spec["info"] as JsonObject
  info["description"] =
    `${typeof info["description"] === "string" ? `${info["description"]}\n\n` : ""}${sourcesNote}`
  requireKey(spec)
  documentDefaults(spec)
  markSources(spec)
  openResponses(spec)
  declareTransportResponses(spec)
  return spec
}

// The contract is fixed for the life of the process, and the sandbox serves the document on every request.
let committed: string | undefined

/** The document as committed in `packages/core/openapi.json` (stable formatting). */
export const openApiJson = (): string => (committed ??= `${JSON.stringify(build(), null, 2)}\n`)

/** The OpenAPI 3.1 document generated from the contract, with what the generator cannot express added (a fresh copy). */
export const openApiDocument = (): Record<string, unknown> =>
  JSON.parse(openApiJson()) as Record<string, unknown>
