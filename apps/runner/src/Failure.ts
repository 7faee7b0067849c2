import { ValidationError } from "@effect/cli"
import { Error as PlatformError } from "@effect/platform"
import { Cause, Effect, Option } from "effect"
import { formatProblem } from "./internal/problems.js"
import { Output } from "./Output.js"
import { SpecError } from "./SpecFile.js"
import { describeError } from "./internal/describeError.js"

const reasons: Partial<Record<PlatformError.SystemErrorReason, string>> = {
  NotFound: "no such file or directory",
  PermissionDenied: "permission denied",
  AlreadyExists: "it already exists"
}

// A file the user named could not be read or written: say which, and why, in their terms.
const fileProblem = (error: PlatformError.SystemError, path: string | number) => {
  const verb = error.method.startsWith("write")
    ? "write"
    : error.method.startsWith("read")
      ? "read"
      : error.method
  return `cannot ${verb} ${path}: ${reasons[error.reason] ?? error.description ?? error.reason}`
}

/** Prints why a command failed, as actionable lines on stderr, and returns the exit code (1). */
export const reportFailure = (cause: Cause.Cause<unknown>) =>
  Effect.gen(function* () {
    const output = yield* Output
    if (Cause.isInterruptedOnly(cause)) {
      yield* output.err("Interrupted.\n")
      return 130
    }
    const failure = Cause.failureOption(cause)
    if (Option.isNone(failure)) {
      yield* output.err(`Unexpected failure: ${Cause.pretty(cause)}\n`)
      return 1
    }
    const error = failure.value
    // @effect/cli has already printed the usage problem.
    if (ValidationError.isValidationError(error)) return 1
    if (error instanceof SpecError) {
      const problems = error.problems
      yield* output.err(
        `Invalid spec: ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was sent.\n`
      )
      for (const problem of problems) yield* output.err(`  ${formatProblem(problem)}\n`)
      return 1
    }
    if (error instanceof PlatformError.SystemError && error.pathOrDescriptor !== undefined) {
      yield* output.err(`Error: ${fileProblem(error, error.pathOrDescriptor)}\n`)
      return 1
    }
    const { code, message } = describeError(error)
    yield* output.err(
      `Error: ${message}${code === "UserError" || code === "ConnectionError" ? "" : ` (${code})`}\n`
    )
    return 1
  })
