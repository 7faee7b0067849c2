import { openApiDocument } from "@bullseye-partner/core/OpenApiDocument"
import { HttpServerResponse } from "@effect/platform"

type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c
  )

const asObject = (value: Json | undefined): { readonly [key: string]: Json } =>
  value !== null && value !== undefined && typeof value === "object" && !Array.isArray(value)
    ? (value as { readonly [key: string]: Json })
    : {}

const asArray = (value: Json | undefined): ReadonlyArray<Json> => (Array.isArray(value) ? value : [])

const text = (value: Json | undefined): string => (typeof value === "string" ? value : "")

const refName = (schema: Json | undefined): string => {
  const ref = text(asObject(schema)["$ref"])
  if (ref !== "") return ref.split("/").at(-1) ?? ref
  const anyOf = asArray(asObject(schema)["anyOf"])
  return anyOf.length > 0 ? anyOf.map(refName).join(" | ") : text(asObject(schema)["type"]) || "object"
}

const operationHtml = (
  method: string,
  path: string,
  operation: { readonly [key: string]: Json },
  apiBaseUrl: string
) => {
  const parameters = asArray(operation["parameters"]).map(asObject)
  const body = asObject(asObject(asObject(operation["requestBody"])["content"])["application/json"])["schema"]
  const responses = Object.entries(asObject(operation["responses"]))
  const id = `${method}-${path}`.replace(/[^a-zA-Z0-9]+/g, "-")
  return `<section class="op" id="${escape(id)}">
  <h3><span class="method ${escape(method)}">${escape(method.toUpperCase())}</span> <code>${escape(path)}</code></h3>
  <p class="summary">${escape(text(operation["summary"]))}${
    operation["x-bullseye-source"] === "decided"
      ? ` <span class="decided" title="The vendor docs are silent here: this is the toolkit's guess, the real API may differ">decided</span>`
      : ""
  }</p>
  <p>${escape(text(operation["description"]))
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\n+/g, "<br/>")}</p>
  ${
    parameters.length === 0
      ? ""
      : `<table><tr><th>parameter</th><th>in</th><th>required</th><th>description</th></tr>${parameters
          .map(
            (p) =>
              `<tr><td><code>${escape(text(p["name"]))}</code></td><td>${escape(text(p["in"]))}</td><td>${
                p["required"] === true ? "yes" : "no"
              }</td><td>${escape(text(p["description"]) || refName(p["schema"]))}</td></tr>`
          )
          .join("")}</table>`
  }
  ${body === undefined ? "" : `<p>Body: <a href="#schema-${escape(refName(body))}">${escape(refName(body))}</a></p>`}
  <p class="responses">${responses
    .map(
      ([status, r]) =>
        `<span class="status s${escape(status[0] ?? "")}">${escape(status)}</span> ${escape(text(asObject(r)["description"]))}`
    )
    .join(" · ")}</p>
  <pre>curl -X ${escape(method.toUpperCase())} "${escape(apiBaseUrl)}${escape(path)}" -H "X-Partner-API-Key: $BULLSEYE_API_KEY"</pre>
</section>`
}

/** A self-contained API reference (no scripts, no external assets) generated from the OpenAPI document. */
export const docsPage = (apiBaseUrl: string): HttpServerResponse.HttpServerResponse => {
  const spec = openApiDocument() as { readonly [key: string]: Json }
  const info = asObject(spec["info"])
  const paths = Object.entries(asObject(spec["paths"]))
  const schemas = Object.entries(asObject(asObject(spec["components"])["schemas"]))
  const operations = paths.flatMap(([path, item]) =>
    Object.entries(asObject(item)).map(([method, op]) =>
      operationHtml(method, path, asObject(op), apiBaseUrl)
    )
  )
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"/><meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>${escape(text(info["title"]))} (sandbox)</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:#1d2433;background:#fafbfc}
main{max-width:960px;margin:0 auto;padding:24px}
header{background:#0066cc;color:#fff;padding:24px}header a{color:#fff}
.op{background:#fff;border:1px solid #e3e7ee;border-radius:8px;padding:12px 16px;margin:12px 0}
.method{display:inline-block;min-width:64px;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px}
.get{background:#2f855a}.post{background:#2b6cb0}.put{background:#b7791f}.delete{background:#c53030}
.summary{font-weight:600}.decided{font-size:11px;font-weight:400;background:#fefcbf;border-radius:3px;padding:1px 5px}table{border-collapse:collapse;width:100%;font-size:14px}td,th{border-bottom:1px solid #eee;text-align:left;padding:4px}
.status{font-family:monospace;padding:0 4px;border-radius:3px;background:#edf2f7}.s2{background:#c6f6d5}.s4{background:#fed7d7}.s5{background:#feb2b2}
pre{background:#1d2433;color:#e2e8f0;padding:8px;border-radius:6px;overflow:auto;font-size:12px}
details{margin:6px 0}
</style></head>
<body><header><h1>${escape(text(info["title"]))} <small>${escape(text(info["version"]))}</small></h1>
<p>${escape(text(info["description"]))}</p>
<p>Base URL of this sandbox: <code>${escape(apiBaseUrl)}</code> · <a href="/openapi.json">openapi.json</a></p></header>
<main>
<h2>Operations</h2>
${operations.join("\n")}
<h2>Schemas</h2>
${schemas
  .map(
    ([name, schema]) =>
      `<details id="schema-${escape(name)}"><summary><code>${escape(name)}</code></summary><pre>${escape(JSON.stringify(schema, null, 2))}</pre></details>`
  )
  .join("\n")}
</main></body></html>`
  return HttpServerResponse.html(html)
}

/** `GET /openapi.json`: the contract's document, with this sandbox listed first among the servers. */
export const openApiResponse = (apiBaseUrl: string): HttpServerResponse.HttpServerResponse => {
  const spec = openApiDocument()
  const servers = Array.isArray(spec["servers"]) ? spec["servers"] : []
  return HttpServerResponse.unsafeJson({
    ...spec,
    servers: [{ url: apiBaseUrl, description: "This sandbox" }, ...servers]
  })
}
