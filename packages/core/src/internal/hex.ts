/** Lowercase hexadecimal of some bytes (what node:crypto's `digest("hex")` gives, on any platform). */
export const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")
