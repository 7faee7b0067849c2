import { Args, Command } from "@effect/cli"
import { Path } from "@effect/platform"
import { Effect, Layer } from "effect"
import { apiLayer, journal, journalLayer, profile, UserError } from "../internal/cli.js"
import { loadScript } from "../ScriptLoader.js"

/** Everything a script's program may require: the core services, the journal and the output. */
export type ExecServices =
  Layer.Layer.Success<ReturnType<typeof apiLayer>> | Layer.Layer.Success<ReturnType<typeof journalLayer>>

/** `exec SCRIPT.ts`: runs a module whose default export is an Effect program, with the services provided. */
export const execCommand = Command.make(
  "exec",
  { script: Args.file({ name: "SCRIPT", exists: "yes" }), journal, profile },
  (args) =>
    Effect.gen(function* () {
      const path = yield* Path.Path
      const module: unknown = yield* Effect.tryPromise({
        try: () => loadScript(path.resolve(args.script)),
        catch: (error) =>
          new UserError({
            message: `Cannot load ${args.script}: ${error instanceof Error ? error.message : String(error)}`
          })
      })
      const program =
        typeof module === "object" && module !== null && "default" in module ? module.default : undefined
      if (!Effect.isEffect(program))
        return yield* new UserError({
          message: `${args.script} must export an Effect program as its default export`
        })
      // The script's requirements are checked by its own type annotation (Effect<A, E, ExecServices>).
      yield* (program as Effect.Effect<unknown, unknown, ExecServices>).pipe(
        Effect.provide(Layer.merge(apiLayer(args.profile), journalLayer(args.journal)))
      )
    })
).pipe(Command.withDescription("Run a TypeScript module whose default export is an Effect program"))
