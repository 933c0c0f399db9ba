import { graphql } from '@/gql';

export const OrganizationApiTokensDocument = graphql(`
  query OrganizationApiTokens($id: ID!) {
    organization(id: $id) {
      id
      apiTokens(first: 100) {
        nodes {
          id
          name
          role
          createdAt
          expiresAt
          revokedAt
          lastUsedAt
          createdBy {
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

export const CreateApiTokenDocument = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      token
      apiToken {
        id
        name
        role
        expiresAt
      }
    }
  }
`);

export const RevokeApiTokenDocument = graphql(`
  mutation RevokeApiToken($input: RevokeApiTokenInput!) {
    revokeApiToken(input: $input) {
      id
      revokedAt
    }
  }
`);
