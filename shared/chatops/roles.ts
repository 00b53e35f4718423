import type { Settings } from '../config/settings';

/** ChatOps roles (`DAY2_CHATOPS_ROLES`); each includes the ones before it. */
export type ChatRole = 'reader' | 'operator' | 'approver';
const RANK: Record<ChatRole, number> = { reader: 1, operator: 2, approver: 3 };

/** The sender's role by Entra object id (case-insensitive); unknown senders have none. */
export function roleOf(settings: Pick<Settings, 'chatopsRoles'>, aadObjectId: string): ChatRole | undefined {
  const id = aadObjectId.toLowerCase();
  for (const [k, v] of Object.entries(settings.chatopsRoles)) if (k.toLowerCase() === id) return v;
  return undefined;
}

export function hasRole(role: ChatRole | undefined, needed: ChatRole): boolean {
  return role !== undefined && RANK[role] >= RANK[needed];
}
