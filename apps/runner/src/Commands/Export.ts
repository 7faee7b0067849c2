import { Args, Command, Options } from "@effect/cli"
import { Chunk, Effect, Option, Stream } from "effect"
import * as Export from "../Export.js"
import { apiLayer, profile, UserError } from "../internal/cli.js"
import { Output } from "../Output.js"

/** `export organizations|visitors|webhook-logs --format ndjson|csv [--org ID | --all-orgs]`, streamed to stdout. */
export const exportCommand = Command.make(
  "export",
  {
    kind: Args.choice<Export.ExportKind>(
      [
        ["organizations", "organizations"],
        ["visitors", "visitors"],
        ["webhook-logs", "webhook-logs"]
      ],
      { name: "KIND" }
    ),
    format: Options.choice("format", ["ndjson", "csv"]).pipe(Options.withDefault("ndjson" as const)),
    org: Options.text("org").pipe(Options.withDescription("one organization"), Options.optional),
    allOrgs: Options.boolean("all-orgs").pipe(Options.withDescription("every organization")),
    profile
  },
  (args) =>
    Effect.gen(function* () {
      if (Option.isSome(args.org) && args.allOrgs)
        return yield* new UserError({ message: "Give either --org ID or --all-orgs, not both" })
      if (args.kind === "visitors" && Option.isNone(args.org) && !args.allOrgs)
        return yield* new UserError({
          message: "Visitors belong to organizations: give --org ID or --all-orgs"
        })
      const scope: Export.ExportScope = Option.match(args.org, {
        onNone: () => ({ _tag: "All" }),
        onSome: (organizationId) => ({ _tag: "One", organizationId })
      })
      const output = yield* Output
      yield* Export.lines(args.kind, scope, args.format).pipe(
        // Lines are grouped so each write carries a page's worth, yet memory stays bounded.
        Stream.rechunk(100),
        Stream.mapChunks((chunk) => Chunk.of(Chunk.join(chunk, ""))),
        Stream.runForEach((text) => output.out(text)),
        Effect.provide(apiLayer(args.profile))
      )
    })
).pipe(Command.withDescription("Stream organizations, visitors or webhook logs as NDJSON or CSV"))
