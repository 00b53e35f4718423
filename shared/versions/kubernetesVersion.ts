/** Kubernetes `major.minor.patch` versions: parsing and ordering. */
export interface ParsedVersion {
  major: number;
  minor: number;
  /** Undefined for a bare `major.minor`. */
  patch?: number;
}

const VERSION_RE = /^v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?$/;

export function parseVersion(text: string): ParsedVersion | undefined {
  const m = VERSION_RE.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? undefined : Number(m[3]) };
}

/** Orders versions; a bare `major.minor` sorts before its patches. */
export function compareVersions(a: ParsedVersion, b: ParsedVersion): number {
  return a.major - b.major || a.minor - b.minor || (a.patch ?? -1) - (b.patch ?? -1);
}

export function minorKey(v: Pick<ParsedVersion, 'major' | 'minor'>): string {
  return `${v.major}.${v.minor}`;
}

export function formatVersion(v: ParsedVersion): string {
  return v.patch === undefined ? minorKey(v) : `${v.major}.${v.minor}.${v.patch}`;
}
