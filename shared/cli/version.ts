import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The version of aks-day2 (package.json), for `aks-day2 --version`. */
export function day2Version(): string {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
