import type { Role } from '../../store/index.js';

/** What an admin route needs; each role is granted a set (issue 16). */
export type Permission = 'documents:read' | 'documents:write' | 'snapshots:activate' | 'reports:read';

const GRANTS: Record<Role, readonly Permission[]> = {
  administrator: ['documents:read', 'documents:write', 'snapshots:activate', 'reports:read'],
  // Documents: upload, edit, delete, re-index; the list of snapshots but not a rollback.
  editor: ['documents:read', 'documents:write'],
  // Reads feedback, the gap report, the audit log and the document list; changes nothing.
  reader: ['documents:read', 'reports:read'],
};

/** Vietnamese names of the roles, as the page and the messages show them. */
export const ROLE_LABELS: Record<Role, string> = {
  administrator: 'Quản trị viên',
  editor: 'Biên tập viên',
  reader: 'Người xem',
};

/** True when the role grants the permission. */
export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** Every permission of a role, for the page to show or hide its actions. */
export function permissionsOf(role: Role): Permission[] {
  return [...GRANTS[role]];
}
