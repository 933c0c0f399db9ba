/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query OrganizationSummary($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      createdAt\n      viewerRole\n    }\n  }\n": typeof types.OrganizationSummaryDocument,
    "\n  subscription OrganizationEvents($organizationId: ID!) {\n    organizationEvents(organizationId: $organizationId) {\n      organizationId\n      kind\n      at\n    }\n  }\n": typeof types.OrganizationEventsDocument,
    "\n  query OrganizationApiTokens($id: ID!) {\n    organization(id: $id) {\n      id\n      apiTokens(first: 100) {\n        nodes {\n          id\n          name\n          role\n          createdAt\n          expiresAt\n          revokedAt\n          lastUsedAt\n          createdBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.OrganizationApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        role\n        expiresAt\n      }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      id\n      revokedAt\n    }\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  query AuditLog($id: ID!, $first: Int!, $after: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after) {\n        nodes {\n          id\n          action\n          actor {\n            id\n            name\n            email\n          }\n          actorApiTokenId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          createdAt\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      organizationName\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n": typeof types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          joinedAt\n          user {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.OrganizationMembersDocument,
    "\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 100) {\n        nodes {\n          id\n          email\n          role\n          status\n          createdAt\n          expiresAt\n          invitedBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.OrganizationInvitationsDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      acceptUrl\n      invitation {\n        id\n        email\n        role\n        status\n        expiresAt\n      }\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n      user {\n        id\n      }\n    }\n  }\n": typeof types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n": typeof types.RemoveMemberDocument,
    "\n  mutation LeaveOrganization($input: LeaveOrganizationInput!) {\n    leaveOrganization(input: $input)\n  }\n": typeof types.LeaveOrganizationDocument,
    "\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n      viewerRole\n    }\n  }\n": typeof types.TransferOwnershipDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n      viewerRole\n    }\n  }\n": typeof types.CreateOrganizationDocument,
    "\n  mutation RenameOrganization($input: RenameOrganizationInput!) {\n    renameOrganization(input: $input) {\n      id\n      name\n    }\n  }\n": typeof types.RenameOrganizationDocument,
    "\n  query OrganizationOverview($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": typeof types.OrganizationOverviewDocument,
    "\n  query OrganizationSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 1) {\n        nodes {\n          id\n        }\n      }\n      apiTokens(first: 1) {\n        nodes {\n          id\n        }\n      }\n    }\n  }\n": typeof types.OrganizationSetupDocument,
    "\n  query Viewer {\n    viewer {\n      kind\n      user {\n        id\n        name\n        email\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
};
const documents: Documents = {
    "\n  query OrganizationSummary($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      createdAt\n      viewerRole\n    }\n  }\n": types.OrganizationSummaryDocument,
    "\n  subscription OrganizationEvents($organizationId: ID!) {\n    organizationEvents(organizationId: $organizationId) {\n      organizationId\n      kind\n      at\n    }\n  }\n": types.OrganizationEventsDocument,
    "\n  query OrganizationApiTokens($id: ID!) {\n    organization(id: $id) {\n      id\n      apiTokens(first: 100) {\n        nodes {\n          id\n          name\n          role\n          createdAt\n          expiresAt\n          revokedAt\n          lastUsedAt\n          createdBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.OrganizationApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        role\n        expiresAt\n      }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      id\n      revokedAt\n    }\n  }\n": types.RevokeApiTokenDocument,
    "\n  query AuditLog($id: ID!, $first: Int!, $after: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after) {\n        nodes {\n          id\n          action\n          actor {\n            id\n            name\n            email\n          }\n          actorApiTokenId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          createdAt\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      organizationName\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n": types.InvitationPreviewDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          joinedAt\n          user {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.OrganizationMembersDocument,
    "\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 100) {\n        nodes {\n          id\n          email\n          role\n          status\n          createdAt\n          expiresAt\n          invitedBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.OrganizationInvitationsDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      acceptUrl\n      invitation {\n        id\n        email\n        role\n        status\n        expiresAt\n      }\n    }\n  }\n": types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n      user {\n        id\n      }\n    }\n  }\n": types.ChangeMemberRoleDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n": types.RemoveMemberDocument,
    "\n  mutation LeaveOrganization($input: LeaveOrganizationInput!) {\n    leaveOrganization(input: $input)\n  }\n": types.LeaveOrganizationDocument,
    "\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n      viewerRole\n    }\n  }\n": types.TransferOwnershipDocument,
    "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n      viewerRole\n    }\n  }\n": types.CreateOrganizationDocument,
    "\n  mutation RenameOrganization($input: RenameOrganizationInput!) {\n    renameOrganization(input: $input) {\n      id\n      name\n    }\n  }\n": types.RenameOrganizationDocument,
    "\n  query OrganizationOverview($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n": types.OrganizationOverviewDocument,
    "\n  query OrganizationSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 1) {\n        nodes {\n          id\n        }\n      }\n      apiTokens(first: 1) {\n        nodes {\n          id\n        }\n      }\n    }\n  }\n": types.OrganizationSetupDocument,
    "\n  query Viewer {\n    viewer {\n      kind\n      user {\n        id\n        name\n        email\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationSummary($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      createdAt\n      viewerRole\n    }\n  }\n"): (typeof documents)["\n  query OrganizationSummary($id: ID!) {\n    organization(id: $id) {\n      id\n      name\n      createdAt\n      viewerRole\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription OrganizationEvents($organizationId: ID!) {\n    organizationEvents(organizationId: $organizationId) {\n      organizationId\n      kind\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription OrganizationEvents($organizationId: ID!) {\n    organizationEvents(organizationId: $organizationId) {\n      organizationId\n      kind\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationApiTokens($id: ID!) {\n    organization(id: $id) {\n      id\n      apiTokens(first: 100) {\n        nodes {\n          id\n          name\n          role\n          createdAt\n          expiresAt\n          revokedAt\n          lastUsedAt\n          createdBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationApiTokens($id: ID!) {\n    organization(id: $id) {\n      id\n      apiTokens(first: 100) {\n        nodes {\n          id\n          name\n          role\n          createdAt\n          expiresAt\n          revokedAt\n          lastUsedAt\n          createdBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        role\n        expiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken {\n        id\n        name\n        role\n        expiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      id\n      revokedAt\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($input: RevokeApiTokenInput!) {\n    revokeApiToken(input: $input) {\n      id\n      revokedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($id: ID!, $first: Int!, $after: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after) {\n        nodes {\n          id\n          action\n          actor {\n            id\n            name\n            email\n          }\n          actorApiTokenId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          createdAt\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($id: ID!, $first: Int!, $after: String) {\n    organization(id: $id) {\n      id\n      auditLog(first: $first, after: $after) {\n        nodes {\n          id\n          action\n          actor {\n            id\n            name\n            email\n          }\n          actorApiTokenId\n          targetType\n          targetId\n          ip\n          userAgent\n          details\n          createdAt\n        }\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      organizationName\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n"): (typeof documents)["\n  query InvitationPreview($token: String!) {\n    invitation(token: $token) {\n      organizationName\n      email\n      role\n      status\n      expiresAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      role\n      organization {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          joinedAt\n          user {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationMembers($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          joinedAt\n          user {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 100) {\n        nodes {\n          id\n          email\n          role\n          status\n          createdAt\n          expiresAt\n          invitedBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationInvitations($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 100) {\n        nodes {\n          id\n          email\n          role\n          status\n          createdAt\n          expiresAt\n          invitedBy {\n            id\n            name\n            email\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      acceptUrl\n      invitation {\n        id\n        email\n        role\n        status\n        expiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      acceptUrl\n      invitation {\n        id\n        email\n        role\n        status\n        expiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation RevokeInvitation($input: RevokeInvitationInput!) {\n    revokeInvitation(input: $input) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n      user {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {\n    changeMemberRole(input: $input) {\n      role\n      user {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n"): (typeof documents)["\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LeaveOrganization($input: LeaveOrganizationInput!) {\n    leaveOrganization(input: $input)\n  }\n"): (typeof documents)["\n  mutation LeaveOrganization($input: LeaveOrganizationInput!) {\n    leaveOrganization(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n      viewerRole\n    }\n  }\n"): (typeof documents)["\n  mutation TransferOwnership($input: TransferOwnershipInput!) {\n    transferOwnership(input: $input) {\n      id\n      viewerRole\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n      viewerRole\n    }\n  }\n"): (typeof documents)["\n  mutation CreateOrganization($input: CreateOrganizationInput!) {\n    createOrganization(input: $input) {\n      id\n      name\n      viewerRole\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RenameOrganization($input: RenameOrganizationInput!) {\n    renameOrganization(input: $input) {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  mutation RenameOrganization($input: RenameOrganizationInput!) {\n    renameOrganization(input: $input) {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationOverview($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationOverview($id: ID!) {\n    organization(id: $id) {\n      id\n      members(first: 100) {\n        nodes {\n          role\n          user {\n            id\n          }\n        }\n        pageInfo {\n          hasNextPage\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OrganizationSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 1) {\n        nodes {\n          id\n        }\n      }\n      apiTokens(first: 1) {\n        nodes {\n          id\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query OrganizationSetup($id: ID!) {\n    organization(id: $id) {\n      id\n      invitations(first: 1) {\n        nodes {\n          id\n        }\n      }\n      apiTokens(first: 1) {\n        nodes {\n          id\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      kind\n      user {\n        id\n        name\n        email\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    viewer {\n      kind\n      user {\n        id\n        name\n        email\n      }\n      memberships {\n        role\n        organization {\n          id\n          name\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;