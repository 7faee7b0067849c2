import SwaggerParser from "@apidevtools/swagger-parser"
import { HttpApi } from "@effect/platform"
import { Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "vitest"
import { Api } from "../src/Api.js"
import { OrganizationPage } from "../src/Api/Organizations.js"
import { ApiKey, ApiKeyCreate, ApiKeyCreated } from "../src/Domain/ApiKey.js"
import { Analytics } from "../src/Domain/Analytics.js"
import { BillingInfo } from "../src/Domain/Billing.js"
import { DomainSet, DomainSetup } from "../src/Domain/DomainSetup.js"
import { IcpRules } from "../src/Domain/Icp.js"
import { Allocation, CreditAllocationRequest, OrganizationCreate } from "../src/Domain/Organization.js"
import { BrandingUpdate, Partner, PartnerBranding } from "../src/Domain/Partner.js"
import { WebhookChannel, WebhookChannelUpdate } from "../src/Domain/Webhook.js"
import { Unauthorized, Wire } from "../src/Errors.js"
import { DateOrDateTime } from "../src/Domain/Common.js"
import { openApiJson } from "../src/OpenApiDocument.js"

const shared = new URL("./fixtures/partner-api/", import.meta.url)
const examplesDir = new URL("examples/", shared)
const readExample = (file: string): unknown => JSON.parse(readFileSync(new URL(file, examplesDir), "utf8"))

// Every vendor example, with the schema that must accept it (request bodies are decoded as the sandbox does).
const examples: Record<string, Schema.Schema.AnyNoContext> = {
  "analytics.get.response.json": Analytics,
  "apiKeys.create.request.json": ApiKeyCreate,
  "apiKeys.create.response.json": ApiKeyCreated,
  "apiKeys.list.response.json": Schema.Struct({ apiKeys: Schema.Array(ApiKey) }),
  "billing.get.response.json": BillingInfo,
  "branding.update.request.json": BrandingUpdate,
  "branding.update.response.json": Schema.Struct({ partner: PartnerBranding }),
  "credits.allocate.request.json": CreditAllocationRequest,
  "credits.allocate.response.json": Schema.Struct({ allocation: Allocation }),
  "domain.set.request.json": DomainSet,
  "domain.set.response.json": DomainSetup,
  "error.unauthorized.response.json": Wire.Unauthorized,
  "icpConfig.rules.json": IcpRules,
  "organizations.create.guide.request.json": OrganizationCreate,
  "organizations.create.request.json": OrganizationCreate,
  "organizations.list.response.json": OrganizationPage,
  "partner.me.response.json": Schema.Struct({ partner: Partner }),
  "webhooks.billing.update.request.json": WebhookChannelUpdate,
  "webhooks.billing.update.response.json": Schema.Struct({ billing: WebhookChannel }),
  "webhooks.get.response.json": Schema.Struct({ identification: WebhookChannel, billing: WebhookChannel }),
  "webhooks.identification.update.request.json": WebhookChannelUpdate,
  "webhooks.identification.update.response.json": Schema.Struct({ identification: WebhookChannel })
}

describe("vendor examples", () => {
  it("every example file has a schema here", () => {
    expect(readdirSync(examplesDir).sort()).toEqual(Object.keys(examples).sort())
  })

  for (const [file, schema] of Object.entries(examples)) {
    it(`${file} decodes`, () => {
      const decoded = Schema.decodeUnknownEither(schema, { onExcessProperty: "error" })(readExample(file))
      if (decoded._tag === "Left") expect.fail(String(decoded.left))
    })
  }

  it("the 401 example decodes into the typed error and keeps code, message and details", () => {
    const error = Schema.decodeUnknownSync(Wire.Unauthorized)(readExample("error.unauthorized.response.json"))
    expect(error).toBeInstanceOf(Unauthorized)
    expect([error.status, error.code, error.message, error.details]).toEqual([
      401,
      "Unauthorized",
      "Invalid or missing API key",
      {}
    ])
    expect(Schema.encodeSync(Wire.Unauthorized)(error)).toEqual(
      readExample("error.unauthorized.response.json")
    )
  })

  it("a documented request body with an unknown field is refused", () => {
    const body = { ...(readExample("credits.allocate.request.json") as object), bonus: 1 }
    expect(Schema.decodeUnknownEither(CreditAllocationRequest)(body)._tag).toBe("Left")
  })
})

describe("the contract", () => {
  const endpoints: Array<string> = []
  HttpApi.reflect(Api, {
    onGroup() {},
    onEndpoint({ endpoint }) {
      endpoints.push(`${endpoint.method} ${endpoint.path.replace(/:(\w+)/g, "{$1}")}`)
    }
  })

  it("has exactly the endpoints of endpoints.md", () => {
    const documented = [
      ...readFileSync(new URL("endpoints.md", shared), "utf8").matchAll(/`(GET|POST|PUT|DELETE) (\/[^`]*)`/g)
    ].map((m) => `${m[1]} ${m[2]}`)
    expect(new Set(documented).size).toBe(36)
    expect(endpoints.sort()).toEqual([...new Set(documented)].sort())
  })

  it("the committed openapi.json is up to date (run `pnpm --filter @bullseye-partner/core openapi`)", () => {
    const committed = readFileSync(new URL("../openapi.json", import.meta.url), "utf8")
    expect(committed).toBe(openApiJson())
  })

  it("openapi.json is a valid OpenAPI document with every endpoint", async () => {
    const doc = JSON.parse(readFileSync(new URL("../openapi.json", import.meta.url), "utf8"))
    const api = await SwaggerParser.validate(doc)
    const operations = Object.entries(api.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item ?? {}).map((method) => `${method.toUpperCase()} ${path}`)
    )
    expect(operations.sort()).toEqual([...endpoints].sort())
  })

  it("documents the API key header and the wire error body on every refusal", () => {
    const doc = JSON.parse(openApiJson())
    expect(doc.components.securitySchemes.apiKey).toEqual({
      type: "apiKey",
      name: "X-Partner-API-Key",
      in: "header"
    })
    for (const item of Object.values(doc.paths) as Array<
      Record<string, { responses: Record<string, unknown> }>
    >) {
      for (const op of Object.values(item)) {
        for (const status of ["401", "403", "429", "500"]) {
          expect(JSON.stringify(op.responses[status])).toContain("#/components/schemas/WireError")
        }
      }
    }
  })
})

describe("request value checks", () => {
  it("refuses impossible calendar dates that Date.parse would roll over", () => {
    const decode = Schema.decodeUnknownEither(DateOrDateTime)
    expect(decode("2025-02-28")._tag).toBe("Right")
    expect(decode("2024-02-29T10:00:00Z")._tag).toBe("Right")
    expect(decode("2025-02-30")._tag).toBe("Left")
    expect(decode("2025-02-29T10:00:00Z")._tag).toBe("Left")
    expect(decode("2025-13-01")._tag).toBe("Left")
  })
})
