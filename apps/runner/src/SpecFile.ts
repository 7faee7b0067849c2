import { FileSystem, Path } from "@effect/platform"
import { Data, Effect, Either } from "effect"
import type { Problem } from "./internal/problems.js"
import { parseProvisionCsv } from "./ProvisionCsv.js"
import { duplicateExternalIds, parseSpec, type Spec } from "./Spec.js"

/** A spec (or its CSV) is invalid; every problem is listed with its location. */
export class SpecError extends Data.TaggedError("SpecError")<{
  readonly file: string
  readonly problems: ReadonlyArray<Problem>
}> {}

/** Reads and validates a spec file and the CSV it names (relative to the spec), sending nothing anywhere. */
export const loadSpec = Effect.fn("SpecFile.loadSpec")(function* (file: string) {
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const unreadable = (name: string) => (error: { readonly message: string }) =>
    new SpecError({ file: name, problems: [{ location: name, message: `cannot read: ${error.message}` }] })
  const text = yield* fs.readFileString(file).pipe(Effect.mapError(unreadable(file)))
  const spec = parseSpec(text)
  if (Either.isLeft(spec)) return yield* new SpecError({ file, problems: spec.left })
  if (spec.right.provisionCsv === undefined) return spec.right
  const csvFile = path.resolve(path.dirname(file), spec.right.provisionCsv)
  const csvText = yield* fs.readFileString(csvFile).pipe(Effect.mapError(unreadable(spec.right.provisionCsv)))
  const rows = parseProvisionCsv(csvText, spec.right.provisionCsv)
  if (Either.isLeft(rows)) return yield* new SpecError({ file: csvFile, problems: rows.left })
  const provision = [...spec.right.provision, ...rows.right]
  const duplicates = duplicateExternalIds(provision, (i) =>
    i < spec.right.provision.length
      ? `provision[${i}]`
      : `${spec.right.provisionCsv} row ${i - spec.right.provision.length + 1}`
  )
  if (duplicates.length > 0) return yield* new SpecError({ file, problems: duplicates })
  return { ...spec.right, provision } satisfies Spec
})
