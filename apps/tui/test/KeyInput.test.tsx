import { render } from "ink"
import { EventEmitter } from "node:events"
import { Writable } from "node:stream"
import { type ReactElement, useState } from "react"
import { describe, expect, it, vi } from "vitest"
import { Form, type FormValues } from "../src/components/Form.js"
import { TextField } from "../src/components/TextField.js"
import { useKeys } from "../src/Keybindings.js"
import { KeyStdin, splitKeys } from "../src/KeyInput.js"
import { makeTheme, ThemeContext } from "../src/Theme.js"

describe("splitKeys", () => {
  it("splits a chunk into keys, keeping escape sequences and surrogate pairs whole", () => {
    expect(splitKeys("4321\r\r")).toEqual(["4", "3", "2", "1", "\r", "\r"])
    expect(splitKeys("\u007F\u007Fab")).toEqual(["\u007F", "\u007F", "a", "b"])
    expect(splitKeys("\u001B[A\u001B[B\u001B[Z\u001B[1;5C\u001BOPx")).toEqual([
      "\u001B[A",
      "\u001B[B",
      "\u001B[Z",
      "\u001B[1;5C",
      "\u001BOP",
      "x"
    ])
    expect(splitKeys("\u001Bq😀é")).toEqual(["\u001Bq", "😀", "é"])
    // Alt-arrow (a second Esc in front), a colon in the parameters, the Linux console's F1.
    expect(splitKeys("\u001B\u001B[A\u001B[1:2ux\u001B[[A")).toEqual([
      "\u001B\u001B[A",
      "\u001B[1:2u",
      "x",
      "\u001B[[A"
    ])
    // A sequence cut at the chunk's end stays together for Ink's parser to finish.
    expect(splitKeys("a\u001B[")).toEqual(["a", "\u001B["])
    expect(splitKeys("\u001B")).toEqual(["\u001B"])
  })
})

/** A terminal stand-in: chunks pushed into it are read back the way process.stdin reads them. */
class FakeTty extends EventEmitter {
  readonly isTTY = true
  private chunks: Array<string> = []
  push(chunk: string) {
    this.chunks.push(chunk)
    this.emit("readable")
  }
  read() {
    return this.chunks.shift() ?? null
  }
  setEncoding() {
    return this
  }
  setRawMode() {
    return this
  }
}

class Screen extends Writable {
  columns = 80
  rows = 24
  isTTY = true
  override _write(_chunk: unknown, _encoding: BufferEncoding, callback: () => void) {
    callback()
  }
}

/**
 * Renders a harness reading a fake terminal through KeyStdin, types one chunk into it once Ink listens, waits
 * until `settled` holds (React's work for every key done, however loaded the machine) and unmounts it.
 */
const typeInto = async (harness: ReactElement, chunk: string, settled: () => void) => {
  const tty = new FakeTty()
  const instance = render(<ThemeContext.Provider value={makeTheme(false)}>{harness}</ThemeContext.Provider>, {
    stdin: new KeyStdin(tty) as unknown as NodeJS.ReadStream,
    stdout: new Screen() as unknown as NodeJS.WriteStream,
    patchConsole: false
  })
  try {
    await vi.waitFor(() => expect(tty.listenerCount("readable")).toBeGreaterThan(0), { timeout: 10_000 })
    tty.push(chunk)
    await vi.waitFor(settled, { timeout: 10_000 })
  } finally {
    instance.unmount()
  }
}

describe("KeyStdin", () => {
  it("hands Ink one key per read, so a batched chunk edits, moves and submits as typed", async () => {
    const submitted: Array<FormValues> = []
    const Harness = () => {
      const [values, setValues] = useState<FormValues>({ credits: "", notes: "" })
      return (
        <Form
          title="Allocate"
          fields={[
            { name: "credits", label: "Credits" },
            { name: "notes", label: "Notes" }
          ]}
          values={values}
          onChange={setValues}
          onSubmit={(v) => submitted.push(v)}
          onCancel={() => undefined}
        />
      )
    }
    // What a loaded machine reads in one go: typed digits, two Backspaces, Tab, text and two Enters.
    await typeInto(<Harness />, "43210\u007F\u007F1\thi\r", () =>
      expect(submitted).toEqual([{ credits: "4321", notes: "hi" }])
    )
  })

  it("a key that opens a field and the text after it, arriving together, all reach the field", async () => {
    let filter = ""
    // The Organizations screen's pattern: `/` switches to a mode that mounts a field with its own handler.
    const Harness = () => {
      const [filtering, setFiltering] = useState(false)
      const [value, setValue] = useState("")
      filter = value
      useKeys((input) => {
        if (!filtering && input === "/") setFiltering(true)
      })
      return filtering ? <TextField value={value} onChange={setValue} /> : null
    }
    await typeInto(<Harness />, "/Acme", () => expect(filter).toBe("Acme"))
  })
})
