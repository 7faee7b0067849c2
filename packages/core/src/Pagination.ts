import { Chunk, Effect, Option, Stream } from "effect"

/** One page as the list endpoints return it, with its items under a neutral name. */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly total: number
}

/** Default and maximum page size of the list endpoints. */
export const MaxPageSize = 100

/**
 * Walks every page of a list endpoint as a Stream, de-duplicating by id (items added while walking
 * shift later items onto the next page); memory stays bounded by the ids of the last two pages.
 * `firstPage`, when given, is page 1 already fetched (with the same query and page size): the walk
 * starts from it instead of asking for it again.
 */
export const paginate = <A extends { readonly id: string }, E, R>(
  fetchPage: (page: number, pageSize: number) => Effect.Effect<Page<A>, E, R>,
  pageSize: number = MaxPageSize,
  firstPage?: Page<A>
): Stream.Stream<A, E, R> =>
  Stream.paginateChunkEffect(
    { page: 1, recent: [] as ReadonlyArray<ReadonlySet<string>> },
    ({ page, recent }) =>
      (page === 1 && firstPage !== undefined ? Effect.succeed(firstPage) : fetchPage(page, pageSize)).pipe(
        Effect.map(({ items, total }) => {
          const ids = new Set<string>()
          const fresh = items.filter((item) => {
            if (ids.has(item.id) || recent.some((s) => s.has(item.id))) return false
            ids.add(item.id)
            return true
          })
          const done = items.length === 0 || items.length < pageSize || page * pageSize >= total
          const next = done
            ? Option.none()
            : Option.some({ page: page + 1, recent: [recent.at(-1) ?? new Set(), ids] })
          return [Chunk.unsafeFromArray(fresh), next] as const
        })
      )
  )
