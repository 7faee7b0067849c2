import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The files share one module graph per worker (Effect, the sandbox and the SDK load once, not per file):
    // they keep no global state, and the package's run took 215 s instead of 334 s on a loaded 2-core machine.
    isolate: false,
    testTimeout: 30_000
  }
})
