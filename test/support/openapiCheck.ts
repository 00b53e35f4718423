import { z } from 'zod';
import { openApiDocument } from '../../shared/upgradesHttp/openapi';
import type { Answer } from './serve';

type Json = Record<string, unknown>;
const doc = openApiDocument() as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Json }> }> }>
  >;
  components: { schemas: Record<string, Json> };
};

/** Inlines `#/components/schemas/X` references (the documents' schemas refer to each other, without cycles). */
function resolve(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(resolve);
  if (schema && typeof schema === 'object') {
    const ref = (schema as { $ref?: string }).$ref;
    if (ref?.startsWith('#/components/schemas/'))
      return resolve(doc.components.schemas[ref.slice('#/components/schemas/'.length)]);
    return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, resolve(v)]));
  }
  return schema;
}

/** Statuses seen per operation in this test file (`post /upgrades 202`, …). */
export const seen = new Set<string>();

/**
 * Checks an answer against the OpenAPI description: its status is documented for the operation, its
 * content type is the documented one and its body validates against the documented schema.
 */
export function expectDocumented(method: string, path: string, a: Answer): void {
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${path} is not in the OpenAPI description`);
  const r = op.responses[String(a.status)];
  if (!r)
    throw new Error(`${method} ${path} answered ${a.status}, which the OpenAPI description does not list`);
  seen.add(`${method.toLowerCase()} ${path} ${a.status}`);
  const type = (a.headers.get('content-type') ?? '').split(';')[0]!.trim();
  const content = r.content?.[type];
  if (!content) throw new Error(`${method} ${path} ${a.status}: content type ${type} is not documented`);
  const schema = z.fromJSONSchema(resolve(content.schema) as never);
  const v = schema.safeParse(a.body);
  if (!v.success)
    throw new Error(
      `${method} ${path} ${a.status}: body does not match the description: ${v.error.message}\n${a.text.slice(0, 500)}`,
    );
}
