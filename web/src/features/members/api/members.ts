import { graphql } from '@/gql';

export const OrganizationMembersDocument = graphql(`
  query OrganizationMembers($id: ID!) {
    organization(id: $id) {
      id
      members(first: 100) {
        nodes {
          role
          joinedAt
          user {
            id
            name
            email
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

export const OrganizationInvitationsDocument = graphql(`
  query OrganizationInvitations($id: ID!) {
    organization(id: $id) {
      id
      invitations(first: 100) {
        nodes {
          id
          email
          role
          status
          createdAt
          expiresAt
          invitedBy {
            id
            name
            email
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

export const InviteMemberDocument = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      acceptUrl
      invitation {
        id
        email
        role
        status
        expiresAt
      }
    }
  }
`);

export const RevokeInvitationDocument = graphql(`
  mutation RevokeInvitation($input: RevokeInvitationInput!) {
    revokeInvitation(input: $input) {
      id
      status
    }
  }
`);

export const ChangeMemberRoleDocument = graphql(`
  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) {
      role
      user {
        id
      }
    }
  }
`);

export const RemoveMemberDocument = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input)
  }
`);

export const LeaveOrganizationDocument = graphql(`
  mutation LeaveOrganization($input: LeaveOrganizationInput!) {
    leaveOrganization(input: $input)
  }
`);

export const TransferOwnershipDocument = graphql(`
  mutation TransferOwnership($input: TransferOwnershipInput!) {
    transferOwnership(input: $input) {
      id
      viewerRole
    }
  }
`);
