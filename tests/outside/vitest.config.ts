import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Packing builds every package and npm installs from the registry: minutes, not seconds.
    hookTimeout: 600_000,
    testTimeout: 120_000
  }
})
