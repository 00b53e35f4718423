import { openApiDocument } from '../../upgradesHttp/openapi';
import type { Command } from '../command';

/** `aks-day2 openapi`: prints the OpenAPI 3.1 description of the HTTP API (what `GET /api/openapi.json` serves). */
export const openapiCommand: Command = {
  name: 'openapi',
  usage: 'openapi    the OpenAPI 3.1 description of the HTTP API (docs/openapi.json)',
  run(_argv, out) {
    out(JSON.stringify(openApiDocument(), null, 2));
    return Promise.resolve(0);
  },
};
