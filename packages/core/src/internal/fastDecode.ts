import { Ajv } from "ajv"
import { Effect, JSONSchema, Option, ParseResult, Schema, SchemaAST as AST } from "effect"
import { decidedWrapperKey } from "../Api/Endpoint.js"

// A schema can be checked by a compiled JSON Schema validator alone when decoding it changes nothing:
// no transformations or declarations, and every refinement says what it means in JSON Schema.
const isPlain = (ast: AST.AST, seen = new Set<AST.AST>()): boolean => {
  if (seen.has(ast)) return true
  seen.add(ast)
  switch (ast._tag) {
    case "StringKeyword":
    case "NumberKeyword":
    case "BooleanKeyword":
    case "UnknownKeyword":
    case "UndefinedKeyword":
    case "Literal":
      return true
    case "TypeLiteral":
      return (
        ast.propertySignatures.every((p) => isPlain(p.type, seen)) &&
        ast.indexSignatures.every((i) => isPlain(i.parameter, seen) && isPlain(i.type, seen))
      )
    case "Union":
      return ast.types.every((t) => isPlain(t, seen))
    case "TupleType":
      return ast.elements.every((e) => isPlain(e.type, seen)) && ast.rest.every((r) => isPlain(r.type, seen))
    case "Refinement":
      return Option.isSome(AST.getJSONSchemaAnnotation(ast)) && isPlain(ast.from, seen)
    default:
      return false
  }
}

type Json = null | boolean | number | string | Array<Json> | { [k: string]: Json }

// Responses may carry fields this SDK does not know yet; they are tolerated, as the schema decode keeps them.
const allowExtraFields = (node: Json): Json => {
  if (Array.isArray(node)) return node.map(allowExtraFields)
  if (node === null || typeof node !== "object") return node
  const out: { [k: string]: Json } = {}
  for (const [k, v] of Object.entries(node)) {
    if (k === "$schema") continue
    out[k] = k === "additionalProperties" && v === false ? true : allowExtraFields(v)
  }
  return out
}

// The JSON Schemas are generated from the contract's own Schemas (and tested): Ajv need not check them
// against its meta-schema, whose compilation cost every process ~20-60 ms on its first request.
const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false, validateSchema: false })

// Unknown response fields are kept on both paths: the real API may add fields this SDK does not know, and a
// caller passing a value on (or printing it) should not lose them.
const keepUnknownFields = { onExcessProperty: "preserve" } as const

/**
 * A decoder for an already parsed JSON body: a compiled validator accepts a valid body as it is (the decode
 * of a plain schema is the identity), anything else goes through the schema's own decode, which also
 * locates the problem.
 */
export const fastDecoder = (
  ast: AST.AST
): ((json: unknown) => Effect.Effect<unknown, ParseResult.ParseIssue>) => {
  const schema = Schema.make(ast) as Schema.Schema<unknown>
  const decode: (json: unknown) => Effect.Effect<unknown, ParseResult.ParseIssue> = ParseResult.decodeUnknown(
    schema,
    keepUnknownFields
  )
  if (!isPlain(ast)) return decode
  // Compiled on first use: a client has dozens of endpoints and most processes call a few.
  let validate: ((json: unknown) => boolean) | undefined
  return (json) => {
    validate ??= ajv.compile(allowExtraFields(JSONSchema.make(schema) as unknown as Json) as object)
    return validate(json) ? Effect.succeed(json) : decode(json)
  }
}

const isObject = (u: unknown): u is object => typeof u === "object" && u !== null && !Array.isArray(u)

/**
 * The decoder of a success body: `fastDecoder`, and for a [decided] wrapper `{key: X}` also a bare `X` (any
 * body that is not an object holding `key`), decoded as if it came wrapped.
 */
export const successDecoder = (
  ast: AST.AST
): ((json: unknown) => Effect.Effect<unknown, ParseResult.ParseIssue>) => {
  const decode = fastDecoder(ast)
  const key = decidedWrapperKey(ast)
  if (key === undefined) return decode
  return (json) =>
    json === undefined || (isObject(json) && key in json) ? decode(json) : decode({ [key]: json })
}
