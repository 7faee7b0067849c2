import { IcpRules } from "@bullseye-partner/core/Domain/Icp"
import { IcpConfigs } from "@bullseye-partner/core/IcpConfigs"
import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { Effect, Either, Option } from "effect"
import { parse as parseYaml } from "yaml"
import { confirm, json, profile, show, UserError, yes } from "../internal/cli.js"
import { field } from "../internal/optional.js"
import { decodeAt, formatProblem } from "../internal/problems.js"

const org = Args.text({ name: "ORGANIZATION_ID" })
const configId = Args.text({ name: "ICP_CONFIG_ID" })
const common = { json, profile }
const columns = ["id", "name", "active", "priority", "updatedAt"]

const readRules = (file: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(file)
    const raw: unknown = yield* Effect.try({
      try: () => parseYaml(text),
      catch: () => new UserError({ message: `${file} is not valid YAML or JSON` })
    })
    return yield* Either.match(decodeAt(IcpRules, raw, file), {
      onLeft: (problems) => Effect.fail(new UserError({ message: problems.map(formatProblem).join("; ") })),
      onRight: Effect.succeed
    })
  })

const withIcp = <A, E, R>(
  a: { readonly json: boolean; readonly profile: Option.Option<string> },
  f: (icp: IcpConfigs) => Effect.Effect<A, E, R>,
  columns?: ReadonlyArray<string>
) => show(a, Effect.flatMap(IcpConfigs, f), columns)

const rulesOption = Options.file("rules").pipe(Options.withDescription("a YAML or JSON file with the rules"))
const settable = {
  active: Options.choice("active", ["true", "false"]).pipe(Options.optional),
  priority: Options.integer("priority").pipe(Options.optional)
}
const asBoolean = Option.map((v: "true" | "false") => v === "true")

const list = Command.make("list", { org, ...common }, (a) => withIcp(a, (icp) => icp.list(a.org), columns))
const get = Command.make("get", { org, configId, ...common }, (a) =>
  withIcp(a, (icp) => icp.get(a.org, a.configId))
)
const create = Command.make(
  "create",
  { org, name: Options.text("name"), rules: rulesOption, ...settable, ...common },
  (a) =>
    Effect.gen(function* () {
      const rules = yield* readRules(a.rules)
      yield* withIcp(a, (icp) =>
        icp.create(a.org, {
          name: a.name,
          rules,
          ...field("active", asBoolean(a.active)),
          ...field("priority", a.priority)
        })
      )
    })
)
const update = Command.make(
  "update",
  {
    org,
    configId,
    name: Options.text("name").pipe(Options.optional),
    rules: rulesOption.pipe(Options.optional),
    ...settable,
    ...common
  },
  (a) =>
    Effect.gen(function* () {
      const rules = Option.isSome(a.rules) ? Option.some(yield* readRules(a.rules.value)) : Option.none()
      yield* withIcp(a, (icp) =>
        icp.update(a.org, a.configId, {
          ...field("name", a.name),
          ...field("rules", rules),
          ...field("active", asBoolean(a.active)),
          ...field("priority", a.priority)
        })
      )
    })
)
const remove = Command.make("delete", { org, configId, yes, ...common }, (a) =>
  confirm(`Delete ICP config ${a.configId}?`, "delete it", a.yes).pipe(
    Effect.zipRight(
      withIcp(a, (icp) => Effect.as(icp.delete(a.org, a.configId), { id: a.configId, deleted: true }))
    )
  )
).pipe(Command.withDescription("Delete an ICP config; asks first unless --yes"))

/** `icp list|get|create|update|delete`. */
export const icpCommand = Command.make("icp").pipe(
  Command.withDescription("ICP configs of an organization"),
  Command.withSubcommands([list, get, create, update, remove])
)
