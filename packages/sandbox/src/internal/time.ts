const DAY_MS = 86_400_000

/** An instant on the wire: ISO 8601 UTC with second precision (`2025-01-15T10:30:00Z`). */
export const wireDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z")

/** A stored instant on the wire (see `wireDate`); text that is no instant is kept as it is. */
export const wireTime = (stored: string): string => {
  const ms = Date.parse(stored)
  return Number.isNaN(ms) ? stored : wireDate(new Date(ms))
}

/** A nullable stored instant on the wire. */
export const wireTimeOrNull = (stored: string | null): string | null =>
  stored === null ? null : wireTime(stored)

/** How instants are stored: fixed-width ISO with milliseconds, so they sort as text. */
export const storedTime = (date: Date): string => date.toISOString()

/** `YYYY-MM-DD` of an instant (UTC). */
export const calendarDate = (date: Date): string => date.toISOString().slice(0, 10)

/** Adds whole days. */
export const addDays = (date: Date, days: number): Date => new Date(date.getTime() + days * DAY_MS)

/** Adds calendar months, keeping the day of month (callers only use days 1..28). */
export const addMonths = (date: Date, months: number): Date =>
  new Date(
    Date.UTC(
      date.getUTCFullYear(),
      date.getUTCMonth() + months,
      date.getUTCDate(),
      date.getUTCHours(),
      date.getUTCMinutes(),
      date.getUTCSeconds()
    )
  )

/** Whole days between two instants, rounded down. */
export const daysBetween = (from: Date, to: Date): number =>
  Math.floor((to.getTime() - from.getTime()) / DAY_MS)

export const isDateOnly = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s)
