import fs from 'node:fs';
import path from 'node:path';
import { registeredFunctions } from '../../shared/host/registry';
import { loadFunctionFiles } from '../../shared/local/serve/hostConfig';
import { PROBLEM_TYPES, problemTypeUri, type ProblemKind } from '../../shared/http/problem';
import { openApiDocument } from '../../shared/upgradesHttp/openapi';

type Operation = { operationId: string; responses: Record<string, unknown> };
type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
};

const doc = openApiDocument() as unknown as Doc;
const REPO_COPY = path.join(__dirname, '..', '..', 'docs', 'openapi.json');

describe('the OpenAPI description of the HTTP API', () => {
  beforeAll(() => {
    loadFunctionFiles();
  });

  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('describes every route and method the app registers, and nothing else', () => {
    const registered = registeredFunctions()
      .http.flatMap((f) =>
        f.methods.map((m) => `${m.toLowerCase()} /${f.route.replace(/\{(\w+)\??\}/g, '{$1}')}`),
      )
      .sort();
    const described = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(described).toEqual(registered);
  });

  it('lists every problem type the API can answer, and each under its status', () => {
    const types = doc.components.schemas.Problem!.properties.type!.enum!;
    expect([...types].sort()).toEqual(
      Object.keys(PROBLEM_TYPES)
        .map((k) => problemTypeUri(k as ProblemKind))
        .sort(),
    );
    const statuses = new Set(
      Object.values(doc.paths).flatMap((ops) => Object.values(ops).flatMap((o) => Object.keys(o.responses))),
    );
    for (const t of Object.values(PROBLEM_TYPES)) expect(statuses).toContain(String(t.status));
  });

  it('is the same as the copy kept in the repository (docs/openapi.json)', () => {
    const copy = JSON.parse(fs.readFileSync(REPO_COPY, 'utf8')) as unknown;
    // When this fails after a change of the API: npx aks-day2 openapi > docs/openapi.json
    expect(copy).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
