#!/usr/bin/env node
// `pnpm test:quick`: every package's tests except the slow end-to-end, outside and PostgreSQL-heavy files,
// for day-to-day work (about three minutes here). `pnpm test` runs everything, with type checks and lints.
/* global process */
import { spawnSync } from "node:child_process"

/** Test files left out, as vitest globs relative to each package, with why. */
const slow = [
  // Binaries in pseudo-terminals and child processes.
  "**/e2e/**",
  "test/main.test.ts",
  "test/Bin.test.ts",
  "test/Examples.test.ts",
  // Every endpoint against SQLite and PostgreSQL, concurrency against PostgreSQL.
  "test/Http/BadInput.test.ts",
  "test/SandboxTest.test.ts",
  // 500-organization plans killed and resumed, faults injected.
  "test/Apply.exactlyOnce.test.ts",
  "test/Apply.faults.test.ts",
  // External tools (Redocly, Prism) and packages installed from their tarballs outside the repository.
  "**/OpenApi*.test.ts"
]

const result = spawnSync(
  "turbo",
  [
    "run",
    "test",
    "--concurrency=2",
    "--continue",
    // Whole packages of slow checks: the README's commands run as written, the installs from tarballs.
    "--filter=!@bullseye-partner/readme",
    "--filter=!@bullseye-partner/outside-test",
    "--",
    ...slow.flatMap((glob) => ["--exclude", glob])
  ],
  { stdio: "inherit", env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" } }
)
process.exit(result.status ?? 1)
