import { Api } from "@bullseye-partner/core/Api"
import { RequiredScope } from "@bullseye-partner/core/Api/Security"
import type { Scope } from "@bullseye-partner/core/Domain/ApiKey"
import { HttpApi } from "@effect/platform"
import { Context, Option, Schema } from "effect"

/** One endpoint of the contract, as the gateway needs it before the handler runs. */
export interface EndpointInfo {
  /** `organizations.create` */
  readonly id: string
  readonly method: string
  /** The path template with `:param` segments, relative to `/api/v1`. */
  readonly path: string
  /** `GET /partner/organizations/{organizationId}`: the form fault `routes` use. */
  readonly route: string
  readonly scope: Scope
  readonly pathSchema: Option.Option<Schema.Schema<unknown, unknown>>
  readonly urlParamsSchema: Option.Option<Schema.Schema<unknown, unknown>>
  readonly payloadSchema: Option.Option<Schema.Schema<unknown, unknown>>
  readonly segments: ReadonlyArray<string>
}

/** A request matched to an endpoint, with its decoded path parameters. */
export interface EndpointMatch {
  readonly endpoint: EndpointInfo
  readonly params: Readonly<Record<string, string>>
}

const collect = (): ReadonlyArray<EndpointInfo> => {
  const out: Array<EndpointInfo> = []
  HttpApi.reflect(Api, {
    onGroup() {},
    onEndpoint({ endpoint, group, mergedAnnotations }) {
      const scope = Context.getOption(mergedAnnotations, RequiredScope)
      if (Option.isNone(scope))
        throw new Error(`Endpoint ${group.identifier}.${endpoint.name} has no RequiredScope`)
      out.push({
        id: `${group.identifier}.${endpoint.name}`,
        method: endpoint.method,
        path: endpoint.path,
        route: `${endpoint.method} ${endpoint.path.replace(/:(\w+)/g, "{$1}")}`,
        scope: scope.value,
        pathSchema: Option.map(endpoint.pathSchema, (schema) => Schema.make<unknown, unknown>(schema.ast)),
        urlParamsSchema: Option.map(endpoint.urlParamsSchema, (schema) =>
          Schema.make<unknown, unknown>(schema.ast)
        ),
        payloadSchema: Option.map(endpoint.payloadSchema, (schema) =>
          Schema.make<unknown, unknown>(schema.ast)
        ),
        segments: endpoint.path.split("/").filter((s) => s !== "")
      })
    }
  })
  return out
}

/** Every endpoint of the contract. */
export const endpoints: ReadonlyArray<EndpointInfo> = collect()

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}

const matchSegments = (
  template: ReadonlyArray<string>,
  actual: ReadonlyArray<string>
): Record<string, string> | undefined => {
  if (template.length !== actual.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < template.length; i++) {
    const expected = template[i] ?? ""
    const given = actual[i] ?? ""
    if (expected.startsWith(":")) {
      const value = decodeSegment(given)
      if (value === undefined || value === "") return undefined
      params[expected.slice(1)] = value
    } else if (expected !== given) {
      return undefined
    }
  }
  return params
}

// Static segments win over parameters, as in the framework's router.
const specificity = (e: EndpointInfo): number => e.segments.filter((s) => !s.startsWith(":")).length

const byMethod = new Map<string, ReadonlyArray<EndpointInfo>>()
for (const endpoint of [...endpoints].sort((a, b) => specificity(b) - specificity(a))) {
  byMethod.set(endpoint.method, [...(byMethod.get(endpoint.method) ?? []), endpoint])
}

/** Finds the endpoint a method and path (relative to `/api/v1`, no query) address. */
export const matchEndpoint = (method: string, pathname: string): Option.Option<EndpointMatch> => {
  const effective = method === "HEAD" ? "GET" : method
  const actual = pathname.split("/").filter((s) => s !== "")
  // Forms the framework's router would normalize differently (`;` starts parameters there) never match,
  // so the endpoint checked here is always the one that runs.
  if (pathname.includes("//") || pathname.includes(";") || (pathname.length > 1 && pathname.endsWith("/"))) {
    return Option.none()
  }
  for (const endpoint of byMethod.get(effective) ?? []) {
    const params = matchSegments(endpoint.segments, actual)
    if (params !== undefined) return Option.some({ endpoint, params })
  }
  return Option.none()
}
