import { readdirSync, readFileSync } from "node:fs"
import { builtinModules } from "node:module"
import { dirname, join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"
import { describe, expect, it } from "vitest"

const src = fileURLToPath(new URL("../src/", import.meta.url))

/** Modules meant for Node only; every other module must run wherever an `HttpClient` does (browsers, Deno, Bun, workers). */
const nodeOnly = ["UndiciHttpClient.ts", "WebhookEvent.ts", "WebhookSignature.ts"]

/** Packages that run on any JavaScript platform. */
const portablePackages = ["effect", "@effect/platform", "ajv"]

const packageOf = (specifier: string) =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/")

const isNodeOnly = (specifier: string) =>
  specifier.startsWith("node:") ||
  builtinModules.includes(specifier.split("/")[0]!) ||
  !portablePackages.includes(packageOf(specifier))

const modules = (readdirSync(src, { recursive: true }) as Array<string>).filter((file) =>
  file.endsWith(".ts")
)

const importsOf = (module: string): ReadonlyArray<string> =>
  ts
    .preProcessFile(readFileSync(join(src, module), "utf8"), true, true)
    .importedFiles.map((file) => file.fileName)

/** The Node-only imports a module reaches through its relative imports, each with the chain that leads to it. */
const nodeImportsReachedFrom = (entry: string): ReadonlyArray<string> => {
  const found: Array<string> = []
  const seen = new Set<string>()
  const visit = (module: string, chain: ReadonlyArray<string>) => {
    if (seen.has(module)) return
    seen.add(module)
    for (const specifier of importsOf(module)) {
      if (specifier.startsWith(".")) {
        const target = relative(src, join(src, dirname(module), specifier)).replace(/\.js$/, ".ts")
        visit(target, [...chain, target])
      } else if (isNodeOnly(specifier)) {
        found.push([...chain, specifier].join(" -> "))
      }
    }
  }
  visit(entry, [entry])
  return found
}

describe("portability", () => {
  it("the contract, the errors, the client and the services import nothing Node-only, directly or through each other", () => {
    const portable = modules.filter((module) => !nodeOnly.includes(module))
    expect(portable).toEqual(
      expect.arrayContaining([
        "Api.ts",
        "Errors.ts",
        "PartnerClient.ts",
        "Organizations.ts",
        "Domain/Common.ts"
      ])
    )
    expect(portable.flatMap(nodeImportsReachedFrom)).toEqual([])
  })

  it("the Node-only list is exact: each module on it does import Node", () => {
    for (const module of nodeOnly)
      expect([module, nodeImportsReachedFrom(module).length > 0]).toEqual([module, true])
  })
})
