import { apiKeyWireSchema, createdKeyWireSchema, keyScopeSchema, pageWireSchema, ROLES } from "@budget/core";
import { z } from "zod";
import type { RouteDeps } from "../app/deps.js";
import { idParams, json, pageOf, pageQuery } from "../app/inputs.js";
import { defineRoute, type RouteDef } from "../app/route-table.js";

const createKeyBody = z
  .object({ name: z.string().min(1).max(200), role: z.enum(ROLES) })
  .extend(keyScopeSchema.shape)
  .strict();

/** API keys: list, create, revoke. */
export function keyRoutes(d: RouteDeps): RouteDef[] {
  return [
    defineRoute({
      method: "get",
      path: "/v1/keys",
      role: "admin",
      tag: "keys",
      summary: "API keys (hashes and secrets are never shown)",
      query: z.object(pageQuery),
      response: { description: "A page of keys", schema: pageWireSchema(apiKeyWireSchema) },
      handler: async ({ query }) => {
        const keys = (await d.auth.listKeys()).map(({ hash: _h, ...k }) => k);
        return json(pageOf(keys, query.limit, query.cursor));
      },
    }),
    defineRoute({
      method: "post",
      path: "/v1/keys",
      role: "admin",
      tag: "keys",
      summary: "Create an API key; the secret is in this response only",
      body: createKeyBody,
      response: { status: 201, description: "The key record and its secret", schema: createdKeyWireSchema },
      handler: async ({ body }) => {
        const { key, record } = await d.auth.createKey(body);
        const { hash: _h, ...shown } = record;
        return json({ key, ...shown }, 201);
      },
    }),
    defineRoute({
      method: "delete",
      path: "/v1/keys/{id}",
      role: "admin",
      tag: "keys",
      summary: "Revoke an API key",
      params: idParams,
      response: { description: "The revoked key", schema: apiKeyWireSchema },
      errors: ["not_found"],
      handler: async ({ params }) => {
        const { hash: _h, ...shown } = await d.auth.revokeKey(params.id);
        return json(shown);
      },
    }),
  ];
}
