/** Thousands-separated integer. */
export const int = (n: number | undefined | null): string =>
  n === undefined || n === null ? "–" : Math.round(n).toLocaleString("en-US")

/** A date-time as `YYYY-MM-DD HH:MM` (UTC). */
export const dateTime = (iso: string | null | undefined): string =>
  iso === null || iso === undefined ? "–" : iso.replace("T", " ").slice(0, 16)

/** A date as `YYYY-MM-DD`. */
export const date = (iso: string | null | undefined): string =>
  iso === null || iso === undefined ? "–" : iso.slice(0, 10)

/** Money in dollars. */
export const money = (n: number, currency = "USD"): string =>
  `${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 4 })} ${currency}`

/** A non-negative integer typed by the user, or undefined. */
export const parseCount = (text: string): number | undefined => {
  const t = text.trim().replace(/[_,]/g, "")
  if (!/^\d+$/.test(t)) return undefined
  const n = Number(t)
  return Number.isSafeInteger(n) ? n : undefined
}
