import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Ref, Stream } from "effect"
import { paginate } from "../src/Pagination.js"

const item = (n: number) => ({ id: `o${n}` })

describe("paginate", () => {
  it.effect("walks every page and stops at the total", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make<Array<number>>([])
      const all = Array.from({ length: 45 }, (_, i) => item(i))
      const items = yield* Stream.runCollect(
        paginate(
          (page, pageSize) =>
            Ref.update(calls, (c) => [...c, page]).pipe(
              Effect.as({ items: all.slice((page - 1) * pageSize, page * pageSize), total: all.length })
            ),
          20
        )
      )
      expect(Chunk.toReadonlyArray(items).map((i) => i.id)).toEqual(all.map((i) => i.id))
      expect(yield* Ref.get(calls)).toEqual([1, 2, 3])
    })
  )

  it.effect("a page 1 already fetched is not asked for again; its items come first, de-duplicated", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make<Array<number>>([])
      let data = Array.from({ length: 45 }, (_, i) => item(i))
      const firstPage = { items: data.slice(0, 20), total: data.length }
      // Two items arrive at the front after page 1 was read: o18 and o19 shift onto page 2.
      data = [item(900), item(901), ...data]
      const fetch = (page: number, pageSize: number) =>
        Ref.update(calls, (c) => [...c, page]).pipe(
          Effect.as({ items: data.slice((page - 1) * pageSize, page * pageSize), total: data.length })
        )
      const ids = Chunk.toReadonlyArray(yield* Stream.runCollect(paginate(fetch, 20, firstPage))).map(
        (i) => i.id
      )
      expect(yield* Ref.get(calls)).toEqual([2, 3])
      expect(ids).toEqual(Array.from({ length: 45 }, (_, i) => `o${i}`))

      // A page 1 that is also the last: nothing else is fetched.
      const alone = yield* Stream.runCollect(paginate(fetch, 20, { items: [item(1)], total: 1 }))
      expect(Chunk.toReadonlyArray(alone)).toEqual([item(1)])
      expect(yield* Ref.get(calls)).toEqual([2, 3])
    })
  )

  it.effect("de-duplicates items shifted onto the next page by inserts while walking", () =>
    Effect.gen(function* () {
      // Newest first: after page 1 was read, two new items arrive at the front.
      let data = Array.from({ length: 6 }, (_, i) => item(100 - i))
      const items = yield* Stream.runCollect(
        paginate((page, pageSize) => {
          const slice = data.slice((page - 1) * pageSize, page * pageSize)
          if (page === 1) data = [item(200), item(201), ...data]
          return Effect.succeed({ items: slice, total: data.length })
        }, 3)
      )
      const ids = Chunk.toReadonlyArray(items).map((i) => i.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(ids.slice(0, 6)).toEqual(["o100", "o99", "o98", "o97", "o96", "o95"])
    })
  )

  it.effect("an empty first page ends the stream after one request", () =>
    Effect.gen(function* () {
      let calls = 0
      const items = yield* Stream.runCollect(
        paginate(() => {
          calls++
          return Effect.succeed({ items: [] as Array<{ id: string }>, total: 0 })
        })
      )
      expect(Chunk.size(items)).toBe(0)
      expect(calls).toBe(1)
    })
  )

  it.effect("a failing page fails the stream with the page's error", () =>
    Effect.gen(function* () {
      const result = yield* Stream.runCollect(
        paginate(
          (page) =>
            page === 2 ? Effect.fail("boom" as const) : Effect.succeed({ items: [item(1)], total: 5 }),
          1
        )
      ).pipe(Effect.flip)
      expect(result).toBe("boom")
    })
  )
})
