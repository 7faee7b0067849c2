import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Generous for a loaded machine: each README's commands take about 20 s on a quiet one.
    testTimeout: 300_000,
    hookTimeout: 30_000
  }
})
