import { OpenApi } from "@effect/platform"
import { Api } from "./Api.js"

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

/** The OpenAPI 3.1 document generated from the contract. */
export const openApiDocument = (): Record<string, unknown> => {
  const spec = replaceDecodeError(OpenApi.fromApi(Api) as unknown as Json) as Record<string, Json>
  const components = spec["components"] as { schemas: Record<string, Json> }
  delete components.schemas["HttpApiDecodeError"]
  delete components.schemas["Issue"]
  delete components.schemas["PropertyKey"]
  return spec
}

/** The document as committed in `packages/core/openapi.json` (stable formatting). */
export const openApiJson = (): string => `${JSON.stringify(openApiDocument(), null, 2)}\n`
