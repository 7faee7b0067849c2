import type { Redacted } from "effect"
import type { SandboxHandle } from "../../src/SandboxTest.js"
import { request, type RequestOptions } from "./Http.js"

/** Shorthands for calling the sandbox with one key. */
export const client = (sandbox: SandboxHandle, key: string | Redacted.Redacted<string> = sandbox.apiKey) => {
  const call = (method: string, path: string, options: RequestOptions = {}) =>
    request(sandbox.baseUrl, method, path, { key, ...options })
  return {
    get: (path: string) => call("GET", path),
    post: (path: string, body?: unknown) => call("POST", path, body === undefined ? {} : { body }),
    put: (path: string, body: unknown) => call("PUT", path, { body }),
    del: (path: string) => call("DELETE", path)
  }
}
