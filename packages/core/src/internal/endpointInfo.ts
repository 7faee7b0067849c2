import { HttpApi } from "@effect/platform"
import { Api } from "../Api.js"
import type { RequestInfo } from "../Errors.js"

const infos = new Map<string, RequestInfo>()
HttpApi.reflect(Api, {
  onGroup() {},
  onEndpoint({ group, endpoint }) {
    infos.set(`${group.identifier}.${endpoint.name}`, { method: endpoint.method, path: endpoint.path })
  }
})

/** Method and path template of an endpoint of the contract, for error context and spans. */
export const endpointInfo = (group: string, endpoint: string): RequestInfo =>
  infos.get(`${group}.${endpoint}`) ?? { method: "GET", path: `/${group}/${endpoint}` }
