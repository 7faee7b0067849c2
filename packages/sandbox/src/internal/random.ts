import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto"

const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** A fresh UUID v4. */
export const uuid = (): string => randomUUID()

/** `length` uniformly random base62 characters from the OS CSPRNG (rejection sampling, no modulo bias). */
export const randomBase62 = (length: number): string => {
  let out = ""
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += base62[byte % 62]
    }
  }
  return out
}

/** Lowercase hex of `bytes` random bytes. */
export const randomHex = (bytes: number): string => randomBytes(bytes).toString("hex")

/** Lowercase hex SHA-256 of a string. */
export const sha256Hex = (value: string): string => createHash("sha256").update(value, "utf8").digest("hex")

/** Compares two strings in time independent of where they differ (length still leaks, as for any digest). */
export const constantTimeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a, "utf8")
  const right = Buffer.from(b, "utf8")
  return left.length === right.length && timingSafeEqual(left, right)
}
