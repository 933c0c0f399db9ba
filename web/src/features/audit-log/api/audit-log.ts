import { graphql } from '@/gql';

export const AuditLogDocument = graphql(`
  query AuditLog($id: ID!, $first: Int!, $after: String) {
    organization(id: $id) {
      id
      auditLog(first: $first, after: $after) {
        nodes {
          id
          action
          actor {
            id
            name
            email
          }
          actorApiTokenId
          targetType
          targetId
          ip
          userAgent
          details
          createdAt
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);
