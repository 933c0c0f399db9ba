import type { Role } from '@/gql/graphql';

const RANK: Record<Role, number> = { MEMBER: 0, ADMIN: 1, OWNER: 2 };

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: 'Owner',
  ADMIN: 'Admin',
  MEMBER: 'Member',
};

/** True when `role` is at least `needed` (Owner ⊇ Admin ⊇ Member). */
export function hasRole(role: Role | null | undefined, needed: Role): boolean {
  return role != null && RANK[role] >= RANK[needed];
}

export function isAdminOrOwner(role: Role | null | undefined): boolean {
  return hasRole(role, 'ADMIN');
}

/**
 * What the viewer's role lets them do in an organization. The UI hides what is not allowed;
 * the server enforces it regardless.
 */
export interface OrganizationPermissions {
  inviteMembers: boolean;
  manageInvitations: boolean;
  changeRoles: boolean;
  removeMembers: boolean;
  transferOwnership: boolean;
  manageApiTokens: boolean;
  viewAuditLog: boolean;
  renameOrganization: boolean;
  changeTimeZone: boolean;
  /** The default country for contact lists and the consent keywords. */
  changeContactSettings: boolean;
  leave: boolean;
}

export function permissionsFor(role: Role | null | undefined): OrganizationPermissions {
  const admin = isAdminOrOwner(role);
  return {
    inviteMembers: admin,
    manageInvitations: admin,
    changeRoles: admin,
    removeMembers: admin,
    transferOwnership: role === 'OWNER',
    manageApiTokens: admin,
    viewAuditLog: admin,
    renameOrganization: admin,
    changeTimeZone: admin,
    changeContactSettings: admin,
    leave: role != null,
  };
}

/** Roles an invitation can offer: ownership only moves by transfer. */
export const INVITABLE_ROLES: readonly Role[] = ['MEMBER', 'ADMIN'];

/** Roles a new API token can carry: never more than the viewer's, never Owner. */
export function apiTokenRolesFor(viewerRole: Role | null | undefined): Role[] {
  return INVITABLE_ROLES.filter((r) => hasRole(viewerRole, r));
}

/** What the viewer may do to one member row. */
export interface MemberActions {
  changeRole: boolean;
  remove: boolean;
  transferOwnership: boolean;
}

export function memberActionsFor(
  viewerRole: Role | null | undefined,
  target: { role: Role; isViewer: boolean },
): MemberActions {
  const can = permissionsFor(viewerRole);
  // The owner's row and the viewer's own row are changed by transfer and leave, not here.
  const editable = !target.isViewer && target.role !== 'OWNER';
  return {
    changeRole: can.changeRoles && editable,
    remove: can.removeMembers && editable,
    transferOwnership: can.transferOwnership && !target.isViewer,
  };
}
