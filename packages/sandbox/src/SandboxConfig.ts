import { Context, Layer } from "effect"

/** How a sandbox instance behaves; main fills it from flags, SandboxTest from its options. */
export interface SandboxSettings {
  /** Requests per window per partner. */
  readonly rateLimit: number
  /** Length of a rate-limit window in seconds (windows are aligned to multiples of it since the epoch). */
  readonly rateWindowSeconds: number
  /** Requests per minute per client IP without a valid key. */
  readonly unauthenticatedLimit: number
  /** Largest accepted request body. */
  readonly maxBodyBytes: number
  /** Divides the webhook retry schedule (60 makes one minute a second). */
  readonly webhookTimeScale: number
  /** How often the dispatcher looks for due deliveries when nothing woke it. */
  readonly dispatcherPollMillis: number
  /** Timeout of one webhook attempt. */
  readonly webhookTimeoutMillis: number
}

export const defaultSettings: SandboxSettings = {
  rateLimit: 1000,
  rateWindowSeconds: 60,
  unauthenticatedLimit: 60,
  maxBodyBytes: 1024 * 1024,
  webhookTimeScale: 1,
  dispatcherPollMillis: 500,
  webhookTimeoutMillis: 10_000
}

/** The settings of the running sandbox. */
export class SandboxConfig extends Context.Tag("@bullseye-partner/sandbox/SandboxConfig")<
  SandboxConfig,
  SandboxSettings
>() {
  static layer = (overrides: Partial<SandboxSettings> = {}): Layer.Layer<SandboxConfig> =>
    Layer.succeed(SandboxConfig, { ...defaultSettings, ...overrides })
}
