import { isIP } from "node:net"

const v4 = (address: string): ReadonlyArray<number> | undefined => {
  const parts = address.split(".").map(Number)
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255)
    ? parts
    : undefined
}

/** Whether an IP address is loopback (127.0.0.0/8, ::1). */
export const isLoopback = (address: string): boolean => {
  const a = address.toLowerCase().replace(/^::ffff:/, "")
  const parts = v4(a)
  return parts !== undefined ? parts[0] === 127 : a === "::1"
}

/** Whether an IP address is private, link-local, shared, unspecified or multicast (never a public receiver). */
export const isNonPublic = (address: string): boolean => {
  const a = address.toLowerCase().replace(/^::ffff:/, "")
  const parts = v4(a)
  if (parts !== undefined) {
    const [x = 0, y = 0] = parts
    return (
      x === 0 ||
      x === 10 ||
      x === 127 ||
      (x === 100 && y >= 64 && y <= 127) ||
      (x === 169 && y === 254) ||
      (x === 172 && y >= 16 && y <= 31) ||
      (x === 192 && y === 168) ||
      (x === 198 && (y === 18 || y === 19)) ||
      x >= 224
    )
  }
  if (isIP(a) !== 6) return true
  return (
    a === "::" ||
    a === "::1" ||
    a.startsWith("fc") ||
    a.startsWith("fd") ||
    a.startsWith("fe8") ||
    a.startsWith("fe9") ||
    a.startsWith("fea") ||
    a.startsWith("feb") ||
    a.startsWith("ff")
  )
}

/** Why a resolved address may not receive webhooks, or undefined; loopback is allowed only when asked (the sandbox). */
export const refusal = (address: string, allowLoopback: boolean): string | undefined => {
  if (allowLoopback && isLoopback(address)) return undefined
  return isNonPublic(address) ? `Refusing to deliver to non-public address ${address}` : undefined
}
