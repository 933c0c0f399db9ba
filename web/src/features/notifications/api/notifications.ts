import { graphql } from '@/gql';

export const NotificationBellDocument = graphql(`
  query NotificationBell($id: ID!) {
    organization(id: $id) {
      id
      unreadNotifications
      notifications(first: 10) {
        id
        kind
        title
        body
        campaignId
        createdAt
        readAt
      }
    }
  }
`);

export const MarkNotificationsReadDocument = graphql(`
  mutation MarkNotificationsRead($organizationId: ID!, $ids: [ID!]) {
    markNotificationsRead(input: { organizationId: $organizationId, ids: $ids })
  }
`);
