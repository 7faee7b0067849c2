import { EventEmitter } from "node:events"
import { unstable_IdlePriority, unstable_scheduleCallback } from "scheduler"

// One terminal key per unit: a CSI sequence (arrows, Home, F-keys, Shift-Tab; parameter bytes as Ink's
// parser takes them, 0x30-0x3F and the Linux console's `[`), an SS3 sequence, either one with a second Esc
// in front (Alt-arrow), Esc with the next character (Alt-key, or an escape sequence still arriving), a
// surrogate pair, or one character. A sequence cut at the end of a chunk stays whole enough for Ink's own
// parser to finish.
const keyPattern =
  // eslint-disable-next-line no-control-regex
  /\u001B{1,2}\[[0-9:;<=>?[]*[ -/]*[@-~]|\u001B{1,2}O[\s\S]|\u001B\[?[\s\S]?|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g

/** A chunk read from the terminal, split into its keys. */
export const splitKeys = (chunk: string): ReadonlyArray<string> => chunk.match(keyPattern) ?? []

/** The parts of a TTY read stream that Ink uses. */
export interface KeySource extends EventEmitter {
  readonly isTTY?: boolean | undefined
  read(): string | Buffer | null
  setEncoding(encoding: BufferEncoding): unknown
  setRawMode?(mode: boolean): unknown
  ref?(): unknown
  unref?(): unknown
}

/**
 * Stdin for Ink that hands over one key per read. A terminal delivers keys in one chunk whenever the
 * process is slower than the typist (a loaded machine, SSH, a paste): Ink 6 would take `4\r\r` as text
 * and two Backspaces as one unknown key. Split, each key reaches the handlers as itself.
 *
 * And one key at a time: a key that opens a field (`/` opens the filter) renders a few turns of the
 * event loop later, and the field starts listening in an effect React runs after that render. Keys
 * handed over before then (`/Acme` arriving together) would reach no one, so the next key waits
 * until React has nothing left to do.
 */
export class KeyStdin extends EventEmitter {
  readonly isTTY: boolean
  private readonly queue: Array<string> = []
  private attached = false
  private paused = false

  constructor(private readonly source: KeySource) {
    super()
    this.isTTY = source.isTTY === true
  }

  private readonly onReadable = () => {
    let chunk: string | Buffer | null
    // One push per key: a large paste spread as arguments could exceed the call's argument limit.
    while ((chunk = this.source.read()) !== null)
      for (const key of splitKeys(String(chunk))) this.queue.push(key)
    this.offer()
  }

  private offer() {
    if (!this.paused && this.queue.length > 0) this.emit("readable")
  }

  private readonly resume = () => {
    this.paused = false
    this.offer()
  }

  read(): string | null {
    if (this.paused) return null
    const key = this.queue.shift()
    if (key === undefined) return null
    // The next key waits for an idle-priority task of React's own scheduler: it runs once the render this
    // key caused and that render's effects (scheduled at normal priority, later) are done.
    this.paused = true
    unstable_scheduleCallback(unstable_IdlePriority, this.resume)
    return key
  }

  setEncoding(encoding: BufferEncoding): this {
    this.source.setEncoding(encoding)
    return this
  }

  setRawMode(mode: boolean): this {
    this.source.setRawMode?.(mode)
    return this
  }

  ref(): this {
    if (!this.attached) {
      this.attached = true
      this.source.on("readable", this.onReadable)
    }
    this.source.ref?.()
    return this
  }

  unref(): this {
    if (this.attached) {
      this.attached = false
      this.source.off("readable", this.onReadable)
    }
    this.source.unref?.()
    return this
  }
}
