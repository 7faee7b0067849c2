import { Either, ParseResult, Schema } from "effect"

/** One problem of an input, with where it is (`actions[2].allocateCredits.credits`). */
export interface Problem {
  readonly location: string
  readonly message: string
}

export const formatProblem = (p: Problem): string =>
  p.location === "" ? p.message : `${p.location}: ${p.message}`

/** Appends a path to a location, dotted for names and bracketed for indexes. */
export const locate = (base: string, path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) =>
      typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`,
    base
  )

const lowerFirst = (s: string) => (s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s)

// Effect's messages end with ", actual <value>" which may be long; the location already says which value.
const tidy = (message: string) =>
  lowerFirst(
    message
      .replace(/, actual [\s\S]*$/, "")
      .replace(/\s+/g, " ")
      .trim()
  )

/** Decodes `input` with every problem reported at `base` + its path; unknown fields are problems too. */
export const decodeAt = <A, I>(
  schema: Schema.Schema<A, I>,
  input: unknown,
  base: string
): Either.Either<A, ReadonlyArray<Problem>> =>
  Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(input).pipe(
    Either.mapLeft((error) =>
      ParseResult.ArrayFormatter.formatErrorSync(error)
        // An optional field is a union with undefined; that member's failure says nothing useful.
        .filter((issue) => !issue.message.startsWith("Expected undefined"))
        .map((issue) => ({
          location: locate(base, issue.path),
          message:
            issue._tag === "Unexpected"
              ? "unknown field"
              : issue._tag === "Missing"
                ? "is required"
                : tidy(issue.message)
        }))
    )
  )

/** A schema message that replaces Effect's own for every failure of the annotated schema. */
export const expected = (text: string) => ({
  message: () => ({ message: `expected ${text}`, override: true })
})
