/**
 * The image family of a node image version: the version without its last `-<version>` (or `:<version>`)
 * part, e.g. `AKSUbuntu-2204gen2containerd-202405.03.0` → `AKSUbuntu-2204gen2containerd`,
 * `AKSUbuntu:1604:2020.03.11` → `AKSUbuntu:1604`. Rings compare rollouts per family.
 */
export function osKey(nodeImageVersion: string): string {
  const v = nodeImageVersion.trim();
  const cut = Math.max(v.lastIndexOf('-'), v.lastIndexOf(':'));
  return cut > 0 ? v.slice(0, cut) : v;
}
