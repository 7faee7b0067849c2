import { HttpApi, HttpApiClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect, Option, ParseResult, Schema, type SchemaAST as AST } from "effect"
import { Api } from "../Api.js"
import { is2xx, UndecodedResponse } from "./call.js"
import { fastDecoder, successDecoder } from "./fastDecode.js"

// Only its type is used: the client HttpApiClient would build, whose shape makeCaller reproduces.
const _reference = (httpClient: HttpClient.HttpClient) => HttpApiClient.makeWith(Api, { httpClient })

/** The typed client of the whole contract (failures not yet mapped into the SDK's errors). */
export type ApiClient = Effect.Effect.Success<ReturnType<typeof _reference>>

interface EndpointRequest {
  readonly path?: unknown
  readonly urlParams?: unknown
  readonly payload?: unknown
}

const compilePath = (path: string) => {
  const segments = path.split(/:(\w+)/g)
  return (params: Record<string, unknown>) =>
    segments.map((s, i) => (i % 2 === 1 ? encodeURIComponent(String(params[s])) : s)).join("")
}

const decodeJson = (text: string): Effect.Effect<unknown, ParseResult.ParseIssue> => {
  if (text === "") return Effect.succeed(undefined)
  try {
    return Effect.succeed(JSON.parse(text))
  } catch {
    return Effect.fail(new ParseResult.Type(Schema.Unknown.ast, text, "Could not parse JSON"))
  }
}

const encoder = (schema: Option.Option<Schema.Schema.All>) =>
  Option.isSome(schema) ? Schema.encodeUnknown(schema.value as Schema.Schema<unknown, unknown>) : undefined

/**
 * The same client HttpApiClient builds from the contract, with one difference that matters for bulk
 * work: a response whose schema is plain JSON is checked by a compiled validator instead of being
 * re-built by the schema interpreter (see fastDecode).
 */
export const makeCaller = (httpClient: HttpClient.HttpClient, baseUrl: string): ApiClient => {
  const client: Record<
    string,
    Record<string, (request?: EndpointRequest) => Effect.Effect<unknown, unknown>>
  > = {}
  const prefixed = httpClient.pipe(HttpClient.mapRequest(HttpClientRequest.prependUrl(baseUrl)))
  HttpApi.reflect(Api, {
    onGroup({ group }) {
      client[group.identifier] = {}
    },
    onEndpoint({ group, endpoint, successes, errors }) {
      const decoders = new Map<
        number,
        {
          readonly ok: boolean
          readonly decode: (json: unknown) => Effect.Effect<unknown, ParseResult.ParseIssue>
        }
      >()
      const add = (ok: boolean) => (entry: { readonly ast: { readonly _tag: string } }, status: number) => {
        const ast = entry.ast as
          { readonly _tag: "Some"; readonly value: AST.AST } | { readonly _tag: "None" }
        decoders.set(status, {
          ok,
          decode:
            ast._tag === "None"
              ? () => Effect.succeed(undefined)
              : ok
                ? successDecoder(ast.value)
                : fastDecoder(ast.value)
        })
      }
      errors.forEach(add(false))
      successes.forEach(add(true))
      // Any 2xx is success (the contract names one status, the real API may pick another of the family): it is
      // read with the declared success decoder, so a 200 for a 201 returns the body and a 204 expects none.
      const success = decoders.get(Math.min(...successes.keys()))
      const decoderFor = (status: number) => decoders.get(status) ?? (is2xx(status) ? success : undefined)
      const makeUrl = compilePath(endpoint.path)
      const encodePath = encoder(endpoint.pathSchema)
      const encodeUrlParams = encoder(endpoint.urlParamsSchema)
      const encodePayload = encoder(endpoint.payloadSchema)
      const method = HttpClientRequest.make(endpoint.method)
      const receive = (httpRequest: HttpClientRequest.HttpClientRequest): Effect.Effect<unknown, unknown> =>
        Effect.flatMap(prefixed.execute(httpRequest), (response) => {
          const decoder = decoderFor(response.status)
          // Failures keep the status and the raw body: the caller learns whether the request was applied.
          if (decoder === undefined) {
            return Effect.flatMap(response.text, (text) =>
              Effect.fail(new UndecodedResponse({ status: response.status, text, issue: undefined }))
            )
          }
          const decoded = Effect.flatMap(response.text, (text) =>
            Effect.mapError(
              Effect.flatMap(decodeJson(text), decoder.decode),
              (issue) => new UndecodedResponse({ status: response.status, text, issue })
            )
          )
          return decoder.ok ? decoded : Effect.flatMap(decoded, Effect.fail)
        })
      // Plain functions rather than a generator: this runs once per request.
      const send = (request: EndpointRequest, url: string) => {
        const httpRequest = method(url)
        const withParams =
          encodeUrlParams === undefined
            ? Effect.succeed(httpRequest)
            : Effect.map(encodeUrlParams(request.urlParams ?? {}), (params) =>
                HttpClientRequest.appendUrlParams(httpRequest, params as Record<string, string>)
              )
        const withPayload =
          encodePayload === undefined
            ? withParams
            : Effect.flatMap(withParams, (r) =>
                Effect.map(encodePayload(request.payload), (payload) =>
                  HttpClientRequest.bodyUnsafeJson(r, payload)
                )
              )
        return Effect.flatMap(withPayload, receive)
      }
      const groupClient = client[group.identifier] ?? {}
      groupClient[endpoint.name] = (request = {}) =>
        encodePath === undefined
          ? send(request, endpoint.path)
          : Effect.flatMap(encodePath(request.path), (params) =>
              send(request, makeUrl(params as Record<string, unknown>))
            )
    }
  })
  return client as unknown as ApiClient
}
