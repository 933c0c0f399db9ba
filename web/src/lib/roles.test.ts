import { describe, expect, it } from 'vitest';

import { apiTokenRolesFor, hasRole, memberActionsFor, permissionsFor } from '@/lib/roles';

describe('permissionsFor', () => {
  it('gives Members only leaving', () => {
    expect(permissionsFor('MEMBER')).toEqual({
      inviteMembers: false,
      manageInvitations: false,
      changeRoles: false,
      removeMembers: false,
      transferOwnership: false,
      manageApiTokens: false,
      viewAuditLog: false,
      renameOrganization: false,
      changeTimeZone: false,
      changeContactSettings: false,
      leave: true,
    });
  });

  it('gives Admins everything but ownership transfer', () => {
    const can = permissionsFor('ADMIN');
    expect(can.inviteMembers && can.changeRoles && can.removeMembers && can.manageApiTokens).toBe(true);
    expect(can.viewAuditLog && can.renameOrganization && can.changeTimeZone && can.changeContactSettings && can.manageInvitations && can.leave).toBe(true);
    expect(can.transferOwnership).toBe(false);
  });

  it('lets only the Owner transfer ownership', () => {
    expect(permissionsFor('OWNER').transferOwnership).toBe(true);
  });

  it('allows nothing without a known role', () => {
    expect(Object.values(permissionsFor(null)).some(Boolean)).toBe(false);
  });
});

describe('memberActionsFor', () => {
  it('lets an Admin change and remove other non-owners, not the owner or themselves', () => {
    expect(memberActionsFor('ADMIN', { role: 'MEMBER', isViewer: false })).toEqual({
      changeRole: true,
      remove: true,
      transferOwnership: false,
    });
    expect(memberActionsFor('ADMIN', { role: 'OWNER', isViewer: false })).toEqual({
      changeRole: false,
      remove: false,
      transferOwnership: false,
    });
    expect(memberActionsFor('ADMIN', { role: 'ADMIN', isViewer: true })).toEqual({
      changeRole: false,
      remove: false,
      transferOwnership: false,
    });
  });

  it('lets the Owner hand ownership to anyone else', () => {
    expect(memberActionsFor('OWNER', { role: 'MEMBER', isViewer: false }).transferOwnership).toBe(true);
    expect(memberActionsFor('OWNER', { role: 'OWNER', isViewer: true }).transferOwnership).toBe(false);
  });

  it('gives a Member no actions on anyone', () => {
    expect(memberActionsFor('MEMBER', { role: 'MEMBER', isViewer: false })).toEqual({
      changeRole: false,
      remove: false,
      transferOwnership: false,
    });
  });
});

describe('roles', () => {
  it('orders Owner above Admin above Member', () => {
    expect(hasRole('OWNER', 'ADMIN')).toBe(true);
    expect(hasRole('ADMIN', 'OWNER')).toBe(false);
    expect(hasRole('MEMBER', 'MEMBER')).toBe(true);
    expect(hasRole(undefined, 'MEMBER')).toBe(false);
  });

  it('never offers Owner tokens, nor more than the viewer has', () => {
    expect(apiTokenRolesFor('OWNER')).toEqual(['MEMBER', 'ADMIN']);
    expect(apiTokenRolesFor('ADMIN')).toEqual(['MEMBER', 'ADMIN']);
    expect(apiTokenRolesFor('MEMBER')).toEqual(['MEMBER']);
  });
});
