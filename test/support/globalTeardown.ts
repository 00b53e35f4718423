import type { AzuriteHandle } from '../../shared/local/azurite';

export default async function globalTeardown(): Promise<void> {
  const azurite = (globalThis as { __AZURITE__?: AzuriteHandle }).__AZURITE__;
  await azurite?.close();
}
